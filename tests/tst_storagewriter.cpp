#include "core/storage/binarycopy.h"
#include "core/storage/migrations.h"
#include "core/storage/pgutil.h"
#include "core/storage/preparedgroups.h"
#include "core/storage/rowjson.h"
#include "core/storage/schedulerlease.h"
#include "core/storage/storagewriter.h"
#include "core/storage/utf8text.h"
#include "tests/support/pgcutproxy.h"
#include "tests/support/testdatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>
#include <atomic>
#include <limits>
#include <pqxx/pqxx>

using namespace alabos;
using test::TestDatabase;

namespace {
ChangeSet workflowWithTask(WorkflowId wf, TaskId task, int priority = 50)
{
    ChangeSet c;
    c.workflow(
        WorkflowState{wf, QStringLiteral("t"), QStringLiteral("running"), {}, nowMicros(), 0},
        QStringLiteral("workflow.created"));
    TaskState t;
    t.id = task;
    t.workflowId = wf;
    t.name = QStringLiteral("step");
    t.status = TaskStatus::Ready;
    t.priority = priority;
    t.createdUs = nowMicros();
    c.task(t, QStringLiteral("task.created"));
    return c;
}

struct WriterThread
{
    QThread thread;
    StorageWriter *writer;
    explicit WriterThread(const QString &conn, int twoPartsFrom = StorageWriter::kTwoPartsFrom)
    {
        registerMetaTypes();
        writer = new StorageWriter(conn);
        writer->setTwoPartsFrom(twoPartsFrom);
        writer->moveToThread(&thread);
        thread.start();
    }
    ~WriterThread()
    {
        QMetaObject::invokeMethod(
            writer, [w = writer] { delete w; }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
    void submit(quint64 ticket, const ChangeSet &c)
    {
        QMetaObject::invokeMethod(
            writer, [w = writer, ticket, c] { w->submit(ticket, c); }, Qt::QueuedConnection);
    }
    void setLeaderEpoch(qint64 epoch)
    {
        QMetaObject::invokeMethod(
            writer, [w = writer, epoch] { w->setLeaderEpoch(epoch); },
            Qt::BlockingQueuedConnection);
    }
    void block(int ms)
    {
        QMetaObject::invokeMethod(
            writer, [ms] { QThread::msleep(ms); }, Qt::QueuedConnection);
    }
};

// Prepares `sql` as a transaction named `id` on a connection of its own, the way a writer that
// died after PREPARE TRANSACTION leaves it.
void prepare(const QString &conn, const std::string &sql, const std::string &id)
{
    pqxx::connection c(conn.toStdString());
    pqxx::nontransaction tx(c);
    tx.exec0("BEGIN");
    tx.exec0(sql);
    tx.exec0("PREPARE TRANSACTION " + tx.quote(id));
}

// `what` of the prepared transactions in the database of `conn` (the view shows the cluster's).
QString preparedTransactions(const QString &conn, const QString &what = QStringLiteral("count(*)"))
{
    return test::queryValue(
        conn, QStringLiteral("SELECT %1 FROM pg_prepared_xacts WHERE database = current_database()")
                  .arg(what));
}

QList<quint64> flatten(const QSignalSpy &spy)
{
    QList<quint64> all;
    for (const auto &args : spy)
        all += args.at(0).value<QList<quint64>>();
    return all;
}
} // namespace

class TstStorageWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<QList<quint64>>();
        QVERIFY2(TestDatabase::instance().server().isRunning(),
                 qPrintable(TestDatabase::instance().error()));
    }

    // The writer's own JSON of a state row is the object toJson() gives, for any text: quotes,
    // backslashes, control characters, a NUL (stored as U+FFFD), any script and emoji.
    void rowJsonIsWhatToJsonGives()
    {
        const QStringList texts{QString(),
                                QStringLiteral("plain"),
                                QStringLiteral("quote \" backslash \\ slash /"),
                                QStringLiteral("new\nline\ttab\rcr\b\f"),
                                QString::fromUtf8("\x01\x1f\x7f control"),
                                QStringLiteral("nul") + QChar(0) + QStringLiteral("inside"),
                                QString::fromUtf8("Ångström 温度 \xF0\x9F\xA7\xAA ∑"),
                                QStringLiteral("ascii first, then é and \" \\ \t") + QChar(0) +
                                    QString::fromUtf8(" \xF0\x9F\xA7\xAA")};
        auto parsed = [](const std::string &json) {
            QJsonParseError error;
            const QJsonDocument doc =
                QJsonDocument::fromJson(QByteArray::fromStdString(json), &error);
            if (error.error != QJsonParseError::NoError)
                qWarning("not JSON (%s): %s", qPrintable(error.errorString()), json.c_str());
            return doc.object();
        };
        auto stored = [](QJsonObject o) {
            // What PostgreSQL can hold: NUL as U+FFFD, in the nested objects too.
            return QJsonDocument::fromJson(QByteArray::fromStdString(storableJson(QJsonValue(o))))
                .object();
        };
        RowJson json;
        for (const QString &text : texts) {
            TaskState t;
            t.id = 9007199254740993; // beyond a double's exact integers
            t.workflowId = 7;
            t.name = text;
            t.deviceType = text;
            t.deviceId = text;
            t.status = TaskStatus::Running;
            t.priority = 90;
            t.attempts = 3;
            t.samples = {1, 2, 4611686018427387904};
            t.parameters = {{QStringLiteral("temperature_c"), 950.5},
                            {QStringLiteral("note"), text},
                            {QStringLiteral("nested"), QJsonObject{{text, QJsonArray{1, text}}}}};
            t.createdUs = 1733500000000000;
            t.startedUs = -1;
            t.finishedUs = 0;
            t.message = text;
            t.queueRank = 123456789012;
            std::string out;
            json.append(out, t);
            QCOMPARE(parsed(out), stored(t.toJson()));

            DeviceState d{text, text, DeviceStatus::Maintenance, 42, 17, 1733500000000001, text};
            out.clear();
            json.append(out, d);
            QCOMPARE(parsed(out), stored(d.toJson()));
            d.message.clear();
            out.clear();
            json.append(out, d);
            QCOMPARE(parsed(out), stored(d.toJson()));

            WorkflowState w{5, text, QStringLiteral("completed"), {3, 4}, 11, 12};
            out.clear();
            json.append(out, w);
            QCOMPARE(parsed(out), stored(w.toJson()));

            SampleState sample;
            sample.id = 8;
            sample.barcode = text;
            sample.position = text;
            sample.workflowId = 5;
            sample.metadata = {{QStringLiteral("mass_g"), 1.25}, {text, text}};
            sample.createdUs = 99;
            for (const qint64 deleted : {qint64(0), qint64(100)}) {
                sample.deletedUs = deleted;
                out.clear();
                json.append(out, sample);
                QCOMPARE(parsed(out), stored(sample.toJson()));
            }
        }
        // The events of a change set: deferred to their rows or carrying their own payload.
        ChangeSet set;
        set.deferPayloads = true;
        TaskState t;
        t.id = 1;
        t.name = QStringLiteral("run");
        set.task(t, QStringLiteral("task.created"));
        set.events.append(Event{});
        set.events.last().entityType = QLatin1StringView(entity::Command);
        set.events.last().payload = {{QStringLiteral("kind"), QStringLiteral("task.cancel")}};
        for (qsizetype i = 0; i < set.events.size(); ++i) {
            std::string payload;
            json.appendEventPayload(payload, set, i);
            QCOMPARE(parsed(payload), set.payloadOf(i));
        }
    }

    // Text reaches COPY fields as the UTF-8 toUtf8() gives, whether it is ASCII, starts or
    // ends in another script, or holds an emoji; a NUL as U+FFFD.
    void textIsTheUtf8ToUtf8Gives()
    {
        const QStringList texts{QString(),
                                QStringLiteral("furnace-01"),
                                QString::fromUtf8("é first"),
                                QString::fromUtf8("last é"),
                                QStringLiteral("nul") + QChar(0) + QString::fromUtf8("温度"),
                                QString::fromUtf8("\xF0\x9F\xA7\xAA ∑ Ångström")};
        for (const QString &text : texts) {
            // PostgreSQL holds no NUL in text: it arrives as U+FFFD.
            const QByteArray utf8 = QString(text).replace(QChar(0), QChar(0xFFFD)).toUtf8();
            std::string out = "kept";
            utf8text::append(out, text);
            QCOMPARE(QByteArray::fromStdString(out), "kept" + utf8);
            std::string field, expected;
            binarycopy::appendText(field, text);
            binarycopy::appendText(expected, std::string_view(utf8.constData(), utf8.size()));
            QCOMPARE(field, expected);
        }
    }

    // An event's JSON built from its row without parsing the payload: strings that mean
    // something to JSON come out escaped, the payload as stored, every field as encodeEvent's.
    void anEventRowEncodesAsTheEventItIs()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        pqxx::connection c(TestDatabase::instance().ownerConnection(conn).toStdString());
        pqxx::work tx(c);
        const std::string entity = "quote\" back\\slash tab\t nl\n bell\x07 \xc3\xa4\xe2\x82\xac";
        const QJsonObject payload{{"text", "a \"b\"\n\u00e4"},
                                  {"spaced", "key: value, \\\" other : , "},
                                  {"n", 12.5},
                                  {"list", QJsonArray{1, "x", QJsonValue::Null}},
                                  {"nested", QJsonObject{{"k", true}}}};
        tx.exec_params("INSERT INTO events (entity_type, entity_id, kind, payload) "
                       "VALUES ('sample', $1, 'sample.registered', $2::jsonb)",
                       entity, QJsonDocument(payload).toJson().toStdString());
        const pqxx::row row = tx.exec1(std::string("SELECT ") + kEventColumns + " FROM events");
        const QByteArray encoded = encodedEventFromRow(row);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(encoded, &error);
        QVERIFY2(doc.isObject(),
                 qPrintable(error.errorString() + QLatin1Char(' ') + QString::fromUtf8(encoded)));
        const Event e = eventFromRow(row);
        const QJsonObject expected{
            {"v", kEventFormatVersion},    {"id", e.id},
            {"entity_type", "sample"},     {"entity_id", QString::fromStdString(entity)},
            {"kind", "sample.registered"}, {"time_us", e.timeUs},
            {"payload", payload}};
        QCOMPARE(doc.object(), expected);
        QVERIFY(e.timeUs > 0);
        QVERIFY(!encoded.contains('\n')); // one line: a server-sent event's data
        // Compact, as encodeEvent writes it: the same bytes but for the order of keys.
        QCOMPARE(encoded.size(), QJsonDocument(expected).toJson(QJsonDocument::Compact).size());
    }

    void groupCommitsWhatArrivesTogether()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        WriterThread w(conn);
        QSignalSpy committed(w.writer, &StorageWriter::committed);
        w.block(300); // everything below queues up behind this
        for (int i = 1; i <= 200; ++i)
            w.submit(quint64(i), workflowWithTask(i, 1000 + i));
        QTRY_COMPARE_WITH_TIMEOUT(flatten(committed).size(), 200, 10000);
        QCOMPARE(committed.size(), 1); // one transaction for all 200
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM tasks")),
                 QStringLiteral("200"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM events")),
                 QStringLiteral("400"));
        // Events keep the order they were submitted in.
        QCOMPARE(test::queryValue(
                     conn, QStringLiteral(
                               "SELECT bool_and(ok) FROM (SELECT (payload->>'id')::bigint "
                               ">= lag((payload->>'id')::bigint, 1, 0) OVER (ORDER BY id) AS ok "
                               "FROM events WHERE entity_type='task') x")),
                 QStringLiteral("t"));
    }

    // A NUL in a device's reply ends up in a task's message: PostgreSQL holds no NUL in text,
    // so it is stored as U+FFFD, in the row and in the event, and the change set goes in.
    void aNulInTaskTextIsStoredAsAReplacement()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        WriterThread w(conn);
        QSignalSpy committed(w.writer, &StorageWriter::committed);
        ChangeSet first = workflowWithTask(1, 5);
        TaskState t = first.tasks.first();
        t.message = QStringLiteral("reply ") + QChar(0) + QStringLiteral(" cut");
        t.status = TaskStatus::Failed;
        t.startedUs = 1700000000123456;
        t.finishedUs = 1700000000223456;
        ChangeSet second;
        second.deferPayloads = true;
        second.task(t, QStringLiteral("task.failed"));
        w.submit(1, first);
        w.submit(2, second);
        QTRY_COMPARE_WITH_TIMEOUT(flatten(committed).size(), 2, 10000);
        const QString replaced = QStringLiteral("reply ") + QChar(0xFFFD) + QStringLiteral(" cut");
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT message FROM tasks")), replaced);
        QCOMPARE(
            test::queryValue(conn, QStringLiteral("SELECT payload->>'message' FROM events WHERE "
                                                  "kind = 'task.failed'")),
            replaced);
    }

    // Columns travel as array literals and events as COPY rows: text that means something to
    // either format (quotes, backslashes, commas, braces, tabs, newlines, "NULL", \N) must
    // arrive exactly, and the last version of a task changed twice in a group wins.
    void awkwardTextArrivesExactly()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        WriterThread w(conn);
        QSignalSpy committed(w.writer, &StorageWriter::committed);
        const QString awkward =
            QStringLiteral("a \"quoted\", {braced} back\\slash\ttab\nline NULL \\N é✓");
        ChangeSet first = workflowWithTask(1, 5);
        TaskState t = first.tasks.first();
        t.name = awkward;
        t.deviceType = QStringLiteral("NULL");
        t.deviceId = QStringLiteral("\\N");
        t.message = awkward;
        t.samples = {3, 1, 2};
        t.parameters = QJsonObject{{QStringLiteral("text"), awkward}, {QStringLiteral("n"), 1.5}};
        t.status = TaskStatus::Running;
        t.startedUs = 1700000000123456;
        t.createdUs = 1700000000000001;
        ChangeSet second;
        second.task(t, QStringLiteral("task.started"));
        second.events.first().entityId = awkward;
        w.block(200); // both in one group
        w.submit(1, first);
        w.submit(2, second);
        QTRY_COMPARE_WITH_TIMEOUT(flatten(committed).size(), 2, 10000);
        QCOMPARE(committed.size(), 1);
        pqxx::connection c(conn.toStdString());
        pqxx::nontransaction tx(c);
        const pqxx::row task = tx.exec1(
            "SELECT name, device_type, device_id, message, samples::text, parameters::text, "
            "status, "
            "(extract(epoch FROM created_at) * 1000000)::bigint, "
            "(extract(epoch FROM started_at) * 1000000)::bigint, finished_at IS NULL FROM tasks");
        QCOMPARE(QString::fromUtf8(task[0].c_str()), awkward);
        QCOMPARE(QString::fromUtf8(task[1].c_str()), QStringLiteral("NULL"));
        QCOMPARE(QString::fromUtf8(task[2].c_str()), QStringLiteral("\\N"));
        QCOMPARE(QString::fromUtf8(task[3].c_str()), awkward);
        QCOMPARE(QString::fromUtf8(task[4].c_str()), QStringLiteral("{3,1,2}"));
        QCOMPARE(QJsonDocument::fromJson(task[5].c_str()).object(), t.parameters);
        QCOMPARE(QString::fromUtf8(task[6].c_str()), QStringLiteral("running"));
        QCOMPARE(task[7].as<qint64>(), t.createdUs);
        QCOMPARE(task[8].as<qint64>(), t.startedUs);
        QVERIFY(task[9].as<bool>());
        const pqxx::result events =
            tx.exec("SELECT entity_type, entity_id, kind, payload::text, "
                    "(extract(epoch FROM created_at) * 1000000)::bigint FROM events ORDER BY id");
        QCOMPARE(events.size(), 3);
        const Event &sent = second.events.first();
        QCOMPARE(QString::fromUtf8(events[2][0].c_str()), sent.entityType);
        QCOMPARE(QString::fromUtf8(events[2][1].c_str()), awkward);
        QCOMPARE(QString::fromUtf8(events[2][2].c_str()), QStringLiteral("task.started"));
        QCOMPARE(QJsonDocument::fromJson(events[2][3].c_str()).object(), sent.payload);
        QCOMPARE(events[2][4].as<qint64>(), sent.timeUs);
        QCOMPARE(QString::fromUtf8(events[1][2].c_str()), QStringLiteral("task.created"));
    }

    // The same for the workflow, sample and device columns (device names have a format).
    void awkwardTextArrivesExactlyInEveryStateTable()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        WriterThread w(conn);
        QSignalSpy committed(w.writer, &StorageWriter::committed);
        const QString awkward =
            QStringLiteral("a \"quoted\", {braced} back\\slash\ttab\nline NULL \\N é✓");
        ChangeSet set = workflowWithTask(4, 9);
        set.workflows.first().templateName = awkward;
        set.workflows.first().samples = {12, 11};
        SampleState sample;
        sample.id = 12;
        sample.barcode = QStringLiteral("B\"1\\{x},NULL");
        sample.position = QString();
        sample.workflowId = 4;
        sample.metadata = {{QStringLiteral("note"), awkward}, {QStringLiteral("n"), 2}};
        sample.createdUs = 1700000000000002;
        set.sample(sample, QStringLiteral("sample.registered"));
        DeviceState device;
        device.id = QStringLiteral("balance-1");
        device.type = QStringLiteral("balance"); // names of types and devices have a format
        device.status = DeviceStatus::Idle;
        device.tasksCompleted = 41;
        device.updatedUs = 1700000000000003;
        set.device(device, QStringLiteral("device.registered"));
        w.submit(1, set);
        QTRY_COMPARE_WITH_TIMEOUT(flatten(committed).size(), 1, 10000);
        pqxx::connection c(conn.toStdString());
        pqxx::nontransaction tx(c);
        const pqxx::row wf = tx.exec1("SELECT template, samples::text FROM workflows");
        QCOMPARE(QString::fromUtf8(wf[0].c_str()), awkward);
        QCOMPARE(QString::fromUtf8(wf[1].c_str()), QStringLiteral("{12,11}"));
        const pqxx::row s =
            tx.exec1("SELECT barcode, position IS NULL, workflow_id, metadata::text, "
                     "(extract(epoch FROM created_at) * 1000000)::bigint FROM samples");
        QCOMPARE(QString::fromUtf8(s[0].c_str()), sample.barcode);
        QVERIFY(s[1].as<bool>());
        QCOMPARE(s[2].as<qint64>(), 4);
        QCOMPARE(QJsonDocument::fromJson(s[3].c_str()).object(), sample.metadata);
        QCOMPARE(s[4].as<qint64>(), sample.createdUs);
        const pqxx::row d = tx.exec1("SELECT type, status, current_task IS NULL, tasks_completed, "
                                     "(extract(epoch FROM updated_at) * 1000000)::bigint FROM "
                                     "devices");
        QCOMPARE(QString::fromUtf8(d[0].c_str()), device.type);
        QCOMPARE(QString::fromUtf8(d[1].c_str()), QStringLiteral("idle"));
        QVERIFY(d[2].as<bool>());
        QCOMPARE(d[3].as<qint64>(), 41);
        QCOMPARE(d[4].as<qint64>(), device.updatedUs);
    }

    // What a running task holds is stored on its row: given with the version that starts it
    // (awkward names included), kept by a later running version that does not repeat it (a
    // recovered task), gone when the task stops running; resource_leases shows exactly that.
    void aGrantIsStoredOnTheTaskThatHoldsIt()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        WriterThread w(conn);
        QSignalSpy committed(w.writer, &StorageWriter::committed);
        const QString awkward = QStringLiteral("rack \"1\", {a}/b\\c");
        ChangeSet created = workflowWithTask(1, 7);
        TaskState t = created.tasks.first();
        ChangeSet granted;
        t.status = TaskStatus::Running;
        t.deviceId = QStringLiteral("furnace-1");
        granted.task(t, QStringLiteral("task.started"));
        granted.leases = {{7, QStringLiteral("device"), QStringLiteral("furnace-1")},
                          {7, QStringLiteral("device"), QStringLiteral("robot-1")},
                          {7, QStringLiteral("position"), awkward}};
        auto leases = [&conn] {
            return test::queryValue(
                conn, QStringLiteral("SELECT string_agg(task_id || ' ' || kind || ' ' || name, "
                                     "' | ' ORDER BY kind, name) FROM resource_leases"));
        };
        const QString held =
            QStringLiteral("7 device furnace-1 | 7 device robot-1 | 7 position ") + awkward;
        w.block(200); // created and granted in one group: the last version carries the grant
        w.submit(1, created);
        w.submit(2, granted);
        QTRY_COMPARE_WITH_TIMEOUT(flatten(committed).size(), 2, 10000);
        QCOMPARE(leases(), held);

        ChangeSet recovered;
        t.message = QStringLiteral("resumed after a restart");
        recovered.task(t, QStringLiteral("task.recovered"));
        w.submit(3, recovered);
        QTRY_COMPARE_WITH_TIMEOUT(flatten(committed).size(), 3, 10000);
        QCOMPARE(leases(), held);

        ChangeSet finished;
        t.status = TaskStatus::Completed;
        t.finishedUs = nowMicros();
        finished.task(t, QStringLiteral("task.completed"));
        finished.releasedLeases = {7};
        w.submit(4, finished);
        QTRY_COMPARE_WITH_TIMEOUT(flatten(committed).size(), 4, 10000);
        QCOMPARE(leases(), QString());
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT cardinality(leased_devices) + "
                                                       "cardinality(leased_positions) FROM tasks")),
                 QStringLiteral("0"));
    }

    // A backlog of two groups: the second is encoded while the first commits. A slot that
    // submits from inside committed (directly, on the writer's thread) must not slip its
    // change set into the group already encoded: acknowledged means written, once.
    void submittingFromCommittedDuringABacklog()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        WriterThread w(conn);
        QList<quint64> acknowledged; // written on the writer's thread, read once it is done
        std::atomic<int> acknowledgedCount{0};
        bool submittedLate = false;
        connect(
            w.writer, &StorageWriter::committed, w.writer,
            [&](const QList<quint64> &tickets) {
                acknowledged += tickets;
                acknowledgedCount += int(tickets.size());
                if (!submittedLate) {
                    submittedLate = true;
                    w.writer->submit(99999, workflowWithTask(99999, 99999));
                }
            },
            Qt::DirectConnection);
        w.block(300);
        const int backlog = StorageWriter::kMaxGroup + 500;
        for (int i = 1; i <= backlog; ++i)
            w.submit(quint64(i), workflowWithTask(i, i));
        QTRY_COMPARE_WITH_TIMEOUT(acknowledgedCount.load(), backlog + 1, 30000);
        QTest::qWait(200);
        QCOMPARE(acknowledgedCount.load(), backlog + 1);
        QCOMPARE(QSet<quint64>(acknowledged.begin(), acknowledged.end()).size(), backlog + 1);
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM tasks")),
                 QString::number(backlog + 1));
    }

    void acknowledgesOnlyCommittedWork()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        WriterThread w(conn);
        QString seenAtAck;
        connect(
            w.writer, &StorageWriter::committed, this,
            [&](const QList<quint64> &) {
                seenAtAck = test::queryValue(
                    conn, QStringLiteral("SELECT count(*) FROM tasks WHERE id = 7"));
            },
            Qt::DirectConnection);
        QSignalSpy committed(w.writer, &StorageWriter::committed);
        w.submit(1, workflowWithTask(1, 7));
        QTRY_COMPARE_WITH_TIMEOUT(committed.size(), 1, 10000);
        QCOMPARE(seenAtAck, QStringLiteral("1"));
    }

    // Refused in the state part (a task's priority) or in the log part (a device id): the
    // group's other part is rolled back with it, and only that change set is lost.
    void aRefusedChangeSetSinksOnlyItself_data()
    {
        QTest::addColumn<bool>("inLogPart");
        QTest::addColumn<QString>("constraint");
        QTest::newRow("task priority") << false << QStringLiteral("tasks_priority_check");
        QTest::newRow("device id") << true << QStringLiteral("devices_id_check");
    }
    void aRefusedChangeSetSinksOnlyItself()
    {
        QFETCH(bool, inLogPart);
        QFETCH(QString, constraint);
        const QString conn = TestDatabase::instance().createDatabase();
        WriterThread w(conn);
        QSignalSpy committed(w.writer, &StorageWriter::committed);
        QSignalSpy rejected(w.writer, &StorageWriter::rejected);
        w.block(200);
        w.submit(1, workflowWithTask(1, 11));
        ChangeSet bad = workflowWithTask(2, 22, inLogPart ? 50 : -5);
        if (inLogPart) {
            DeviceState device;
            device.id = QStringLiteral("not a device id!");
            device.type = QStringLiteral("balance");
            device.status = DeviceStatus::Idle;
            device.updatedUs = nowMicros();
            bad.device(device, QStringLiteral("device.registered"), QJsonObject{});
        }
        w.submit(2, bad);
        w.submit(3, workflowWithTask(3, 33));
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(flatten(committed).size(), 2, 10000);
        QCOMPARE(rejected.at(0).at(0).toULongLong(), 2ull);
        QVERIFY(rejected.at(0).at(1).toString().contains(constraint));
        QCOMPARE(flatten(committed), (QList<quint64>{1, 3}));
        QCOMPARE(
            test::queryValue(
                conn, QStringLiteral("SELECT string_agg(id::text, ',' ORDER BY id) FROM tasks")),
            QStringLiteral("11,33"));
        // The refused group's events went with it, and nothing is left prepared.
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM events")),
                 QStringLiteral("4"));
        QCOMPARE(preparedTransactions(conn), QStringLiteral("0"));
    }

    // What a writer that died leaves prepared is decided by its run's group number: a log part
    // whose state part committed goes in, every other part is rolled back; a part whose state
    // part is still being written is left to its live writer; other clients' prepared
    // transactions are not touched.
    void preparedPartsAreSettledByTheirRunsGroupNumber()
    {
        using preparedgroups::Part;
        using preparedgroups::transactionId;
        const QString conn = TestDatabase::instance().createDatabase();
        const QString run = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const std::string runText = run.toStdString();
        QCOMPARE(test::queryValue(conn, QStringLiteral("INSERT INTO writer_progress (run, "
                                                       "last_group) VALUES ('%1', 5) RETURNING 1")
                                            .arg(run)),
                 QStringLiteral("1"));
        QCOMPARE(
            test::queryValue(
                conn, QStringLiteral("INSERT INTO device_types (name) VALUES ('t') RETURNING 1")),
            QStringLiteral("1"));
        auto device = [](const char *id) {
            return std::string("INSERT INTO devices (id, type, status) VALUES ('") + id +
                   "', 't', 'idle')";
        };
        // Group 5 went in (its state part is committed): its log part must follow.
        prepare(conn,
                "INSERT INTO events (entity_type, entity_id, kind, payload) "
                "VALUES ('task', '5', 'task.created', '{}')",
                transactionId(run, 5, Part::Log));
        // Group 6's state part never committed.
        prepare(conn, device("d6"), transactionId(run, 6, Part::Log));
        // Group 7: both parts prepared, the number not committed yet.
        prepare(conn,
                "UPDATE writer_progress SET last_group = 7 WHERE run = '" + runText +
                    "'; INSERT INTO workflows (id, template, status, created_at) "
                    "VALUES (7, 't', 'running', now())",
                transactionId(run, 7, Part::State));
        prepare(conn, device("d7"), transactionId(run, 7, Part::Log));
        prepare(conn, device("dx"), "someone-else/1");

        pqxx::connection lockConnection(conn.toStdString()), finishConnection(conn.toStdString());
        preparedgroups::Outcome outcome = preparedgroups::settle(lockConnection, finishConnection);
        QCOMPARE(outcome.finished, 4);
        QCOMPARE(outcome.left, 0);
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM events")),
                 QStringLiteral("1"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM workflows")),
                 QStringLiteral("0"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT last_group FROM writer_progress "
                                                       "WHERE run = '%1'")
                                            .arg(run)),
                 QStringLiteral("5"));
        QCOMPARE(preparedTransactions(conn, QStringLiteral("string_agg(gid, ',')")),
                 QStringLiteral("someone-else/1"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM devices")),
                 QStringLiteral("0"));

        // A live writer: its state part of group 8 holds the run's row, not yet prepared.
        pqxx::connection live(conn.toStdString());
        pqxx::work writing(live);
        writing.exec0("UPDATE writer_progress SET last_group = 8 WHERE run = '" + runText + "'");
        prepare(conn, device("d8"), transactionId(run, 8, Part::Log));
        outcome = preparedgroups::settle(lockConnection, finishConnection, run);
        QCOMPARE(outcome.finished, 0);
        QCOMPARE(outcome.left, 1);
        writing.abort(); // the writer failed: its log part must not stay
        outcome = preparedgroups::settle(lockConnection, finishConnection, run);
        QCOMPARE(outcome.finished, 1);
        QCOMPARE(outcome.left, 0);
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM devices")),
                 QStringLiteral("0"));
        pqxx::nontransaction(finishConnection).exec0("ROLLBACK PREPARED 'someone-else/1'");
    }

    // A writer that died with its group's state part prepared holds the scheduler's row under
    // FOR SHARE; the next scheduler decides that group before it takes the row.
    void theNextSchedulerSettlesWhatADeadWriterLeftPrepared()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        std::unique_ptr<SchedulerLease> first = lead(conn, 'a');
        QVERIFY(first);
        const QString run = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QCOMPARE(test::queryValue(conn, QStringLiteral("INSERT INTO writer_progress (run, "
                                                       "last_group) VALUES ('%1', 0) RETURNING 1")
                                            .arg(run)),
                 QStringLiteral("1"));
        prepare(conn,
                "SELECT 1 FROM scheduler_leader FOR SHARE; UPDATE writer_progress SET "
                "last_group = 1 WHERE run = '" +
                    run.toStdString() + "'",
                preparedgroups::transactionId(run, 1, preparedgroups::Part::State));
        first.reset(); // the scheduler is gone
        std::unique_ptr<SchedulerLease> next = lead(conn, 'b');
        QVERIFY(next);
        QCOMPARE(next->epoch(), 2);
        QCOMPARE(preparedTransactions(conn), QStringLiteral("0"));
    }

    // The writer tells an outage from a refusal by the error's class and SQLSTATE, so the
    // binary COPY reports them as pqxx does: a payload that is not JSON with its SQLSTATE,
    // a connection cut by the server as broken.
    void binaryCopyFailuresSayWhatFailed()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        const char *copyEvents = "COPY events (entity_type, entity_id, kind, payload, created_at) "
                                 "FROM STDIN (FORMAT binary)";
        const auto stream = [](const char *payload) {
            std::string data;
            binarycopy::appendHeader(data);
            binarycopy::appendRowStart(data, 5);
            binarycopy::appendText(data, std::string_view("task"));
            binarycopy::appendText(data, std::string_view("1"));
            binarycopy::appendText(data, std::string_view("task.created"));
            binarycopy::appendText(data, std::string_view(payload));
            binarycopy::appendTimestamp(data, nowMicros());
            binarycopy::appendTrailer(data);
            return data;
        };
        binarycopy::LibpqConnection c(conn.toStdString());
        {
            pqxx::work tx(c);
            binarycopy::copy(tx, c.handle(), copyEvents, stream("{\"a\":1}"));
            tx.commit();
        }
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT payload::text FROM events")),
                 QStringLiteral("{\"a\":1}"));
        try {
            pqxx::work tx(c);
            binarycopy::copy(tx, binarycopy::handleOf(tx), copyEvents, stream("{\"a\":"));
            QFAIL("a payload that is not JSON was stored");
        } catch (const pqxx::broken_connection &e) {
            QFAIL(e.what());
        } catch (const pqxx::sql_error &e) {
            QCOMPARE(QString::fromStdString(e.sqlstate()), QStringLiteral("22P02"));
        }
        const std::string pid = pqxx::nontransaction(c).exec1("SELECT pg_backend_pid()")[0].c_str();
        test::queryValue(
            conn,
            QStringLiteral("SELECT pg_terminate_backend(%1)").arg(QString::fromStdString(pid)));
        try {
            pqxx::nontransaction tx(c);
            binarycopy::copy(tx, c.handle(), copyEvents, stream("{}"));
            QFAIL("a COPY on a cut connection succeeded");
        } catch (const pqxx::broken_connection &) {
        }
    }

    void databaseOutageLosesNothing()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-outage-XXXXXX"));
        EmbeddedPostgres pg({test::makeSharedTempDir(tmp), {}, 5432, false});
        QString error;
        QVERIFY2(pg.start(&error), qPrintable(error));
        {
            pqxx::connection c(pg.ownerConnectionString().toStdString());
            QVERIFY2(migrate(c, &error), qPrintable(error));
        }
        WriterThread w(pg.connectionString());
        QSignalSpy committed(w.writer, &StorageWriter::committed);
        QSignalSpy connection(w.writer, &StorageWriter::connectionChanged);
        w.submit(1, workflowWithTask(1, 1));
        QTRY_COMPARE_WITH_TIMEOUT(committed.size(), 1, 10000);

        pg.stop(); // pull the cable
        w.submit(2, workflowWithTask(2, 2));
        QTRY_VERIFY_WITH_TIMEOUT(!connection.isEmpty() && !connection.last().at(0).toBool(), 10000);
        QTest::qWait(500);
        QCOMPARE(committed.size(), 1); // not acknowledged while the database is away

        QVERIFY2(pg.start(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(flatten(committed), (QList<quint64>{1, 2}), 15000);
        QVERIFY(connection.last().at(0).toBool());
        QCOMPARE(
            test::queryValue(pg.connectionString(), QStringLiteral("SELECT count(*) FROM tasks")),
            QStringLiteral("2"));
    }

    // A server that allows no prepared transactions (PostgreSQL's default) gets every group in
    // one transaction, exactly as many rows as with two parts.
    void aServerWithoutPreparedTransactionsGetsOneTransactionPerGroup()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-onepart-XXXXXX"));
        EmbeddedPostgres pg({test::makeSharedTempDir(tmp), {}, 5432, false, 0});
        QString error;
        QVERIFY2(pg.start(&error), qPrintable(error));
        {
            pqxx::connection c(pg.ownerConnectionString().toStdString());
            QVERIFY2(migrate(c, &error), qPrintable(error));
        }
        QCOMPARE(test::queryValue(pg.connectionString(),
                                  QStringLiteral("SHOW max_prepared_transactions")),
                 QStringLiteral("0"));
        // Trying PREPARE there would be refused, and the group retried change set by change set.
        QTest::failOnWarning(QRegularExpression(QStringLiteral("refused")));
        WriterThread w(pg.connectionString());
        QSignalSpy committed(w.writer, &StorageWriter::committed);
        QSignalSpy rejected(w.writer, &StorageWriter::rejected);
        w.block(200);
        for (quint64 i = 1; i <= 50; ++i)
            w.submit(i, workflowWithTask(WorkflowId(i), TaskId(i)));
        QTRY_COMPARE_WITH_TIMEOUT(flatten(committed).size(), 50, 10000);
        QVERIFY(rejected.isEmpty());
        QCOMPARE(
            test::queryValue(pg.connectionString(), QStringLiteral("SELECT count(*) FROM tasks")),
            QStringLiteral("50"));
        QCOMPARE(
            test::queryValue(pg.connectionString(), QStringLiteral("SELECT count(*) FROM events")),
            QStringLiteral("100"));
    }

    // A scheduler whose lock connection died takes the lock again when nobody else did, and
    // its writer goes on committing under the same epoch.
    void aSchedulerCutOffAloneTakesItsLockBack()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        std::unique_ptr<SchedulerLease> lease = lead(conn, 'a');
        QVERIFY(lease);
        WriterThread w(conn);
        w.setLeaderEpoch(lease->epoch());
        QSignalSpy committed(w.writer, &StorageWriter::committed);
        QSignalSpy cut(lease.get(), &SchedulerLease::connectionLost);
        QSignalSpy regained(lease.get(), &SchedulerLease::regained);
        QSignalSpy lost(lease.get(), &SchedulerLease::lost);
        lease->startChecking(100);
        terminateLeaseConnections();
        QTRY_COMPARE_WITH_TIMEOUT(cut.size(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(regained.size(), 1, 10000);
        QCOMPARE(lost.size(), 0);
        w.submit(1, workflowWithTask(1, 1));
        QTRY_COMPARE_WITH_TIMEOUT(flatten(committed), QList<quint64>{1}, 10000);
    }

    // A standby took the lock while the old scheduler was cut off: the old one learns it has
    // lost for good, and its writer commits nothing more (the epoch fences it).
    void aSchedulerWhoseLockWasTakenCommitsNothingMore()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        std::unique_ptr<SchedulerLease> old = lead(conn, 'a');
        QVERIFY(old);
        WriterThread w(conn);
        w.setLeaderEpoch(old->epoch());
        QSignalSpy committed(w.writer, &StorageWriter::committed);
        QSignalSpy fenced(w.writer, &StorageWriter::fenced);
        w.submit(1, workflowWithTask(1, 1));
        QTRY_COMPARE_WITH_TIMEOUT(committed.size(), 1, 10000);

        terminateLeaseConnections();
        std::unique_ptr<SchedulerLease> standby = lead(conn, 'b');
        QVERIFY(standby);
        QCOMPARE(standby->epoch(), old->epoch() + 1);

        QSignalSpy lost(old.get(), &SchedulerLease::lost);
        QSignalSpy regained(old.get(), &SchedulerLease::regained);
        old->startChecking(100);
        QTRY_COMPARE_WITH_TIMEOUT(lost.size(), 1, 10000);
        QCOMPARE(regained.size(), 0);

        w.submit(2, workflowWithTask(2, 2));
        QTRY_COMPARE_WITH_TIMEOUT(fenced.size(), 1, 10000);
        QTest::qWait(300);
        QCOMPARE(committed.size(), 1);
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM workflows")),
                 QStringLiteral("1"));
    }

    // The connection dies during COMMIT, once after the server committed (the work went in;
    // committing it again would double its events) and once before the COMMIT reached the
    // server (it was rolled back; not committing it again would lose it). The writer asks the
    // database which one happened, and every change set is in exactly once.
    void aCommitWhoseOutcomeIsUnknownIsSettledExactlyOnce_data()
    {
        QTest::addColumn<int>("twoPartsFrom");
        QTest::newRow("one transaction") << std::numeric_limits<int>::max();
        QTest::newRow("two parts") << 1;
    }
    void aCommitWhoseOutcomeIsUnknownIsSettledExactlyOnce()
    {
        QFETCH(int, twoPartsFrom);
        const QString conn = TestDatabase::instance().createDatabase();
        const QRegularExpressionMatch at =
            QRegularExpression(QStringLiteral("host=(\\S+) port=(\\d+)")).match(conn);
        QVERIFY(at.hasMatch());
        QTemporaryDir proxyDir(QStringLiteral("/tmp/alabos-cut-XXXXXX"));
        test::PgCutProxy proxy(at.captured(1), proxyDir.path(), at.captured(2).toInt());
        QVERIFY(proxy.listening());
        QString throughProxy = conn;
        throughProxy.replace(at.capturedStart(1), at.capturedLength(1), proxyDir.path());

        std::unique_ptr<SchedulerLease> lease = lead(conn, 'a');
        QVERIFY(lease);
        WriterThread w(throughProxy, twoPartsFrom);
        w.setLeaderEpoch(lease->epoch());
        QSignalSpy committed(w.writer, &StorageWriter::committed);
        QSignalSpy connection(w.writer, &StorageWriter::connectionChanged);
        w.submit(1, workflowWithTask(1, 1));
        QTRY_COMPARE_WITH_TIMEOUT(flatten(committed), QList<quint64>{1}, 10000);

        proxy.arm(test::PgCutProxy::Cut::AfterCommit);
        w.submit(2, workflowWithTask(2, 2));
        QTRY_COMPARE_WITH_TIMEOUT(flatten(committed), (QList<quint64>{1, 2}), 15000);
        QCOMPARE(proxy.cuts(), 1);
        QVERIFY(!connection.isEmpty()); // the writer did see its connection die

        proxy.arm(test::PgCutProxy::Cut::BeforeCommit);
        w.submit(3, workflowWithTask(3, 3));
        QTRY_COMPARE_WITH_TIMEOUT(flatten(committed), (QList<quint64>{1, 2, 3}), 15000);
        QCOMPARE(proxy.cuts(), 2);

        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM workflows")),
                 QStringLiteral("3"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM tasks")),
                 QStringLiteral("3"));
        // Two events per change set; an in-doubt group committed twice would show six of its.
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM events")),
                 QStringLiteral("6"));
        QCOMPARE(test::queryValue(
                     conn, QStringLiteral("SELECT count(DISTINCT payload->>'id') FROM events "
                                          "WHERE entity_type = 'task'")),
                 QStringLiteral("3"));
        QCOMPARE(preparedTransactions(conn), QStringLiteral("0"));
    }

private:
    // Takes the scheduler lock and announces a scheduler whose key is 32 times `key`.
    static std::unique_ptr<SchedulerLease> lead(const QString &conn, char key)
    {
        QString error;
        std::unique_ptr<SchedulerLease> lease = SchedulerLease::tryAcquire(conn, &error);
        if (lease && !lease->announce(QStringLiteral("127.0.0.1:1"), QByteArray(32, key), &error))
            lease.reset();
        if (!lease) qWarning().noquote() << error;
        return lease;
    }

    static void terminateLeaseConnections()
    {
        QCOMPARE(test::queryValue(
                     TestDatabase::instance().adminConnection(),
                     QStringLiteral("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                    "WHERE application_name = 'alabos-scheduler-lease'")),
                 QStringLiteral("1"));
    }
};

QTEST_GUILESS_MAIN(TstStorageWriter)
#include "tst_storagewriter.moc"
