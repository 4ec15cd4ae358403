// The cryptographic pieces sessions and signed streams rest on: the scheduler's key file,
// signatures, sealed boxes both ways, and the session registry's proofs (console, MAC,
// counter, expiry).
#include "core/security/crypto.h"
#include "core/security/sessions.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <sys/stat.h>

using namespace alabos;

class TstSecurity : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(initCrypto()); }

    void theSigningKeyIsCreatedPrivateAndReadBack()
    {
        QTemporaryDir dir;
        const QString path = dir.path() + QStringLiteral("/keys/scheduler.ed25519");
        QString error;
        const auto created = SigningKey::loadOrCreate(path, &error);
        QVERIFY2(created, qPrintable(error));
        struct stat st
        {
        };
        QCOMPARE(::stat(path.toLocal8Bit().constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
        const auto again = SigningKey::loadOrCreate(path, &error);
        QVERIFY(again);
        QCOMPARE(again->publicKey(), created->publicKey());
        const QByteArray signature = created->sign("device.updated");
        QVERIFY(verifySignature(again->publicKey(), "device.updated", signature));
        QVERIFY(!verifySignature(again->publicKey(), "device.updatee", signature));
        QVERIFY(!verifySignature(SigningKey::generate().publicKey(), "device.updated", signature));
        QVERIFY(!verifySignature(again->publicKey(), "device.updated", signature.left(63)));

        // A key others may read is refused, by name.
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther);
        QVERIFY(!SigningKey::loadOrCreate(path, &error));
        QVERIFY(error.contains(path) && error.contains(QStringLiteral("chmod 600")));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        QFile truncated(path);
        QVERIFY(truncated.open(QIODevice::WriteOnly | QIODevice::Truncate));
        truncated.write("short");
        truncated.close();
        QVERIFY(!SigningKey::loadOrCreate(path, &error));
        QVERIFY(error.contains(QStringLiteral("damaged")));
    }

    void sealedBoxesOpenOnlyForTheirKey()
    {
        const SigningKey scheduler = SigningKey::generate();
        const auto sealed = sealTo(scheduler.publicKey(), "password=s3cret");
        QVERIFY(sealed);
        QVERIFY(!sealed->contains("s3cret"));
        QCOMPARE(*scheduler.openSealed(*sealed), QByteArray("password=s3cret"));
        QVERIFY(!SigningKey::generate().openSealed(*sealed));
        QByteArray tampered = *sealed;
        tampered[tampered.size() - 1] = char(tampered.back() ^ 1);
        QVERIFY(!scheduler.openSealed(tampered));
        QVERIFY(!sealTo("too short", "x"));

        const BoxKeyPair console = BoxKeyPair::generate();
        const auto back = BoxKeyPair::sealToBoxKey(console.publicKey(), "session key");
        QVERIFY(back);
        QCOMPARE(*console.openSealed(*back), QByteArray("session key"));
        QVERIFY(!BoxKeyPair::generate().openSealed(*back));
    }

    void aRemoteCommandMustProveItsSession()
    {
        SessionRegistry sessions;
        const Session s = sessions.open(QStringLiteral("olga"), {}, Role::Operator,
                                        QStringLiteral("desk-2"), QStringLiteral("console-2"));
        const QByteArray body = "{\"command\":\"device.pause\"}";
        const QByteArray mac = hmacSha256(s.key, body);
        QString why;
        QVERIFY(!sessions.verify(s.id, QStringLiteral("console-3"), 1, body, mac, &why));
        QVERIFY(why.contains(QStringLiteral("another console")));
        QVERIFY(!sessions.verify(s.id, QStringLiteral("console-2"), 1, body + ' ', mac, &why));
        QVERIFY(why.contains(QStringLiteral("proof")));
        QVERIFY(!sessions.verify(s.id, QStringLiteral("console-2"), 1, body,
                                 hmacSha256(randomBytes(32), body), &why));
        const auto ok = sessions.verify(s.id, QStringLiteral("console-2"), 1, body, mac, &why);
        QVERIFY2(ok, qPrintable(why));
        QCOMPARE(ok->user, QStringLiteral("olga"));
        QVERIFY(
            !sessions.verify(s.id, QStringLiteral("console-2"), 1, body, mac, &why)); // replayed
        QVERIFY(why.contains(QStringLiteral("replay")));
        QVERIFY(sessions.verify(s.id, QStringLiteral("console-2"), 2, body, mac, &why));
        QVERIFY(!sessions.verify(QStringLiteral("made-up"), QStringLiteral("console-2"), 3, body,
                                 mac, &why));
        QVERIFY(!sessions.find(QString(), &why));
        QVERIFY(why.contains(QStringLiteral("sign in")));
        QCOMPARE(sessions.closeUser(QStringLiteral("olga")), 1);
        QVERIFY(!sessions.verify(s.id, QStringLiteral("console-2"), 4, body, mac, &why));
    }

    void aSessionExpires()
    {
        SessionRegistry sessions(200 * 1000); // 200 ms
        const Session s =
            sessions.open(QStringLiteral("olga"), {}, Role::Operator, {}, QStringLiteral("local"));
        QVERIFY(sessions.find(s.id, nullptr));
        QThread::msleep(250);
        QString why;
        QVERIFY(!sessions.find(s.id, &why));
        QVERIFY(why.contains(QStringLiteral("expired")));
        QCOMPARE(sessions.size(), 0);
    }
};

QTEST_GUILESS_MAIN(TstSecurity)
#include "tst_security.moc"
