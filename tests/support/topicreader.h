#pragma once
// Reads a Kafka topic from the beginning with a plain consumer: what the tests check
// against, independent of the consumers under test.
#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

namespace alabos::test {

struct TopicRecord
{
    int partition = 0;
    qint64 offset = 0;
    QByteArray key;
    QByteArray value;
    QMap<QByteArray, QByteArray> headers;
};

// Stops at `expected` records or after `timeoutMs`, whichever comes first.
QList<TopicRecord> readTopic(const QString &bootstrap, const char *topic, int expected,
                             int timeoutMs = 15000);

} // namespace alabos::test
