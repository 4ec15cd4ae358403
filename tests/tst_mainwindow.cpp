#include "ui/devicetablemodel.h"
#include "ui/mainwindow.h"
#include "ui/tasktablemodel.h"

#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <QTest>

using namespace alabos;

namespace {
FeedUpdate fleet(int n, DeviceStatus status)
{
    FeedUpdate u;
    u.reset = true;
    for (int i = 0; i < n; ++i)
        u.devices.append({QStringLiteral("furnace-%1").arg(i, 5, 10, QLatin1Char('0')), QStringLiteral("box_furnace"), status, 0, 0, nowMicros()});
    return u;
}
} // namespace

class TstMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsTheFleetAndCoalescesUpdates()
    {
        registerMetaTypes();
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.applyFeed(fleet(2000, DeviceStatus::Idle));
        QCOMPARE(w.deviceModel()->rowCount(), 2000);

        QSignalSpy changed(w.deviceModel(), &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(w.deviceModel(), &QAbstractItemModel::rowsInserted);
        FeedUpdate batch;
        for (int i = 100; i < 600; ++i)
            batch.devices.append({QStringLiteral("furnace-%1").arg(i, 5, 10, QLatin1Char('0')), QStringLiteral("box_furnace"), DeviceStatus::Busy, i, 1, nowMicros()});
        batch.devices.append({QStringLiteral("xrd-new"), QStringLiteral("xrd"), DeviceStatus::Idle, 0, 0, nowMicros()});
        w.applyFeed(batch);
        QCOMPARE(changed.size(), 1); // 500 changed devices, one range
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 100);
        QCOMPARE(changed.first().at(1).toModelIndex().row(), 599);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(w.deviceModel()->rowCount(), 2001);
        QCOMPARE(w.deviceModel()->countsByStatus().value(DeviceStatus::Busy), 500);
        const auto summary = w.findChildren<QLabel *>();
        bool found = false;
        for (QLabel *l : summary)
            found |= l->text().contains(QStringLiteral("2001 devices"));
        QVERIFY(found);

        // Filtering by text narrows the table.
        auto *view = w.findChild<QTableView *>(QStringLiteral("deviceTable"));
        QVERIFY(view);
        auto *filter = w.findChild<QLineEdit *>(QStringLiteral("deviceFilter"));
        QVERIFY(filter);
        filter->setText(QStringLiteral("xrd-new"));
        QCOMPARE(view->model()->rowCount(), 1);
        filter->clear();
        QCOMPARE(view->model()->rowCount(), 2001);
    }

    void taskModelKeepsActiveAndTrimsFinished()
    {
        TaskTableModel model(100);
        FeedUpdate u;
        for (int i = 1; i <= 300; ++i) {
            TaskState t;
            t.id = i;
            t.name = QStringLiteral("step");
            t.status = i <= 250 ? TaskStatus::Completed : TaskStatus::Running;
            t.startedUs = nowMicros();
            u.tasks.append(t);
        }
        model.apply(u);
        QCOMPARE(model.rowCount(), 150); // 100 newest finished + 50 running
        QCOMPARE(model.task(0).id, qint64(151));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.tick();
        QCOMPARE(changed.size(), 1);
    }

    void statusBarShowsOutages()
    {
        MainWindow w;
        w.setDatabaseState(false, QStringLiteral("connection refused"));
        w.setBrokerState(false, QStringLiteral("no acks"));
        FeedStats s;
        s.lag = 1234;
        w.setFeedStats(s);
        QStringList texts;
        for (QLabel *l : w.statusBar()->findChildren<QLabel *>())
            texts << l->text();
        const QString all = texts.join(u'|');
        QVERIFY2(all.contains(QStringLiteral("Database unreachable")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("Kafka unreachable")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("1234")), qPrintable(all));
    }
};

QTEST_MAIN(TstMainWindow)
#include "tst_mainwindow.moc"
