#pragma once
// QString text appended to a std::string as UTF-8, with the escaping of the format it goes
// into. Most text the writer encodes (ids, names, kinds, statuses) is ASCII: that part is
// copied as it is read, without the QByteArray a toUtf8() of every string allocated.
#include <QByteArray>
#include <QStringView>
#include <string>

namespace alabos::utf8text {

// Appends `text` as UTF-8. `escape(out, byte)` appends a byte that needs escaping in its own
// form and returns true, or returns false and the byte is appended as it is.
template <typename Escape>
void append(std::string &out, QStringView text, Escape &&escape)
{
    out.reserve(out.size() + size_t(text.size()) + 2);
    qsizetype ascii = 0;
    for (; ascii < text.size(); ++ascii) {
        const char16_t unit = text[ascii].unicode();
        if (unit >= 0x80) break;
        if (!escape(out, char(unit))) out.push_back(char(unit));
    }
    if (ascii == text.size()) return;
    // Everything before was one unit per character, so the rest converts on its own exactly as
    // it would have as part of the whole string.
    const QByteArray rest = text.sliced(ascii).toUtf8();
    for (const char byte : rest)
        if (!escape(out, byte)) out.push_back(byte);
}

// PostgreSQL holds no NUL in text: U+FFFD takes its place, as in the JSON the writer stores.
inline bool nulAsReplacement(std::string &out, char c)
{
    if (c != '\0') return false;
    out += "\xEF\xBF\xBD";
    return true;
}

// Appends `text` as UTF-8 for a text field of PostgreSQL: nothing escaped, a NUL as U+FFFD.
inline void append(std::string &out, QStringView text)
{
    append(out, text, nulAsReplacement);
}

} // namespace alabos::utf8text
