// The event log panel: the live tail, its filters and cap, pause and resume, and older
// events of one entity from a real PostgreSQL.
#include "core/storage/databasereader.h"
#include "tests/support/testdatabase.h"
#include "ui/consoleservices.h"
#include "ui/eventlogpanel.h"
#include "ui/labmodels.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace alabos;

namespace {
Event event(EventId id, const char *type, const QString &entityId, const QString &kind)
{
    QJsonObject payload{{QStringLiteral("status"), QStringLiteral("busy")},
                        {QStringLiteral("name"), QStringLiteral("heat")}};
    return Event{id, QString::fromLatin1(type), entityId, kind, id * 1000, payload};
}

FeedUpdate batch(EventId first, int count)
{
    FeedUpdate u;
    for (int i = 0; i < count; ++i) {
        const EventId id = first + i;
        u.events.append(
            id % 2 ? event(id, entity::Device, QStringLiteral("furnace-%1").arg(id % 7),
                           QStringLiteral("device.status"))
                   : event(id, entity::Task, QString::number(id), QStringLiteral("task.started")));
    }
    return u;
}
} // namespace

class TstEventLog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { registerMetaTypes(); }

    void liveTailFiltersAndCap()
    {
        LabModels models;
        ConsoleServices services;
        EventLogPanel panel(&models, &services);
        panel.resize(1000, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy inserted(panel.model(), &QAbstractItemModel::rowsInserted);

        models.apply(batch(1, 10));
        QCOMPARE(panel.model()->rowCount(), 10);
        QCOMPARE(inserted.size(), 1); // one insertion per batch
        QCOMPARE(panel.model()->row(0).id, 1);
        QCOMPARE(panel.model()->row(0).detail, QStringLiteral("busy")); // a device's status
        QCOMPARE(panel.model()->row(1).detail, QStringLiteral("heat, busy"));

        auto *type = panel.findChild<QComboBox *>(QStringLiteral("eventTypeFilter"));
        auto *kind = panel.findChild<QComboBox *>(QStringLiteral("eventKindFilter"));
        auto *text = panel.findChild<QLineEdit *>(QStringLiteral("eventEntityFilter"));
        auto *view = panel.findChild<QTableView *>(QStringLiteral("eventLogTable"));
        QVERIFY(type && kind && text && view);
        type->setCurrentIndex(type->findData(QStringLiteral("device")));
        QCOMPARE(view->model()->rowCount(), 5);
        type->setCurrentIndex(0);
        // Kinds appear in the filter as they are seen, sorted.
        QCOMPARE(kind->count(), 3);
        QCOMPARE(kind->itemText(1), QStringLiteral("device.status"));
        kind->setCurrentIndex(kind->findData(QStringLiteral("task.started")));
        QCOMPARE(view->model()->rowCount(), 5);
        kind->setCurrentIndex(0);
        text->setText(QStringLiteral("FURNACE-3")); // any case, part of the id
        QCOMPARE(view->model()->rowCount(), 1);     // event 3 only
        text->clear();
        QCOMPARE(view->model()->rowCount(), 10);

        // New rows arrive through the filter too.
        type->setCurrentIndex(type->findData(QStringLiteral("task")));
        models.apply(batch(11, 10));
        QCOMPARE(view->model()->rowCount(), 10);
        type->setCurrentIndex(0);

        // Capped at 20,000: the oldest go, one insertion per batch.
        inserted.clear();
        for (int b = 0; b < 13; ++b)
            models.apply(batch(21 + b * 2000, 2000));
        QCOMPARE(inserted.size(), 13);
        QCOMPARE(panel.model()->rowCount(), 20000);
        QCOMPARE(panel.model()->row(0).id, 21 + 26000 - 20000);
        QCOMPARE(panel.model()->row(19999).id, 21 + 26000 - 1);
        // The view followed the tail.
        QTRY_COMPARE(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum());
        QVERIFY(view->verticalScrollBar()->maximum() > 0);
    }

    void pauseHoldsNewEventsUntilResume()
    {
        LabModels models;
        ConsoleServices services;
        EventLogPanel panel(&models, &services);
        models.apply(batch(1, 5));
        auto *pause = panel.findChild<QPushButton *>(QStringLiteral("eventPause"));
        pause->click();
        QVERIFY(panel.isPaused());
        QCOMPARE(pause->text(), QStringLiteral("Resume"));
        models.apply(batch(6, 5));
        models.apply(batch(11, 5));
        QCOMPARE(panel.model()->rowCount(), 5); // frozen
        auto *status = panel.findChild<QLabel *>(QStringLiteral("eventLogStatus"));
        QVERIFY2(status->text().contains(QStringLiteral("10 new events waiting")),
                 qPrintable(status->text()));
        QSignalSpy inserted(panel.model(), &QAbstractItemModel::rowsInserted);
        pause->click();
        QVERIFY(!panel.isPaused());
        QCOMPARE(panel.model()->rowCount(), 15);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(panel.model()->row(14).id, 15);
    }

    void olderEventsOfOneEntityFromTheDatabase()
    {
        const QString conn = test::TestDatabase::instance().createDatabase();
        QVERIFY(!conn.isEmpty());
        // Five events of device d-1, one of a sample that happens to share the id, and
        // noise: the panel asks for the last 3 of the device.
        test::queryValue(
            conn, QStringLiteral(
                      "INSERT INTO events (entity_type, entity_id, kind, payload, created_at) "
                      "SELECT 'device', 'd-1', 'device.status', jsonb_build_object('status', "
                      "'busy', 'n', g), "
                      "       now() - (10 - g) * interval '1 second' FROM generate_series(1, 5) g;"
                      "INSERT INTO events (entity_type, entity_id, kind, payload) VALUES "
                      "  ('sample', 'd-1', 'sample.moved', '{\"position\": \"x/1\"}'),"
                      "  ('device', 'd-2', 'device.status', '{}') RETURNING 1"));
        DatabaseReader reader({conn});
        LabModels models;
        ConsoleServices services;
        services.reader = &reader;
        EventLogPanel panel(&models, &services);
        QSignalSpy loaded(&panel, &EventLogPanel::historyLoaded);
        panel.loadHistory(QStringLiteral("device"), QStringLiteral("d-1"), 3);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 10000);
        QCOMPARE(loaded.first().at(1).toString(), QString());
        QCOMPARE(loaded.first().at(0).toInt(), 3);
        EventLogModel *history = panel.historyModel();
        QCOMPARE(history->rowCount(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(history->row(i).entityType, QStringLiteral("device"));
            QCOMPARE(history->row(i).entityId, QStringLiteral("d-1"));
        }
        // Oldest first, ending with the newest: ids 3, 4, 5 of the five.
        QVERIFY(history->row(0).id < history->row(1).id && history->row(1).id < history->row(2).id);
        QCOMPARE(history->row(2).id, 5);
        auto *title = panel.findChild<QLabel *>(QStringLiteral("eventHistoryTitle"));
        QVERIFY(title->text().contains(QStringLiteral("d-1")));

        // The sample with the same id is a different entity.
        loaded.clear();
        panel.loadHistory(QStringLiteral("sample"), QStringLiteral("d-1"), 10);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 10000);
        QCOMPARE(history->rowCount(), 1);
        QCOMPARE(history->row(0).detail, QStringLiteral("x/1"));
    }
};

QTEST_MAIN(TstEventLog)
#include "tst_eventlog.moc"
