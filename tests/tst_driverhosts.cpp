// Driver hosts, end to end with the real binaries: a scheduler runs a lab whose devices all
// live on two driver hosts (separate alabos --drivers-only processes). Workflows run on them;
// one host is killed with SIGKILL mid-run and started again; every task completes exactly
// once, and each host's own record of what it ran shows no command run twice. A signed
// command delivered again is not run again, and a report nobody signed is not believed.
#include "core/bus/kafka.h"
#include "core/bus/streamsigning.h"
#include "core/bus/topics.h"
#include "core/remote/devicemessages.h"
#include "core/security/crypto.h"
#include "core/storage/embeddedpostgres.h"
#include "tests/support/alabosprocess.h"
#include "tests/support/testdatabase.h"
#include "tests/support/topicreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using alabos::test::Alabos;

namespace {

constexpr int kWorkflows = 16;
constexpr int kTasksPerWorkflow = 2;

const char *kTemplate = R"({"name": "weigh-twice", "tasks": [
  {"name": "first", "device_type": "balance", "command": "weigh", "duration_s": 15},
  {"name": "second", "device_type": "balance", "command": "weigh", "duration_s": 15,
   "depends_on": ["first"]}
]})";

QJsonObject lab()
{
    QJsonArray devices;
    for (const char *host : {"pc-a", "pc-b"})
        for (int i = 1; i <= 3; ++i)
            devices.append(
                QJsonObject{{QStringLiteral("id"),
                             QStringLiteral("bal-%1%2").arg(QLatin1StringView(host + 3)).arg(i)},
                            {QStringLiteral("type"), QStringLiteral("balance")},
                            {QStringLiteral("driver"), QStringLiteral("simulated")},
                            {QStringLiteral("driver_host"), QLatin1StringView(host)},
                            {QStringLiteral("acceleration"), 10}});
    return {{QStringLiteral("alabos_lab"), 1},
            {QStringLiteral("name"), QStringLiteral("two driver hosts")},
            {QStringLiteral("devices"), devices}};
}

bool writeLab(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(QJsonDocument(lab()).toJson()) > 0;
}

qint64 count(const QString &db, const QString &sql)
{
    return alabos::test::queryValue(db, sql).toLongLong();
}

QStringList hostArgs(const QString &labPath, const QString &host, const QString &db,
                     const QString &dataDir)
{
    return {QStringLiteral("--drivers-only"),
            QStringLiteral("--lab"),
            labPath,
            QStringLiteral("--host"),
            host,
            QStringLiteral("--database-url"),
            db,
            QStringLiteral("--data-dir"),
            dataDir};
}

// What a host says it ran to a good end: "command N on DEVICE ended: ok".
QMultiHash<qint64, QString> completedRuns(const QString &log)
{
    QMultiHash<qint64, QString> runs;
    static const QRegularExpression re(QStringLiteral("command (\\d+) on (\\S+) ended: ok"));
    for (auto it = re.globalMatch(log); it.hasNext();) {
        const auto m = it.next();
        runs.insert(m.captured(1).toLongLong() / 1000, m.captured(2)); // by task id
    }
    return runs;
}

// Starts driver host `name` and waits until it runs its three devices.
void startHost(Alabos &host, const QString &bin, const QString &labPath, const QString &name,
               const QString &db, const QString &dataDir)
{
    host.start(bin, hostArgs(labPath, name, db, dataDir));
    QVERIFY2(host.waitFor(QStringLiteral("driver host %1 runs 3 devices").arg(name)).hasMatch(),
             qPrintable(host.text() + host.errors()));
}

// Exact counts in PostgreSQL once every workflow completed: each task once.
void checkEveryTaskCompletedOnce(const QString &db)
{
    QTRY_COMPARE_WITH_TIMEOUT(
        count(db, QStringLiteral("SELECT count(*) FROM workflows WHERE status = 'completed'")),
        kWorkflows, 240000);
    QCOMPARE(count(db, QStringLiteral("SELECT count(*) FROM tasks")),
             kWorkflows * kTasksPerWorkflow);
    QCOMPARE(count(db, QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'")),
             kWorkflows * kTasksPerWorkflow);
    QCOMPARE(count(db, QStringLiteral("SELECT count(*) FROM events WHERE kind = 'task.completed'")),
             kWorkflows * kTasksPerWorkflow);
}

// From the hosts' own logs: every task's command ran to its end exactly once.
QMultiHash<qint64, QString> checkNoTaskRanTwice(const QStringList &hostLogs)
{
    QMultiHash<qint64, QString> runs;
    for (const QString &log : hostLogs)
        runs.unite(completedRuns(log));
    [&] {
        QCOMPARE(runs.size(), kWorkflows * kTasksPerWorkflow);
        for (const qint64 task : runs.uniqueKeys())
            QVERIFY2(runs.count(task) == 1,
                     qPrintable(QStringLiteral("task %1 ran twice").arg(task)));
    }();
    return runs;
}

} // namespace

class TstDriverHosts : public QObject
{
    Q_OBJECT
    QString m_bin;

private Q_SLOTS:
    void initTestCase()
    {
        m_bin = qEnvironmentVariable("ALABOS_BIN");
        if (m_bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
    }

    void messagesRoundTripAndRefuseBadInput()
    {
        alabos::RemoteCommand c;
        c.kind = alabos::RemoteCommand::Kind::Execute;
        c.host = QStringLiteral("pc-a");
        c.deviceId = QStringLiteral("bal-a1");
        c.epoch = 7;
        c.sentAtMs = 1700000000000;
        c.command = {
            42001, c.deviceId, QStringLiteral("weigh"), {{QStringLiteral("duration_s"), 15}}, 42};
        const auto back = alabos::decodeRemoteCommand(alabos::encodeRemoteCommand(c), nullptr);
        QVERIFY(back);
        QCOMPARE(back->command.id, 42001);
        QCOMPARE(back->command.name, QStringLiteral("weigh"));
        QCOMPARE(back->epoch, 7);
        for (const QByteArray &bad :
             {QByteArray("not json"), QByteArray("{\"v\":2}"),
              QByteArray("{\"v\":1,\"kind\":\"run\"}"),
              QByteArray(
                  "{\"v\":1,\"kind\":\"query\",\"host\":\"pc a\",\"device\":\"d\",\"epoch\":1,"
                  "\"sent_at\":1,\"query_id\":1}"),
              QByteArray(
                  "{\"v\":1,\"kind\":\"execute\",\"host\":\"pc-a\",\"device\":\"d\",\"epoch\":-1,"
                  "\"sent_at\":1,\"command\":{}}"),
              QByteArray(2 * 1024 * 1024, ' ')}) {
            QString why;
            QVERIFY2(!alabos::decodeRemoteCommand(bad, &why), bad.left(80).constData());
            QVERIFY(!why.isEmpty());
        }
        alabos::HostReport r;
        r.kind = alabos::HostReport::Kind::State;
        r.host = QStringLiteral("pc-a");
        r.boot = QStringLiteral("b1");
        r.seq = 3;
        r.state.deviceId = QStringLiteral("bal-a1");
        r.state.status = alabos::DriverStatus::Busy;
        r.state.runningCommandId = 42001;
        r.answers = 99;
        r.linkUp = true;
        r.commands = {{QStringLiteral("weigh"), QStringLiteral("Weigh"), {}}};
        const auto report = alabos::decodeHostReport(alabos::encodeHostReport(r), nullptr);
        QVERIFY(report);
        QCOMPARE(report->state.runningCommandId, 42001);
        QCOMPARE(report->answers, 99);
        QCOMPARE(report->commands.size(), 1);
        QVERIFY(
            !alabos::decodeHostReport("{\"v\":1,\"kind\":\"result\",\"host\":\"pc-a\"}", nullptr));
    }

    void aReadingPastItsLimitOnADriverHostRaisesTheSchedulersAlarm()
    {
        // One furnace, run by driver host pc-a; its telemetry reaches the scheduler only
        // through Kafka and the persister, and the alarm rules see it there.
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-driverhosts-XXXXXX"));
        const QString dir = alabos::test::makeSharedTempDir(tmp);
        const QString labPath = dir + QStringLiteral("/lab.json");
        {
            QFile f(labPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QJsonDocument(
                        QJsonObject{{QStringLiteral("alabos_lab"), 1},
                                    {QStringLiteral("name"), QStringLiteral("a remote furnace")},
                                    {QStringLiteral("devices"),
                                     QJsonArray{QJsonObject{
                                         {QStringLiteral("id"), QStringLiteral("furnace-a1")},
                                         {QStringLiteral("type"), QStringLiteral("box_furnace")},
                                         {QStringLiteral("driver"), QStringLiteral("simulated")},
                                         {QStringLiteral("driver_host"), QStringLiteral("pc-a")},
                                         {QStringLiteral("acceleration"), 10}}}}})
                        .toJson());
        }
        const QString schedulerDir = dir + QStringLiteral("/scheduler");
        QVERIFY(QDir().mkpath(schedulerDir));
        Alabos scheduler;
        scheduler.process.setStandardErrorFile(dir + QStringLiteral("/scheduler.log"));
        const QString db = scheduler.startLab(m_bin, labPath, schedulerDir);
        QVERIFY2(!db.isEmpty(), qPrintable(scheduler.text()));
        Alabos host;
        host.process.setStandardErrorFile(dir + QStringLiteral("/pc-a.log"));
        host.start(m_bin,
                   hostArgs(labPath, QStringLiteral("pc-a"), db, dir + QStringLiteral("/pc-a")));
        QTRY_COMPARE_WITH_TIMEOUT(
            count(db, QStringLiteral("SELECT count(*) FROM device_states WHERE status = 'idle'")),
            1, 180000);
        // Fired at 1200 degrees: past the rule's 1150 warning (resources/alarms/rules.json).
        scheduler.send(alabos::test::headlessCommand(
            QStringLiteral("workflow.template.save"), QStringLiteral("fire-hot"),
            {{QStringLiteral("definition"),
              QJsonDocument::fromJson(R"({"name": "fire-hot", "tasks": [
                {"name": "fire", "device_type": "box_furnace", "command": "heat",
                 "duration_s": 30, "parameters": {"temperature_c": 1200,
                 "ramp_c_per_min": 30, "hold_min": 120}}]})")
                  .object()}}));
        QVERIFY2(scheduler.waitFor(QStringLiteral("reply to command 1 [^\\n]*accepted")).hasMatch(),
                 qPrintable(scheduler.text()));
        scheduler.send(alabos::test::headlessCommand(
            QStringLiteral("workflow.submit"), {},
            {{QStringLiteral("template"), QStringLiteral("fire-hot")},
             {QStringLiteral("barcodes"), QJsonArray{QStringLiteral("HOT-1")}}}));
        QVERIFY2(scheduler.waitFor(QStringLiteral("reply to command 2 [^\\n]*accepted")).hasMatch(),
                 qPrintable(scheduler.text()));
        QTRY_VERIFY_WITH_TIMEOUT(
            count(db, QStringLiteral("SELECT count(*) FROM events WHERE entity_type = 'alarm' AND "
                                     "kind = 'alarm.raised' AND payload->>'key' = "
                                     "'threshold:furnace-a1:temperature_c'")) > 0,
            90000);
        // The readings that raised it are the stored ones, from pc-a.
        QVERIFY(count(db, QStringLiteral("SELECT count(*) FROM telemetry WHERE device_id = "
                                         "'furnace-a1' AND value >= 1150")) > 0);
    }

    void aLabRunsOnTwoDriverHostsAndSurvivesTheLossOfOne()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-driverhosts-XXXXXX"));
        const QString dir = alabos::test::makeSharedTempDir(tmp);
        const QString labPath = dir + QStringLiteral("/lab.json");
        QVERIFY(writeLab(labPath));
        const QString schedulerDir = dir + QStringLiteral("/scheduler");
        QVERIFY(QDir().mkpath(schedulerDir));
        Alabos scheduler;
        const QString db = scheduler.startLab(m_bin, labPath, schedulerDir);
        QVERIFY2(!db.isEmpty(), qPrintable(scheduler.text() + scheduler.errors()));
        const QString bootstrap =
            scheduler.waitFor(QStringLiteral("Kafka bootstrap (\\S+)")).captured(1);
        QVERIFY(!bootstrap.isEmpty());

        // A host that is not in the lab file is refused with the hosts that are.
        {
            Alabos stranger;
            stranger.start(m_bin, hostArgs(labPath, QStringLiteral("pc-z"), db,
                                           dir + QStringLiteral("/pc-z")));
            QVERIFY(stranger.process.waitForFinished(30000));
            QCOMPARE(stranger.process.exitCode(), 1);
            const QString why = stranger.errors();
            QVERIFY2(why.contains(QLatin1StringView("pc-a, pc-b")), qPrintable(why));
        }

        auto hostA = std::make_unique<Alabos>();
        Alabos hostB;
        const QString dirA = dir + QStringLiteral("/pc-a");
        hostA->start(m_bin, hostArgs(labPath, QStringLiteral("pc-a"), db, dirA));
        hostB.start(m_bin,
                    hostArgs(labPath, QStringLiteral("pc-b"), db, dir + QStringLiteral("/pc-b")));
        QVERIFY2(hostA->waitFor(QStringLiteral("driver host pc-a runs 3 devices")).hasMatch(),
                 qPrintable(hostA->text() + hostA->errors()));
        QVERIFY2(hostB.waitFor(QStringLiteral("driver host pc-b runs 3 devices")).hasMatch(),
                 qPrintable(hostB.text() + hostB.errors()));
        QTRY_COMPARE_WITH_TIMEOUT(
            count(db, QStringLiteral("SELECT count(*) FROM device_states WHERE status = 'idle'")),
            6, 90000);

        scheduler.send(alabos::test::headlessCommand(
            QStringLiteral("workflow.template.save"), QStringLiteral("weigh-twice"),
            {{QStringLiteral("definition"), QJsonDocument::fromJson(kTemplate).object()}}));
        QVERIFY2(scheduler.waitFor(QStringLiteral("reply to command 1 [^\\n]*accepted")).hasMatch(),
                 qPrintable(scheduler.text()));
        for (int i = 0; i < kWorkflows; ++i)
            scheduler.send(alabos::test::headlessCommand(
                QStringLiteral("workflow.submit"), {},
                {{QStringLiteral("template"), QStringLiteral("weigh-twice")},
                 {QStringLiteral("barcodes"), QJsonArray{QStringLiteral("DH-%1").arg(i)}}}));
        QVERIFY2(
            scheduler
                .waitFor(QStringLiteral("reply to command %1 [^\\n]*accepted").arg(kWorkflows + 1))
                .hasMatch(),
            qPrintable(scheduler.text()));

        // Mid-run: host pc-a dies without a word, its devices go offline with the reason.
        QTRY_VERIFY_WITH_TIMEOUT(
            count(db, QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'")) >= 8,
            60000);
        ::kill(pid_t(hostA->process.processId()), SIGKILL);
        QVERIFY(hostA->process.waitForFinished(10000));
        hostA->out += hostA->process.readAllStandardOutput();
        const QString firstLifeA = hostA->errors();
        // The scheduler notices within its heartbeat limit; pc-a's devices get nothing new
        // (busy ones wait for their command's answer, idle ones go offline with the reason).
        QString schedulerLog;
        QTRY_VERIFY_WITH_TIMEOUT(
            (schedulerLog += scheduler.errors())
                .contains(QLatin1StringView("driver host pc-a has not been heard")),
            20000);
        // Noticed first, written with the next group commit.
        QTRY_COMPARE_WITH_TIMEOUT(
            count(db, QStringLiteral("SELECT count(*) FROM device_states WHERE id "
                                     "LIKE 'bal-a%' AND status = 'idle'")),
            0, 20000);
        // The operator sees an alarm for the host while it is away.
        const QString hostAlarm = QStringLiteral(
            "SELECT count(*) FROM events WHERE entity_type = 'alarm' AND kind = '%1' AND "
            "payload::text LIKE '%driverhost:pc-a%'");
        QTRY_VERIFY_WITH_TIMEOUT(count(db, hostAlarm.arg(QStringLiteral("alarm.raised"))) == 1,
                                 30000);
        // pc-b's devices keep working meanwhile.
        const qint64 before =
            count(db, QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'"));
        QTRY_VERIFY_WITH_TIMEOUT(
            count(db, QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'")) >
                before,
            30000);

        // A signed command delivered again: the host does not run it twice.
        const QList<alabos::test::TopicRecord> commands =
            alabos::test::readTopic(bootstrap, alabos::topic::DeviceCommands, 400, 5000);
        const alabos::test::TopicRecord *replayed = nullptr;
        for (const alabos::test::TopicRecord &r : commands)
            if (r.key.startsWith("bal-b") && r.value.contains("\"kind\":\"execute\""))
                replayed = &r;
        QVERIFY2(replayed, "no command for pc-b on alabos.device.commands");
        QString error;
        auto producer = alabos::KafkaProducer::create({bootstrap}, &error);
        QVERIFY2(producer, qPrintable(error));
        QVERIFY(producer->produce(alabos::topic::DeviceCommands, replayed->key, replayed->value,
                                  nullptr, &error, -1, 5000,
                                  replayed->headers.value(alabos::kSignatureHeader)));
        // A result nobody signed, for a device of pc-b: not believed.
        const QByteArray forged =
            QByteArrayLiteral("{\"v\":1,\"kind\":\"result\",\"host\":\"pc-b\",\"boot\":\"x\","
                              "\"seq\":1,\"sent_at\":") +
            QByteArray::number(QDateTime::currentMSecsSinceEpoch()) +
            QByteArrayLiteral(",\"device\":\"bal-b1\",\"result\":{\"command_id\":1,\"ok\":true}}");
        QVERIFY(producer->produce(alabos::topic::DeviceReports, "bal-b1", forged, nullptr, &error));
        // A command signed with the scheduler's own key but an older leadership epoch (a
        // scheduler that lost its lock): refused.
        {
            const auto key = alabos::SigningKey::loadOrCreate(
                schedulerDir + QStringLiteral("/keys/scheduler.ed25519"), &error);
            QVERIFY2(key, qPrintable(error));
            alabos::RemoteCommand stale;
            stale.kind = alabos::RemoteCommand::Kind::Execute;
            stale.host = QStringLiteral("pc-b");
            stale.deviceId = QStringLiteral("bal-b1");
            stale.epoch = 0;
            stale.sentAtMs = QDateTime::currentMSecsSinceEpoch();
            stale.command = {999001, stale.deviceId, QStringLiteral("weigh"), {}, 999};
            const QByteArray value = alabos::encodeRemoteCommand(stale);
            QVERIFY(producer->produce(
                alabos::topic::DeviceCommands, "bal-b1", value, nullptr, &error, -1, 5000,
                alabos::streamSignature(*key, alabos::topic::DeviceCommands, "bal-b1", value)));
        }
        QVERIFY(producer->flush(5000));

        // pc-a comes back on the same data directory: its devices report what they ran.
        hostA = std::make_unique<Alabos>();
        startHost(*hostA, m_bin, labPath, QStringLiteral("pc-a"), db, dirA);
        if (QTest::currentTestFailed()) return;
        checkEveryTaskCompletedOnce(db);
        if (QTest::currentTestFailed()) return;

        // Its alarm's condition ended when it was heard again.
        QTRY_VERIFY_WITH_TIMEOUT(
            count(db, hostAlarm.arg(QStringLiteral("alarm.returned"))) +
                    count(db, hostAlarm.arg(QStringLiteral("alarm.cleared"))) >=
                1,
            10000);
        ::kill(pid_t(hostA->process.processId()), SIGTERM);
        ::kill(pid_t(hostB.process.processId()), SIGTERM);
        QVERIFY(hostA->process.waitForFinished(30000));
        QVERIFY(hostB.process.waitForFinished(30000));
        hostB.out += hostB.process.readAllStandardOutput();
        const QString logB = hostB.errors();
        const QString logA = firstLifeA + hostA->errors();
        const QMultiHash<qint64, QString> runs = checkNoTaskRanTwice({logA, logB});
        if (QTest::currentTestFailed()) return;
        QVERIFY2(logB.contains(QLatin1StringView("arrived again; not run twice")),
                 qPrintable(logB));
        QVERIFY2(logB.contains(QLatin1StringView("lost its leadership")), qPrintable(logB));
        QVERIFY(!runs.contains(999));
        const QString summaryB = QString::fromUtf8(hostB.out);
        QVERIFY2(QRegularExpression(QStringLiteral("[1-9]\\d* duplicates not run"))
                     .match(summaryB)
                     .hasMatch(),
                 qPrintable(summaryB));

        ::kill(pid_t(scheduler.process.processId()), SIGTERM);
        QVERIFY(scheduler.process.waitForFinished(60000));
        schedulerLog += scheduler.errors();
        QVERIFY2(schedulerLog.contains(QLatin1StringView("driver host report refused")),
                 qPrintable(schedulerLog.right(3000)));
    }

    // A facility in separate processes: one broker, two schedulers (the second a standby),
    // two driver hosts and a console. The active scheduler is killed mid-run, then a driver
    // host; the standby takes over and commands the hosts, the host comes back, and every
    // task completes exactly once.
    void theStandbyTakesOverTheDriverHostsAndAHostComesBack()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-dhfailover-XXXXXX"));
        const QString dir = alabos::test::makeSharedTempDir(tmp);
        const QString labPath = dir + QStringLiteral("/lab.json");
        QVERIFY(writeLab(labPath));
        // The broker outlives any scheduler: its own process, topics made as alabos makes them.
        QProcess broker;
        broker.start(QFileInfo(m_bin).absolutePath() + QStringLiteral("/alabos-broker"),
                     {QStringLiteral("1")});
        QVERIFY(broker.waitForReadyRead(10000));
        const QByteArray first = broker.readLine().trimmed();
        QVERIFY2(first.startsWith("bootstrap "), first.constData());
        const QString bootstrap = QString::fromUtf8(first.mid(10));
        for (const alabos::TopicSpec &spec : alabos::topicCatalogue({})) {
            broker.write(
                QStringLiteral("topic %1 %2\n").arg(spec.name).arg(spec.partitions).toUtf8());
            QVERIFY(broker.waitForReadyRead(5000));
            QCOMPARE(broker.readLine().trimmed(), QByteArray("ok"));
        }
        const QStringList kafka{QStringLiteral("--kafka-bootstrap"), bootstrap};

        const QString dirOne = dir + QStringLiteral("/one");
        QVERIFY(QDir().mkpath(dirOne));
        Alabos one;
        one.start(m_bin, QStringList{QStringLiteral("--headless"), QStringLiteral("--lab"), labPath,
                                     QStringLiteral("--data-dir"), dirOne,
                                     QStringLiteral("--no-fsync"), QStringLiteral("--no-api")} +
                             kafka + alabos::test::adminPasswordArgs(dirOne));
        const QString db = one.waitFor(QStringLiteral("alabos: PostgreSQL ([^\\n]+)")).captured(1);
        QVERIFY2(!db.isEmpty(), qPrintable(one.text() + one.errors()));

        const QString dirTwo = dir + QStringLiteral("/two");
        QVERIFY(QDir().mkpath(dirTwo));
        Alabos two;
        two.start(m_bin,
                  QStringList{QStringLiteral("--headless"), QStringLiteral("--lab"), labPath,
                              QStringLiteral("--data-dir"), dirTwo,
                              QStringLiteral("--database-url"), db, QStringLiteral("--no-api")} +
                      kafka);
        QVERIFY2(two.waitFor(QStringLiteral("console only; scheduler running")).hasMatch(),
                 qPrintable(two.text() + two.errors()));
        Alabos console;
        console.start(
            m_bin, QStringList{QStringLiteral("--headless"), QStringLiteral("--console-only"),
                               QStringLiteral("--database-url"), db, QStringLiteral("--no-api")} +
                       kafka);
        QVERIFY2(console.waitFor(QStringLiteral("console: fleet 6 devices")).hasMatch(),
                 qPrintable(console.text() + console.errors()));

        Alabos hostA;
        auto hostB = std::make_unique<Alabos>();
        const QString dirB = dir + QStringLiteral("/pc-b");
        hostA.start(m_bin,
                    hostArgs(labPath, QStringLiteral("pc-a"), db, dir + QStringLiteral("/pc-a")));
        hostB->start(m_bin, hostArgs(labPath, QStringLiteral("pc-b"), db, dirB));
        QVERIFY2(hostA.waitFor(QStringLiteral("driver host pc-a runs 3 devices")).hasMatch(),
                 qPrintable(hostA.text() + hostA.errors()));
        QVERIFY2(hostB->waitFor(QStringLiteral("driver host pc-b runs 3 devices")).hasMatch(),
                 qPrintable(hostB->text() + hostB->errors()));
        QTRY_COMPARE_WITH_TIMEOUT(
            count(db, QStringLiteral("SELECT count(*) FROM device_states WHERE status = 'idle'")),
            6, 90000);
        one.send(alabos::test::headlessCommand(
            QStringLiteral("workflow.template.save"), QStringLiteral("weigh-twice"),
            {{QStringLiteral("definition"), QJsonDocument::fromJson(kTemplate).object()}}));
        for (int i = 0; i < kWorkflows; ++i)
            one.send(alabos::test::headlessCommand(
                QStringLiteral("workflow.submit"), {},
                {{QStringLiteral("template"), QStringLiteral("weigh-twice")},
                 {QStringLiteral("barcodes"), QJsonArray{QStringLiteral("FO-%1").arg(i)}}}));
        QVERIFY2(
            one.waitFor(QStringLiteral("reply to command %1 [^\\n]*accepted").arg(kWorkflows + 1))
                .hasMatch(),
            qPrintable(one.text()));

        // The active scheduler dies mid-run; the standby takes over.
        QTRY_VERIFY_WITH_TIMEOUT(
            count(db, QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'")) >= 6,
            60000);
        ::kill(pid_t(one.process.processId()), SIGKILL);
        QVERIFY(one.process.waitForFinished(10000));
        QVERIFY2(two.waitFor(QStringLiteral("this process takes over"), 0, 60000).hasMatch(),
                 qPrintable(two.text() + two.errors()));
        QVERIFY2(two.waitFor(QStringLiteral("a second console: alabos --console-only"), 0, 60000)
                     .hasMatch(),
                 qPrintable(two.text() + two.errors()));
        const qint64 atTakeOver =
            count(db, QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'"));
        QTRY_VERIFY_WITH_TIMEOUT(
            count(db, QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'")) >
                atTakeOver,
            60000);

        // Then a driver host dies, and comes back.
        ::kill(pid_t(hostB->process.processId()), SIGKILL);
        QVERIFY(hostB->process.waitForFinished(10000));
        QString logB = hostB->errors();
        QTest::qWait(6000); // the new scheduler notices
        hostB = std::make_unique<Alabos>();
        startHost(*hostB, m_bin, labPath, QStringLiteral("pc-b"), db, dirB);
        if (QTest::currentTestFailed()) return;
        checkEveryTaskCompletedOnce(db);
        if (QTest::currentTestFailed()) return;
        // The console follows the scheduler that took over.
        QVERIFY2(console
                     .waitFor(QStringLiteral("scheduler \\S+ pid %1").arg(two.process.processId()),
                              0, 30000)
                     .hasMatch(),
                 qPrintable(console.text().right(2000)));

        ::kill(pid_t(hostA.process.processId()), SIGTERM);
        ::kill(pid_t(hostB->process.processId()), SIGTERM);
        QVERIFY(hostA.process.waitForFinished(30000));
        QVERIFY(hostB->process.waitForFinished(30000));
        logB += hostB->errors();
        checkNoTaskRanTwice({hostA.errors(), logB});
        if (QTest::currentTestFailed()) return;

        ::kill(pid_t(console.process.processId()), SIGTERM);
        ::kill(pid_t(two.process.processId()), SIGTERM);
        QVERIFY(two.process.waitForFinished(60000));
        // The killed scheduler's PostgreSQL server is adopted and stopped.
        alabos::EmbeddedPostgres orphan({dirOne, {}, 5432, false});
        QString error;
        QVERIFY2(orphan.start(&error), qPrintable(error));
        orphan.stop();
    }
};

QTEST_GUILESS_MAIN(TstDriverHosts)
#include "tst_driverhosts.moc"
