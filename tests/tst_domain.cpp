#include "core/domain/commands.h"
#include "core/domain/csv.h"
#include "core/domain/eventkinds.h"
#include "core/domain/types.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

using namespace alabos;

class TstDomain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void csvCellsAreQuotedAndNeverRunAsFormulas()
    {
        QCOMPARE(csvCell(QStringLiteral("furnace-1")), QStringLiteral("furnace-1"));
        QCOMPARE(csvCell(QStringLiteral("a,b")), QStringLiteral("\"a,b\""));
        QCOMPARE(csvCell(QStringLiteral("say \"hi\"")), QStringLiteral("\"say \"\"hi\"\"\""));
        QCOMPARE(csvCell(QStringLiteral("two\nlines")), QStringLiteral("\"two\nlines\""));
        for (const QString &formula :
             {QStringLiteral("=cmd|' /C calc'!A0"), QStringLiteral("+1+1"), QStringLiteral("-2+3"),
              QStringLiteral("@SUM(A1)"), QStringLiteral("\t=1"), QStringLiteral("\r=1")})
            QVERIFY2(csvCell(formula).startsWith(u'\'') ||
                         csvCell(formula).startsWith(QStringLiteral("\"'")),
                     qPrintable(csvCell(formula)));
        QCOMPARE(csvCell(QString()), QString());
    }

    void taskRoundTrip()
    {
        TaskState t;
        t.id = 42;
        t.workflowId = 7;
        t.name = QStringLiteral("fire");
        t.deviceType = QStringLiteral("box_furnace");
        t.deviceId = QStringLiteral("furnace-2");
        t.status = TaskStatus::Running;
        t.priority = 80;
        t.attempts = 2;
        t.samples = {1, 2, 3};
        t.parameters = {{QStringLiteral("temperature_c"), 900}};
        t.createdUs = 1;
        t.startedUs = 2;
        const auto back = TaskState::fromJson(t.toJson());
        QVERIFY(back);
        QCOMPARE(*back, t);
    }

    void deviceRoundTrip()
    {
        DeviceState d{
            QStringLiteral("xrd-1"), QStringLiteral("xrd"), DeviceStatus::Maintenance, 5, 10, 99};
        const auto back = DeviceState::fromJson(d.toJson());
        QVERIFY(back);
        QCOMPARE(*back, d);
    }

    void badPayloadsNameTheField_data()
    {
        QTest::addColumn<QJsonObject>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("status unknown")
            << QJsonObject{{QStringLiteral("id"), 1},
                           {QStringLiteral("name"), QStringLiteral("x")},
                           {QStringLiteral("status"), QStringLiteral("exploded")}}
            << QStringLiteral("task: field \"status\" has unknown value \"exploded\"");
        QTest::newRow("id not a number")
            << QJsonObject{{QStringLiteral("id"), QStringLiteral("abc")},
                           {QStringLiteral("name"), QStringLiteral("x")},
                           {QStringLiteral("status"), QStringLiteral("ready")}}
            << QStringLiteral("task: field \"id\" must be a number");
        QTest::newRow("samples wrong")
            << QJsonObject{{QStringLiteral("id"), 1},
                           {QStringLiteral("name"), QStringLiteral("x")},
                           {QStringLiteral("status"), QStringLiteral("ready")},
                           {QStringLiteral("samples"), QJsonArray{QStringLiteral("a")}}}
            << QStringLiteral("task: field \"samples\" must be an array of numbers");
        QTest::newRow("name missing")
            << QJsonObject{{QStringLiteral("id"), 1},
                           {QStringLiteral("status"), QStringLiteral("ready")}}
            << QStringLiteral("task: field \"name\" must be a string");
    }
    void badPayloadsNameTheField()
    {
        QFETCH(QJsonObject, json);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!TaskState::fromJson(json, &error));
        QCOMPARE(error, expected);
    }

    void everyCommandTextIsBoundedBeforeAnyHandlerSeesIt()
    {
        OperatorCommand c;
        c.kind = QStringLiteral("device.pause");
        c.entityId = QStringLiteral("balance-1");
        c.args = QJsonObject{{QStringLiteral("note"), QStringLiteral("line one\n\tline two")}};
        QCOMPARE(c.limitsError(), QString());

        OperatorCommand longId = c;
        longId.entityId = QString(OperatorCommand::kMaxEntityIdLength + 1, u'x');
        QVERIFY2(longId.limitsError().contains(QStringLiteral("entity id is 201 characters")),
                 qPrintable(longId.limitsError()));
        OperatorCommand controlId = c;
        controlId.entityId = QStringLiteral("bal\x1b[2Jance");
        QVERIFY(controlId.limitsError().contains(QStringLiteral("control character")));

        OperatorCommand longText = c;
        longText.args = QJsonObject{
            {QStringLiteral("deep"),
             QJsonArray{QJsonObject{
                 {QStringLiteral("note"), QString(OperatorCommand::kMaxTextLength + 1, u'a')}}}}};
        QVERIFY2(
            longText.limitsError().contains(QStringLiteral("args.deep[0].note is 4001 characters")),
            qPrintable(longText.limitsError()));
        OperatorCommand nul = c;
        nul.args =
            QJsonObject{{QStringLiteral("note"), QString(QStringLiteral("a")) + QChar(0) + u'b'}};
        QVERIFY2(nul.limitsError().contains(QStringLiteral("(U+0000) at position 2")),
                 qPrintable(nul.limitsError()));

        OperatorCommand big = c;
        QJsonArray many;
        for (int i = 0; i < 200; ++i)
            many.append(QString(3000, u'b'));
        big.args = QJsonObject{{QStringLiteral("many"), many}};
        QVERIFY2(big.limitsError().contains(QStringLiteral("at most 512 KiB")),
                 qPrintable(big.limitsError()));

        OperatorCommand deep = c;
        QJsonValue nested = QStringLiteral("x");
        for (int i = 0; i < OperatorCommand::kMaxArgsDepth + 2; ++i)
            nested = QJsonArray{nested};
        deep.args = QJsonObject{{QStringLiteral("n"), nested}};
        QVERIFY2(deep.limitsError().contains(QStringLiteral("nested more than 16")),
                 qPrintable(deep.limitsError()));
    }

    void transitions()
    {
        QVERIFY(isAllowedTransition(TaskStatus::Waiting, TaskStatus::Ready));
        QVERIFY(isAllowedTransition(TaskStatus::Ready, TaskStatus::Running));
        QVERIFY(isAllowedTransition(TaskStatus::Running, TaskStatus::Completed));
        QVERIFY(isAllowedTransition(TaskStatus::Running, TaskStatus::Failed));
        QVERIFY(isAllowedTransition(TaskStatus::Waiting, TaskStatus::Cancelled));
        QVERIFY(!isAllowedTransition(TaskStatus::Waiting, TaskStatus::Running));
        QVERIFY(!isAllowedTransition(TaskStatus::Completed, TaskStatus::Running));
        QVERIFY(!isAllowedTransition(TaskStatus::Cancelled, TaskStatus::Ready));
        QVERIFY(isAllowedTransition(TaskStatus::Failed, TaskStatus::Ready)); // retry
    }

    void documentedEventKindsAreTheKindsTheCodeWrites()
    {
        QFile doc(QStringLiteral(ALABOS_SOURCE_DIR "/docs/events.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(doc.readAll());
        const qsizetype from = text.indexOf(QStringLiteral("### Event kinds"));
        QVERIFY(from >= 0);
        const qsizetype to = text.indexOf(QStringLiteral("\n#"), from + 4);
        const QString section = text.mid(from, to < 0 ? -1 : to - from);
        QStringList documented;
        static const QRegularExpression row(QStringLiteral("^\\| `([a-z_.]+)` \\|"),
                                            QRegularExpression::MultilineOption);
        for (auto it = row.globalMatch(section); it.hasNext();)
            documented << it.next().captured(1);
        QStringList code = eventkind::all();
        QCOMPARE(documented.size(), QSet<QString>(documented.begin(), documented.end()).size());
        documented.sort();
        code.sort();
        QCOMPARE(documented, code);
    }

    void documentedCommandKindsAreThePermissionTable()
    {
        QFile doc(QStringLiteral(ALABOS_SOURCE_DIR "/SECURITY.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(doc.readAll());
        const qsizetype from = text.indexOf(QStringLiteral("## Command kinds"));
        QVERIFY(from >= 0);
        const qsizetype to = text.indexOf(QStringLiteral("\n#"), from + 4);
        const QString section = text.mid(from, to < 0 ? -1 : to - from);
        static const QRegularExpression row(QStringLiteral("^\\| `([a-z_.]+)` \\| `([a-z_]+)`"),
                                            QRegularExpression::MultilineOption);
        QStringList documented;
        for (auto it = row.globalMatch(section); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            documented << m.captured(1);
            QCOMPARE(m.captured(2), OperatorCommand::requiredPermission(m.captured(1)));
        }
        documented.sort();
        QCOMPARE(documented, OperatorCommand::kinds());
    }

    void changeSetCarriesOneEventPerChange()
    {
        ChangeSet c;
        c.task(TaskState{}, QStringLiteral("task.created"));
        c.device(DeviceState{QStringLiteral("d"), QStringLiteral("t")},
                 QStringLiteral("device.status"));
        QCOMPARE(c.events.size(), 2);
        QCOMPARE(c.events[0].entityType, QStringLiteral("task"));
        QCOMPARE(c.events[1].entityId, QStringLiteral("d"));
        QCOMPARE(c.events[1].payload.value(QStringLiteral("status")).toString(),
                 QStringLiteral("offline"));
    }
};

QTEST_GUILESS_MAIN(TstDomain)
#include "tst_domain.moc"
