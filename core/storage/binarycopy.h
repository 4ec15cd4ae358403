#pragma once
// COPY ... FROM STDIN (FORMAT binary) through libpq: no text formatting on this side, no text
// parsing on the server. Integers are big-endian and every field is its length, then its value.

#include <QString>
#include <QtGlobal>
#include <pqxx/connection>
#include <string>
#include <string_view>

struct pg_conn;
namespace pqxx {
class dbtransaction;
class transaction_base;
} // namespace pqxx

namespace alabos::binarycopy {

// The binary COPY fields alabos writes.
void appendText(std::string &out, const QString &value);
void appendText(std::string &out, std::string_view utf8);
// A text field whose UTF-8 `write(out)` appends in place; its length is filled in after, so
// the text is not built in a string of its own first.
void setFieldLength(std::string &out, size_t lengthAt);
template <typename Write> void appendTextWith(std::string &out, Write &&write)
{
    const size_t lengthAt = out.size();
    out.append(4, '\0');
    write(out);
    setFieldLength(out, lengthAt);
}
void appendInt8(std::string &out, qint64 value);
void appendFloat8(std::string &out, double value);
void appendTimestamp(std::string &out, qint64 unixUs);
// The stream's header, a row's field count and the trailer.
void appendHeader(std::string &out);
void appendRowStart(std::string &out, qint16 fields);
void appendTrailer(std::string &out);

// A one-dimensional array without NULLs: filled with the append* functions above (one call
// per nextElement()), then written as one field by appendTo().
class Array
{
public:
    // Element type OIDs of the catalogue (pg_type).
    static constexpr qint32 kText = 25, kInt8 = 20, kFloat8 = 701, kTimestamptz = 1184;
    explicit Array(qint32 elementOid) : m_elementOid(elementOid) {}
    // Where the next element goes: counts it, to be filled by one append* call.
    std::string &nextElement()
    {
        ++m_count;
        return m_elements;
    }
    qint32 count() const { return m_count; }
    void clear()
    {
        m_elements.clear();
        m_count = 0;
    }
    void appendTo(std::string &out) const;

private:
    qint32 m_elementOid;
    qint32 m_count = 0;
    std::string m_elements;
};

// A connection that can hand its libpq handle to the binary COPY: pqxx 6 keeps the handle to
// itself, so the connection policy notes the one each (re)connection makes.
class LibpqConnection : public pqxx::connection_base
{
public:
    explicit LibpqConnection(const std::string &options);
    ~LibpqConnection() noexcept;
    pg_conn *handle() const { return m_policy.current; }

private:
    struct Policy : pqxx::connect_direct
    {
        using pqxx::connect_direct::connect_direct;
        pqxx::connectionpolicy::handle do_startconnect(pqxx::connectionpolicy::handle) override;
        pqxx::connectionpolicy::handle do_completeconnect(pqxx::connectionpolicy::handle) override;
        pqxx::connectionpolicy::handle
            do_dropconnect(pqxx::connectionpolicy::handle) noexcept override;
        pqxx::connectionpolicy::handle
            do_disconnect(pqxx::connectionpolicy::handle) noexcept override;
        pg_conn *current = nullptr;
    };
    // As pqxx's own connections: the base gets the policy before it is built, and uses it
    // only from init(), once both members are.
    std::string m_options;
    Policy m_policy;
};

// The libpq handle of a dbtransaction's connection (pqxx::work, read_transaction).
pg_conn *handleOf(const pqxx::dbtransaction &tx);

// Runs `statement` (a COPY ... FROM STDIN (FORMAT binary)) in tx, whose connection's handle
// is `libpq`, and sends it `data`, a whole stream from appendHeader to appendTrailer. Throws
// like pqxx on an error.
void copy(pqxx::transaction_base &tx, pg_conn *libpq, const char *statement, std::string_view data);

// One COPY built row by row and sent in pieces as it grows. Throws like pqxx on an error.
class Writer
{
public:
    Writer(pqxx::dbtransaction &tx, const char *statement);
    void row(qint16 fields);
    void text(const QString &value) { appendText(m_buffer, value); }
    void float8(double value) { appendFloat8(m_buffer, value); }
    void timestamp(qint64 unixUs) { appendTimestamp(m_buffer, unixUs); }
    void array(const Array &value) { value.appendTo(m_buffer); }
    void finish();

private:
    pg_conn *m_conn;
    std::string m_buffer;
};

} // namespace alabos::binarycopy
