#include "core/drivers/modbusregistermap.h"

#include <QSet>
#include <cmath>
#include <cstring>
#include <limits>

namespace alabos {

int ModbusRegister::words() const
{
    switch (format) {
    case Format::U32:
    case Format::S32:
    case Format::F32:
        return 2;
    default:
        return 1;
    }
}

namespace {
quint16 swapped(quint16 w)
{
    return quint16((w << 8) | (w >> 8));
}
} // namespace

// Logical order (high word first, high byte first) <-> the device's order.
static QList<quint16> toDevice(const ModbusRegister &r, QList<quint16> words)
{
    if (r.lowWordFirst && words.size() == 2) std::swap(words[0], words[1]);
    if (r.swapBytes)
        for (quint16 &w : words)
            w = swapped(w);
    return words;
}

std::optional<QList<quint16>> ModbusRegister::encode(double value, QString *error) const
{
    if (auto words = encodeLogical(value, error)) return toDevice(*this, *words);
    return std::nullopt;
}

std::optional<QList<quint16>> ModbusRegister::encodeLogical(double value, QString *error) const
{
    auto refuse = [&](const QString &why) {
        if (error) *error = why;
        return std::nullopt;
    };
    if (!std::isfinite(value))
        return refuse(QObject::tr("register \"%1\": value is not a finite number").arg(name));
    if (format == Format::Bool) {
        if (value != 0 && value != 1)
            return refuse(
                QObject::tr("register \"%1\": a coil takes 0 or 1, not %2").arg(name).arg(value));
        return QList<quint16>{quint16(value)};
    }
    const double raw = (value - offset) / scale;
    if (format == Format::F32) {
        // Beyond a float's range the device would be sent an infinity.
        if (!(std::abs(raw) <= std::numeric_limits<float>::max()))
            return refuse(QObject::tr("register \"%1\": %2 %3 does not fit a float32 (raw %4)")
                              .arg(name)
                              .arg(value)
                              .arg(unit)
                              .arg(raw));
        const float f = float(raw);
        quint32 bits;
        std::memcpy(&bits, &f, 4);
        return QList<quint16>{quint16(bits >> 16), quint16(bits & 0xFFFF)};
    }
    const double r = std::round(raw);
    double lo = 0, hi = 0;
    switch (format) {
    case Format::U16:
        lo = 0;
        hi = 65535;
        break;
    case Format::S16:
        lo = -32768;
        hi = 32767;
        break;
    case Format::U32:
        lo = 0;
        hi = 4294967295.0;
        break;
    case Format::S32:
        lo = -2147483648.0;
        hi = 2147483647.0;
        break;
    default:
        break;
    }
    if (r < lo || r > hi)
        return refuse(QObject::tr("register \"%1\": %2 %3 does not fit (raw %4 outside [%5, %6])")
                          .arg(name)
                          .arg(value)
                          .arg(unit)
                          .arg(r)
                          .arg(lo)
                          .arg(hi));
    if (words() == 1) return QList<quint16>{quint16(qint32(r) & 0xFFFF)};
    const quint32 bits = format == Format::S32 ? quint32(qint32(r)) : quint32(r);
    return QList<quint16>{quint16(bits >> 16), quint16(bits & 0xFFFF)};
}

double ModbusRegister::decode(const QList<quint16> &device) const
{
    QList<quint16> w = device;
    if (swapBytes)
        for (quint16 &x : w)
            x = swapped(x);
    if (lowWordFirst && w.size() == 2) std::swap(w[0], w[1]);
    if (bit >= 0) return (w.value(0) >> bit) & 1;
    double raw = 0;
    switch (format) {
    case Format::Bool:
        return w.value(0) ? 1 : 0;
    case Format::U16:
        raw = w.value(0);
        break;
    case Format::S16:
        raw = qint16(w.value(0));
        break;
    case Format::U32:
        raw = (quint32(w.value(0)) << 16) | w.value(1);
        break;
    case Format::S32:
        raw = qint32((quint32(w.value(0)) << 16) | w.value(1));
        break;
    case Format::F32: {
        const quint32 bits = (quint32(w.value(0)) << 16) | w.value(1);
        float f;
        std::memcpy(&f, &bits, 4);
        raw = f;
        break;
    }
    }
    return raw * scale + offset;
}

const ModbusRegister *ModbusRegisterMap::find(const QString &name) const
{
    for (const ModbusRegister &r : registers)
        if (r.name == name) return &r;
    return nullptr;
}

const ModbusCommand *ModbusRegisterMap::command(const QString &name) const
{
    for (const ModbusCommand &c : commands)
        if (c.description.name == name) return &c;
    return nullptr;
}

std::optional<double> resolveValue(const QJsonValue &value, const QJsonObject &parameters)
{
    if (value.isDouble()) return value.toDouble();
    if (value.isBool()) return value.toBool() ? 1.0 : 0.0;
    if (value.isString() && value.toString().startsWith(QLatin1Char('$'))) {
        const QJsonValue p = parameters.value(value.toString().mid(1));
        if (p.isDouble()) return p.toDouble();
        if (p.isBool()) return p.toBool() ? 1.0 : 0.0;
    }
    return std::nullopt;
}

namespace {

struct Parser
{
    QString *error;
    bool failed = false;

    bool fail(const QString &field, const QString &why)
    {
        if (error) *error = QObject::tr("register map: field \"%1\" %2").arg(field, why);
        failed = true;
        return false;
    }
    bool integer(const QJsonObject &o, const QString &where, const char *key, int min, int max,
                 int *out, bool required)
    {
        const QJsonValue v = o.value(QLatin1StringView(key));
        const QString field = where + QLatin1StringView(key);
        if (v.isUndefined()) {
            if (required) return fail(field, QObject::tr("is missing"));
            return true;
        }
        if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble()) || v.toDouble() < min ||
            v.toDouble() > max)
            return fail(field, QObject::tr("must be an integer in [%1, %2]").arg(min).arg(max));
        *out = v.toInt();
        return true;
    }
    bool known(const QJsonObject &o, const QString &where, const QStringList &keys)
    {
        for (auto it = o.begin(); it != o.end(); ++it)
            if (!keys.contains(it.key())) return fail(where + it.key(), QObject::tr("is unknown"));
        return true;
    }
    // A value is a number, or "$p" naming one of the command's parameters.
    bool value(const QJsonValue &v, const QString &field, const CommandDescription &command)
    {
        if (v.isDouble() || v.isBool()) return true;
        if (v.isString() && v.toString().startsWith(QLatin1Char('$'))) {
            const QString p = v.toString().mid(1);
            for (const ParameterDescription &d : command.parameters)
                if (d.name == p) return true;
            return fail(field,
                        QObject::tr("names \"%1\", which is not a parameter of command \"%2\"")
                            .arg(p, command.name));
        }
        return fail(field, QObject::tr("must be a number or \"$parameter\""));
    }
    bool writes(const QJsonValue &v, const QString &where, const ModbusRegisterMap &map,
                const CommandDescription &command, QList<ModbusWrite> *out)
    {
        if (!v.isArray()) return fail(where, QObject::tr("must be an array"));
        const QJsonArray a = v.toArray();
        for (int i = 0; i < a.size(); ++i) {
            const QString w = QStringLiteral("%1[%2].").arg(where).arg(i);
            const QJsonObject o = a.at(i).toObject();
            if (!known(o, w, {QStringLiteral("register"), QStringLiteral("value")})) return false;
            const QString name = o.value(QLatin1StringView("register")).toString();
            const ModbusRegister *r = map.find(name);
            if (!r)
                return fail(w + QStringLiteral("register"),
                            QObject::tr("names \"%1\", which is not in \"registers\"").arg(name));
            if (!r->writable())
                return fail(w + QStringLiteral("register"),
                            QObject::tr("names \"%1\", which is read-only").arg(name));
            if (!value(o.value(QLatin1StringView("value")), w + QStringLiteral("value"), command))
                return false;
            out->append({name, o.value(QLatin1StringView("value"))});
        }
        return true;
    }
};

} // namespace

std::optional<ModbusRegisterMap> ModbusRegisterMap::fromJson(const QJsonObject &json,
                                                             QString *error)
{
    Parser p{error};
    ModbusRegisterMap map;
    if (!p.known(json, {},
                 {QStringLiteral("unit_id"), QStringLiteral("poll_ms"),
                  QStringLiteral("timeout_ms"), QStringLiteral("registers"),
                  QStringLiteral("commands")}) ||
        !p.integer(json, {}, "unit_id", 0, 255, &map.unitId, false) ||
        !p.integer(json, {}, "poll_ms", 10, 3600000, &map.pollMs, false) ||
        !p.integer(json, {}, "timeout_ms", 10, 60000, &map.timeoutMs, false))
        return std::nullopt;
    const QJsonValue regs = json.value(QLatin1StringView("registers"));
    if (!regs.isArray() || regs.toArray().isEmpty()) {
        p.fail(QStringLiteral("registers"), QObject::tr("must be a non-empty array"));
        return std::nullopt;
    }
    static const QHash<QString, ModbusRegister::Table> tables{
        {QStringLiteral("coil"), ModbusRegister::Table::Coil},
        {QStringLiteral("discrete_input"), ModbusRegister::Table::DiscreteInput},
        {QStringLiteral("input"), ModbusRegister::Table::InputRegister},
        {QStringLiteral("holding"), ModbusRegister::Table::HoldingRegister}};
    static const QHash<QString, ModbusRegister::Format> formats{
        {QStringLiteral("uint16"), ModbusRegister::Format::U16},
        {QStringLiteral("int16"), ModbusRegister::Format::S16},
        {QStringLiteral("uint32"), ModbusRegister::Format::U32},
        {QStringLiteral("int32"), ModbusRegister::Format::S32},
        {QStringLiteral("float32"), ModbusRegister::Format::F32}};
    QSet<QString> names;
    const QJsonArray regArray = regs.toArray();
    for (int i = 0; i < regArray.size(); ++i) {
        const QString w = QStringLiteral("registers[%1].").arg(i);
        if (!regArray.at(i).isObject()) {
            p.fail(w.chopped(1), QObject::tr("must be an object"));
            return std::nullopt;
        }
        const QJsonObject o = regArray.at(i).toObject();
        if (!p.known(o, w,
                     {QStringLiteral("name"), QStringLiteral("table"), QStringLiteral("address"),
                      QStringLiteral("format"), QStringLiteral("scale"), QStringLiteral("offset"),
                      QStringLiteral("unit"), QStringLiteral("telemetry"),
                      QStringLiteral("word_order"), QStringLiteral("byte_order"),
                      QStringLiteral("bit")}))
            return std::nullopt;
        ModbusRegister r;
        r.name = o.value(QLatin1StringView("name")).toString();
        if (r.name.isEmpty() || names.contains(r.name)) {
            p.fail(w + QStringLiteral("name"),
                   r.name.isEmpty() ? QObject::tr("is missing")
                                    : QObject::tr("\"%1\" is used twice").arg(r.name));
            return std::nullopt;
        }
        names.insert(r.name);
        const QString table = o.value(QLatin1StringView("table")).toString();
        if (!tables.contains(table)) {
            p.fail(w + QStringLiteral("table"),
                   QObject::tr("must be coil, discrete_input, input or holding (got \"%1\")")
                       .arg(table));
            return std::nullopt;
        }
        r.table = tables.value(table);
        if (!p.integer(o, w, "address", 0, 65535, &r.address, true)) return std::nullopt;
        const bool bit = r.table == ModbusRegister::Table::Coil ||
                         r.table == ModbusRegister::Table::DiscreteInput;
        if (bit) {
            r.format = ModbusRegister::Format::Bool;
            for (const char *k : {"format", "scale", "offset", "word_order", "byte_order", "bit"})
                if (o.contains(QLatin1StringView(k))) {
                    p.fail(w + QLatin1StringView(k),
                           QObject::tr("does not apply to a coil or discrete input"));
                    return std::nullopt;
                }
        } else if (o.contains(QLatin1StringView("bit"))) {
            // One bit of a register: a flag of a status word.
            if (!p.integer(o, w, "bit", 0, 15, &r.bit, true)) return std::nullopt;
            for (const char *k : {"format", "scale", "offset", "word_order"})
                if (o.contains(QLatin1StringView(k))) {
                    p.fail(w + QLatin1StringView(k),
                           QObject::tr("does not apply to a single bit (\"bit\")"));
                    return std::nullopt;
                }
            r.format = ModbusRegister::Format::U16;
            const QString bytes =
                o.value(QLatin1StringView("byte_order")).toString(QStringLiteral("big"));
            if (bytes != QLatin1StringView("big") && bytes != QLatin1StringView("little")) {
                p.fail(w + QStringLiteral("byte_order"), QObject::tr("must be big or little"));
                return std::nullopt;
            }
            r.swapBytes = bytes == QLatin1StringView("little");
        } else {
            const QString format =
                o.value(QLatin1StringView("format")).toString(QStringLiteral("uint16"));
            if (!formats.contains(format)) {
                p.fail(w + QStringLiteral("format"),
                       QObject::tr("must be uint16, int16, uint32, int32 or float32 (got \"%1\")")
                           .arg(format));
                return std::nullopt;
            }
            r.format = formats.value(format);
            if (r.address + r.words() - 1 > 65535) {
                p.fail(w + QStringLiteral("address"),
                       QObject::tr("leaves no room for a 32-bit value"));
                return std::nullopt;
            }
            for (const char *k : {"scale", "offset"}) {
                const QJsonValue v = o.value(QLatin1StringView(k));
                if (!v.isUndefined() && (!v.isDouble() || !std::isfinite(v.toDouble()))) {
                    p.fail(w + QLatin1StringView(k), QObject::tr("must be a number"));
                    return std::nullopt;
                }
            }
            const QJsonValue words = o.value(QLatin1StringView("word_order"));
            if (!words.isUndefined()) {
                if (r.words() != 2 || (words != QLatin1StringView("high_first") &&
                                       words != QLatin1StringView("low_first"))) {
                    p.fail(w + QStringLiteral("word_order"),
                           r.words() != 2 ? QObject::tr("applies to 32-bit formats only")
                                          : QObject::tr("must be high_first or low_first"));
                    return std::nullopt;
                }
                r.lowWordFirst = words == QLatin1StringView("low_first");
            }
            const QJsonValue bytes = o.value(QLatin1StringView("byte_order"));
            if (!bytes.isUndefined()) {
                if (bytes != QLatin1StringView("big") && bytes != QLatin1StringView("little")) {
                    p.fail(w + QStringLiteral("byte_order"), QObject::tr("must be big or little"));
                    return std::nullopt;
                }
                r.swapBytes = bytes == QLatin1StringView("little");
            }
            r.scale = o.value(QLatin1StringView("scale")).toDouble(1);
            r.offset = o.value(QLatin1StringView("offset")).toDouble(0);
            if (r.scale == 0) {
                p.fail(w + QStringLiteral("scale"), QObject::tr("must not be 0"));
                return std::nullopt;
            }
        }
        const QJsonValue unit = o.value(QLatin1StringView("unit"));
        const QJsonValue telemetry = o.value(QLatin1StringView("telemetry"));
        if ((!unit.isUndefined() && !unit.isString()) ||
            (!telemetry.isUndefined() && !telemetry.isBool())) {
            p.fail(w + (unit.isUndefined() || unit.isString() ? QStringLiteral("telemetry")
                                                              : QStringLiteral("unit")),
                   QObject::tr("has the wrong type"));
            return std::nullopt;
        }
        r.unit = unit.toString();
        r.telemetry = telemetry.toBool();
        map.registers.append(r);
    }

    const QJsonValue cmds = json.value(QLatin1StringView("commands"));
    if (!cmds.isUndefined() && !cmds.isArray()) {
        p.fail(QStringLiteral("commands"), QObject::tr("must be an array"));
        return std::nullopt;
    }
    const QJsonArray cmdArray = cmds.toArray();
    for (int i = 0; i < cmdArray.size(); ++i) {
        const QString w = QStringLiteral("commands[%1].").arg(i);
        const QJsonObject o = cmdArray.at(i).toObject();
        if (!p.known(o, w,
                     {QStringLiteral("name"), QStringLiteral("description"),
                      QStringLiteral("parameters"), QStringLiteral("writes"),
                      QStringLiteral("complete_when"), QStringLiteral("on_cancel")}))
            return std::nullopt;
        ModbusCommand c;
        c.description.name = o.value(QLatin1StringView("name")).toString();
        if (c.description.name.isEmpty() || map.command(c.description.name)) {
            p.fail(w + QStringLiteral("name"), c.description.name.isEmpty()
                                                   ? QObject::tr("is missing")
                                                   : QObject::tr("is used twice"));
            return std::nullopt;
        }
        c.description.description = o.value(QLatin1StringView("description")).toString();
        const QJsonArray params = o.value(QLatin1StringView("parameters")).toArray();
        for (int j = 0; j < params.size(); ++j) {
            const QString pw = QStringLiteral("%1parameters[%2].").arg(w).arg(j);
            const QJsonObject po = params.at(j).toObject();
            if (!p.known(po, pw,
                         {QStringLiteral("name"), QStringLiteral("type"), QStringLiteral("unit"),
                          QStringLiteral("min"), QStringLiteral("max"), QStringLiteral("default"),
                          QStringLiteral("description")}))
                return std::nullopt;
            ParameterDescription d;
            d.name = po.value(QLatin1StringView("name")).toString();
            if (d.name.isEmpty()) {
                p.fail(pw + QStringLiteral("name"), QObject::tr("is missing"));
                return std::nullopt;
            }
            d.type = po.value(QLatin1StringView("type")).toString(QStringLiteral("number"));
            if (d.type != QLatin1StringView("number") && d.type != QLatin1StringView("integer") &&
                d.type != QLatin1StringView("bool")) {
                p.fail(pw + QStringLiteral("type"), QObject::tr("must be number, integer or bool"));
                return std::nullopt;
            }
            d.unit = po.value(QLatin1StringView("unit")).toString();
            for (const char *k : {"min", "max"}) {
                const QJsonValue v = po.value(QLatin1StringView(k));
                if (v.isUndefined()) continue;
                if (!v.isDouble()) {
                    p.fail(pw + QLatin1StringView(k), QObject::tr("must be a number"));
                    return std::nullopt;
                }
                (qstrcmp(k, "min") == 0 ? d.min : d.max) = v.toDouble();
            }
            if (d.min && d.max && *d.min > *d.max) {
                p.fail(pw + QStringLiteral("min"), QObject::tr("is above \"max\""));
                return std::nullopt;
            }
            d.defaultValue = po.value(QLatin1StringView("default"));
            d.description = po.value(QLatin1StringView("description")).toString();
            c.description.parameters.append(d);
        }
        if (!p.writes(o.value(QLatin1StringView("writes")), w + QStringLiteral("writes"), map,
                      c.description, &c.writes))
            return std::nullopt;
        if (o.contains(QLatin1StringView("on_cancel")) &&
            !p.writes(o.value(QLatin1StringView("on_cancel")), w + QStringLiteral("on_cancel"), map,
                      c.description, &c.onCancel))
            return std::nullopt;
        if (o.contains(QLatin1StringView("complete_when"))) {
            const QString cw = w + QStringLiteral("complete_when.");
            const QJsonObject co = o.value(QLatin1StringView("complete_when")).toObject();
            if (!p.known(co, cw,
                         {QStringLiteral("register"), QStringLiteral("equals"),
                          QStringLiteral("at_least"), QStringLiteral("at_most"),
                          QStringLiteral("timeout_ms")}))
                return std::nullopt;
            ModbusCompletion done;
            done.registerName = co.value(QLatin1StringView("register")).toString();
            if (!map.find(done.registerName)) {
                p.fail(cw + QStringLiteral("register"),
                       QObject::tr("names \"%1\", which is not in \"registers\"")
                           .arg(done.registerName));
                return std::nullopt;
            }
            for (const char *op : {"equals", "at_least", "at_most"})
                if (co.contains(QLatin1StringView(op))) {
                    if (!done.op.isEmpty()) {
                        p.fail(cw + QLatin1StringView(op),
                               QObject::tr("conflicts with \"%1\"").arg(done.op));
                        return std::nullopt;
                    }
                    done.op = QLatin1StringView(op);
                    done.value = co.value(QLatin1StringView(op));
                }
            if (done.op.isEmpty()) {
                p.fail(cw + QStringLiteral("equals"),
                       QObject::tr("(or at_least, at_most) is missing"));
                return std::nullopt;
            }
            if (!p.value(done.value, cw + done.op, c.description) ||
                !p.integer(co, cw, "timeout_ms", 1, 86400000, &done.timeoutMs, false))
                return std::nullopt;
            c.completeWhen = done;
        }
        map.commands.append(c);
    }
    return map;
}

} // namespace alabos
