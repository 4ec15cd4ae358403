// The real binary on a three-node PostgreSQL cluster managed by Patroni (scripts/cluster):
// the primary node is killed with kill -9 in the middle of a busy lab, Patroni promotes a
// replica, and the same alabos process goes on through its multi-host URL. Afterwards every
// count is exact. The time from the kill to the first commit on the new primary is printed
// (BENCHMARKS.md quotes it with the timings it was measured with).
#include "core/storage/databasereader.h"
#include "core/storage/history.h"
#include "tests/support/alabosprocess.h"
#include "tests/support/labchecks.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <pqxx/pqxx>

using namespace alabos;
using namespace alabos::test;

class TstFailover : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_cluster;
    QHash<QString, QString> m_urls;

    static QString script() { return QStringLiteral(ALABOS_SOURCE_DIR "/scripts/cluster"); }

    // The newest event id the primary holds, or -1 while no node accepts writes.
    static qint64 newestEvent(const QString &url)
    {
        try {
            pqxx::connection c((url + QStringLiteral(" connect_timeout=2")).toStdString());
            pqxx::nontransaction tx(c);
            return tx.exec1("SELECT coalesce(max(id), 0) FROM events")[0].as<qint64>();
        } catch (const std::exception &) {
            return -1;
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        for (const char *tool : {"patroni", "etcd", "python3"})
            if (QStandardPaths::findExecutable(QLatin1StringView(tool)).isEmpty())
                QSKIP(qPrintable(QStringLiteral("%1 is not installed (scripts/install-deps)")
                                     .arg(QLatin1StringView(tool))));
        QVERIFY(m_dir.isValid());
        // As root the servers run as postgres, who must reach the cluster's directory.
        QFile::setPermissions(m_dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                QFile::ReadGroup | QFile::ExeGroup |
                                                QFile::ReadOther | QFile::ExeOther);
        m_cluster = m_dir.filePath(QStringLiteral("cluster"));
        // A base port of its own, so a second run on the machine does not collide.
        const int base = 30000 + QRandomGenerator::global()->bounded(300) * 30;
        QProcess start;
        start.setProcessChannelMode(QProcess::MergedChannels);
        start.start(QStringLiteral("python3"),
                    {script(), QStringLiteral("start"), m_cluster, QStringLiteral("--base-port"),
                     QString::number(base)});
        QVERIFY(start.waitForFinished(240000));
        const QString out = QString::fromUtf8(start.readAll());
        QVERIFY2(start.exitCode() == 0, qPrintable(out));
        QFile urls(m_cluster + QStringLiteral("/urls"));
        QVERIFY(urls.open(QIODevice::ReadOnly));
        for (const QByteArray &line : urls.readAll().split('\n')) {
            const qsizetype eq = line.indexOf('=');
            if (eq > 0)
                m_urls.insert(QString::fromUtf8(line.left(eq)),
                              QString::fromUtf8(line.mid(eq + 1)));
        }
        QVERIFY(m_urls.contains(QStringLiteral("primary")) &&
                m_urls.contains(QStringLiteral("owner")));
    }

    void cleanupTestCase()
    {
        if (m_cluster.isEmpty()) return;
        QProcess stop;
        stop.start(QStringLiteral("python3"), {script(), QStringLiteral("stop"), m_cluster});
        stop.waitForFinished(60000);
    }

    void theLabGoesOnWhenPatroniPromotesAReplica()
    {
        const QString primary = m_urls.value(QStringLiteral("primary"));
        Alabos lab;
        const QString dataDir = m_dir.filePath(QStringLiteral("lab"));
        QDir().mkpath(dataDir);
        lab.start(qEnvironmentVariable("ALABOS_BIN"),
                  QStringList{QStringLiteral("--headless"), QStringLiteral("--simulate"),
                              QStringLiteral("demo"), QStringLiteral("--devices"),
                              QStringLiteral("60"), QStringLiteral("--data-dir"), dataDir,
                              QStringLiteral("--database-url"), primary,
                              QStringLiteral("--database-owner-url"),
                              m_urls.value(QStringLiteral("owner")), QStringLiteral("--no-api"),
                              QStringLiteral("--run-for"), QStringLiteral("90")} +
                      adminPasswordArgs(dataDir));
        QVERIFY2(lab.waitFor(QStringLiteral("\\] tasks completed [1-9]\\d*"), 0, 120000).hasMatch(),
                 qPrintable(lab.text() + lab.errors()));
        lab.waitFor(QStringLiteral("(?!)"), 0, 5000); // busy for a while

        const qint64 before = newestEvent(primary);
        QVERIFY(before > 0);
        QProcess kill;
        kill.start(QStringLiteral("python3"),
                   {script(), QStringLiteral("kill-primary"), m_cluster});
        QVERIFY(kill.waitForFinished(30000));
        QCOMPARE(kill.exitCode(), 0);
        QElapsedTimer sinceKill;
        sinceKill.start();
        qint64 after = -1;
        while (sinceKill.elapsed() < 120000) {
            after = newestEvent(primary);
            if (after > before) break;
            lab.waitFor(QStringLiteral("(?!)"), 0, 100); // keep reading its output
        }
        QVERIFY2(after > before, "no new commit on a new primary within 120 s");
        qInfo("primary killed: the first new commit on the promoted primary came %lld ms later "
              "(Patroni ttl 30 s, loop_wait 10 s, retry_timeout 10 s)",
              sinceKill.elapsed());

        const auto summary = finishedRun(lab);
        verifyExact(lab, summary, primary);
        QVERIFY2(lab.text().contains(QStringLiteral("DATABASE UNREACHABLE")),
                 "the outage was never shown");
        QVERIFY2(lab.stderrText.contains(QStringLiteral("scheduler lock taken again")),
                 qPrintable(lab.stderrText.right(3000)));
    }

    // --read-database-url: the console's reads land on a standby of the cluster (after the
    // failover above, the lab's schema and events are there), and on the primary when the
    // read address does not answer.
    void consoleReadsGoToAReplica()
    {
        const QString replica = m_urls.value(QStringLiteral("replica"));
        const QString primary = m_urls.value(QStringLiteral("primary"));
        QVERIFY(!replica.isEmpty());
        auto inRecovery = [](DatabaseReader &reader) {
            QString answer, error = QStringLiteral("(no answer)");
            bool done = false;
            reader.run(
                [&](pqxx::connection &c) {
                    pqxx::nontransaction tx(c);
                    answer = QString::fromStdString(
                        tx.exec1("SELECT pg_is_in_recovery()::text")[0].as<std::string>());
                },
                &reader,
                [&](const QString &e) {
                    error = e;
                    done = true;
                });
            if (!QTest::qWaitFor([&] { return done; }, 30000))
                return QStringLiteral("error: no answer in 30 s");
            return error.isEmpty() ? answer : QStringLiteral("error: ") + error;
        };
        // A replica that followed the old primary may take a moment to follow the new one;
        // until then prefer-standby lands on the primary. Each try is a fresh connection.
        QString answer;
        QElapsedTimer waited;
        waited.start();
        while (waited.elapsed() < 90000) {
            DatabaseReader onReplica({replica, primary});
            answer = inRecovery(onReplica);
            if (answer == QStringLiteral("true")) break;
            QTest::qWait(1000);
        }
        QCOMPARE(answer, QStringLiteral("true"));
        DatabaseReader fallback({QStringLiteral("host=127.0.0.1 port=1 dbname=alabos "
                                                "connect_timeout=2"),
                                 primary});
        QCOMPARE(inRecovery(fallback), QStringLiteral("false"));
        // The history queries take the same path.
        HistoryQueries history({replica, primary});
        QString error;
        const auto events = history.lastEvents(QStringLiteral("1"), 10, &error);
        QVERIFY2(events, qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TstFailover)
#include "tst_failover.moc"
