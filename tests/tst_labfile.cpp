// The lab file: broken files each refused with the JSON path and the reason (through the
// parser and through `alabos --check-lab`), a good file of every driver kind, the round trip
// through toJson(), and the JSON Schema naming exactly the keys the parser accepts.
#include "core/domain/formdefinition.h"
#include "core/drivers/driverregistry.h"
#include "core/drivers/labfile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSet>
#include <QTest>

using namespace alabos;

namespace {

QString labs()
{
    return QStringLiteral(ALABOS_TESTS_DIR "/labs");
}

QStringList messages(const QList<LabProblem> &problems)
{
    QStringList out;
    for (const LabProblem &p : problems)
        out << p.toString();
    return out;
}

// "alabos --check-lab FILE": exit code, stdout, stderr.
struct Checked
{
    int code = -1;
    QString out, err;
};
Checked checkLab(const QString &path)
{
    Checked c;
    const QString bin = qEnvironmentVariable("ALABOS_BIN");
    if (bin.isEmpty()) return c;
    QProcess p;
    p.start(bin, {QStringLiteral("--check-lab"), path});
    if (!p.waitForFinished(30000)) return c;
    c.code = p.exitCode();
    c.out = QString::fromUtf8(p.readAllStandardOutput());
    c.err = QString::fromUtf8(p.readAllStandardError());
    return c;
}

QSet<QString> keys(const QJsonObject &properties)
{
    const QStringList k = properties.keys();
    return {k.begin(), k.end()};
}

} // namespace

class TstLabFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void brokenLabFilesNameThePathAndTheReason_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        QFile manifest(labs() + QStringLiteral("/broken/expected.tsv"));
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        int rows = 0;
        for (const QByteArray &line : manifest.readAll().split('\n')) {
            if (line.trimmed().isEmpty()) continue;
            const QList<QByteArray> parts = line.split('\t');
            QCOMPARE(parts.size(), 2);
            QTest::newRow(parts[0].constData())
                << labs() + QStringLiteral("/broken/") + QString::fromUtf8(parts[0])
                << QString::fromUtf8(parts[1]);
            ++rows;
        }
        QVERIFY(rows >= 20);
        // Every broken file has its expectation, and every expectation its file.
        QCOMPARE(
            QDir(labs() + QStringLiteral("/broken")).entryList({QStringLiteral("*.json")}).size(),
            rows);
    }
    void brokenLabFilesNameThePathAndTheReason()
    {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        QList<LabProblem> problems;
        QVERIFY(!LabFile::load(file, &problems));
        QVERIFY(!problems.isEmpty());
        const QString all = messages(problems).join(u'\n');
        QVERIFY2(all.contains(expected), qPrintable(all));
        const Checked c = checkLab(file);
        if (c.code == -1) QSKIP("ALABOS_BIN not set (run through ctest)");
        QCOMPARE(c.code, 2);
        QVERIFY2(c.err.contains(file + QStringLiteral(": ") + expected), qPrintable(c.err));
        // One line per problem, the same as the parser's.
        QCOMPARE(c.err.trimmed().split(u'\n').size(), problems.size());
    }

    void everyProblemIsListedNotOnlyTheFirst()
    {
        QList<LabProblem> problems;
        QVERIFY(
            !LabFile::load(labs() + QStringLiteral("/broken/29-three-problems.json"), &problems));
        QCOMPARE(
            messages(problems),
            (QStringList{QStringLiteral("devices[1].id: \"a\" is already the id of devices[0]"),
                         QStringLiteral("devices[2].register_map: is missing (or give "
                                        "\"register_map_file\")"),
                         QStringLiteral("positions[0].device: names \"zz\", which is not a "
                                        "device of this lab")}));
    }

    void filesThatCannotBeReadSaySo()
    {
        QList<LabProblem> problems;
        QVERIFY(!LabFile::load(QStringLiteral("/nonexistent/lab.json"), &problems));
        QVERIFY(problems.value(0).reason.contains(QStringLiteral("does not exist")));
        problems.clear();
        QVERIFY(!LabFile::load(labs(), &problems));
        QVERIFY(problems.value(0).reason.contains(QStringLiteral("is a folder")));
        problems.clear();
        QVERIFY(!LabFile::parse(QByteArray(LabFile::kMaxFileBytes + 1, ' '), {}, &problems));
        QVERIFY(problems.value(0).reason.contains(QStringLiteral("larger than 16 MB")));
        problems.clear();
        QVERIFY(!LabFile::parse("{\"alabos_lab\": 1,\n \"devices\": [}", {}, &problems));
        QVERIFY2(problems.value(0).reason.contains(QStringLiteral("line:column 2:")),
                 qPrintable(problems.value(0).reason));
    }

    void aGoodFileOfEveryKindLoadsAndRoundTrips()
    {
        QList<LabProblem> problems;
        const auto lab = LabFile::load(labs() + QStringLiteral("/good-every-kind.json"), &problems);
        QVERIFY2(lab, qPrintable(messages(problems).join(u'\n')));
        QCOMPARE(lab->devices.size(), 4);
        QCOMPARE(lab->device(QStringLiteral("furnace-1"))->host, QStringLiteral("bench-pc-1"));
        QVERIFY(!lab->device(QStringLiteral("furnace-1"))
                     ->config.contains(QStringLiteral("driver_host")));
        QCOMPARE(lab->device(QStringLiteral("tube-1"))->driver, QStringLiteral("process"));
        QStringList names;
        for (const LabPosition &p : lab->positions)
            names << p.name + u'@' + p.parent + u'@' + p.device;
        QCOMPARE(names, (QStringList{QStringLiteral("rack@@"), QStringLiteral("rack/1@rack@"),
                                     QStringLiteral("rack/2@rack@"), QStringLiteral("rack/3@rack@"),
                                     QStringLiteral("furnace-1/tray@furnace-1@furnace-1")}));
        const auto again =
            LabFile::parse(QJsonDocument(lab->toJson()).toJson(), lab->directory, &problems);
        QVERIFY2(again, qPrintable(messages(problems).join(u'\n')));
        QCOMPARE(again->devices, lab->devices);
        QCOMPARE(again->positions, lab->positions);
        QCOMPARE(again->name, lab->name);

        const Checked c = checkLab(labs() + QStringLiteral("/good-every-kind.json"));
        if (c.code == -1) QSKIP("ALABOS_BIN not set (run through ctest)");
        QCOMPARE(c.code, 0);
        QVERIFY2(c.out.contains(QStringLiteral("lab OK: 4 devices (modbus 1, process 1, scpi 1, "
                                               "simulated 1), 5 positions")),
                 qPrintable(c.out + c.err));
    }

    void theShippedExampleLabsAreGood()
    {
        for (const char *name : {"bench.json", "instruments.json"}) {
            QList<LabProblem> problems;
            QVERIFY2(LabFile::load(QStringLiteral(ALABOS_EXAMPLES_DIR "/labs/") +
                                       QLatin1StringView(name),
                                   &problems),
                     qPrintable(messages(problems).join(u'\n')));
        }
    }

    void everyDriverKindHasASettingsFormItsFactoryAccepts()
    {
        for (const QString &kind : DriverRegistry::instance().kinds()) {
            QString error;
            const auto form =
                FormDefinition::fromJson(DriverRegistry::instance().settingsForm(kind), &error);
            QVERIFY2(form, qPrintable(kind + QStringLiteral(": ") + error));
            // Every field of the form is a setting the kind knows: a config naming only the
            // form's fields is never refused as "unknown".
            QJsonObject config{{QStringLiteral("id"), QStringLiteral("x")},
                               {QStringLiteral("type"), QStringLiteral("t")},
                               {QStringLiteral("driver"), kind}};
            for (const FieldDefinition &f : form->fields) {
                config.insert(f.name, f.type == FieldDefinition::Type::String
                                          ? QJsonValue(QStringLiteral("x"))
                                          : QJsonValue(f.min.value_or(1)));
                const QString problem = DriverRegistry::instance().check(config, DriverContext{});
                QVERIFY2(!problem.contains(QStringLiteral("\"%1\" is unknown").arg(f.name)),
                         qPrintable(problem));
            }
        }
    }

    void theSchemaNamesExactlyTheKeysTheParserAccepts()
    {
        QFile file(QStringLiteral(ALABOS_SOURCE_DIR "/resources/lab/lab.schema.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonParseError error;
        const QJsonObject schema = QJsonDocument::fromJson(file.readAll(), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QStringList top = LabFile::topLevelKeys();
        QCOMPARE(keys(schema.value(QLatin1StringView("properties")).toObject()),
                 QSet<QString>(top.begin(), top.end()));
        const QJsonObject defs = schema.value(QLatin1StringView("$defs")).toObject();
        const QStringList device = LabFile::deviceKeys();
        QCOMPARE(keys(defs.value(QLatin1StringView("device"))
                          .toObject()
                          .value(QLatin1StringView("properties"))
                          .toObject()),
                 QSet<QString>(device.begin(), device.end()));
        const QStringList position = LabFile::positionKeys();
        QCOMPARE(keys(defs.value(QLatin1StringView("position"))
                          .toObject()
                          .value(QLatin1StringView("properties"))
                          .toObject()),
                 QSet<QString>(position.begin(), position.end()));
        // Each driver kind's schema accepts the common keys and is closed to others.
        for (const char *kind : {"simulated", "modbus", "scpi", "process"}) {
            const QJsonObject k = defs.value(QLatin1StringView(kind)).toObject();
            QVERIFY2(k.value(QLatin1StringView("additionalProperties")) == QJsonValue(false), kind);
            for (const QString &common : device)
                QVERIFY2(
                    k.value(QLatin1StringView("properties")).toObject().contains(common),
                    qPrintable(QStringLiteral("%1 lacks %2").arg(QLatin1StringView(kind), common)));
        }
        // What the binary prints is that file.
        const QString bin = qEnvironmentVariable("ALABOS_BIN");
        if (bin.isEmpty()) return;
        QProcess p;
        p.start(bin, {QStringLiteral("--print-lab-schema")});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(QJsonDocument::fromJson(p.readAllStandardOutput()).object(), schema);
    }
};

QTEST_GUILESS_MAIN(TstLabFile)
#include "tst_labfile.moc"
