#pragma once
// What the scheduler writes is signed, so a console believes only the scheduler: each state
// event and each answer on alabos.commands carries an Ed25519 signature of its topic, key and
// value in the Kafka header "alabos-sig". Anything unsigned or badly signed is dead-lettered
// by the reader and never shown.
#include "core/security/crypto.h"

#include <QByteArray>
#include <QList>
#include <QReadWriteLock>

typedef struct rd_kafka_message_s rd_kafka_message_t;

namespace alabos {

inline constexpr auto kSignatureHeader = "alabos-sig";

QByteArray streamSignature(const SigningKey &key, const char *topic, QByteArrayView messageKey,
                           QByteArrayView value);
// The signature a message carries; empty when it has none.
QByteArray signatureOf(const rd_kafka_message_t *message);
// True when the message carries `publicKey`'s signature of its topic, key and value.
bool verifyStreamSignature(QByteArrayView publicKey, const rd_kafka_message_t *message);

// The public keys of the lab's schedulers, shared between threads (set from the database
// or this process' own key; read by every verifying reader).
class TrustedKeys
{
public:
    void set(const QList<QByteArray> &keys);
    void add(const QByteArray &key);
    bool isEmpty() const;
    // True when `signature` is a trusted key's signature of the message.
    bool verify(const char *topic, QByteArrayView messageKey, QByteArrayView value,
                QByteArrayView signature) const;
    bool verify(const rd_kafka_message_t *message) const;

private:
    mutable QReadWriteLock m_lock;
    QList<QByteArray> m_keys;
};

} // namespace alabos
