#pragma once
// One running alabos binary for end-to-end tests: started with arguments, its standard
// output read until a line appears, JSON-line commands written to its standard input, and
// stopped with SIGTERM (killed if it does not end) when the test is done with it.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <csignal>
#include <functional>

namespace alabos::test {

// The administrator's password of every lab these helpers start (--admin-password-file).
inline const QString kAdminPassword = QStringLiteral("admin-test-password");

// Writes kAdminPassword to a 0600 file in `dataDir`; the option that hands it to alabos.
inline QStringList adminPasswordArgs(const QString &dataDir)
{
    const QString path = dataDir + QStringLiteral("/admin-password");
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        file.write(kAdminPassword.toUtf8() + '\n');
    }
    return {QStringLiteral("--admin-password-file"), path};
}

// One JSON line for a headless lab's standard input: `kind` on `entity` as the administrator.
inline QString headlessCommand(const QString &kind, const QString &entity, const QJsonObject &args)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("user"), QStringLiteral("admin")},
                                  {QStringLiteral("password"), kAdminPassword},
                                  {QStringLiteral("kind"), kind},
                                  {QStringLiteral("entity_id"), entity},
                                  {QStringLiteral("args"), args}})
            .toJson(QJsonDocument::Compact));
}

// One running alabos process and everything it printed.
class Alabos
{
public:
    QProcess process;
    QByteArray out;
    QString stderrText; // what it printed on standard error, once read (after it ended)
    // For a suite whose own objects (a console feed) live on the waiting thread.
    bool runEventsWhileWaiting = false;

    // MergedChannels: `out` holds its log lines (standard error) too, in order.
    void start(const QString &bin, const QStringList &args,
               QProcess::ProcessChannelMode channels = QProcess::SeparateChannels)
    {
        process.setProcessChannelMode(channels);
        process.start(bin, args);
    }
    // Reads stdout until `pattern` matches text printed after `from`; the match, or none.
    QRegularExpressionMatch waitFor(const QString &pattern, qsizetype from = 0,
                                    int timeoutMs = 60000)
    {
        const QRegularExpression re(pattern);
        QElapsedTimer clock;
        clock.start();
        for (;;) {
            const auto m = re.match(QString::fromUtf8(out.mid(from)));
            if (m.hasMatch() || clock.elapsed() > timeoutMs ||
                process.state() == QProcess::NotRunning)
                return m;
            read(200);
        }
    }
    // Reads what it prints for up to `ms` (running this thread's events first, when asked).
    void read(int ms)
    {
        if (runEventsWhileWaiting) QCoreApplication::processEvents(QEventLoop::AllEvents, ms);
        process.waitForReadyRead(ms);
        out += process.readAllStandardOutput();
    }
    // Starts a headless scheduler with a simulated lab of `devices` on its own embedded
    // servers; the database connection it prints, empty when it did not.
    QString startScheduler(const QString &bin, const QString &dataDir, int devices)
    {
        start(bin, QStringList{QStringLiteral("--headless"), QStringLiteral("--simulate"),
                               QStringLiteral("demo"), QStringLiteral("--devices"),
                               QString::number(devices), QStringLiteral("--data-dir"), dataDir,
                               QStringLiteral("--no-fsync")} +
                       adminPasswordArgs(dataDir));
        return waitFor(QStringLiteral("alabos: PostgreSQL ([^\\n]+)")).captured(1);
    }
    // Starts a headless lab server on `labFile` with its own embedded servers in `dataDir`;
    // the database connection it prints, empty when it did not.
    QString startLab(const QString &bin, const QString &labFile, const QString &dataDir)
    {
        start(bin,
              QStringList{QStringLiteral("--headless"), QStringLiteral("--lab"), labFile,
                          QStringLiteral("--data-dir"), dataDir, QStringLiteral("--no-fsync")} +
                  adminPasswordArgs(dataDir));
        return waitFor(QStringLiteral("alabos: PostgreSQL ([^\\n]+)")).captured(1);
    }
    // Polls until `ready` says so (or the process ends), reading what it prints meanwhile.
    bool waitUntil(const std::function<bool()> &ready, int timeoutMs = 60000)
    {
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < timeoutMs && process.state() != QProcess::NotRunning) {
            if (ready()) return true;
            read(50);
            QTest::qWait(20);
        }
        return false;
    }
    // SIGKILL: nothing of alabos runs any more (its embedded PostgreSQL stays).
    void killHard()
    {
        process.kill();
        process.waitForFinished(10000);
        out += process.readAllStandardOutput();
    }
    void send(const QString &line) { process.write((line + u'\n').toUtf8()); }
    QString text() const { return QString::fromUtf8(out); }
    QString errors() { return QString::fromUtf8(process.readAllStandardError()); }
    ~Alabos()
    {
        if (process.state() != QProcess::NotRunning) {
            ::kill(pid_t(process.processId()), SIGTERM);
            if (!process.waitForFinished(60000)) process.kill();
        }
    }
};

} // namespace alabos::test
