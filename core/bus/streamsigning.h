#pragma once
// What the scheduler writes is signed, so a console believes only the scheduler: each state
// event and each answer on alabos.commands carries an Ed25519 signature of its topic, key and
// value in the Kafka header "alabos-sig". Anything unsigned or badly signed is dead-lettered
// by the reader and never shown.
//
// Checking a signature costs a console about 50 µs, more than everything else it does with
// an event, so the relay also publishes, after each batch, one signed list of the batch's
// message digests on alabos.signatures. A console believes a state message whose digest a
// trusted list holds without checking its own signature: one check per batch, not per event.
// The lists only save work: every state message still carries its own signature, which is
// what a console checks when no list names the message (a replay, a list lost with its relay).
#include "core/security/crypto.h"

#include <QByteArray>
#include <QList>
#include <QReadWriteLock>
#include <QString>
#include <optional>

typedef struct rd_kafka_message_s rd_kafka_message_t;

namespace alabos {

inline constexpr auto kSignatureHeader = "alabos-sig";

QByteArray streamSignature(const SigningKey &key, const char *topic, QByteArrayView messageKey,
                           QByteArrayView value);
// The signature a message carries; empty when it has none.
QByteArray signatureOf(const rd_kafka_message_t *message);
// True when the message carries `publicKey`'s signature of its topic, key and value.
bool verifyStreamSignature(QByteArrayView publicKey, const rd_kafka_message_t *message);

// What a list holds for one message: BLAKE2b-256 of its topic, NUL, key, NUL and value.
QByteArray messageDigest(const char *topic, QByteArrayView messageKey, QByteArrayView value);

// One message on alabos.signatures: {"v":1,"relay":NAME,"first_event":ID,"last_event":ID,
// "digests":BASE64}, the digests of the batch's messages concatenated in the order published.
struct DigestList
{
    static constexpr int kMaxDigests = 20000;
    static constexpr int kMaxRelayName = 200;
    QString relay;
    qint64 firstEvent = 0;
    qint64 lastEvent = 0;
    QList<QByteArray> digests;
};
QByteArray encodeDigestList(const DigestList &list);
// nullopt with *why for anything but a well-formed list within the limits.
std::optional<DigestList> decodeDigestList(QByteArrayView value, QString *why);

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
