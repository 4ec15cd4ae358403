#pragma once
// A child process found by its name (/proc), for tests that kill or stop a helper another
// process started (the embedded broker's alabos-broker).
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>

namespace alabos::test {

// The pid of `parent`'s child whose command name is `name`; 0 when there is none.
inline qint64 childNamed(qint64 parent, const QByteArray &name)
{
    const QStringList tasks = QDir(QStringLiteral("/proc/%1/task").arg(parent))
                                  .entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &task : tasks) {
        QFile children(QStringLiteral("/proc/%1/task/%2/children").arg(parent).arg(task));
        if (!children.open(QIODevice::ReadOnly)) continue;
        for (const QByteArray &pid : children.readAll().split(' ')) {
            if (pid.trimmed().isEmpty()) continue;
            QFile comm(QStringLiteral("/proc/%1/comm").arg(QString::fromLatin1(pid.trimmed())));
            if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == name)
                return pid.trimmed().toLongLong();
        }
    }
    return 0;
}

// Every thread's stack of a live process, for a failure message when it does not do what it
// should (exit, answer): what it waits for is the diagnosis. Empty without gdb.
inline QString stacksOf(qint64 pid)
{
    const QString gdb = QStandardPaths::findExecutable(QStringLiteral("gdb"));
    if (gdb.isEmpty() || pid <= 0) return {};
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(gdb, {QStringLiteral("-batch"), QStringLiteral("-p"), QString::number(pid),
                  QStringLiteral("-ex"), QStringLiteral("thread apply all bt 30")});
    if (!p.waitForFinished(60000)) p.kill();
    return QString::fromLocal8Bit(p.readAll());
}

} // namespace alabos::test
