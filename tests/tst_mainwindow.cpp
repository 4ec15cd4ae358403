#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/devicespanel.h"
#include "ui/devicetablemodel.h"
#include "ui/labmodels.h"
#include "ui/promptspanel.h"
#include "ui/taskspanel.h"
#include "ui/mainwindow.h"
#include "ui/tasktablemodel.h"

#include <QComboBox>
#include <QLabel>
#include <QListView>
#include <QPushButton>
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
        LabModels models;
        ConsoleSession session;
        ConsoleServices services;
        MainWindow w(&models, &session, &services);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        models.apply(fleet(2000, DeviceStatus::Idle));
        QCOMPARE(models.devices()->rowCount(), 2000);

        QSignalSpy changed(models.devices(), &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(models.devices(), &QAbstractItemModel::rowsInserted);
        FeedUpdate batch;
        for (int i = 100; i < 600; ++i)
            batch.devices.append({QStringLiteral("furnace-%1").arg(i, 5, 10, QLatin1Char('0')), QStringLiteral("box_furnace"), DeviceStatus::Busy, i, 1, nowMicros()});
        batch.devices.append({QStringLiteral("xrd-new"), QStringLiteral("xrd"), DeviceStatus::Idle, 0, 0, nowMicros()});
        models.apply(batch);
        QCOMPARE(changed.size(), 1); // 500 changed devices, one range
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 100);
        QCOMPARE(changed.first().at(1).toModelIndex().row(), 599);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(models.devices()->rowCount(), 2001);
        QCOMPARE(models.devices()->countsByStatus().value(DeviceStatus::Busy), 500);
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

        // Type and status filters, and the tile grid shows the same filtered rows.
        auto *status = w.findChild<QComboBox *>(QStringLiteral("deviceStatusFilter"));
        status->setCurrentIndex(status->findData(int(DeviceStatus::Busy)));
        QCOMPARE(view->model()->rowCount(), 500);
        w.devicesPanel()->showTiles(true);
        QCOMPARE(w.devicesPanel()->tileView()->model()->rowCount(), 500);
        auto *type = w.findChild<QComboBox *>(QStringLiteral("deviceTypeFilter"));
        QVERIFY(type->findData(QStringLiteral("xrd")) > 0);
        status->setCurrentIndex(0);
        type->setCurrentIndex(type->findData(QStringLiteral("xrd")));
        QCOMPARE(view->model()->rowCount(), 1);
    }

    void roleGatesTaskActions()
    {
        LabModels models;
        ConsoleSession session;
        ConsoleServices services;
        MainWindow w(&models, &session, &services);
        FeedUpdate u;
        u.reset = true;
        TaskState t;
        t.id = 1;
        t.name = QStringLiteral("fire");
        t.status = TaskStatus::Running;
        u.tasks.append(t);
        models.apply(u);
        QTableView *view = w.tasksPanel()->view();
        view->selectRow(0);
        auto button = [&](const QString &text) {
            for (QPushButton *b : w.tasksPanel()->findChildren<QPushButton *>())
                if (b->text() == text)
                    return b;
            return static_cast<QPushButton *>(nullptr);
        };
        session.setIdentity(QStringLiteral("tina"), Role::Technician);
        QVERIFY(!button(QStringLiteral("Hold"))->isEnabled());
        session.setIdentity(QStringLiteral("olga"), Role::Operator);
        QVERIFY(button(QStringLiteral("Hold"))->isEnabled());
        QSignalSpy issued(&session, &ConsoleSession::commandIssued);
        button(QStringLiteral("Hold"))->click();
        QCOMPARE(issued.size(), 1);
        const auto command = issued.first().at(0).value<OperatorCommand>();
        QCOMPARE(command.kind, QStringLiteral("task.hold"));
        QCOMPARE(command.entityId, QStringLiteral("1"));
        QCOMPARE(command.user, QStringLiteral("olga"));
        QVERIFY(!command.host.isEmpty());
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

    void promptsPanelShowsAndAnswers()
    {
        LabModels models;
        ConsoleSession session;
        PromptsPanel panel(&models, &session);
        QSignalSpy changed(&panel, &PromptsPanel::openPromptsChanged);
        FeedUpdate u;
        PromptState p;
        p.id = 12;
        p.taskId = 40;
        p.deviceId = QStringLiteral("furnace-2");
        p.message = QStringLiteral("Load tray 3 into furnace 2");
        p.options = {QStringLiteral("done"), QStringLiteral("abort")};
        p.createdUs = nowMicros();
        u.prompts.append(p);
        models.apply(u);
        QCOMPARE(panel.openCount(), 1);
        QCOMPARE(changed.last().at(0).toInt(), 1);
        QVERIFY(changed.last().at(1).toBool()); // a new one: the window is alerted
        auto done = [&] {
            for (QPushButton *b : panel.findChildren<QPushButton *>())
                if (b->text() == QStringLiteral("done"))
                    return b;
            return static_cast<QPushButton *>(nullptr);
        };
        QVERIFY(done());
        QVERIFY(!done()->isEnabled()); // not signed in
        session.setIdentity(QStringLiteral("olga"), Role::Operator);
        QVERIFY(done()->isEnabled());
        panel.findChild<QLineEdit *>()->setText(QStringLiteral("tray was warm"));
        QSignalSpy issued(&session, &ConsoleSession::commandIssued);
        done()->click();
        QCOMPARE(issued.size(), 1);
        const auto c = issued.first().at(0).value<OperatorCommand>();
        QCOMPARE(c.kind, QStringLiteral("prompt.answer"));
        QCOMPARE(c.entityId, QStringLiteral("12"));
        QCOMPARE(c.args.value(QStringLiteral("option")).toString(), QStringLiteral("done"));
        QCOMPARE(c.args.value(QStringLiteral("note")).toString(), QStringLiteral("tray was warm"));
        // Answered elsewhere: it leaves.
        p.status = QStringLiteral("answered");
        FeedUpdate answered;
        answered.prompts.append(p);
        models.apply(answered);
        QCOMPARE(panel.openCount(), 0);
    }

    void statusBarShowsOutages()
    {
        LabModels models;
        ConsoleSession session;
        ConsoleServices services;
        MainWindow w(&models, &session, &services);
        w.setDatabaseState(false, QStringLiteral("connection refused"));
        w.setBrokerState(false, QStringLiteral("no acks"));
        FeedStats s;
        s.lag = 1234;
        models.setFeedStats(s);
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
