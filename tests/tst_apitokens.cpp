// API tokens: the format (generate, strict parse, hash, constant-time compare), the directory
// the REST API verifies against (expired, revoked, wrong secret, malformed, a role change and a
// disabled user), and the token.* commands through the scheduler's account service against
// the real database (create, list without hashes, revoke by owner or admin only, limits named,
// the plaintext never in the audit trail or the events).
#include "core/security/apitokens.h"
#include "core/security/crypto.h"
#include "core/storage/accountservice.h"
#include "core/storage/userdirectory.h"
#include "tests/support/servicecommand.h"
#include "tests/support/testdatabase.h"
#include "ui/apitokensdialog.h"
#include "ui/consolesession.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <pqxx/pqxx>

using namespace alabos;
using test::TestDatabase;

namespace {
constexpr qint64 kHourUs = 3600LL * 1000 * 1000;

ApiTokenRecord record(const NewApiToken &t, const QString &user, Role role, qint64 expiresUs)
{
    ApiTokenRecord r;
    r.id = t.id;
    r.hash = t.hash;
    r.user = user;
    r.displayName = user.toUpper();
    r.role = role;
    r.expiresUs = expiresUs;
    return r;
}

// The account service on its own thread, as LabRuntime runs it, with the token directory.
struct Accounts
{
    explicit Accounts(const QString &conn)
        : sessions(std::make_shared<SessionRegistry>()),
          tokens(std::make_shared<ApiTokenDirectory>()),
          service(new AccountService(conn, sessions, tokens))
    {
        thread.start();
        service->moveToThread(&thread);
        QMetaObject::invokeMethod(
            service, [s = service] { s->startTokenRefresh(); }, Qt::BlockingQueuedConnection);
    }
    ~Accounts()
    {
        QMetaObject::invokeMethod(
            service, [s = service] { delete s; }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
    CommandReply command(const QString &user, Role role, const QString &kind,
                         const QJsonObject &args, const QString &origin = {})
    {
        OperatorCommand c;
        c.id = ++nextId;
        c.user = user;
        c.role = role;
        c.host = QStringLiteral("desk-1");
        c.kind = kind;
        c.args = args;
        c.origin = origin;
        return test::runCommand(service, c);
    }
    CommandReply create(const QString &user, Role role, const QString &name, int days = 90)
    {
        return command(user, role, QStringLiteral("token.create"),
                       {{QStringLiteral("name"), name}, {QStringLiteral("expiresInDays"), days}});
    }
    void refresh()
    {
        QMetaObject::invokeMethod(
            service, [s = service] { s->refreshApiTokens(); }, Qt::BlockingQueuedConnection);
    }
    std::shared_ptr<SessionRegistry> sessions;
    std::shared_ptr<ApiTokenDirectory> tokens;
    AccountService *service;
    QThread thread;
    qint64 nextId = 0;
};

qint64 nowUs()
{
    return QDateTime::currentMSecsSinceEpoch() * 1000;
}

void addUser(const QString &conn, const QString &name, const QString &role)
{
    pqxx::connection c(conn.toStdString());
    QString error;
    QVERIFY2(alabos::addUser(c,
                             {{QStringLiteral("name"), name},
                              {QStringLiteral("role"), role},
                              {QStringLiteral("password"), QStringLiteral("a long password 1")}},
                             QStringLiteral("admin"), QStringLiteral("desk-1"), &error),
             qPrintable(error));
}
} // namespace

class TstApiTokens : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(initCrypto()); }

    void aTokenHasTheDocumentedFormatAndParsesBack()
    {
        const NewApiToken t = generateApiToken();
        QCOMPARE(t.plaintext.size(), kApiTokenLength);
        QVERIFY(t.plaintext.startsWith(QStringLiteral("alabos_") + t.id + u'_'));
        QCOMPARE(t.id.size(), 12);
        QCOMPARE(t.hash.size(), 32);
        QString why;
        const auto parts = parseApiToken(t.plaintext.toLatin1(), &why);
        QVERIFY2(parts, qPrintable(why));
        QCOMPARE(parts->id, t.id);
        QCOMPARE(parts->secret.size(), 32);
        QCOMPARE(hashApiTokenSecret(parts->secret), t.hash);
        QVERIFY(!t.plaintext.contains(QString::fromLatin1(t.hash.toBase64())));
        QVERIFY(generateApiToken().plaintext != t.plaintext);
        QVERIFY(apiTokenHashesEqual(t.hash, t.hash));
        QVERIFY(!apiTokenHashesEqual(t.hash, generateApiToken().hash));
        QVERIFY(!apiTokenHashesEqual(t.hash, t.hash.left(31)));
    }

    void malformedTokensAreRefusedNamingWhy()
    {
        const QByteArray good = generateApiToken().plaintext.toLatin1();
        QString why;
        QVERIFY(!parseApiToken(good.left(good.size() - 1), &why));
        QCOMPARE(why, QStringLiteral("wrong length"));
        QVERIFY(!parseApiToken(good + 'A', &why));
        QByteArray prefix = good;
        prefix[0] = 'A';
        QVERIFY(!parseApiToken(prefix, &why));
        QCOMPARE(why, QStringLiteral("wrong prefix"));
        QByteArray separator = good;
        separator[7 + 12] = 'x';
        QVERIFY(!parseApiToken(separator, &why));
        QByteArray alphabet = good;
        alphabet[9] = '+';
        QVERIFY(!parseApiToken(alphabet, &why));
        QVERIFY(why.contains(QStringLiteral("id")));
        QByteArray secret = good;
        secret[good.size() - 5] = '/';
        QVERIFY(!parseApiToken(secret, &why));
        QVERIFY(why.contains(QStringLiteral("secret")));
        QVERIFY(!parseApiToken("", &why));
        QVERIFY(!parseApiToken(QByteArray(kApiTokenLength, '\0'), &why));
    }

    void theDirectoryVerifiesOnlyLiveTokensOfEnabledUsers()
    {
        ApiTokenDirectory directory;
        const qint64 now = nowUs();
        const NewApiToken live = generateApiToken(), expired = generateApiToken(),
                          revoked = generateApiToken(), disabled = generateApiToken();
        ApiTokenRecord r = record(revoked, QStringLiteral("olga"), Role::Operator, now + kHourUs);
        r.revoked = true;
        ApiTokenRecord d = record(disabled, QStringLiteral("dora"), Role::Admin, now + kHourUs);
        d.userDisabled = true;
        directory.replace({record(live, QStringLiteral("olga"), Role::Operator, now + kHourUs),
                           record(expired, QStringLiteral("olga"), Role::Operator, now - 1), r, d});
        QCOMPARE(directory.size(), 4);

        QString why;
        const auto principal = directory.verify(live.plaintext.toLatin1(), now, &why);
        QVERIFY2(principal, qPrintable(why));
        QCOMPARE(principal->tokenId, live.id);
        QCOMPARE(principal->user, QStringLiteral("olga"));
        QCOMPARE(principal->displayName, QStringLiteral("OLGA"));
        QCOMPARE(toString(principal->role), toString(Role::Operator));

        const QString refused = QStringLiteral("invalid or expired token");
        for (const NewApiToken *t : {&expired, &revoked, &disabled}) {
            why.clear();
            QVERIFY(!directory.verify(t->plaintext.toLatin1(), now, &why));
            QCOMPARE(why, refused);
        }
        // A wrong secret for a known id, an unknown id and garbage: the same words.
        QByteArray wrong = live.plaintext.toLatin1();
        wrong[wrong.size() - 10] = wrong[wrong.size() - 10] == 'A' ? 'B' : 'A';
        why.clear();
        QVERIFY(!directory.verify(wrong, now, &why));
        QCOMPARE(why, refused);
        why.clear();
        QVERIFY(!directory.verify(generateApiToken().plaintext.toLatin1(), now, &why));
        QCOMPARE(why, refused);
        why.clear();
        QVERIFY(!directory.verify("Bearer nonsense", now, &why));
        QCOMPARE(why, refused);
        // Expiry is exclusive.
        QVERIFY(!directory.verify(live.plaintext.toLatin1(), now + kHourUs, &why));

        // The role is the user's current one: a refresh with the new role counts at once.
        directory.replace({record(live, QStringLiteral("olga"), Role::Supervisor, now + kHourUs)});
        QCOMPARE(toString(directory.verify(live.plaintext.toLatin1(), now, &why)->role),
                 toString(Role::Supervisor));
        const QHash<QString, qint64> used = directory.takeLastUsed();
        QCOMPARE(used.value(live.id), now); // carried over the replace
        QVERIFY(directory.takeLastUsed().isEmpty());
        directory.replace({});
        QVERIFY(!directory.verify(live.plaintext.toLatin1(), now, &why));
    }

    void theDirectoryIsReadByManyThreadsWhileReplaced()
    {
        ApiTokenDirectory directory;
        const qint64 now = nowUs();
        const NewApiToken t = generateApiToken();
        const QList<ApiTokenRecord> records{
            record(t, QStringLiteral("olga"), Role::Operator, now + kHourUs)};
        directory.replace(records);
        std::atomic<int> failures{0};
        QList<QThread *> readers;
        for (int i = 0; i < 4; ++i)
            readers << QThread::create([&] {
                for (int n = 0; n < 5000; ++n)
                    if (!directory.verify(t.plaintext.toLatin1(), now, nullptr)) ++failures;
            });
        for (QThread *r : readers)
            r->start();
        for (int n = 0; n < 500; ++n)
            directory.replace(records);
        for (QThread *r : readers) {
            r->wait();
            delete r;
        }
        QCOMPARE(failures.load(), 0);
    }

    void tokenCommandsAgainstTheDatabase()
    {
        QVERIFY2(TestDatabase::instance().server().isRunning(),
                 qPrintable(TestDatabase::instance().error()));
        const QString conn = TestDatabase::instance().createDatabase();
        addUser(conn, QStringLiteral("olga"), QStringLiteral("operator"));
        addUser(conn, QStringLiteral("tim"), QStringLiteral("technician"));
        Accounts accounts(conn);

        const CommandReply made = accounts.create(QStringLiteral("olga"), Role::Operator,
                                                  QStringLiteral("LIMS import"), 30);
        QVERIFY2(made.ok, qPrintable(made.message));
        const QString token = made.data.value(QStringLiteral("token")).toString();
        const QString id = made.data.value(QStringLiteral("id")).toString();
        QVERIFY(token.startsWith(QStringLiteral("alabos_") + id));
        QVERIFY(!made.message.contains(token));

        QString why;
        auto principal = accounts.tokens->verify(token.toLatin1(), nowUs(), &why);
        QVERIFY2(principal, qPrintable(why));
        QCOMPARE(principal->user, QStringLiteral("olga"));
        QCOMPARE(toString(principal->role), toString(Role::Operator));

        // The hash in the table is the secret's, never the token; the expiry 30 days out.
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT length(secret_hash) FROM "
                                                       "api_tokens WHERE id = '%1'")
                                            .arg(id)),
                 QStringLiteral("32"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT round(extract(epoch FROM "
                                                       "expires_at - created_at) / 86400) FROM "
                                                       "api_tokens")),
                 QStringLiteral("30"));

        // The plaintext is in no audit row and no event; the creation is audited.
        const QString secret = token.mid(7 + 13);
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM audit_log WHERE "
                                                       "detail::text LIKE '%%1%' OR entity_id "
                                                       "LIKE '%%1%'")
                                            .arg(secret)),
                 QStringLiteral("0"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM events WHERE "
                                                       "payload::text LIKE '%%1%'")
                                            .arg(secret)),
                 QStringLiteral("0"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT user_name || ' ' || entity_id FROM "
                                                       "audit_log WHERE action = "
                                                       "'api_token_created'")),
                 QStringLiteral("olga ") + id);

        // Limits, refused naming the field and audited as refusals.
        CommandReply r =
            accounts.create(QStringLiteral("olga"), Role::Operator, QString(101, u'n'));
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QStringLiteral("args.name")), qPrintable(r.message));
        QVERIFY(r.message.contains(QStringLiteral("100")));
        r = accounts.create(QStringLiteral("olga"), Role::Operator, QStringLiteral("   "));
        QVERIFY(!r.ok);
        QVERIFY(r.message.contains(QStringLiteral("args.name")));
        for (int days : {0, 366, -5}) {
            r = accounts.create(QStringLiteral("olga"), Role::Operator, QStringLiteral("x"), days);
            QVERIFY(!r.ok);
            QVERIFY2(r.message.contains(QStringLiteral("args.expiresInDays")),
                     qPrintable(r.message));
        }
        r = accounts.command(QStringLiteral("olga"), Role::Operator, QStringLiteral("token.create"),
                             {{QStringLiteral("name"), QStringLiteral("x")},
                              {QStringLiteral("expiresInDays"), 1.5}});
        QVERIFY(!r.ok);
        QVERIFY(r.message.contains(QStringLiteral("args.expiresInDays")));
        QVERIFY(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM audit_log WHERE "
                                                      "action = 'command_refused' AND entity_id "
                                                      "= 'token.create'"))
                    .toInt() >= 5);

        // A console on another process gets no token: the reply would cross the broker.
        r = accounts.command(QStringLiteral("olga"), Role::Operator, QStringLiteral("token.create"),
                             {{QStringLiteral("name"), QStringLiteral("remote")},
                              {QStringLiteral("expiresInDays"), 5}},
                             QStringLiteral("deskB/1"));
        QVERIFY(!r.ok);
        QVERIFY(r.data.isEmpty());

        // Listing: one's own, an admin everyone's, never a hash.
        const CommandReply timsToken =
            accounts.create(QStringLiteral("tim"), Role::Technician, QStringLiteral("tim's"));
        QVERIFY(timsToken.ok);
        r = accounts.command(QStringLiteral("olga"), Role::Operator, QStringLiteral("token.list"),
                             {});
        QVERIFY2(r.ok, qPrintable(r.message));
        QJsonArray list = r.data.value(QStringLiteral("tokens")).toArray();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0][QStringLiteral("id")].toString(), id);
        QCOMPARE(list[0][QStringLiteral("name")].toString(), QStringLiteral("LIMS import"));
        QCOMPARE(list[0][QStringLiteral("state")].toString(), QStringLiteral("active"));
        r = accounts.command(QStringLiteral("admin"), Role::Admin, QStringLiteral("token.list"),
                             {});
        list = r.data.value(QStringLiteral("tokens")).toArray();
        QCOMPARE(list.size(), 2);
        const QString listed = QString::fromUtf8(QJsonDocument(list).toJson());
        QVERIFY(!listed.contains(QStringLiteral("hash")));
        QVERIFY(!listed.contains(secret));

        // Olga cannot revoke Tim's token (nor learn it exists); Tim and an admin can.
        const QString timsId = timsToken.data.value(QStringLiteral("id")).toString();
        r = accounts.command(QStringLiteral("olga"), Role::Operator, QStringLiteral("token.revoke"),
                             {{QStringLiteral("tokenId"), timsId}});
        QVERIFY(!r.ok);
        QVERIFY(accounts.tokens->verify(
            timsToken.data.value(QStringLiteral("token")).toString().toLatin1(), nowUs(), &why));
        r = accounts.command(QStringLiteral("admin"), Role::Admin, QStringLiteral("token.revoke"),
                             {{QStringLiteral("tokenId"), timsId}});
        QVERIFY2(r.ok, qPrintable(r.message));
        QVERIFY(!accounts.tokens->verify(
            timsToken.data.value(QStringLiteral("token")).toString().toLatin1(), nowUs(), &why));
        QCOMPARE(why, QStringLiteral("invalid or expired token"));
        r = accounts.command(QStringLiteral("admin"), Role::Admin, QStringLiteral("token.revoke"),
                             {{QStringLiteral("tokenId"), timsId}});
        QVERIFY(!r.ok); // once is final

        // A role change counts at once; so does disabling the user.
        pqxx::connection c(conn.toStdString());
        bool endSessions = false;
        QString error;
        QVERIFY(editUser(c, QStringLiteral("olga"),
                         {{QStringLiteral("role"), QStringLiteral("supervisor")}},
                         QStringLiteral("admin"), QString(), &endSessions, &error));
        accounts.refresh();
        principal = accounts.tokens->verify(token.toLatin1(), nowUs(), &why);
        QVERIFY(principal);
        QCOMPARE(toString(principal->role), toString(Role::Supervisor));
        QVERIFY(editUser(c, QStringLiteral("olga"), {{QStringLiteral("disabled"), true}},
                         QStringLiteral("admin"), QString(), &endSessions, &error));
        accounts.refresh();
        QVERIFY(!accounts.tokens->verify(token.toLatin1(), nowUs(), &why));
        QVERIFY(editUser(c, QStringLiteral("olga"), {{QStringLiteral("disabled"), false}},
                         QStringLiteral("admin"), QString(), &endSessions, &error));

        // A revocation by another process (straight in the table) counts at the next refresh.
        accounts.refresh();
        QVERIFY(accounts.tokens->verify(token.toLatin1(), nowUs(), &why));
        pqxx::work tx(c);
        tx.exec_params0(
            "UPDATE api_tokens SET revoked_at = now(), revoked_by = 'dba' WHERE id = $1",
            id.toStdString());
        tx.commit();
        accounts.refresh();
        QVERIFY(!accounts.tokens->verify(token.toLatin1(), nowUs(), &why));
        // And stays revoked.
        QVERIFY_THROWS_EXCEPTION(std::exception, [&] {
            pqxx::work undo(c);
            undo.exec_params0("UPDATE api_tokens SET revoked_at = NULL, revoked_by = NULL "
                              "WHERE id = $1",
                              id.toStdString());
        }());
    }

    void theDialogCreatesShowsOnceListsAndRevokes()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        addUser(conn, QStringLiteral("olga"), QStringLiteral("operator"));
        Accounts accounts(conn);
        ConsoleSession session;
        session.setIdentity(QStringLiteral("olga"), Role::Operator, QStringLiteral("s-1"));
        connect(&session, &ConsoleSession::commandIssued, accounts.service,
                &AccountService::handleCommand);
        connect(accounts.service, &AccountService::commandReplied, &session,
                &ConsoleSession::onReply);

        ApiTokensDialog dialog(&session);
        QSignalSpy loaded(&dialog, &ApiTokensDialog::loaded);
        QVERIFY(loaded.wait(20000));
        QCOMPARE(loaded.last().first().toInt(), 0);
        QSignalSpy created(&dialog, &ApiTokensDialog::created);
        dialog.showNewToken();
        auto *form = dialog.findChild<NewApiTokenDialog *>();
        QVERIFY(form);
        QCOMPARE(form->findChild<QSpinBox *>(QStringLiteral("tokenDays"))->value(), 90);
        auto *create = form->findChild<QPushButton *>(QStringLiteral("createButton"));
        QVERIFY(!create->isEnabled());
        QTest::keyClicks(form->findChild<QLineEdit *>(QStringLiteral("tokenName")),
                         QStringLiteral("nightly export"));
        QVERIFY(create->isEnabled());
        QTest::mouseClick(create, Qt::LeftButton);
        QVERIFY(created.wait(20000));
        const QString id = created.first().first().toString();
        auto *token = form->findChild<QLineEdit *>(QStringLiteral("tokenText"));
        QVERIFY(token->isReadOnly());
        QVERIFY(token->text().startsWith(QStringLiteral("alabos_") + id));
        QString why;
        QVERIFY(accounts.tokens->verify(token->text().toLatin1(), nowUs(), &why));
        QVERIFY(form->findChild<QLabel *>(QStringLiteral("tokenWarning"))
                    ->text()
                    .contains(QStringLiteral("will not be shown again")));
        QVERIFY(loaded.wait(20000));
        // For a person to look at: ALABOS_SCREENSHOT_DIR=DIR saves both dialogs as PNG.
        if (const QString dir = qEnvironmentVariable("ALABOS_SCREENSHOT_DIR"); !dir.isEmpty()) {
            form->show();
            dialog.show();
            QTest::qWait(100);
            form->grab().save(dir + QStringLiteral("/apitoken-new.png"));
            dialog.grab().save(dir + QStringLiteral("/apitokens.png"));
        }
        auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("tokensTable"));
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->item(0, 0)->text(), QStringLiteral("nightly export"));
        QCOMPARE(table->item(0, 6)->text(), id);
        for (int c = 0; c < table->columnCount(); ++c)
            QVERIFY(!token->text().contains(table->item(0, c)->text()) ||
                    table->item(0, c)->text().size() < 20);

        // Revoke, confirming the question.
        const QString plaintext = token->text();
        table->selectRow(0);
        auto *revoke = dialog.findChild<QPushButton *>(QStringLiteral("revokeButton"));
        QVERIFY(revoke->isEnabled());
        QSignalSpy revoked(&dialog, &ApiTokensDialog::revoked);
        QTimer::singleShot(200, [] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget()))
                box->button(QMessageBox::Yes)->click();
        });
        dialog.revokeSelected();
        QVERIFY(revoked.wait(20000));
        QVERIFY(!accounts.tokens->verify(plaintext.toLatin1(), nowUs(), &why));
    }

    void theAppRoleCannotDeleteOrRewriteATokenButUsesIt()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        pqxx::connection c(conn.toStdString());
        QVERIFY_THROWS_EXCEPTION(std::exception, [&] {
            pqxx::work tx(c);
            tx.exec("DELETE FROM api_tokens");
        }());
        QVERIFY_THROWS_EXCEPTION(std::exception, [&] {
            pqxx::work tx(c);
            tx.exec("UPDATE api_tokens SET secret_hash = secret_hash");
        }());
        pqxx::work tx(c);
        tx.exec("UPDATE api_tokens SET last_used_at = now()");
        tx.exec("SELECT secret_hash FROM api_tokens");
    }
};

QTEST_MAIN(TstApiTokens)
#include "tst_apitokens.moc"
