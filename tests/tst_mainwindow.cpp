#include "tests/support/enginelab.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/devicespanel.h"
#include "ui/devicetablemodel.h"
#include "ui/labmodels.h"
#include "ui/mainwindow.h"
#include "ui/promptspanel.h"
#include "ui/schemaform.h"
#include "ui/taskspanel.h"
#include "ui/tasktablemodel.h"
#include "ui/workflowspanel.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace alabos;

namespace {
FeedUpdate fleet(int n, DeviceStatus status)
{
    FeedUpdate u;
    u.reset = true;
    for (int i = 0; i < n; ++i)
        u.devices.append({QStringLiteral("furnace-%1").arg(i, 5, 10, QLatin1Char('0')),
                          QStringLiteral("box_furnace"), status, 0, 0, nowMicros()});
    return u;
}

// A workflows panel whose session talks to a real engine (EngineLab), as the console's does.
struct EngineWorkflowsPanel
{
    LabModels models;
    ConsoleSession session;
    ConsoleServices services;
    std::unique_ptr<WorkflowsPanel> panel;

    EngineWorkflowsPanel(LabEngine &engine, const QList<WorkflowTemplate> *templates)
    {
        services.workflowTemplates = [templates] { return *templates; };
        QObject::connect(&session, &ConsoleSession::commandIssued, &engine,
                         &LabEngine::handleCommand);
        QObject::connect(&engine, &LabEngine::commandReplied, &session, &ConsoleSession::onReply);
        panel = std::make_unique<WorkflowsPanel>(&models, &session, &services);
        panel->show();
    }
};
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
            batch.devices.append({QStringLiteral("furnace-%1").arg(i, 5, 10, QLatin1Char('0')),
                                  QStringLiteral("box_furnace"), DeviceStatus::Busy, i, 1,
                                  nowMicros()});
        batch.devices.append({QStringLiteral("xrd-new"), QStringLiteral("xrd"), DeviceStatus::Idle,
                              0, 0, nowMicros()});
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
                if (b->text() == text) return b;
            return static_cast<QPushButton *>(nullptr);
        };
        session.setIdentity(QStringLiteral("tina"), Role::Technician, {});
        QVERIFY(!button(QStringLiteral("Hold"))->isEnabled());
        session.setIdentity(QStringLiteral("olga"), Role::Operator, {});
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

    void importTemplateAction()
    {
        // The panel against the real engine and PostgreSQL: the session's commands go to
        // the engine, its replies come back, the template list follows what it saved.
        test::EngineLab lab(test::TestDatabase::instance().createDatabase(),
                            {{QStringLiteral("xrd-1"), QStringLiteral("xrd")},
                             {QStringLiteral("balance-1"), QStringLiteral("balance")}});
        QVERIFY(lab.start());
        QList<WorkflowTemplate> templates = shippedTemplates();
        QObject::connect(&lab.engine, &LabEngine::templateSaved, &lab.engine,
                         [&](const QJsonObject &definition) {
                             templates.append(*WorkflowTemplate::fromJson(definition, nullptr));
                         });
        EngineWorkflowsPanel harness(lab.engine, &templates);
        WorkflowsPanel &panel = *harness.panel;
        ConsoleSession &session = harness.session;
        QVERIFY(!panel.importButton()->isEnabled()); // nobody signed in
        session.setIdentity(QStringLiteral("olga"), Role::Operator, {});
        QVERIFY(!panel.importButton()->isEnabled());
        QVERIFY(panel.importButton()->toolTip().contains(QStringLiteral("operator")));
        session.setIdentity(QStringLiteral("sue"), Role::Supervisor, {});
        QVERIFY(panel.importButton()->isEnabled());

        QTemporaryDir dir;
        auto write = [&](const QString &name, const QByteArray &bytes) {
            QFile f(dir.filePath(name));
            if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size()) qFatal("write");
            return f.fileName();
        };
        // Each problem ends in a dialog that names it; nothing is saved.
        auto errorAfterImport = [&](const QString &path) -> QString {
            panel.importTemplateFile(path);
            QMessageBox *box = nullptr;
            QDeadlineTimer deadline(20000);
            while (!(box = panel.findChild<QMessageBox *>(QStringLiteral("templateImportError"))) &&
                   !deadline.hasExpired())
                QTest::qWait(10);
            if (!box) return QStringLiteral("(no error dialog)");
            const QString text = box->text();
            delete box;
            return text;
        };
        QString text = errorAfterImport(dir.filePath(QStringLiteral("missing.json")));
        QVERIFY2(text.contains(QStringLiteral("Cannot read")), qPrintable(text));
        text = errorAfterImport(write(QStringLiteral("broken.json"), "{\"name\": \"x\", "));
        QVERIFY2(text.contains(QStringLiteral("broken.json is not valid JSON")), qPrintable(text));
        text = errorAfterImport(write(QStringLiteral("list.json"), "[1, 2]"));
        QVERIFY2(text.contains(QStringLiteral("a workflow template is a JSON object")),
                 qPrintable(text));
        text = errorAfterImport(write(QStringLiteral("cycle.json"),
                                      R"({"name": "loop", "tasks": [
                 {"name": "a", "device_type": "xrd", "command": "measure", "duration_s": 5, "depends_on": ["b"]},
                 {"name": "b", "device_type": "xrd", "command": "measure", "duration_s": 5, "depends_on": ["a"]}]})"));
        QVERIFY2(
            text.contains(QStringLiteral(
                "cycle.json: workflow template loop, task a: field \"depends_on\" forms a cycle")),
            qPrintable(text));
        QVERIFY(panel.importButton()->isEnabled()); // usable again after the reply
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM workflow_templates")),
                 QStringLiteral("0"));

        // A good one: saved, listed and selected, ready to submit.
        const int before = panel.templateList()->count();
        panel.importTemplateFile(write(QStringLiteral("weigh-then-measure.json"),
                                       R"({"name": "weigh-then-measure", "tasks": [
                 {"name": "weigh", "device_type": "balance", "command": "weigh", "duration_s": 5},
                 {"name": "measure", "device_type": "xrd", "command": "measure", "duration_s": 5, "depends_on": ["weigh"]}]})"));
        QTRY_COMPARE_WITH_TIMEOUT(panel.templateList()->count(), before + 1, 20000);
        QVERIFY(panel.templateList()->currentItem()->text().startsWith(
            QStringLiteral("weigh-then-measure")));
        QVERIFY2(panel.status()->text().contains(QStringLiteral("saved")),
                 qPrintable(panel.status()->text()));
        QVERIFY(!panel.findChild<QMessageBox *>(QStringLiteral("templateImportError")));
        QCOMPARE(lab.q(QStringLiteral("SELECT created_by FROM workflow_templates WHERE name = "
                                      "'weigh-then-measure'")),
                 QStringLiteral("sue"));
    }

    void submissionFormsFollowTheParameterSchema()
    {
        // The shipped "synthesis" template lets a submission set the dose, the firing profile
        // and the XRD scans (parameter_schema); the panel offers exactly those, with their
        // defaults and limits, and the real engine accepts what the form sends.
        test::EngineLab lab(test::TestDatabase::instance().createDatabase(),
                            {{QStringLiteral("doser-1"), QStringLiteral("dosing_station")},
                             {QStringLiteral("balance-1"), QStringLiteral("balance")},
                             {QStringLiteral("robot-1"), QStringLiteral("robot_arm")},
                             {QStringLiteral("furnace-1"), QStringLiteral("box_furnace")},
                             {QStringLiteral("grinder-1"), QStringLiteral("grinder")},
                             {QStringLiteral("xrd-1"), QStringLiteral("xrd")}});
        QVERIFY(lab.start());
        const QList<WorkflowTemplate> templates = shippedTemplates();
        EngineWorkflowsPanel harness(lab.engine, &templates);
        WorkflowsPanel &panel = *harness.panel;
        ConsoleSession &session = harness.session;
        session.setIdentity(QStringLiteral("tom"), Role::Technician, {});
        int row = -1;
        for (int i = 0; i < panel.templateList()->count(); ++i)
            if (panel.templateList()->item(i)->text().startsWith(QStringLiteral("synthesis ")))
                row = i;
        QVERIFY(row >= 0);
        panel.templateList()->setCurrentRow(row);
        QStringList formNames;
        for (SchemaForm *form : panel.findChildren<SchemaForm *>())
            formNames << form->objectName();
        formNames.sort();
        QCOMPARE(formNames, (QStringList{QStringLiteral("dose"), QStringLiteral("fire"),
                                         QStringLiteral("measure")}));
        auto *fire = panel.findChild<SchemaForm *>(QStringLiteral("fire"));
        QCOMPARE(fire->values().value(QLatin1StringView("temperature_c")).toDouble(), 900.0);
        // Out of the schema's range: marked on the form, nothing sent.
        fire->setValues({{QStringLiteral("temperature_c"), 1500}});
        panel.barcodes()->setPlainText(QStringLiteral("FORM-1"));
        panel.submitButton()->click();
        QVERIFY2(panel.status()->text().contains(QStringLiteral("Fix the")),
                 qPrintable(panel.status()->text()));
        QCOMPARE(lab.q(QStringLiteral("SELECT count(*) FROM workflows")), QStringLiteral("0"));
        fire->setValues({{QStringLiteral("temperature_c"), 950}});
        panel.submitButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(panel.status()->text().contains(QStringLiteral("submitted")),
                                 20000);
        QCOMPARE(lab.q(QStringLiteral("SELECT parameters->>'temperature_c' FROM tasks WHERE "
                                      "name = 'fire'")),
                 QStringLiteral("950"));
        QCOMPARE(lab.q(QStringLiteral("SELECT parameters->>'mass_mg' FROM tasks WHERE "
                                      "name = 'dose'")),
                 QStringLiteral("500"));
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

    // A console open for weeks: the live views of workflows and samples keep the newest,
    // running workflows always, and the tasks' progress of dropped workflows goes with them.
    void workflowAndSampleViewsStayBoundedInALongRun()
    {
        LabModels models;
        constexpr int kBatches = 50, kPerBatch = 500;
        WorkflowId next = 1;
        for (int b = 0; b < kBatches; ++b) {
            FeedUpdate u;
            for (int i = 0; i < kPerBatch; ++i, ++next) {
                WorkflowState w;
                w.id = next;
                w.templateName = QStringLiteral("xrd");
                // Every 100th stays running for good; the others finish.
                w.status =
                    next % 100 == 0 ? QStringLiteral("running") : QStringLiteral("completed");
                u.workflows.append(w);
                TaskState t;
                t.id = next;
                t.workflowId = next;
                t.name = QStringLiteral("step");
                t.status = next % 100 == 0 ? TaskStatus::Running : TaskStatus::Completed;
                u.tasks.append(t);
                SampleState s;
                s.id = next;
                s.barcode = QStringLiteral("S-%1").arg(next);
                u.samples.append(s);
            }
            models.apply(u);
        }
        WorkflowTableModel *workflows = models.workflows();
        qsizetype finished = 0, running = 0;
        for (int r = 0; r < workflows->rowCount(); ++r)
            (workflows->at(r).status == QStringLiteral("running") ? running : finished) += 1;
        QCOMPARE(running, qsizetype(kBatches * kPerBatch / 100)); // none dropped
        QVERIFY(finished >= WorkflowTableModel::kFinishedCapacity);
        QVERIFY(finished <= WorkflowTableModel::kFinishedCapacity * 11 / 10);
        QCOMPARE(workflows->progressHeld(), qsizetype(workflows->rowCount()));
        // The newest are there with their progress, the oldest finished are gone.
        const WorkflowId newest = next - 2; // finished (next - 1 is a running one)
        QVERIFY(workflows->rowOf(newest) >= 0);
        QCOMPARE(workflows->progress(newest), std::make_pair(1, 1));
        QCOMPARE(workflows->rowOf(1), -1);
        QVERIFY(workflows->rowOf(100) >= 0); // running since the first batch
        QCOMPARE(workflows->progress(100), std::make_pair(0, 1));
        SampleTableModel *samples = models.samples();
        QVERIFY(samples->rowCount() >= SampleTableModel::kCapacity);
        QVERIFY(samples->rowCount() <= SampleTableModel::kCapacity * 11 / 10);
        QVERIFY(samples->rowOf(newest) >= 0);
        QCOMPARE(samples->rowOf(1), -1);
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
                if (b->text() == QStringLiteral("done")) return b;
            return static_cast<QPushButton *>(nullptr);
        };
        QVERIFY(done());
        QVERIFY(!done()->isEnabled()); // not signed in
        session.setIdentity(QStringLiteral("olga"), Role::Operator, {});
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

    void aDatabaseOutageIsAnnouncedUntilItEnds()
    {
        LabModels models;
        ConsoleSession session;
        ConsoleServices services;
        MainWindow w(&models, &session, &services);
        w.show();
        auto *banner = w.findChild<QLabel *>(QStringLiteral("outageBanner"));
        QVERIFY(banner);
        QVERIFY(!banner->isVisible());
        w.setDatabaseState(false, QStringLiteral("disk full"));
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(QStringLiteral("new tasks wait")),
                 qPrintable(banner->text()));
        QCOMPARE(banner->toolTip(), QStringLiteral("disk full"));
        w.setDatabaseState(true, QStringLiteral("Database connected"));
        QVERIFY(!banner->isVisible());
        QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("Database back")),
                 qPrintable(w.statusBar()->currentMessage()));
    }
};

QTEST_MAIN(TstMainWindow)
#include "tst_mainwindow.moc"
