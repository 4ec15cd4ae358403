#pragma once
#include "core/domain/types.h"

#include <QByteArray>

#include <optional>

namespace alabos {

inline constexpr qsizetype kMaxEventBytes = 1024 * 1024;

// Why a message could not be decoded; each is counted and logged once per kind.
enum class DecodeProblem { None, TooLarge, NotJson, UnknownVersion, MissingField };
QString toString(DecodeProblem problem);

// {"v":1,"id":..,"entity_type":..,"entity_id":..,"kind":..,"time_us":..,"payload":{..}}
QByteArray encodeEvent(const Event &event);
std::optional<Event> decodeEvent(const QByteArray &bytes, DecodeProblem *problem,
                                 QString *error = nullptr);

} // namespace alabos
