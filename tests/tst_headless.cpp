// The real binary, end to end: embedded PostgreSQL and Kafka, a simulated lab, kcat reading
// the task events while it runs, exact counts in PostgreSQL afterwards.
#include "core/storage/embeddedpostgres.h"
#include "tests/support/alabosprocess.h"
#include "tests/support/testdatabase.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>
#include <csignal>

using namespace alabos;

namespace {
qint64 summaryNumber(const QString &summary, const QString &label)
{
    const QRegularExpression re(label + QStringLiteral(" (\\d+)"));
    const auto m = re.match(summary);
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}
// The arguments of a headless run of the demo lab for `seconds` on `dataDir`.
QStringList simulatedLabFor(const QString &seconds, const QString &dataDir)
{
    return {QStringLiteral("--headless"),
            QStringLiteral("--simulate"),
            QStringLiteral("demo"),
            QStringLiteral("--run-for"),
            seconds,
            QStringLiteral("--data-dir"),
            dataDir,
            QStringLiteral("--no-fsync")};
}
bool serverRunning(const QString &dataDir)
{
    QFile f(dataDir + QStringLiteral("/postgres/data/postmaster.pid"));
    if (!f.open(QIODevice::ReadOnly)) return false;
    const qint64 pid = f.readLine().trimmed().toLongLong();
    return EmbeddedPostgres::processAlive(pid);
}
} // namespace

class TstHeadless : public QObject
{
    Q_OBJECT
    QString m_bin;

private Q_SLOTS:
    void initTestCase()
    {
        m_bin = qEnvironmentVariable("ALABOS_BIN");
        if (m_bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
    }

    void simulatedLabRunsEndToEnd()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-e2e-XXXXXX"));
        const QString dataDir = test::makeSharedTempDir(tmp);
        test::Alabos lab;
        lab.start(m_bin, {QStringLiteral("--headless"), QStringLiteral("--simulate"),
                          QStringLiteral("demo"), QStringLiteral("--run-for"), QStringLiteral("20"),
                          QStringLiteral("--data-dir"), dataDir, QStringLiteral("--no-fsync")});
        QProcess &alabos = lab.process;
        QVERIFY(alabos.waitForStarted());
        const QString bootstrap =
            lab.waitFor(QStringLiteral("Kafka bootstrap (\\S+)"), 0, 30000).captured(1);
        QVERIFY2(!bootstrap.isEmpty(), qPrintable(lab.text() + lab.errors()));

        QTest::qWait(10000);
        const QString kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
        QVERIFY2(!kcat.isEmpty(), "kcat is not installed");
        QProcess reader;
        reader.start(kcat,
                     {QStringLiteral("-b"), bootstrap, QStringLiteral("-C"), QStringLiteral("-t"),
                      QStringLiteral("alabos.state.tasks"), QStringLiteral("-o"),
                      QStringLiteral("beginning"), QStringLiteral("-e"), QStringLiteral("-q")});
        QVERIFY(reader.waitForFinished(30000));
        QCOMPARE(reader.exitCode(), 0);
        int completedSeen = 0;
        for (const QByteArray &line : reader.readAllStandardOutput().split('\n')) {
            if (line.isEmpty()) continue;
            const QJsonObject e = QJsonDocument::fromJson(line).object();
            QCOMPARE(e.value(QStringLiteral("v")).toInt(), 1);
            QCOMPARE(e.value(QStringLiteral("entity_type")).toString(), QStringLiteral("task"));
            if (e.value(QStringLiteral("kind")).toString() == QStringLiteral("task.completed"))
                ++completedSeen;
        }
        QVERIFY2(completedSeen > 0, "kcat read no task.completed event");

        QVERIFY(alabos.waitForFinished(60000));
        lab.out += alabos.readAllStandardOutput();
        const QString stdoutText = lab.text();
        QCOMPARE(alabos.exitStatus(), QProcess::NormalExit);
        QVERIFY2(alabos.exitCode() == 0,
                 qPrintable(QString::fromUtf8(alabos.readAllStandardError())));
        QVERIFY2(stdoutText.contains(QStringLiteral("tasks completed")), qPrintable(stdoutText));
        const int summaryAt = int(stdoutText.indexOf(QStringLiteral("alabos summary")));
        QVERIFY2(summaryAt >= 0, qPrintable(stdoutText));
        const QString summary = stdoutText.mid(summaryAt);
        const qint64 completed = summaryNumber(summary, QStringLiteral("tasks completed"));
        const qint64 published = summaryNumber(summary, QStringLiteral("events published"));
        QVERIFY2(completed > 0, qPrintable(summary));
        QVERIFY(completed >= completedSeen);
        QVERIFY(stdoutText.count(QStringLiteral("consumer lag")) >= 3); // progress lines

        // Nothing of ours is left running, and the data directory is reused with exact counts.
        QVERIFY(!serverRunning(dataDir));
        EmbeddedPostgres pg({dataDir, {}, 5432, false});
        QString error;
        QVERIFY2(pg.start(&error), qPrintable(error));
        QVERIFY(pg.reusedCluster());
        const QString conn = pg.connectionString();
        QCOMPARE(test::queryValue(
                     conn, QStringLiteral("SELECT count(*) FROM tasks WHERE status = 'completed'"))
                     .toLongLong(),
                 completed);
        QCOMPARE(
            test::queryValue(
                conn, QStringLiteral("SELECT last_event_id FROM relay_cursor WHERE name = 'main'"))
                .toLongLong(),
            published);
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM events")).toLongLong(),
                 published);
        QCOMPARE(
            test::queryValue(
                conn, QStringLiteral("SELECT count(*) FROM events WHERE kind = 'task.completed'"))
                .toLongLong(),
            completed);
        const qint64 takenOver =
            test::queryValue(
                conn,
                QStringLiteral("SELECT count(*) FROM tasks WHERE status IN ('running', 'ready')"))
                .toLongLong();
        const qint64 unfinishedWorkflows =
            test::queryValue(
                conn, QStringLiteral("SELECT count(*) FROM workflows WHERE finished_at IS NULL"))
                .toLongLong();
        pg.stop();

        // A second run reuses the data directory and continues the ids.
        QProcess again;
        again.start(m_bin, simulatedLabFor(QStringLiteral("4"), dataDir));
        QVERIFY(again.waitForFinished(60000));
        QCOMPARE(again.exitCode(), 0);
        QVERIFY(!serverRunning(dataDir));
        // Its summary counts this run and names what it took over from the first.
        const QString second = QString::fromUtf8(again.readAllStandardOutput());
        const QString secondSummary = second.mid(second.indexOf(QStringLiteral("alabos summary")));
        QCOMPARE(summaryNumber(secondSummary, QStringLiteral("taken over from before the start")),
                 takenOver);
        const QRegularExpression fromBefore(
            QStringLiteral("of the finished, (\\d+) were submitted before this start"));
        const auto m = fromBefore.match(secondSummary);
        QVERIFY2(m.hasMatch(), qPrintable(secondSummary));
        QVERIFY(m.captured(1).toLongLong() <= unfinishedWorkflows);
    }

    void sigtermStopsTheEmbeddedServer()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-term-XXXXXX"));
        const QString dataDir = test::makeSharedTempDir(tmp);
        test::Alabos lab;
        lab.start(m_bin, {QStringLiteral("--headless"), QStringLiteral("--simulate"),
                          QStringLiteral("demo"), QStringLiteral("--data-dir"), dataDir,
                          QStringLiteral("--no-fsync")});
        QProcess &alabos = lab.process;
        QVERIFY(alabos.waitForStarted());
        QVERIFY(lab.waitFor(QStringLiteral("Kafka bootstrap (\\S+)"), 0, 30000).hasMatch());
        QVERIFY(serverRunning(dataDir));
        alabos.terminate(); // SIGTERM
        QVERIFY(alabos.waitForFinished(30000));
        QCOMPARE(alabos.exitCode(), 0);
        QVERIFY(!serverRunning(dataDir));
    }

    void aLabServerWithoutALabRefusesToStartNamingLab()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-nolab-XXXXXX"));
        const QString dataDir = test::makeSharedTempDir(tmp);
        QProcess alabos;
        alabos.start(m_bin, {QStringLiteral("--headless"), QStringLiteral("--data-dir"), dataDir,
                             QStringLiteral("--no-fsync")});
        QVERIFY(alabos.waitForFinished(60000));
        QCOMPARE(alabos.exitCode(), 1);
        const QString err = QString::fromUtf8(alabos.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("No lab to run: give the lab file with --lab FILE")),
                 qPrintable(err));
        QVERIFY(!serverRunning(dataDir)); // the embedded server it started is stopped again
        // No administrator password was made and lost: the first start with a lab shows it.
        QVERIFY2(!err.contains(QStringLiteral("first password")), qPrintable(err));
        QProcess withLab;
        withLab.start(m_bin, simulatedLabFor(QStringLiteral("1"), dataDir));
        QVERIFY(withLab.waitForFinished(120000));
        QCOMPARE(withLab.exitCode(), 0);
        QVERIFY2(withLab.readAllStandardOutput().contains(
                     "the administrator account \"admin\" of this new database has the password"),
                 qPrintable(withLab.readAllStandardError()));
    }

    void secondInstanceOnTheSameDataDirIsRefused()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/alabos-lock-XXXXXX"));
        const QString dataDir = test::makeSharedTempDir(tmp);
        test::Alabos lab;
        lab.start(m_bin, {QStringLiteral("--headless"), QStringLiteral("--simulate"),
                          QStringLiteral("demo"), QStringLiteral("--data-dir"), dataDir,
                          QStringLiteral("--no-fsync")});
        QProcess &first = lab.process;
        QVERIFY(lab.waitFor(QStringLiteral("Kafka bootstrap (\\S+)"), 0, 30000).hasMatch());
        QProcess second;
        second.start(m_bin, {QStringLiteral("--headless"), QStringLiteral("--data-dir"), dataDir});
        QVERIFY(second.waitForFinished(30000));
        QCOMPARE(second.exitCode(), 1);
        QVERIFY(second.readAllStandardError().contains("in use by another alabos"));
        first.terminate();
        QVERIFY(first.waitForFinished(30000));
        QCOMPARE(first.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TstHeadless)
#include "tst_headless.moc"
