// Users: Argon2id hashes (and the upgrade of old PBKDF2 ones), sign-in rules against the
// users table with audit and lock-out, accounts without a password, demo accounts only in a
// simulated lab's database, sessions ended by an administrator's change; and the sign-in
// dialog driven like a person would, against the scheduler's account service.
#include "core/security/passwords.h"
#include "core/storage/accountservice.h"
#include "core/storage/databasereader.h"
#include "core/storage/userdirectory.h"
#include "tests/support/servicecommand.h"
#include "tests/support/testdatabase.h"
#include "ui/auditpanel.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/signindialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPasswordDigestor>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <pqxx/pqxx>

using namespace alabos;
using test::TestDatabase;

namespace {
QString legacyHash(const QString &password)
{
    const QByteArray salt("0123456789abcdef");
    return QStringLiteral("pbkdf2-sha256$100000$%1$%2")
        .arg(QString::fromLatin1(salt.toBase64()),
             QString::fromLatin1(QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256,
                                                                    password.toUtf8(), salt, 100000,
                                                                    32)
                                     .toBase64()));
}

// The scheduler's account service on its own thread, as LabRuntime runs it.
struct Accounts
{
    explicit Accounts(const QString &conn)
        : sessions(std::make_shared<SessionRegistry>()), service(new AccountService(conn, sessions))
    {
        thread.start();
        service->moveToThread(&thread);
    }
    ~Accounts()
    {
        QMetaObject::invokeMethod(
            service, [s = service] { delete s; }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
    SignInResult signIn(const QString &user, const QString &password,
                        const QString &newPassword = {})
    {
        QSignalSpy spy(service, &AccountService::signedIn);
        const qint64 id = ++nextId;
        QMetaObject::invokeMethod(service, [s = service, id, user, password, newPassword] {
            s->signIn(id, {user, password, newPassword, QStringLiteral("desk-1"),
                           QStringLiteral("local")});
        });
        if (!spy.wait(20000)) return {false, QStringLiteral("(no answer)"), {}};
        return spy.first().at(1).value<SignInResult>();
    }
    CommandReply command(const QString &kind, const QString &entity, const QJsonObject &args)
    {
        OperatorCommand c;
        c.id = ++nextId;
        c.user = QStringLiteral("admin");
        c.role = Role::Admin;
        c.host = QStringLiteral("desk-1");
        c.kind = kind;
        c.entityId = entity;
        c.args = args;
        return test::runCommand(service, c);
    }
    std::shared_ptr<SessionRegistry> sessions;
    AccountService *service;
    QThread thread;
    qint64 nextId = 0;
};
} // namespace

class TstUsers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestDatabase::instance().server().isRunning(),
                 qPrintable(TestDatabase::instance().error()));
    }

    void passwordsAreHashedWithArgon2idAndOldHashesStillVerify()
    {
        const QString a = hashPassword(QStringLiteral("correct horse"));
        const QString b = hashPassword(QStringLiteral("correct horse"));
        QVERIFY(a != b); // salted
        QVERIFY(a.startsWith(QStringLiteral("$argon2id$")));
        QVERIFY(passwordHashIsCurrent(a));
        QVERIFY(!a.contains(QStringLiteral("correct")));
        QVERIFY(verifyPassword(QStringLiteral("correct horse"), a));
        QVERIFY(!verifyPassword(QStringLiteral("correct hors"), a));
        QVERIFY(!verifyPassword(QStringLiteral("x"), QStringLiteral("plain-text")));
        const QString old = legacyHash(QStringLiteral("correct horse"));
        QVERIFY(verifyPassword(QStringLiteral("correct horse"), old));
        QVERIFY(!verifyPassword(QStringLiteral("correct hors"), old));
        QVERIFY(!passwordHashIsCurrent(old));
        QVERIFY(!verifyPassword(QStringLiteral("x"),
                                QStringLiteral("pbkdf2-sha256$1$AAAA$BBBB"))); // too few iterations
        QVERIFY(!passwordProblem(QStringLiteral("short")).isEmpty());
        QVERIFY(!passwordProblem(QString(kMaxPasswordLength + 1, u'x')).isEmpty());
        QVERIFY(passwordProblem(QStringLiteral("long enough")).isEmpty());
    }

    void anAccountWithoutAPasswordNeverSignsIn()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        pqxx::connection c(conn.toStdString());
        QString error;
        QVERIFY(
            !authenticate(c, QStringLiteral("admin"), QString(), QStringLiteral("desk-1"), &error));
        QVERIFY2(error.contains(QStringLiteral("no password")), qPrintable(error));
        QVERIFY(!authenticate(c, QStringLiteral("admin"), QStringLiteral("anything-at-all"),
                              QStringLiteral("desk-1"), &error));
        // The first start gives it one: generated, or the one given.
        const auto generated = ensureAdminPassword(c, {}, &error);
        QVERIFY2(generated && generated->size() >= kMinPasswordLength, qPrintable(error));
        QVERIFY(
            authenticate(c, QStringLiteral("admin"), *generated, QStringLiteral("desk-1"), &error));
        QCOMPARE(*ensureAdminPassword(c, QStringLiteral("another-one"), &error),
                 QString()); // only once
    }

    void signInRulesLockOutAndAudit()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        pqxx::connection c(conn.toStdString());
        QString error;
        QVERIFY(ensureAdminPassword(c, QStringLiteral("s3cret-enough"), &error));
        auto admin = authenticate(c, QStringLiteral("Admin "), QStringLiteral("s3cret-enough"),
                                  QStringLiteral("desk-1"), &error);
        QVERIFY(admin);
        QCOMPARE(toString(admin->role), QStringLiteral("admin"));
        QVERIFY(!authenticate(c, QStringLiteral("admin"), QStringLiteral("wrong-password"),
                              QStringLiteral("desk-1"), &error));
        const QString wrongPassword = error;
        QVERIFY(!authenticate(c, QStringLiteral("nobody"), QStringLiteral("whatever1"),
                              QStringLiteral("desk-1"), &error));
        QCOMPARE(error, wrongPassword); // no hint which names exist

        // Five failures in a row lock the account, even for the right password.
        for (int i = 0; i < kMaxSignInFailures - 1; ++i)
            QVERIFY(!authenticate(c, QStringLiteral("admin"), QStringLiteral("guess-%1").arg(i),
                                  QStringLiteral("desk-2"), &error));
        QVERIFY(!authenticate(c, QStringLiteral("admin"), QStringLiteral("s3cret-enough"),
                              QStringLiteral("desk-1"), &error));
        QVERIFY2(error.contains(QStringLiteral("locked")), qPrintable(error));
        QCOMPARE(test::queryValue(
                     conn, QStringLiteral(
                               "SELECT count(*) FROM audit_log WHERE action = 'account_locked'")),
                 QStringLiteral("1"));
        // An administrator's new password lifts the lock.
        QVERIFY2(setPassword(c, QStringLiteral("admin"), QStringLiteral("new-s3cret-1"),
                             QStringLiteral("admin"), QStringLiteral("desk-1"), &error),
                 qPrintable(error));
        QVERIFY(authenticate(c, QStringLiteral("admin"), QStringLiteral("new-s3cret-1"),
                             QStringLiteral("desk-1"), &error));

        QCOMPARE(
            test::queryValue(
                conn,
                QStringLiteral(
                    "SELECT count(*) FROM audit_log WHERE action = 'sign_in' AND host = 'desk-1'")),
            QStringLiteral("2"));
        QCOMPARE(test::queryValue(
                     conn, QStringLiteral(
                               "SELECT count(*) FROM audit_log WHERE action = 'sign_in_refused'")),
                 QStringLiteral("7"));
        QCOMPARE(test::queryValue(
                     conn, QStringLiteral(
                               "SELECT count(*) FROM users WHERE password_hash LIKE '%s3cret%'")),
                 QStringLiteral("0"));
    }

    void anOldHashIsReplacedAtTheNextSignIn()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        test::queryValue(conn, QStringLiteral("INSERT INTO users (name, role, password_hash) "
                                              "VALUES ('olga', 'operator', '%1') RETURNING 1")
                                   .arg(legacyHash(QStringLiteral("old-password"))));
        pqxx::connection c(conn.toStdString());
        QString error;
        QVERIFY2(
            authenticate(c, QStringLiteral("olga"), QStringLiteral("old-password"), {}, &error),
            qPrintable(error));
        QVERIFY(test::queryValue(
                    conn, QStringLiteral("SELECT password_hash FROM users WHERE name = 'olga'"))
                    .startsWith(QStringLiteral("$argon2id$")));
        QVERIFY(
            authenticate(c, QStringLiteral("olga"), QStringLiteral("old-password"), {}, &error));
    }

    void demoAccountsOnlyInASimulatedLabsDatabase()
    {
        const QString simulated = TestDatabase::instance().createDatabase();
        {
            pqxx::connection c(simulated.toStdString());
            QString error;
            QCOMPARE(decideLabOrigin(c, true), QStringLiteral("simulation"));
            QCOMPARE(decideLabOrigin(c, false), QStringLiteral("simulation")); // decided once
            QVERIFY2(ensureDemoUsers(c, &error), qPrintable(error));
            QVERIFY2(ensureDemoUsers(c, &error), qPrintable(error)); // idempotent
            const auto tech = authenticate(c, QStringLiteral("technician"),
                                           QStringLiteral("technician"), {}, &error);
            QVERIFY2(tech, qPrintable(error));
            QVERIFY(tech->demo);
        }
        const QString real = TestDatabase::instance().createDatabase();
        pqxx::connection c(real.toStdString());
        QString error;
        QCOMPARE(decideLabOrigin(c, false), QStringLiteral("lab"));
        QVERIFY(!ensureDemoUsers(c, &error));
        QVERIFY(error.contains(QStringLiteral("not created for a simulated lab")));
        QCOMPARE(test::queryValue(real, QStringLiteral("SELECT count(*) FROM users WHERE demo")),
                 QStringLiteral("0"));
        // A demo account copied into a real lab's database is refused.
        test::queryValue(
            real, QStringLiteral(
                      "INSERT INTO users (name, display_name, role, password_hash, demo) "
                      "VALUES ('operator', 'Demo operator', 'operator', '%1', true) RETURNING 1")
                      .arg(hashPassword(QStringLiteral("operator"))));
        QVERIFY(
            !authenticate(c, QStringLiteral("operator"), QStringLiteral("operator"), {}, &error));
        QVERIFY2(error.contains(QStringLiteral("Demo accounts")), qPrintable(error));
    }

    void anAdministratorsChangeEndsTheUsersSessions()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        Accounts accounts(conn);
        QVERIFY(accounts
                    .command(QStringLiteral("user.add"), {},
                             {{QStringLiteral("name"), QStringLiteral("olga")},
                              {QStringLiteral("role"), QStringLiteral("operator")},
                              {QStringLiteral("password"), QStringLiteral("olga-pass-1")}})
                    .ok);
        const CommandReply badRole =
            accounts.command(QStringLiteral("user.edit"), QStringLiteral("olga"),
                             {{QStringLiteral("role"), QStringLiteral("god")}});
        QVERIFY(!badRole.ok);
        QVERIFY(badRole.message.contains(QStringLiteral("not a role")));
        const CommandReply longName =
            accounts.command(QStringLiteral("user.edit"), QStringLiteral("olga"),
                             {{QStringLiteral("display_name"), QString(201, u'x')}});
        QVERIFY(!longName.ok);
        QVERIFY(longName.message.contains(QStringLiteral("at most 200")));

        SignInResult first = accounts.signIn(QStringLiteral("olga"), QStringLiteral("olga-pass-1"));
        QVERIFY2(first.ok, qPrintable(first.message));
        QVERIFY(first.session.role == Role::Operator);
        QVERIFY(accounts.sessions->find(first.session.id, nullptr));
        // A display name is no reason to end a session; a role is.
        QVERIFY(accounts
                    .command(QStringLiteral("user.edit"), QStringLiteral("olga"),
                             {{QStringLiteral("display_name"), QStringLiteral("Olga O.")}})
                    .ok);
        QVERIFY(accounts.sessions->find(first.session.id, nullptr));
        const CommandReply promoted =
            accounts.command(QStringLiteral("user.edit"), QStringLiteral("olga"),
                             {{QStringLiteral("role"), QStringLiteral("supervisor")}});
        QVERIFY(promoted.ok);
        QVERIFY(promoted.message.contains(QStringLiteral("1 session(s) ended")));
        QString why;
        QVERIFY(!accounts.sessions->find(first.session.id, &why));

        const SignInResult second =
            accounts.signIn(QStringLiteral("olga"), QStringLiteral("olga-pass-1"));
        QVERIFY(second.ok);
        QVERIFY(second.session.role == Role::Supervisor);
        QVERIFY(accounts
                    .command(QStringLiteral("user.edit"), QStringLiteral("olga"),
                             {{QStringLiteral("disabled"), true}})
                    .ok);
        QVERIFY(!accounts.sessions->find(second.session.id, nullptr));
        QVERIFY(!accounts.signIn(QStringLiteral("olga"), QStringLiteral("olga-pass-1")).ok);
        QVERIFY(!accounts
                     .command(QStringLiteral("user.edit"), QStringLiteral("admin"),
                              {{QStringLiteral("disabled"), true}})
                     .ok);
        QCOMPARE(test::queryValue(
                     conn,
                     QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'user_edited'")),
                 QStringLiteral("3"));
    }

    void dialogSignsInChangesThePasswordAndShowsRefusals()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        {
            pqxx::connection c(conn.toStdString());
            QString error;
            QVERIFY(addUser(c,
                            {{QStringLiteral("name"), QStringLiteral("sue")},
                             {QStringLiteral("role"), QStringLiteral("supervisor")},
                             {QStringLiteral("password"), QStringLiteral("sue-pass-1")}},
                            QStringLiteral("admin"), {}, &error));
        }
        Accounts accounts(conn);
        ConsoleServices services;
        services.signIn = [&](const SignInRequest &request, QObject *context,
                              std::function<void(const SignInResult &)> done) {
            QObject::connect(
                accounts.service, &AccountService::signedIn, context,
                [done](qint64, const SignInResult &r) { done(r); }, Qt::SingleShotConnection);
            QMetaObject::invokeMethod(accounts.service,
                                      [s = accounts.service, request] { s->signIn(1, request); });
        };
        ConsoleSession session;
        SignInDialog dialog(&services, &session);
        dialog.show();
        auto *user = dialog.findChild<QLineEdit *>(QStringLiteral("userName"));
        auto *password = dialog.findChild<QLineEdit *>(QStringLiteral("password"));
        auto *message = dialog.findChild<QLabel *>(QStringLiteral("signInMessage"));
        QTest::keyClicks(user, QStringLiteral("sue"));
        QTest::keyClicks(password, QStringLiteral("nope-nope"));
        QTest::keyClick(password, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(message->text().contains(QStringLiteral("wrong")), 10000);
        QVERIFY(!session.isLoggedIn());
        password->clear();
        QTest::keyClicks(password, QStringLiteral("sue-pass-1"));
        dialog.findChild<QCheckBox *>(QStringLiteral("changePassword"))->setChecked(true);
        auto *fresh = dialog.findChild<QLineEdit *>(QStringLiteral("newPassword"));
        auto *repeat = dialog.findChild<QLineEdit *>(QStringLiteral("repeatPassword"));
        QTest::keyClicks(fresh, QStringLiteral("sue-pass-2"));
        QTest::keyClicks(repeat, QStringLiteral("sue-pass-3"));
        QTest::keyClick(password, Qt::Key_Return);
        QTRY_VERIFY(message->text().contains(QStringLiteral("differ")));
        repeat->clear();
        QTest::keyClicks(repeat, QStringLiteral("sue-pass-2"));
        QTest::keyClick(password, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(session.isLoggedIn(), 10000);
        QCOMPARE(session.user(), QStringLiteral("sue"));
        QVERIFY(session.role() == Role::Supervisor);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(accounts.signIn(QStringLiteral("sue"), QStringLiteral("sue-pass-2")).ok);
        QVERIFY(!accounts.signIn(QStringLiteral("sue"), QStringLiteral("sue-pass-1")).ok);
    }

    void theAuditTrailIsShownFilteredAndExportedWithoutFormulas()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        {
            pqxx::connection c(conn.toStdString());
            QString error;
            QVERIFY(ensureAdminPassword(c, QStringLiteral("s3cret-enough"), &error));
            QVERIFY(authenticate(c, QStringLiteral("admin"), QStringLiteral("s3cret-enough"),
                                 QStringLiteral("desk-1"), &error));
            // A host name chosen to run in a spreadsheet.
            QVERIFY(!authenticate(c, QStringLiteral("admin"), QStringLiteral("nope-nope"),
                                  QStringLiteral("=cmd|' /C calc'!A0"), &error));
            QVERIFY(!authenticate(c, QStringLiteral("mallory"), QStringLiteral("nope-nope"),
                                  QStringLiteral("+1, \"two\""), &error));
        }
        DatabaseReader reader({conn});
        AuditPanel panel(&reader);
        QSignalSpy refreshed(&panel, &AuditPanel::refreshed);
        panel.refresh();
        QVERIFY(refreshed.wait(20000));
        // Newest first: the refused sign-ins, then the sign-in, then the first password.
        QCOMPARE(panel.model()->rowCount(), 4);
        QCOMPARE(panel.model()->item(0, 1)->text(), QStringLiteral("mallory"));
        QCOMPARE(panel.model()->item(0, 3)->text(), QStringLiteral("sign_in_refused"));
        panel.userFilter()->setText(QStringLiteral("Admin"));
        panel.actionFilter()->setCurrentIndex(
            panel.actionFilter()->findData(QStringLiteral("sign_in_refused")));
        QVERIFY(refreshed.wait(20000)); // the action filter refreshes at once
        QCOMPARE(panel.model()->rowCount(), 1);
        QCOMPARE(panel.model()->item(0, 2)->text(), QStringLiteral("=cmd|' /C calc'!A0"));
        panel.userFilter()->clear();
        panel.actionFilter()->setCurrentIndex(0);
        QVERIFY(refreshed.wait(20000));
        panel.textFilter()->setText(QStringLiteral("WRONG PASSWORD"));
        panel.refresh();
        QVERIFY(refreshed.wait(20000));
        QCOMPARE(panel.model()->rowCount(), 1);

        panel.textFilter()->clear();
        panel.refresh();
        QVERIFY(refreshed.wait(20000));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("audit.csv"));
        QCOMPARE(panel.exportCsv(path), QString());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString csv = QString::fromUtf8(file.readAll());
        QVERIFY2(csv.contains(QStringLiteral(",'=cmd|' /C calc'!A0,")), qPrintable(csv));
        QVERIFY2(csv.contains(QStringLiteral(",\"'+1, \"\"two\"\"\",")), qPrintable(csv));
        QVERIFY(!csv.contains(QStringLiteral(",=cmd")));
        QCOMPARE(csv.count(QStringLiteral("\r\n")), 5);
    }
};

QTEST_MAIN(TstUsers)
#include "tst_users.moc"
