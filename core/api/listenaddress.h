#pragma once
#include <QString>

namespace alabos {

// HOST:PORT for a server to listen on: an IPv4 address, a [IPv6] address or a host name, and
// a port from 0 (any free one) to 65535.
bool validListenAddress(const QString &text);

} // namespace alabos
