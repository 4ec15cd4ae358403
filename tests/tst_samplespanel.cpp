// The samples and workflows panels: role gating, the registry search and the barcode check
// against the real PostgreSQL, the registration form sending sample.register, the DAG
// drawing and workflow submission.
#include "core/storage/databasereader.h"
#include "core/storage/sampleregistrar.h"
#include "tests/support/testdatabase.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/labmodels.h"
#include "ui/mainwindow.h"
#include "ui/sampledialogs.h"
#include "ui/samplespanel.h"
#include "ui/schemaform.h"
#include "ui/workflowspanel.h"

#include <QApplication>
#include <QDockWidget>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QThread>
#include <QTimer>

using namespace alabos;
using test::queryValue;
using test::TestDatabase;

namespace {
// Optional pictures for a person to look at: set ALABOS_GRAB_DIR.
void grab(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("ALABOS_GRAB_DIR");
    if (!dir.isEmpty()) w->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

void typeInto(QWidget *editor, const QString &text)
{
    auto *edit = qobject_cast<QLineEdit *>(editor);
    QVERIFY(edit);
    edit->clear();
    QTest::keyClicks(edit, text);
}

struct Lab
{
    QString conn;
    QThread thread;
    SampleRegistrar *registrar;
    std::atomic<qint64> nextId{1};
    DatabaseReader reader;
    ConsoleServices services;
    ConsoleSession session;
    explicit Lab(const QString &connection) : conn(connection), reader({connection})
    {
        registrar = new SampleRegistrar(conn, [this](int n) { return nextId.fetch_add(n); });
        registrar->moveToThread(&thread);
        thread.start();
        services.reader = &reader;
        services.workflowTemplates = [] {
            return QList<WorkflowTemplate>{demoSynthesisTemplate()};
        };
        QObject::connect(&session, &ConsoleSession::commandIssued, registrar,
                         [this](const OperatorCommand &c) {
                             if (c.kind.startsWith(QLatin1StringView("sample.")))
                                 registrar->handle(c);
                         });
        QObject::connect(registrar, &SampleRegistrar::replied, &session, &ConsoleSession::onReply);
    }
    ~Lab()
    {
        QMetaObject::invokeMethod(
            registrar, [r = registrar] { delete r; }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
};
} // namespace

class TstSamplesPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        registerMetaTypes();
        registerCommandMetaTypes();
        QVERIFY2(TestDatabase::instance().error().isEmpty(),
                 qPrintable(TestDatabase::instance().error()));
    }

    void roleGatesRegistrationAndSubmission()
    {
        LabModels models;
        ConsoleSession session;
        ConsoleServices services;
        services.workflowTemplates = [] {
            return QList<WorkflowTemplate>{demoSynthesisTemplate()};
        };
        MainWindow w(&models, &session, &services);
        // Both panels are docked with their shortcuts.
        QVERIFY(w.panelDock(QStringLiteral("samplesDock")));
        QVERIFY(w.panelDock(QStringLiteral("workflowsDock")));
        auto *samples = w.findChild<SamplesPanel *>();
        auto *workflows = w.findChild<WorkflowsPanel *>();
        QVERIFY(samples && workflows);

        QVERIFY(!samples->registerButton()->isEnabled());
        QCOMPARE(samples->registerButton()->toolTip(),
                 QStringLiteral("Log in to register samples"));
        session.setIdentity(QStringLiteral("olga"), Role::Operator, {});
        QVERIFY(!samples->registerButton()->isEnabled());
        QVERIFY(!samples->importButton()->isEnabled());
        QVERIFY(!workflows->submitButton()->isEnabled());
        QCOMPARE(samples->importButton()->toolTip(),
                 QStringLiteral("Your role (operator) may not register samples"));
        QCOMPARE(workflows->submitButton()->toolTip(),
                 QStringLiteral("Your role (operator) may not submit workflows"));
        session.setIdentity(QStringLiteral("tina"), Role::Technician, {});
        QVERIFY(samples->registerButton()->isEnabled());
        QVERIFY(samples->importButton()->isEnabled());
        QVERIFY(workflows->submitButton()->isEnabled());
        session.logout();
        QVERIFY(!samples->registerButton()->isEnabled());
        QVERIFY(!workflows->submitButton()->isEnabled());
    }

    void searchFindsOldSamplesInTheDatabase()
    {
        Lab lab(TestDatabase::instance().createDatabase());
        lab.session.setIdentity(QStringLiteral("tina"), Role::Technician, {});
        QJsonArray batch;
        for (int i = 1; i <= 30; ++i)
            batch.append(QJsonObject{
                {QStringLiteral("barcode"), QStringLiteral("OLD_%1").arg(i)},
                {QStringLiteral("name"),
                 i % 2 ? QStringLiteral("Ferrite") : QStringLiteral("Spinel")},
                {QStringLiteral("metadata"),
                 QJsonObject{{QStringLiteral("project"),
                              i <= 3 ? QStringLiteral("Zeta-7") : QStringLiteral("Alpha")}}}});
        QSignalSpy replied(&lab.session, &ConsoleSession::replied);
        lab.session.send(QStringLiteral("sample.register"), {},
                         {{QStringLiteral("samples"), batch}});
        QVERIFY(replied.wait(20000));
        QVERIFY(replied.first().first().value<CommandReply>().ok);

        LabModels models; // this console saw none of them live
        SamplesPanel panel(&models, &lab.session, &lab.services);
        QSignalSpy finished(&panel, &SamplesPanel::searchFinished);
        auto search = [&](const QString &text) {
            finished.clear();
            panel.searchBox()->setText(text);
            panel.search();
            return finished.wait(10000) ? finished.first().first().toInt() : -1;
        };
        QCOMPARE(search(QStringLiteral("spinel")), 15); // name, case-insensitive
        QCOMPARE(panel.view()->model()->rowCount(), 15);
        QCOMPARE(search(QStringLiteral("zeta-7")), 3); // metadata
        QCOMPARE(search(QStringLiteral("OLD_1")), 11); // barcode: OLD_1, OLD_10..19
        QCOMPARE(search(QStringLiteral("OLD%1")), 0);  // % and _ are literal
        QCOMPARE(panel.summary()->text(),
                 QStringLiteral("0 sample(s) in the registry match \"OLD%1\""));
        QCOMPARE(search(QStringLiteral("'; DROP TABLE samples; --")), 0);
        QCOMPARE(queryValue(lab.conn, QStringLiteral("SELECT count(*) FROM samples")),
                 QStringLiteral("30"));
        panel.searchBox()->clear(); // back to the live view
        QCOMPARE(panel.view()->model()->rowCount(), 0);
    }

    void aSupervisorDeletesSelectedSamplesAndTheyLeaveTheView()
    {
        Lab lab(TestDatabase::instance().createDatabase());
        lab.session.setIdentity(QStringLiteral("sam"), Role::Supervisor, {});
        QJsonArray batch;
        for (int i = 1; i <= 5; ++i)
            batch.append(
                QJsonObject{{QStringLiteral("barcode"), QStringLiteral("GONE-%1").arg(i)}});
        QSignalSpy replied(&lab.session, &ConsoleSession::replied);
        lab.session.send(QStringLiteral("sample.register"), {},
                         {{QStringLiteral("samples"), batch}});
        QVERIFY(replied.wait(20000));
        QVERIFY(replied.first().first().value<CommandReply>().ok);
        // The console saw them through its feed.
        LabModels models;
        FeedUpdate update;
        for (int i = 1; i <= 5; ++i)
            update.samples.append(
                SampleState{i, QStringLiteral("GONE-%1").arg(i), {}, 0, {}, 1000 + i});
        models.apply(update);
        SamplesPanel panel(&models, &lab.session, &lab.services);
        panel.resize(900, 400);
        panel.show();
        QVERIFY(!panel.deleteButton()->isEnabled()); // nothing selected
        // Sorted by id, newest first: rows 0 and 1 are GONE-5 and GONE-4.
        panel.view()->selectionModel()->select(
            QItemSelection(panel.view()->model()->index(0, 0), panel.view()->model()->index(1, 0)),
            QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QVERIFY(panel.deleteButton()->isEnabled());
        lab.session.setIdentity(QStringLiteral("tina"), Role::Technician, {});
        QVERIFY(!panel.deleteButton()->isEnabled());
        QCOMPARE(panel.deleteButton()->toolTip(),
                 QStringLiteral("Your role (technician) may not delete samples (permission "
                                "sample_delete)"));
        lab.session.setIdentity(QStringLiteral("sam"), Role::Supervisor, {});
        QVERIFY(panel.deleteButton()->isEnabled());

        // The dialog asks why; an empty reason is not sent, a reason is.
        // What the dialog showed is checked after it closed: a failed check inside the
        // dialog's own event loop would leave it open.
        int asked = 0, maxLength = -1;
        QString question;
        std::function<void()> answer = [&] {
            auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
            if (!dialog) return QTimer::singleShot(50, answer);
            ++asked;
            if (auto *reason = dialog->findChild<QLineEdit *>()) maxLength = reason->maxLength();
            question = dialog->labelText();
            dialog->setTextValue(QStringLiteral("cracked crucible"));
            dialog->accept();
        };
        QTimer::singleShot(0, answer);
        replied.clear();
        panel.openDeletion();
        QCOMPARE(asked, 1);
        QCOMPARE(maxLength, 500);
        QVERIFY2(question.contains(QStringLiteral("Delete 2 sample(s) (GONE-5, GONE-4)?")),
                 qPrintable(question));
        QVERIFY(replied.wait(20000));
        QVERIFY2(replied.first().first().value<CommandReply>().ok,
                 qPrintable(replied.first().first().value<CommandReply>().message));
        QCOMPARE(panel.summary()->text(), QStringLiteral("Deleted 2 sample(s)"));
        QCOMPARE(queryValue(lab.conn, QStringLiteral("SELECT string_agg(barcode, ',' ORDER BY "
                                                     "barcode) FROM samples WHERE deleted_reason = "
                                                     "'cracked crucible'")),
                 QStringLiteral("GONE-4,GONE-5"));

        // Their sample.deleted events reach the view: the rows go, the others stay.
        FeedUpdate deleted;
        deleted.samples = {SampleState{5, QStringLiteral("GONE-5"), {}, 0, {}, 1005, 2000},
                           SampleState{4, QStringLiteral("GONE-4"), {}, 0, {}, 1004, 2000}};
        models.apply(deleted);
        QCOMPARE(panel.view()->model()->rowCount(), 3);
        QVERIFY(models.samples()->rowOf(5) < 0 && models.samples()->rowOf(1) >= 0);
        // A snapshot never shows them either.
        FeedUpdate snapshot;
        snapshot.reset = true;
        snapshot.samples =
            deleted.samples +
            QList<SampleState>{SampleState{1, QStringLiteral("GONE-1"), {}, 0, {}, 1001}};
        models.apply(snapshot);
        QCOMPARE(models.samples()->rowCount(), 1);
        grab(&panel, QStringLiteral("samples-deleted"));
    }

    void registrationFormChecksTheBarcodeAndRegisters()
    {
        Lab lab(TestDatabase::instance().createDatabase());
        lab.session.setIdentity(QStringLiteral("tina"), Role::Technician, {});
        SampleRegistrationDialog dialog(&lab.session, &lab.services);
        dialog.show();
        SchemaForm *form = dialog.form();

        // Invalid input: nothing is sent, the errors are inline.
        QSignalSpy issued(&lab.session, &ConsoleSession::commandIssued);
        typeInto(form->editor(QStringLiteral("mass_mg")), QStringLiteral("-3"));
        dialog.registerButton()->click();
        QCOMPARE(issued.size(), 0);
        QCOMPARE(form->fieldMessage(QStringLiteral("barcode")), QStringLiteral("Required"));
        QCOMPARE(form->fieldMessage(QStringLiteral("mass_mg")),
                 QStringLiteral("Must be at least 0.1 mg"));
        QCOMPARE(dialog.status()->text(), QStringLiteral("Fix the 2 marked field(s)"));

        // Valid: checked against the registry ("Checking…" first), then sent.
        typeInto(form->editor(QStringLiteral("barcode")), QStringLiteral("LFP-0001"));
        typeInto(form->editor(QStringLiteral("mass_mg")), QStringLiteral("12.5"));
        typeInto(form->editor(QStringLiteral("name")), QStringLiteral("First"));
        dialog.registerButton()->click();
        QCOMPARE(form->fieldMessage(QStringLiteral("barcode")), QStringLiteral("Checking…"));
        QTRY_COMPARE(issued.size(), 1);
        const auto command = issued.first().first().value<OperatorCommand>();
        QCOMPARE(command.kind, QStringLiteral("sample.register"));
        const QJsonObject sample =
            command.args.value(QLatin1StringView("samples")).toArray().first().toObject();
        QCOMPARE(sample.value(QLatin1StringView("barcode")).toString(), QStringLiteral("LFP-0001"));
        QCOMPARE(sample.value(QLatin1StringView("name")).toString(), QStringLiteral("First"));
        QCOMPARE(sample.value(QLatin1StringView("metadata"))
                     .toObject()
                     .value(QLatin1StringView("mass_mg"))
                     .toDouble(),
                 12.5);
        QTRY_COMPARE(dialog.status()->text(), QStringLiteral("LFP-0001 registered"));
        QCOMPARE(
            queryValue(
                lab.conn,
                QStringLiteral("SELECT metadata->>'name' FROM samples WHERE barcode = 'LFP-0001'")),
            QStringLiteral("First"));
        QCOMPARE(form->text(QStringLiteral("barcode")), QString()); // ready for the next one

        // The same barcode again: the check says so under the field, nothing is sent.
        typeInto(form->editor(QStringLiteral("barcode")), QStringLiteral("LFP-0001"));
        dialog.checkBarcode();
        QCOMPARE(form->fieldMessage(QStringLiteral("barcode")), QStringLiteral("Checking…"));
        QTRY_COMPARE(form->fieldMessage(QStringLiteral("barcode")),
                     QStringLiteral("Already registered"));
        dialog.registerButton()->click();
        QTest::qWait(300);
        QCOMPARE(issued.size(), 1);
        QCOMPARE(form->fieldMessage(QStringLiteral("barcode")),
                 QStringLiteral("Already registered"));
        grab(&dialog, QStringLiteral("registration"));
    }

    void workflowsPanelDrawsTheDagAndSubmits()
    {
        LabModels models;
        ConsoleSession session;
        ConsoleServices services;
        services.workflowTemplates = [] {
            return QList<WorkflowTemplate>{demoSynthesisTemplate()};
        };
        session.setIdentity(QStringLiteral("tina"), Role::Technician, {});
        WorkflowsPanel panel(&models, &session, &services);
        panel.setSelectedSamplesProvider([] {
            return QStringList{QStringLiteral("S-2"), QStringLiteral("S-3")};
        });
        panel.resize(1400, 700);
        panel.show();
        const WorkflowTemplate t = demoSynthesisTemplate();
        QCOMPARE(panel.templateList()->count(), 1);
        // One box, a name and a device type per step; one arrow (line + head) per dependency.
        QStringList texts;
        for (QGraphicsItem *item : panel.scene()->items())
            if (auto *text = dynamic_cast<QGraphicsSimpleTextItem *>(item)) texts << text->text();
        for (const TaskTemplate &task : t.tasks) {
            QVERIFY2(texts.contains(task.name), qPrintable(task.name));
            QVERIFY2(texts.contains(task.deviceType), qPrintable(task.deviceType));
        }
        int edges = 0;
        for (const TaskTemplate &task : t.tasks)
            edges += int(task.dependsOn.size());
        int lines = 0;
        for (QGraphicsItem *item : panel.scene()->items())
            lines += item->type() == QGraphicsLineItem::Type ? 1 : 0;
        QCOMPARE(lines, edges);
        // Steps deeper in the DAG are further right.
        auto xOf = [&](const QString &name) {
            for (QGraphicsItem *item : panel.scene()->items())
                if (auto *text = dynamic_cast<QGraphicsSimpleTextItem *>(item);
                    text && text->text() == name)
                    return text->sceneBoundingRect().center().x();
            return -1.0;
        };
        for (const TaskTemplate &task : t.tasks)
            for (const QString &dep : task.dependsOn)
                QVERIFY(xOf(dep) < xOf(task.name));

        QSignalSpy issued(&session, &ConsoleSession::commandIssued);
        panel.submitButton()->click();
        QCOMPARE(issued.size(), 0);
        QCOMPARE(panel.status()->text(), QStringLiteral("Add at least one sample barcode"));
        panel.barcodes()->setPlainText(QStringLiteral("S-1\n"));
        for (QPushButton *b : panel.findChildren<QPushButton *>())
            if (b->text() == QLatin1StringView("Add selected samples")) b->click();
        QCOMPARE(panel.barcodes()->toPlainText(), QStringLiteral("S-1\nS-2\nS-3"));
        panel.submitButton()->click();
        QCOMPARE(issued.size(), 1);
        const auto c = issued.first().first().value<OperatorCommand>();
        QCOMPARE(c.kind, QStringLiteral("workflow.submit"));
        QCOMPARE(c.args.value(QLatin1StringView("template")).toString(), t.name);
        QCOMPARE(c.args.value(QLatin1StringView("barcodes")).toArray().size(), 3);
        QCOMPARE(c.args.value(QLatin1StringView("priority")).toInt(), 50);
        QVERIFY(c.args.value(QLatin1StringView("parameters")).isObject());
        // Refused: the reason is shown and the button is usable again.
        session.onReply({c.id, false, QStringLiteral("no such template"), {}});
        QCOMPARE(panel.status()->text(), QStringLiteral("Refused: no such template"));
        QVERIFY(panel.submitButton()->isEnabled());

        // Progress per workflow from the live models.
        FeedUpdate u;
        u.reset = true;
        u.workflows.append({7, t.name, QStringLiteral("running"), {1}, nowMicros(), 0});
        for (int i = 0; i < 4; ++i) {
            TaskState task;
            task.id = i + 1;
            task.workflowId = 7;
            task.status = i < 1 ? TaskStatus::Completed : TaskStatus::Waiting;
            u.tasks.append(task);
        }
        models.apply(u);
        QCOMPARE(models.workflows()->index(0, 0).data(WorkflowTableModel::ProgressRole).toInt(),
                 25);
        grab(&panel, QStringLiteral("workflows"));
    }
};

QTEST_MAIN(TstSamplesPanel)
#include "tst_samplespanel.moc"
