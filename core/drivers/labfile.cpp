#include "core/drivers/labfile.h"

#include "core/drivers/driverregistry.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <cmath>

namespace alabos {

namespace {

const QString kVersionKey = QStringLiteral("alabos_lab");
constexpr int kMaxNameLength = 64;
constexpr int kMaxPositionLength = 200;
constexpr int kMaxLabNameLength = 200;
constexpr int kMaxSlots = 1000;

bool matches(const char *pattern, const QString &text)
{
    return QRegularExpression(QRegularExpression::anchoredPattern(QLatin1StringView(pattern)))
        .match(text)
        .hasMatch();
}

// Line and column of a byte offset, for a parse error a person can find.
QString lineAndColumn(const QByteArray &json, int offset)
{
    int line = 1, column = 1;
    for (int i = 0; i < offset && i < json.size(); ++i) {
        if (json[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return QStringLiteral("%1:%2").arg(line).arg(column);
}

struct Checker
{
    QList<LabProblem> *problems;
    void add(const QString &path, const QString &reason) { problems->append({path, reason}); }
    void onlyKnown(const QJsonObject &o, const QString &path, const QStringList &known)
    {
        for (auto it = o.begin(); it != o.end(); ++it)
            if (!known.contains(it.key()))
                add(path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key(),
                    LabFile::tr("unknown field (known: %1)").arg(known.join(QStringLiteral(", "))));
    }
};

// The registry says `device ID: field "PATH" REASON`; the lab file names devices[i].PATH.
LabProblem driverProblem(const QString &devicePath, const QString &message)
{
    static const QRegularExpression field(QStringLiteral("field \"([^\"]+)\"\\s*:?\\s*(.*)$"),
                                          QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression prefix(QStringLiteral("^device [^:]+: "));
    QString reason = message;
    reason.remove(prefix);
    const auto m = field.match(message);
    if (m.hasMatch()) {
        const QString why = m.captured(2).trimmed();
        return {devicePath + QLatin1Char('.') + m.captured(1), why.isEmpty() ? reason : why};
    }
    return {devicePath, reason};
}

} // namespace

QStringList LabFile::topLevelKeys()
{
    return {kVersionKey, QStringLiteral("name"), QStringLiteral("devices"),
            QStringLiteral("positions")};
}

QStringList LabFile::deviceKeys()
{
    return {QStringLiteral("id"), QStringLiteral("type"), QStringLiteral("driver"),
            QStringLiteral("driver_host")};
}

QStringList LabFile::positionKeys()
{
    return {QStringLiteral("name"), QStringLiteral("device"), QStringLiteral("slots")};
}

QString LabProblem::toString() const
{
    return path.isEmpty() ? reason : QStringLiteral("%1: %2").arg(path, reason);
}

const LabDevice *LabFile::device(const QString &id) const
{
    for (const LabDevice &d : devices)
        if (d.id == id) return &d;
    return nullptr;
}

std::optional<LabFile> LabFile::load(const QString &path, QList<LabProblem> *problems)
{
    QList<LabProblem> scratch;
    if (!problems) problems = &scratch;
    const QFileInfo info(path);
    if (!info.exists()) {
        problems->append({{}, tr("the lab file %1 does not exist").arg(path)});
        return std::nullopt;
    }
    if (info.isDir()) {
        problems->append({{}, tr("%1 is a folder, not a lab file").arg(path)});
        return std::nullopt;
    }
    if (info.size() > kMaxFileBytes) {
        problems->append({{},
                          tr("the lab file %1 is larger than %2 MB")
                              .arg(path)
                              .arg(kMaxFileBytes / (1024 * 1024))});
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        problems->append({{}, tr("cannot read %1: %2").arg(path, file.errorString())});
        return std::nullopt;
    }
    return parse(file.read(kMaxFileBytes + 1), info.absolutePath(), problems);
}

std::optional<LabFile> LabFile::parse(const QByteArray &json, const QString &directory,
                                      QList<LabProblem> *problems)
{
    QList<LabProblem> scratch;
    if (!problems) problems = &scratch;
    const qsizetype before = problems->size();
    Checker c{problems};
    if (json.size() > kMaxFileBytes) {
        c.add({}, tr("larger than %1 MB").arg(kMaxFileBytes / (1024 * 1024)));
        return std::nullopt;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        c.add({}, tr("not JSON: %1 at line:column %2")
                      .arg(error.errorString(), lineAndColumn(json, error.offset)));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        c.add({}, tr("must be a JSON object {\"alabos_lab\": 1, \"devices\": [...]}"));
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    c.onlyKnown(root, {}, topLevelKeys());
    const QJsonValue version = root.value(kVersionKey);
    if (version.isUndefined())
        c.add(kVersionKey, tr("is missing: a lab file starts with \"alabos_lab\": 1"));
    else if (!version.isDouble() || version.toDouble() != 1)
        c.add(kVersionKey, tr("must be 1 (the only lab file format this alabos reads)"));

    LabFile lab;
    lab.directory = directory;
    const QJsonValue name = root.value(QLatin1StringView("name"));
    if (!name.isUndefined()) {
        if (!name.isString())
            c.add(QStringLiteral("name"), tr("must be a string"));
        else if (name.toString().size() > kMaxLabNameLength)
            c.add(QStringLiteral("name"),
                  tr("is longer than %1 characters").arg(kMaxLabNameLength));
        else
            lab.name = name.toString();
    }

    // Devices.
    const QJsonValue devices = root.value(QLatin1StringView("devices"));
    QSet<QString> ids;
    if (devices.isUndefined()) {
        c.add(QStringLiteral("devices"), tr("is missing (an empty lab is \"devices\": [])"));
    } else if (!devices.isArray()) {
        c.add(QStringLiteral("devices"), tr("must be an array of devices"));
    } else if (devices.toArray().size() > kMaxDevices) {
        c.add(QStringLiteral("devices"), tr("has more than %1 devices").arg(kMaxDevices));
    } else {
        DriverContext context;
        context.configDirectory = directory;
        const QJsonArray list = devices.toArray();
        QHash<QString, int> firstIndex;
        for (int i = 0; i < list.size(); ++i) {
            const QString path = QStringLiteral("devices[%1]").arg(i);
            if (!list[i].isObject()) {
                c.add(path, tr("must be an object {\"id\", \"type\", \"driver\", ...}"));
                continue;
            }
            QJsonObject o = list[i].toObject();
            bool ok = true;
            const QJsonValue id = o.value(QLatin1StringView("id"));
            if (!id.isString() || !matches("[A-Za-z0-9][A-Za-z0-9_.-]*", id.toString()) ||
                id.toString().size() > kMaxNameLength) {
                c.add(path + QStringLiteral(".id"),
                      tr("must be 1 to %1 letters, digits, '.', '_' or '-', starting with a "
                         "letter or digit")
                          .arg(kMaxNameLength));
                ok = false;
            } else if (firstIndex.contains(id.toString())) {
                c.add(path + QStringLiteral(".id"), tr("\"%1\" is already the id of devices[%2]")
                                                        .arg(id.toString())
                                                        .arg(firstIndex.value(id.toString())));
                ok = false;
            } else {
                firstIndex.insert(id.toString(), i);
                ids.insert(id.toString());
            }
            const QJsonValue type = o.value(QLatin1StringView("type"));
            if (!type.isString() || !matches("[a-z][a-z0-9_]*", type.toString()) ||
                type.toString().size() > kMaxNameLength) {
                c.add(path + QStringLiteral(".type"),
                      tr("must be 1 to %1 lower case letters, digits or '_', starting with a "
                         "letter")
                          .arg(kMaxNameLength));
                ok = false;
            }
            const QJsonValue driver = o.value(QLatin1StringView("driver"));
            const QStringList kinds = DriverRegistry::instance().kinds();
            if (!driver.isString() || !kinds.contains(driver.toString())) {
                c.add(path + QStringLiteral(".driver"),
                      tr("must be one of %1").arg(kinds.join(QStringLiteral(", "))));
                ok = false;
            }
            QString host;
            const QJsonValue hostValue = o.take(QLatin1StringView("driver_host"));
            if (!hostValue.isUndefined()) {
                if (!hostValue.isString() ||
                    !matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,62})?", hostValue.toString())) {
                    c.add(path + QStringLiteral(".driver_host"),
                          tr("must be a host name: 1 to 64 letters, digits, '.' or '-'"));
                    ok = false;
                } else {
                    host = hostValue.toString();
                }
            }
            if (!ok) continue; // the kind cannot check settings of a device it cannot name
            const QString problem = DriverRegistry::instance().check(o, context);
            if (!problem.isEmpty()) {
                problems->append(driverProblem(path, problem));
                continue;
            }
            lab.devices.append({id.toString(), type.toString(), driver.toString(), o, host});
        }
    }

    // Positions.
    const QJsonValue positions = root.value(QLatin1StringView("positions"));
    if (!positions.isUndefined() && !positions.isArray()) {
        c.add(QStringLiteral("positions"), tr("must be an array of positions"));
    } else if (positions.isArray()) {
        const QJsonArray list = positions.toArray();
        QHash<QString, QString> declaredBy; // position name -> where it was declared
        auto declare = [&](const QString &name, const QString &device, const QString &path) {
            if (declaredBy.contains(name)) {
                c.add(path, tr("position \"%1\" is already declared by %2")
                                .arg(name, declaredBy.value(name)));
                return false;
            }
            declaredBy.insert(name, path);
            const qsizetype slash = name.lastIndexOf(QLatin1Char('/'));
            lab.positions.append({name, slash < 0 ? QString() : name.left(slash), device});
            return true;
        };
        for (int i = 0; i < list.size(); ++i) {
            const QString path = QStringLiteral("positions[%1]").arg(i);
            if (!list[i].isObject()) {
                c.add(path, tr("must be an object {\"name\", \"device\", \"slots\"}"));
                continue;
            }
            const QJsonObject o = list[i].toObject();
            c.onlyKnown(o, path, positionKeys());
            const QJsonValue name = o.value(QLatin1StringView("name"));
            if (!name.isString() ||
                !matches("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*", name.toString()) ||
                name.toString().size() > kMaxPositionLength) {
                c.add(path + QStringLiteral(".name"),
                      tr("must be parts of letters, digits, '.', '_' or '-' joined by '/', at "
                         "most %1 characters")
                          .arg(kMaxPositionLength));
                continue;
            }
            QString device;
            const QJsonValue deviceValue = o.value(QLatin1StringView("device"));
            if (!deviceValue.isUndefined()) {
                if (!deviceValue.isString() || deviceValue.toString().isEmpty()) {
                    c.add(path + QStringLiteral(".device"), tr("must be a device id"));
                    continue;
                }
                device = deviceValue.toString();
                if (!ids.contains(device)) {
                    c.add(path + QStringLiteral(".device"),
                          tr("names \"%1\", which is not a device of this lab").arg(device));
                    continue;
                }
            }
            int slots = 0;
            const QJsonValue slotsValue = o.value(QLatin1StringView("slots"));
            if (!slotsValue.isUndefined()) {
                const double n = slotsValue.toDouble(-1);
                // The range first: int() of a number beyond int is undefined.
                if (!slotsValue.isDouble() || n < 1 || n > kMaxSlots || n != std::floor(n)) {
                    c.add(path + QStringLiteral(".slots"),
                          tr("must be a whole number from 1 to %1").arg(kMaxSlots));
                    continue;
                }
                slots = int(n);
            }
            if (lab.positions.size() + 1 + slots > kMaxPositions) {
                c.add(path, tr("the lab has more than %1 positions").arg(kMaxPositions));
                break;
            }
            if (!declare(name.toString(), device, path)) continue;
            for (int s = 1; s <= slots; ++s)
                declare(QStringLiteral("%1/%2").arg(name.toString()).arg(s), device,
                        path + QStringLiteral(".slots"));
        }
    }
    if (problems->size() > before) return std::nullopt;
    return lab;
}

std::optional<LabFile> LabFile::loadForRun(const QString &path, QString *error)
{
    QList<LabProblem> problems;
    std::optional<LabFile> lab = load(path, &problems);
    if (!lab) {
        QStringList lines;
        for (const LabProblem &p : std::as_const(problems))
            lines << p.toString();
        *error = tr("The lab file %1 has %n problem(s):\n%2", nullptr, int(problems.size()))
                     .arg(path, lines.join(QLatin1Char('\n')));
    }
    return lab;
}

QJsonObject LabFile::toJson() const
{
    QJsonArray deviceList;
    for (const LabDevice &d : devices) {
        QJsonObject o = d.config;
        o.insert(QStringLiteral("id"), d.id);
        o.insert(QStringLiteral("type"), d.type);
        o.insert(QStringLiteral("driver"), d.driver);
        if (!d.host.isEmpty()) o.insert(QStringLiteral("driver_host"), d.host);
        deviceList.append(o);
    }
    QJsonArray positionList;
    for (const LabPosition &p : positions) {
        QJsonObject o{{QStringLiteral("name"), p.name}};
        if (!p.device.isEmpty()) o.insert(QStringLiteral("device"), p.device);
        positionList.append(o);
    }
    QJsonObject root{{kVersionKey, 1}, {QStringLiteral("devices"), deviceList}};
    if (!name.isEmpty()) root.insert(QStringLiteral("name"), name);
    if (!positionList.isEmpty()) root.insert(QStringLiteral("positions"), positionList);
    return root;
}

} // namespace alabos
