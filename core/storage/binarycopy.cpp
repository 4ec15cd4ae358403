#include "core/storage/binarycopy.h"

#include "core/storage/utf8text.h"

#include <QtEndian>
#include <bit>
#include <cstring>
#include <libpq-fe.h>
#include <pqxx/largeobject>
#include <pqxx/transaction_base>

namespace alabos::binarycopy {

namespace {

template <typename T> void appendBigEndian(std::string &out, T value)
{
    const T bigEndian = qToBigEndian(value);
    out.append(reinterpret_cast<const char *>(&bigEndian), sizeof(T));
}

constexpr qint64 kPostgresEpochUs = 946684800LL * 1000000; // 2000-01-01, binary timestamps
constexpr size_t kSendAbove = (1 << 18) - 1024;

// pqxx 6 hands libpq's handle to its large-object class's subclasses, for a dbtransaction.
struct LibpqHandle : pqxx::largeobject
{
    static PGconn *of(const pqxx::dbtransaction &tx) { return raw_connection(tx); }
};

// As pqxx reports a failed statement: a lost connection as broken_connection, anything
// else with its SQLSTATE, which the callers read (a full disk is an outage, not a refusal).
[[noreturn]] void fail(PGconn *conn, const std::string &message, const char *sqlstate = nullptr)
{
    if (PQstatus(conn) == CONNECTION_BAD) throw pqxx::broken_connection(message);
    throw pqxx::sql_error(message, "COPY", sqlstate);
}

void finishCopy(PGconn *conn)
{
    if (PQputCopyEnd(conn, nullptr) != 1) fail(conn, PQerrorMessage(conn));
    std::string failure, sqlstate;
    while (PGresult *result = PQgetResult(conn)) {
        if (PQresultStatus(result) != PGRES_COMMAND_OK && failure.empty()) {
            failure = PQresultErrorMessage(result);
            if (const char *state = PQresultErrorField(result, PG_DIAG_SQLSTATE)) sqlstate = state;
            if (failure.empty()) failure = PQerrorMessage(conn);
            if (failure.empty()) failure = "COPY failed";
        }
        PQclear(result);
    }
    if (!failure.empty()) fail(conn, failure, sqlstate.empty() ? nullptr : sqlstate.c_str());
}

void send(PGconn *conn, std::string_view data)
{
    if (PQputCopyData(conn, data.data(), int(data.size())) != 1) fail(conn, PQerrorMessage(conn));
}
} // namespace

void appendText(std::string &out, const QString &value)
{
    appendTextWith(out, [&value](std::string &to) { utf8text::append(to, value); });
}
void setFieldLength(std::string &out, size_t lengthAt)
{
    const qint32 length = qToBigEndian(qint32(out.size() - lengthAt - sizeof(qint32)));
    std::memcpy(out.data() + lengthAt, &length, sizeof length);
}
void appendText(std::string &out, std::string_view utf8)
{
    appendBigEndian<qint32>(out, qint32(utf8.size()));
    out.append(utf8);
}
void appendInt8(std::string &out, qint64 value)
{
    appendBigEndian<qint32>(out, 8);
    appendBigEndian<qint64>(out, value);
}
void appendFloat8(std::string &out, double value)
{
    appendInt8(out, std::bit_cast<qint64>(value));
}
void appendTimestamp(std::string &out, qint64 unixUs)
{
    appendInt8(out, unixUs - kPostgresEpochUs);
}
void appendHeader(std::string &out)
{
    out.append("PGCOPY\n\377\r\n\0", 11);
    appendBigEndian<qint32>(out, 0); // flags
    appendBigEndian<qint32>(out, 0); // header extension length
}
void appendRowStart(std::string &out, qint16 fields)
{
    appendBigEndian<qint16>(out, fields);
}
void appendTrailer(std::string &out)
{
    appendBigEndian<qint16>(out, -1);
}

void Array::appendTo(std::string &out) const
{
    appendBigEndian<qint32>(out, qint32(20 + m_elements.size()));
    appendBigEndian<qint32>(out, 1); // dimensions
    appendBigEndian<qint32>(out, 0); // no NULLs
    appendBigEndian<qint32>(out, m_elementOid);
    appendBigEndian<qint32>(out, m_count);
    appendBigEndian<qint32>(out, 1); // lower bound
    out += m_elements;
}

LibpqConnection::LibpqConnection(const std::string &options)
    : pqxx::connection_base(m_policy), m_options(options), m_policy(m_options)
{
    init();
}

LibpqConnection::~LibpqConnection() noexcept
{
    close();
}

pqxx::connectionpolicy::handle
LibpqConnection::Policy::do_startconnect(pqxx::connectionpolicy::handle orig)
{
    current = connect_direct::do_startconnect(orig);
    return current;
}
pqxx::connectionpolicy::handle
LibpqConnection::Policy::do_completeconnect(pqxx::connectionpolicy::handle orig)
{
    current = connect_direct::do_completeconnect(orig);
    return current;
}
pqxx::connectionpolicy::handle
LibpqConnection::Policy::do_dropconnect(pqxx::connectionpolicy::handle orig) noexcept
{
    current = connect_direct::do_dropconnect(orig);
    return current;
}
pqxx::connectionpolicy::handle
LibpqConnection::Policy::do_disconnect(pqxx::connectionpolicy::handle orig) noexcept
{
    current = connect_direct::do_disconnect(orig);
    return current;
}

PGconn *handleOf(const pqxx::dbtransaction &tx)
{
    return LibpqHandle::of(tx);
}

void copy(pqxx::transaction_base &tx, PGconn *conn, const char *statement, std::string_view data)
{
    if (!conn) throw pqxx::broken_connection("the connection has no libpq handle");
    tx.exec0(statement);
    for (size_t at = 0; at < data.size(); at += kSendAbove)
        send(conn, data.substr(at, kSendAbove));
    finishCopy(conn);
}

Writer::Writer(pqxx::dbtransaction &tx, const char *statement) : m_conn(handleOf(tx))
{
    tx.exec0(statement);
    m_buffer.reserve(1 << 18);
    appendHeader(m_buffer);
}

void Writer::row(qint16 fields)
{
    if (m_buffer.size() > kSendAbove) {
        send(m_conn, m_buffer);
        m_buffer.clear();
    }
    appendRowStart(m_buffer, fields);
}

void Writer::finish()
{
    appendTrailer(m_buffer);
    send(m_conn, m_buffer);
    m_buffer.clear();
    finishCopy(m_conn);
}

} // namespace alabos::binarycopy
