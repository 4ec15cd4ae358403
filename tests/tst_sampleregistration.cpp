// "sample.register" on the lab server: role, validation, all-or-nothing batches with their
// events, against the real PostgreSQL; and end to end through LabRuntime, the relay, the
// embedded Kafka broker and the console feed.
#include "app/labruntime.h"
#include "core/security/signatures.h"
#include "core/storage/samplequeries.h"
#include "core/storage/sampleregistrar.h"
#include "tests/support/servicecommand.h"
#include "tests/support/signin.h"
#include "tests/support/testdatabase.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <pqxx/pqxx>

using namespace alabos;
using test::queryValue;
using test::TestDatabase;

namespace {
OperatorCommand registration(const QStringList &barcodes, Role role = Role::Technician,
                             qint64 id = 1)
{
    QJsonArray samples;
    for (const QString &b : barcodes)
        samples.append(
            QJsonObject{{QStringLiteral("barcode"), b},
                        {QStringLiteral("name"), QStringLiteral("name of ") + b},
                        {QStringLiteral("metadata"),
                         QJsonObject{{QStringLiteral("mass_mg"), 12.5},
                                     {QStringLiteral("project"), QStringLiteral("LFP")}}}});
    OperatorCommand c;
    c.id = id;
    c.user = QStringLiteral("tina");
    c.host = QStringLiteral("bench-3");
    c.role = role;
    c.kind = QStringLiteral("sample.register");
    c.args = {{QStringLiteral("samples"), samples}};
    return c;
}

QStringList barcodes(const QString &prefix, int from, int count)
{
    QStringList out;
    for (int i = from; i < from + count; ++i)
        out << QStringLiteral("%1-%2").arg(prefix).arg(i, 5, 10, QLatin1Char('0'));
    return out;
}

// A registrar on its own thread, as the runtime runs it; ids from a counter standing in
// for the engine's allocator (the runtime test below uses the engine itself).
struct Registrar
{
    QThread thread;
    SampleRegistrar *registrar;
    std::atomic<qint64> nextId{1};
    explicit Registrar(const QString &connection)
    {
        registrar = new SampleRegistrar(connection, [this](int n) { return nextId.fetch_add(n); });
        registrar->moveToThread(&thread);
        thread.start();
    }
    ~Registrar()
    {
        QMetaObject::invokeMethod(
            registrar, [r = registrar] { delete r; }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
    CommandReply send(const OperatorCommand &c)
    {
        return test::runCommandVia(registrar, &SampleRegistrar::replied, &SampleRegistrar::handle,
                                   c);
    }
    // All queued before the registrar runs any of them, as concurrent API requests arrive;
    // the replies by command id.
    QHash<qint64, CommandReply> sendAll(const QList<OperatorCommand> &commands)
    {
        QSignalSpy spy(registrar, &SampleRegistrar::replied);
        QMetaObject::invokeMethod(
            registrar,
            [r = registrar, commands] {
                for (const OperatorCommand &c : commands)
                    r->handle(c);
            },
            Qt::QueuedConnection);
        QElapsedTimer t;
        t.start();
        while (spy.size() < commands.size() && t.elapsed() < 30000)
            spy.wait(1000);
        QHash<qint64, CommandReply> replies;
        for (const auto &args : spy) {
            const auto reply = args.first().value<CommandReply>();
            replies.insert(reply.commandId, reply);
        }
        return replies;
    }
};

// Runs SQL that returns nothing; false (with a warning) when it failed.
bool execute(const QString &conn, const QString &sql)
{
    try {
        pqxx::connection c(conn.toStdString());
        pqxx::nontransaction tx(c);
        tx.exec(sql.toStdString());
        return true;
    } catch (const std::exception &e) {
        qWarning() << e.what();
        return false;
    }
}

QString count(const QString &conn, const QString &table, const QString &where = {})
{
    return queryValue(conn, QStringLiteral("SELECT count(*) FROM %1 %2").arg(table, where));
}
} // namespace

class TstSampleRegistration : public QObject
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

    void registersABatchWithItsEvents()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        Registrar r(conn);
        const CommandReply reply = r.send(registration(barcodes(QStringLiteral("LFP"), 1, 250)));
        QVERIFY2(reply.ok, qPrintable(reply.message));
        QCOMPARE(reply.message, QStringLiteral("Registered 250 sample(s)"));
        QCOMPARE(reply.data.value(QLatin1StringView("count")).toInt(), 250);
        QCOMPARE(reply.data.value(QLatin1StringView("first_id")).toInteger(), 1);
        QCOMPARE(reply.data.value(QLatin1StringView("last_id")).toInteger(), 250);
        QCOMPARE(count(conn, QStringLiteral("samples")), QStringLiteral("250"));
        QCOMPARE(count(conn, QStringLiteral("events"),
                       QStringLiteral("WHERE kind = 'sample.registered'")),
                 QStringLiteral("250"));
        QCOMPARE(
            queryValue(conn,
                       QStringLiteral(
                           "SELECT metadata->>'name' FROM samples WHERE barcode = 'LFP-00007'")),
            QStringLiteral("name of LFP-00007"));
        QCOMPARE(
            queryValue(conn, QStringLiteral(
                                 "SELECT metadata->>'registered_by' FROM samples WHERE id = 250")),
            QStringLiteral("tina"));
        QCOMPARE(
            queryValue(conn, QStringLiteral(
                                 "SELECT (metadata->>'mass_mg')::float FROM samples WHERE id = 3")),
            QStringLiteral("12.5"));
        // The event carries the sample's whole state, as every state event does.
        QCOMPARE(queryValue(conn, QStringLiteral(
                                      "SELECT payload->>'barcode' FROM events WHERE entity_type = "
                                      "'sample' AND entity_id = '3'")),
                 QStringLiteral("LFP-00003"));
    }

    void deletesSamplesAllOrNoneKeepingTheirRecord()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        Registrar r(conn);
        QVERIFY(r.send(registration(barcodes(QStringLiteral("DEL"), 1, 4))).ok);
        const auto deletion = [](const QStringList &barcodes, const QString &reason,
                                 Role role = Role::Supervisor) {
            OperatorCommand c;
            c.id = 50;
            c.user = QStringLiteral("sam");
            c.host = QStringLiteral("bench-1");
            c.role = role;
            c.kind = QStringLiteral("sample.delete");
            c.args = {{QStringLiteral("barcodes"), QJsonArray::fromStringList(barcodes)},
                      {QStringLiteral("reason"), reason}};
            return c;
        };
        const QString one = QStringLiteral("DEL-00001"), two = QStringLiteral("DEL-00002"),
                      three = QStringLiteral("DEL-00003");
        // Sample DEL-00002 is in a running workflow.
        QVERIFY(
            execute(conn, QStringLiteral("INSERT INTO workflows (id, template, status, created_at) "
                                         "VALUES (9, 'x', 'running', now()); UPDATE samples SET "
                                         "workflow_id = 9 WHERE barcode = 'DEL-00002'")));

        // Refused, naming why, and nothing deleted: the role, the reason, the list, unknown
        // and busy samples (all of the batch or none).
        const auto refused = [&](const OperatorCommand &c, const QString &expected) {
            const CommandReply reply = r.send(c);
            QVERIFY2(!reply.ok && reply.message.contains(expected), qPrintable(reply.message));
        };
        refused(deletion({one}, QStringLiteral("broken vial"), Role::Technician),
                QStringLiteral("lacks the permission \"sample_delete\""));
        if (QTest::currentTestFailed()) return;
        refused(deletion({one}, QStringLiteral("   ")), QStringLiteral("args.reason"));
        refused(deletion({one}, QString(501, u'r')), QStringLiteral("1 to 500 characters"));
        refused(deletion({one}, QStringLiteral("bad\x01")), QStringLiteral("control character"));
        refused(deletion({}, QStringLiteral("x")), QStringLiteral("args.barcodes"));
        refused(deletion({one, one}, QStringLiteral("x")), QStringLiteral("twice"));
        refused(deletion({one, QStringLiteral("NOPE-1")}, QStringLiteral("x")),
                QStringLiteral("1 sample(s) not registered: NOPE-1"));
        refused(deletion({one, two}, QStringLiteral("x")),
                QStringLiteral("in a running workflow (cancel it first): DEL-00002 (workflow 9)"));
        if (QTest::currentTestFailed()) return;
        QCOMPARE(
            count(conn, QStringLiteral("samples"), QStringLiteral("WHERE deleted_at IS NOT NULL")),
            QStringLiteral("0"));
        QCOMPARE(count(conn, QStringLiteral("audit_log"),
                       QStringLiteral("WHERE action = 'sample.delete_refused'")),
                 QStringLiteral("8"));

        // Deleted: the row stays with who, when and why, out of its position; one event each
        // and one audit row.
        QVERIFY(execute(conn, QStringLiteral("UPDATE samples SET position = 'rack-1/3' "
                                             "WHERE barcode = 'DEL-00003'")));
        const CommandReply done = r.send(deletion({one, three}, QStringLiteral(" broken vial ")));
        QVERIFY2(done.ok, qPrintable(done.message));
        QCOMPARE(done.message, QStringLiteral("Deleted 2 sample(s)"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT string_agg(barcode || ' ' || deleted_by "
                                                 "|| ' ' || deleted_reason || ' ' || "
                                                 "coalesce(position, '-'), ',' ORDER BY barcode) "
                                                 "FROM samples WHERE deleted_at IS NOT NULL")),
                 QStringLiteral("DEL-00001 sam broken vial -,DEL-00003 sam broken vial -"));
        QCOMPARE(count(conn, QStringLiteral("events"),
                       QStringLiteral("WHERE kind = 'sample.deleted' AND "
                                      "(payload->>'deleted_us')::bigint > 0 AND "
                                      "payload->>'reason' = 'broken vial'")),
                 QStringLiteral("2"));
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT detail->>'count' || ' ' || "
                                                 "(detail->>'reason') FROM audit_log WHERE action "
                                                 "= 'sample.deleted'")),
                 QStringLiteral("2 broken vial"));
        // The event decodes as a sample state that says it is deleted.
        const auto event = SampleState::fromJson(
            QJsonDocument::fromJson(
                queryValue(conn, QStringLiteral("SELECT payload::text FROM events WHERE kind = "
                                                "'sample.deleted' ORDER BY id LIMIT 1"))
                    .toUtf8())
                .object());
        QVERIFY(event && event->deletedUs > 0 && event->position.isEmpty());

        // Once deleted: not again, not registered again, not found by a search; found by its
        // barcode, marked deleted.
        refused(deletion({one}, QStringLiteral("again")),
                QStringLiteral("1 sample(s) deleted already: DEL-00001"));
        const CommandReply again = r.send(registration({one}));
        QVERIFY2(!again.ok && again.message.contains(QStringLiteral("already registered")),
                 qPrintable(again.message));
        pqxx::connection c(conn.toStdString());
        pqxx::read_transaction tx(c);
        bool more = false;
        const QList<SampleState> found = searchSamples(tx, QStringLiteral("DEL-"), 10, &more);
        QCOMPARE(found.size(), 2); // DEL-00002 and DEL-00004
        const auto byBarcode = findSample(tx, 0, one);
        QVERIFY(byBarcode && byBarcode->deletedUs > 0);
    }

    void aSignaturePolicyCoversSampleDeletion()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        Registrar r(conn);
        QVERIFY(r.send(registration({QStringLiteral("SIG-1")})).ok);
        auto authority = std::make_shared<SignatureAuthority>();
        authority->setPolicy({{QStringLiteral("sample.delete")}, {QStringLiteral("Approved")}});
        QMetaObject::invokeMethod(
            r.registrar, [reg = r.registrar, authority] { reg->setSignatures(authority); },
            Qt::BlockingQueuedConnection);
        OperatorCommand c;
        c.id = 70;
        c.user = QStringLiteral("sam");
        c.host = QStringLiteral("bench-1");
        c.role = Role::Supervisor;
        c.kind = QStringLiteral("sample.delete");
        c.args = {{QStringLiteral("barcodes"), QJsonArray{QStringLiteral("SIG-1")}},
                  {QStringLiteral("reason"), QStringLiteral("mislabelled")}};
        CommandReply reply = r.send(c);
        QVERIFY2(!reply.ok &&
                     reply.message.contains(QStringLiteral("needs an electronic signature")),
                 qPrintable(reply.message));
        // A signature made for another command does not pass for this one.
        OperatorCommand other = c;
        other.args.insert(QStringLiteral("reason"), QStringLiteral("something else"));
        c.signature = authority->sign(other, QStringLiteral("Sam"),
                                      {QStringLiteral("pw"), QStringLiteral("Approved"), {}});
        reply = r.send(c);
        QVERIFY2(!reply.ok && reply.message.contains(QStringLiteral("not made for this command")),
                 qPrintable(reply.message));
        QCOMPARE(
            count(conn, QStringLiteral("samples"), QStringLiteral("WHERE deleted_at IS NOT NULL")),
            QStringLiteral("0"));
        c.signature = authority->sign(c, QStringLiteral("Sam"),
                                      {QStringLiteral("pw"), QStringLiteral("Approved"), {}});
        reply = r.send(c);
        QVERIFY2(reply.ok, qPrintable(reply.message));
        QCOMPARE(reply.data.value(QLatin1StringView("signature"))
                     .toObject()
                     .value(QLatin1StringView("reason"))
                     .toString(),
                 QStringLiteral("Approved"));
        // Stored with the action, without the MAC: the audit row and the event.
        QCOMPARE(queryValue(conn, QStringLiteral("SELECT (detail->'signature'->>'name') || ' ' || "
                                                 "(detail->'signature' ? 'mac')::text FROM "
                                                 "audit_log WHERE action = 'sample.deleted'")),
                 QStringLiteral("Sam false"));
        QCOMPARE(count(conn, QStringLiteral("events"),
                       QStringLiteral("WHERE kind = 'sample.deleted' AND "
                                      "payload->'signature'->>'reason' = 'Approved'")),
                 QStringLiteral("1"));
    }

    void refusesDuplicatesAndWritesNothing()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        Registrar r(conn);
        QVERIFY(r.send(registration(barcodes(QStringLiteral("LFP"), 1, 100))).ok);
        // 100 new ones and two that exist: all refused, both named.
        QStringList batch = barcodes(QStringLiteral("NMC"), 1, 100);
        batch << QStringLiteral("LFP-00042") << QStringLiteral("LFP-00007");
        const CommandReply reply = r.send(registration(batch));
        QVERIFY(!reply.ok);
        QCOMPARE(reply.message,
                 QStringLiteral("Nothing registered: 2 barcode(s) already registered: "
                                "LFP-00007, LFP-00042"));
        QCOMPARE(reply.data.value(QLatin1StringView("duplicates")).toArray().size(), 2);
        QCOMPARE(count(conn, QStringLiteral("samples")), QStringLiteral("100"));
        QCOMPARE(count(conn, QStringLiteral("events")), QStringLiteral("100"));
        QCOMPARE(
            count(conn, QStringLiteral("samples"), QStringLiteral("WHERE barcode LIKE 'NMC%'")),
            QStringLiteral("0"));
        // The refusal is in the audit trail, with who and how many.
        QCOMPARE(
            count(conn, QStringLiteral("audit_log"),
                  QStringLiteral("WHERE action = 'sample.register_refused' AND user_name = 'tina' "
                                 "AND (detail->>'count')::int = 102")),
            QStringLiteral("1"));

        // The same barcode twice in one request: refused before the database is asked.
        const CommandReply twice = r.send(registration(
            {QStringLiteral("A-001"), QStringLiteral("A-002"), QStringLiteral("A-001")}));
        QVERIFY(!twice.ok);
        QCOMPARE(twice.message,
                 QStringLiteral("Nothing registered: barcode \"A-001\" appears twice in "
                                "the request (samples[0] and samples[2])"));
        QCOMPARE(count(conn, QStringLiteral("samples")), QStringLiteral("100"));
    }

    // Many small requests at once share transactions, yet each is answered on its own: a
    // duplicate of an earlier request in the same group, one of a barcode already stored,
    // an invalid one and a forbidden one are refused, every other one is written.
    void concurrentRequestsAreEachAnsweredAndWrittenOnce()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        Registrar r(conn);
        QVERIFY(r.send(registration({QStringLiteral("OLD-1")}, Role::Technician, 1)).ok);
        QList<OperatorCommand> commands;
        for (int i = 0; i < 300; ++i)
            commands << registration({QStringLiteral("C-%1").arg(i), QStringLiteral("D-%1").arg(i)},
                                     Role::Technician, 100 + i);
        commands << registration({QStringLiteral("X-1"), QStringLiteral("C-7")}, Role::Technician,
                                 1000); // C-7 is in request 107
        commands << registration({QStringLiteral("X-2"), QStringLiteral("OLD-1")}, Role::Technician,
                                 1001);
        commands << registration({QString()}, Role::Technician, 1002);
        commands << registration({QStringLiteral("X-4")}, Role::Operator, 1003);
        const auto replies = r.sendAll(commands);
        QCOMPARE(replies.size(), commands.size());
        QSet<qint64> ids;
        for (int i = 0; i < 300; ++i) {
            const CommandReply reply = replies.value(100 + i);
            QVERIFY2(reply.ok, qPrintable(QString::number(100 + i) + u' ' + reply.message));
            const qint64 first = reply.data.value(QLatin1StringView("first_id")).toInteger();
            QCOMPARE(reply.data.value(QLatin1StringView("last_id")).toInteger(), first + 1);
            ids << first << first + 1;
        }
        QCOMPARE(ids.size(), 600); // no id given twice
        QVERIFY(!replies.value(1000).ok);
        QCOMPARE(replies.value(1000).data.value(QLatin1StringView("duplicates")).toArray(),
                 QJsonArray{QStringLiteral("C-7")});
        QVERIFY(!replies.value(1001).ok);
        QCOMPARE(replies.value(1001).data.value(QLatin1StringView("duplicates")).toArray(),
                 QJsonArray{QStringLiteral("OLD-1")});
        QVERIFY(!replies.value(1002).ok);
        QVERIFY(!replies.value(1003).ok);
        QCOMPARE(count(conn, QStringLiteral("samples")), QStringLiteral("601"));
        QCOMPARE(count(conn, QStringLiteral("events"),
                       QStringLiteral("WHERE kind = 'sample.registered'")),
                 QStringLiteral("601"));
        QCOMPARE(count(conn, QStringLiteral("samples"), QStringLiteral("WHERE barcode LIKE 'X-%'")),
                 QStringLiteral("0"));
        // One audit row per request written and per request refused.
        QCOMPARE(count(conn, QStringLiteral("audit_log"),
                       QStringLiteral("WHERE action = 'sample.register_batch'")),
                 QStringLiteral("301"));
        QCOMPARE(count(conn, QStringLiteral("audit_log"),
                       QStringLiteral("WHERE action = 'sample.register_refused'")),
                 QStringLiteral("4"));
        // The 300 shared a few transactions (each stamps its rows with one time), not 300.
        const int transactions =
            queryValue(conn, QStringLiteral("SELECT count(DISTINCT created_at) FROM events "
                                            "WHERE kind = 'sample.registered' AND "
                                            "payload->>'barcode' LIKE 'C-%'"))
                .toInt();
        QVERIFY2(transactions >= 1 && transactions <= 5, qPrintable(QString::number(transactions)));
    }

    void refusesRolesAndMalformedRequests()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        Registrar r(conn);
        const CommandReply operatorReply =
            r.send(registration({QStringLiteral("X-001")}, Role::Operator));
        QVERIFY(!operatorReply.ok);
        QCOMPARE(operatorReply.message, QStringLiteral("tina (operator) may not register samples"));
        QVERIFY(r.send(registration({QStringLiteral("X-001")}, Role::Supervisor)).ok);

        auto refused = [&](const QJsonObject &args) {
            OperatorCommand c = registration({});
            c.args = args;
            const CommandReply reply = r.send(c);
            return reply.ok ? QStringLiteral("accepted") : reply.message;
        };
        QCOMPARE(refused({}),
                 QStringLiteral("Nothing registered: \"samples\" must be a list of samples"));
        QCOMPARE(refused({{QStringLiteral("samples"), QJsonArray{}}}),
                 QStringLiteral("Nothing registered: no samples to register"));
        QCOMPARE(
            refused({{QStringLiteral("samples"),
                      QJsonArray{QJsonObject{{QStringLiteral("barcode"), QStringLiteral("B-1")}},
                                 QJsonObject{{QStringLiteral("name"), QStringLiteral("x")}}}}}),
            QStringLiteral("Nothing registered: samples[1]: \"barcode\" is missing"));
        QCOMPARE(
            refused(
                {{QStringLiteral("samples"),
                  QJsonArray{QJsonObject{{QStringLiteral("barcode"), QStringLiteral("B 1")}}}}}),
            QStringLiteral("Nothing registered: samples[0]: barcode \"B 1\" contains a space or a "
                           "control character"));
        QCOMPARE(
            refused({{QStringLiteral("samples"),
                      QJsonArray{QJsonObject{{QStringLiteral("barcode"), QStringLiteral("B-1")},
                                             {QStringLiteral("metadata"), 5}}}}}),
            QStringLiteral("Nothing registered: samples[0]: \"metadata\" must be an object"));
        // Every text that would reach an event is bounded, and control characters are refused.
        auto one = [](const QJsonObject &fields) {
            QJsonObject sample = fields;
            sample.insert(QStringLiteral("barcode"), QStringLiteral("B-9"));
            return QJsonObject{{QStringLiteral("samples"), QJsonArray{sample}}};
        };
        QCOMPARE(
            refused(one({{QStringLiteral("name"), QString(201, u'n')}})),
            QStringLiteral(
                "Nothing registered: samples[0] (B-9): \"name\" has 201 characters; at most 200"));
        QCOMPARE(refused(one({{QStringLiteral("name"), QStringLiteral("a\u0000b")}})),
                 QStringLiteral("Nothing registered: samples[0] (B-9): \"name\" contains a control "
                                "character (U+0000)"));
        QCOMPARE(refused(one({{QStringLiteral("metadata"),
                               QJsonObject{{QStringLiteral("note"), QString(2001, u'x')}}}})),
                 QStringLiteral("Nothing registered: samples[0] (B-9): \"metadata.note\" has 2001 "
                                "characters; at most 2000"));
        QCOMPARE(
            refused(one(
                {{QStringLiteral("metadata"),
                  QJsonObject{{QStringLiteral("steps"),
                               QJsonArray{QStringLiteral("ok"), QStringLiteral("bell\u0007")}}}}})),
            QStringLiteral("Nothing registered: samples[0] (B-9): \"metadata.steps[1]\" contains a "
                           "control character (U+0007)"));
        QJsonObject wide;
        for (int i = 0; i < 10; ++i)
            wide.insert(QStringLiteral("field%1").arg(i), QString(1000, u'w'));
        QVERIFY(refused(one({{QStringLiteral("metadata"), wide}}))
                    .contains(QStringLiteral("at most 8192")));
        QCOMPARE(count(conn, QStringLiteral("samples"), QStringLiteral("WHERE barcode = 'B-9'")),
                 QStringLiteral("0"));
        // The database refuses what a command would (another client of it, a bug).
        QString constraint;
        try {
            test::queryValue(
                conn, QStringLiteral("INSERT INTO samples (id, barcode, metadata, created_at) "
                                     "VALUES (99999, repeat('b', 65), '{}', now()) RETURNING 1"));
        } catch (const pqxx::check_violation &e) {
            constraint = QString::fromUtf8(e.what());
        }
        QVERIFY2(constraint.contains(QStringLiteral("samples_barcode_length")),
                 qPrintable(constraint));
        QJsonArray tooMany;
        for (const QString &b : barcodes(QStringLiteral("M"), 0, 1001))
            tooMany.append(QJsonObject{{QStringLiteral("barcode"), b}});
        QCOMPARE(refused({{QStringLiteral("samples"), tooMany}}),
                 QStringLiteral("Nothing registered: 1001 samples in one request; at most 1000"));
        QCOMPARE(count(conn, QStringLiteral("samples")), QStringLiteral("1"));
    }

    // The whole path: a console's command to the runtime, the registrar, PostgreSQL, the
    // relay, Kafka and back into the console feed; ids from the engine's allocator.
    void endToEndThroughTheRuntime()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        // A sample the engine already knows of, so its ids do not start at 1.
        queryValue(conn, QStringLiteral("INSERT INTO samples (id, barcode, metadata, created_at) "
                                        "VALUES (41, 'OLD-1', '{}', now()) RETURNING id"));
        Options options;
        options.databaseUrl = conn;
        options.shutdownGraceMs = 0;
        LabRuntime runtime(options);
        QString error;
        QVERIFY2(runtime.start(&error), qPrintable(error));
        const QString session =
            test::signIn(runtime, QStringLiteral("tina"), Role::Technician, &error);
        QVERIFY2(!session.isEmpty(), qPrintable(error));
        QSignalSpy replies(&runtime, &LabRuntime::commandReplied);
        QSet<QString> seen;
        runtime.subscribeFeed(this, [&](const FeedUpdate &u) {
            for (const SampleState &s : u.samples)
                if (s.barcode.startsWith(QLatin1StringView("RT"))) // the snapshot also holds OLD-1
                    seen.insert(s.barcode);
        });
        OperatorCommand first =
            registration(barcodes(QStringLiteral("RT"), 1, 1000), Role::Technician, 7);
        first.session = session;
        runtime.dispatchCommand(first);
        QVERIFY(replies.wait(30000));
        const auto reply = replies.first().first().value<CommandReply>();
        QCOMPARE(reply.commandId, 7);
        QVERIFY2(reply.ok, qPrintable(reply.message));
        QCOMPARE(reply.data.value(QLatin1StringView("first_id")).toInteger(), 42);
        QCOMPARE(count(conn, QStringLiteral("samples")), QStringLiteral("1001"));
        QCOMPARE(count(conn, QStringLiteral("events"),
                       QStringLiteral("WHERE kind = 'sample.registered'")),
                 QStringLiteral("1000"));
        QTRY_COMPARE_WITH_TIMEOUT(seen.size(), 1000, 30000);

        // A duplicate through the runtime: refused, named, nothing written.
        replies.clear();
        OperatorCommand duplicate = registration(
            {QStringLiteral("NEW-1"), QStringLiteral("RT-00500")}, Role::Technician, 8);
        duplicate.session = session;
        runtime.dispatchCommand(duplicate);
        QVERIFY(replies.wait(30000));
        const auto refused = replies.first().first().value<CommandReply>();
        QVERIFY(!refused.ok);
        QCOMPARE(refused.message,
                 QStringLiteral("Nothing registered: 1 barcode(s) already registered: RT-00500"));
        QCOMPARE(count(conn, QStringLiteral("samples")), QStringLiteral("1001"));
        runtime.stop();
    }
};

QTEST_GUILESS_MAIN(TstSampleRegistration)
#include "tst_sampleregistration.moc"
