#pragma once
// The lab file: one JSON document that declares a lab (devices with their driver kind and
// connection settings, positions, which device holds which). It is the lab's source of
// truth; the database follows it at start (app/labruntime.cpp) and a lab changed in the
// console is exported back to one. The JSON Schema is resources/lab/lab.schema.json; the
// format is documented in docs/lab.md.
#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace alabos {

// One problem found in a lab file: where, as a JSON path from the document's root
// ("devices[3].register_map.registers[2].scale"; empty: the document), and why.
struct LabProblem
{
    QString path;
    QString reason;
    // "devices[3].port: must be an integer in [1, 65535]"
    QString toString() const;
};

struct LabDevice
{
    QString id;
    QString type;
    QString driver; // a DriverRegistry kind
    // The device's object as DriverRegistry::create() takes it: id, type, driver and the
    // kind's own settings (relative file names kept as written).
    QJsonObject config;
    QString host; // "driver_host": the driver host that runs it; empty: the scheduler's process
    bool operator==(const LabDevice &) const = default;
};

struct LabPosition
{
    QString name;   // "furnace-1/tray/3"
    QString parent; // the name up to its last '/'; empty at the top
    QString device; // the device that holds it; empty: none (a shelf, a rack on a bench)
    bool operator==(const LabPosition &) const = default;
};

struct LabFile
{
    Q_DECLARE_TR_FUNCTIONS(LabFile)
public:
    static constexpr qint64 kMaxFileBytes = 16 * 1024 * 1024;
    static constexpr int kMaxDevices = 100000;
    static constexpr int kMaxPositions = 1000000;

    QString name;      // a label for people; optional
    QString directory; // where relative file names in driver settings resolve
    QList<LabDevice> devices;
    QList<LabPosition> positions; // expanded: a rack declared with "slots" lists each slot

    const LabDevice *device(const QString &id) const;
    // The keys the format knows (the kinds' own settings aside): the JSON Schema's
    // properties are compared with these.
    static QStringList topLevelKeys();
    static QStringList deviceKeys();
    static QStringList positionKeys();

    // Reads and checks a lab file: every problem is listed (not only the first), each with
    // its JSON path. Driver settings are checked by the kind's own factory
    // (DriverRegistry), without connecting to anything. nullopt when there is any problem.
    static std::optional<LabFile> load(const QString &path, QList<LabProblem> *problems);
    static std::optional<LabFile> parse(const QByteArray &json, const QString &directory,
                                        QList<LabProblem> *problems);
    // load() for a process that starts from the file: nullopt with *error listing every
    // problem, one a line.
    static std::optional<LabFile> loadForRun(const QString &path, QString *error);
    // A document parse() reads back to an equal LabFile.
    QJsonObject toJson() const;
};

} // namespace alabos
