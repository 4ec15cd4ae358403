// alabos-bench security: what trust costs. The relay signs every state event and every
// console verifies it (core/bus/streamsigning.h); the scheduler proves every remote command
// (HMAC, core/security/sessions.h); sign-in hashes with Argon2id. Each alabos figure is set
// against libsodium called directly on the same bytes in the same run (the raw limit).
#include "core/bus/eventcodec.h"
#include "core/bus/streamsigning.h"
#include "core/bus/topics.h"
#include "core/domain/types.h"
#include "core/security/passwords.h"
#include "core/security/sessions.h"
#include "core/storage/eventrelay.h"
#include "core/storage/pgutil.h"
#include "tests/benchmarks/bench.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <sodium.h>

namespace alabos::bench {

namespace {
// A device state event as the relay publishes it.
QByteArray typicalEvent()
{
    DeviceState d;
    d.id = QStringLiteral("furnace-0042");
    d.type = QStringLiteral("box_furnace");
    d.status = DeviceStatus::Busy;
    d.currentTask = 123456;
    d.tasksCompleted = 789;
    d.updatedUs = nowMicros();
    return encodeEvent({987654321, QStringLiteral("device"), d.id, QStringLiteral("device.updated"),
                        nowMicros(), d.toJson()});
}

template <typename F> double perSecond(int n, F &&f)
{
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < n; ++i)
        f(i);
    return n / (clock.nsecsElapsed() / 1e9);
}
} // namespace

QJsonObject runSecurity(const BenchContext &context)
{
    initCrypto();
    const int n = context.quick ? 2000 : 50000;
    const QByteArray event = typicalEvent();
    const QByteArray key = "furnace-0042";
    const SigningKey signer = SigningKey::generate();
    const char *topicName = "alabos.state.devices";

    // The raw limit: libsodium on the message alone.
    QByteArray rawSignature(crypto_sign_BYTES, '\0');
    // The raw calls need the secret key, which SigningKey never hands out: a pair of their own.
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    const double rawSign = perSecond(n, [&](int) {
        crypto_sign_detached(reinterpret_cast<unsigned char *>(rawSignature.data()), nullptr,
                             reinterpret_cast<const unsigned char *>(event.constData()),
                             size_t(event.size()), sk);
    });
    const double rawVerify = perSecond(n, [&](int) {
        if (crypto_sign_verify_detached(
                reinterpret_cast<const unsigned char *>(rawSignature.constData()),
                reinterpret_cast<const unsigned char *>(event.constData()), size_t(event.size()),
                pk) != 0)
            qFatal("raw verification failed");
    });

    QByteArray signature;
    const double sign =
        perSecond(n, [&](int) { signature = streamSignature(signer, topicName, key, event); });
    TrustedKeys one;
    one.add(signer.publicKey());
    const double verify = perSecond(n, [&](int) {
        if (!one.verify(topicName, key, event, signature)) qFatal("verification failed");
    });
    // After a failover the older key is tried second: the worst case, two verifications.
    TrustedKeys two;
    two.add(signer.publicKey());
    two.add(SigningKey::generate().publicKey());
    const double verifyTwoKeys = perSecond(n, [&](int) {
        if (!two.verify(topicName, key, event, signature)) qFatal("verification failed");
    });

    // What a console spends per event when the relay's signed lists vouch for it: the
    // event's digest, and its share of one list's check (a full batch's list, signature and
    // decoding).
    QByteArray digest;
    const double digests =
        perSecond(n, [&](int) { digest = messageDigest(topicName, key, event); });
    DigestList list;
    list.relay = QStringLiteral("main");
    for (int i = 0; i < EventRelay::kBatch; ++i)
        list.digests.append(messageDigest(topicName, key, event + QByteArray::number(i)));
    const QByteArray listValue = encodeDigestList(list);
    const QByteArray listSignature = streamSignature(signer, topic::Signatures, "main", listValue);
    const int lists = context.quick ? 20 : 500;
    const double listsPerSecond = perSecond(lists, [&](int) {
        QString why;
        if (!one.verify(topic::Signatures, "main", listValue, listSignature) ||
            decodeDigestList(listValue, &why)->digests.size() != EventRelay::kBatch)
            qFatal("list check failed");
    });
    const double listedPerEvent =
        1.0 / (1.0 / digests + 1.0 / (listsPerSecond * EventRelay::kBatch));

    SessionRegistry sessions;
    const Session s =
        sessions.open(QStringLiteral("olga"), {}, Role::Operator, {}, QStringLiteral("c"));
    const QByteArray request = event; // a request is about as long as an event
    const QByteArray mac = hmacSha256(s.key, request);
    const double proofs = perSecond(n, [&](int i) {
        if (!sessions.verify(s.id, QStringLiteral("c"), quint64(i) + 1, request, mac, nullptr))
            qFatal("session proof failed");
    });

    // The relay's other cost per event: its JSON from the stored row. The payload as jsonb's
    // text gives it (a space after each ':' and ','), parsed and encoded again as it was, or
    // copied as it is now.
    const QJsonObject stored = QJsonDocument::fromJson(event).object();
    QByteArray payloadText = QJsonDocument(stored.value(QStringLiteral("payload")).toObject())
                                 .toJson(QJsonDocument::Compact);
    payloadText.replace(",\"", ", \"").replace("\":", "\": ");
    const QByteArray idText = QByteArray::number(stored.value(QStringLiteral("id")).toInteger());
    const QByteArray timeText =
        QByteArray::number(stored.value(QStringLiteral("time_us")).toInteger());
    qsizetype encodedBytes = 0;
    const double encodeRoundTrip = perSecond(n, [&](int) {
        Event e;
        e.id = idText.toLongLong();
        e.entityType = QStringLiteral("device");
        e.entityId = QString::fromUtf8(key);
        e.kind = QStringLiteral("device.updated");
        e.timeUs = timeText.toLongLong();
        e.payload = QJsonDocument::fromJson(payloadText).object();
        encodedBytes += encodeEvent(e).size();
    });
    const double encodeFromRow = perSecond(n, [&](int) {
        encodedBytes +=
            encodedEvent({idText.toStdString(), "device", key.toStdString(), "device.updated",
                          timeText.toStdString(), payloadText.toStdString()})
                .size();
    });
    if (encodedBytes != qsizetype(2) * n * event.size()) qFatal("the encodings differ in size");

    const int hashes = context.quick ? 2 : 10;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < hashes; ++i)
        hashPassword(QStringLiteral("correct horse battery"));
    const double argonMs = clock.nsecsElapsed() / 1e6 / hashes;

    std::fprintf(stderr,
                 "security: sign %.0f/s (raw %.0f), verify %.0f/s (raw %.0f, two keys %.0f), "
                 "events believed through lists %.0f/s (digest %.0f/s, a %d-digest list "
                 "checked in %.0f us), session proofs %.0f/s, event JSON from its row %.0f/s "
                 "(round trip %.0f/s), Argon2id %.1f ms\n",
                 sign, rawSign, verify, rawVerify, verifyTwoKeys, listedPerEvent, digests,
                 EventRelay::kBatch, 1e6 / listsPerSecond, proofs, encodeFromRow, encodeRoundTrip,
                 argonMs);
    return {{QStringLiteral("event_bytes"), event.size()},
            {QStringLiteral("sign_per_s"), sign},
            {QStringLiteral("raw_sign_per_s"), rawSign},
            {QStringLiteral("verify_per_s"), verify},
            {QStringLiteral("raw_verify_per_s"), rawVerify},
            {QStringLiteral("verify_two_keys_per_s"), verifyTwoKeys},
            {QStringLiteral("event_digest_per_s"), digests},
            {QStringLiteral("digest_list_check_us"), 1e6 / listsPerSecond},
            {QStringLiteral("listed_events_per_s"), listedPerEvent},
            {QStringLiteral("session_proofs_per_s"), proofs},
            {QStringLiteral("encode_event_round_trip_per_s"), encodeRoundTrip},
            {QStringLiteral("encode_event_from_row_per_s"), encodeFromRow},
            {QStringLiteral("argon2id_ms"), argonMs}};
}

} // namespace alabos::bench
