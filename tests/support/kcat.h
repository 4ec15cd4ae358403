#pragma once
// The broker as any local process sees it: kcat writes raw messages onto a topic and reads
// a topic from the beginning. What an attacker with access to the broker can do, and how
// tests look at what alabos wrote.
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

namespace alabos::test {

inline bool kcatProduce(const QString &bootstrap, const QString &topic, const QByteArray &key,
                        const QByteArray &value)
{
    QProcess kcat;
    kcat.start(QStandardPaths::findExecutable(QStringLiteral("kcat")),
               {QStringLiteral("-b"), bootstrap, QStringLiteral("-P"), QStringLiteral("-t"), topic,
                QStringLiteral("-k"), QString::fromUtf8(key)});
    kcat.write(value);
    kcat.closeWriteChannel();
    return kcat.waitForFinished(30000) && kcat.exitCode() == 0;
}

// Every message of `topic` whose text contains `needle` and `also`, read until there is one
// or the wait ends; the raw value is in "_raw", the key in "_key", and with `headers` the
// headers in "_headers" (text headers only: a binary one, such as a signature, could hold
// the separators).
inline QList<QJsonObject> kcatMessagesWith(const QString &bootstrap, const QString &topic,
                                           const QString &needle, const QString &also = {},
                                           int timeoutMs = 30000, bool headers = false)
{
    QElapsedTimer clock;
    clock.start();
    QList<QJsonObject> found;
    while (found.isEmpty() && clock.elapsed() < timeoutMs) {
        QProcess kcat;
        kcat.start(QStandardPaths::findExecutable(QStringLiteral("kcat")),
                   {QStringLiteral("-b"), bootstrap, QStringLiteral("-C"), QStringLiteral("-t"),
                    topic, QStringLiteral("-o"), QStringLiteral("beginning"), QStringLiteral("-e"),
                    QStringLiteral("-q"), QStringLiteral("-f"),
                    headers ? QStringLiteral("%h\t%k\t%s\n") : QStringLiteral("\t%k\t%s\n")});
        if (!kcat.waitForFinished(30000)) break;
        for (const QByteArray &line : kcat.readAllStandardOutput().split('\n'))
            if (line.contains(needle.toUtf8()) && line.contains(also.toUtf8())) {
                const qsizetype tab = line.indexOf('\t');
                const qsizetype tab2 = line.indexOf('\t', tab + 1);
                QJsonObject o = QJsonDocument::fromJson(line.mid(tab2 + 1)).object();
                o.insert(QStringLiteral("_headers"), QString::fromUtf8(line.left(tab)));
                o.insert(QStringLiteral("_key"),
                         QString::fromUtf8(line.mid(tab + 1, tab2 - tab - 1)));
                o.insert(QStringLiteral("_raw"), QString::fromUtf8(line.mid(tab2 + 1)));
                found << o;
            }
        if (found.isEmpty()) QTest::qWait(300);
    }
    return found;
}

} // namespace alabos::test
