#include "core/domain/types.h"

#include <QJsonArray>
#include <QTest>

using namespace alabos;

class TstDomain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
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
        DeviceState d{QStringLiteral("xrd-1"), QStringLiteral("xrd"), DeviceStatus::Maintenance, 5, 10, 99};
        const auto back = DeviceState::fromJson(d.toJson());
        QVERIFY(back);
        QCOMPARE(*back, d);
    }

    void badPayloadsNameTheField_data()
    {
        QTest::addColumn<QJsonObject>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("status unknown")
            << QJsonObject{{QStringLiteral("id"), 1}, {QStringLiteral("name"), QStringLiteral("x")},
                           {QStringLiteral("status"), QStringLiteral("exploded")}}
            << QStringLiteral("task: field \"status\" has unknown value \"exploded\"");
        QTest::newRow("id not a number")
            << QJsonObject{{QStringLiteral("id"), QStringLiteral("abc")},
                           {QStringLiteral("name"), QStringLiteral("x")},
                           {QStringLiteral("status"), QStringLiteral("ready")}}
            << QStringLiteral("task: field \"id\" must be a number");
        QTest::newRow("samples wrong")
            << QJsonObject{{QStringLiteral("id"), 1}, {QStringLiteral("name"), QStringLiteral("x")},
                           {QStringLiteral("status"), QStringLiteral("ready")},
                           {QStringLiteral("samples"), QJsonArray{QStringLiteral("a")}}}
            << QStringLiteral("task: field \"samples\" must be an array of numbers");
        QTest::newRow("name missing")
            << QJsonObject{{QStringLiteral("id"), 1}, {QStringLiteral("status"), QStringLiteral("ready")}}
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

    void changeSetCarriesOneEventPerChange()
    {
        ChangeSet c;
        c.task(TaskState{}, QStringLiteral("task.created"));
        c.device(DeviceState{QStringLiteral("d"), QStringLiteral("t")}, QStringLiteral("device.status"));
        QCOMPARE(c.events.size(), 2);
        QCOMPARE(c.events[0].entityType, QStringLiteral("task"));
        QCOMPARE(c.events[1].entityId, QStringLiteral("d"));
        QCOMPARE(c.events[1].payload.value(QStringLiteral("status")).toString(), QStringLiteral("offline"));
    }
};

QTEST_GUILESS_MAIN(TstDomain)
#include "tst_domain.moc"
