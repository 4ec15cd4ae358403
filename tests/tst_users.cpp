// Users: password hashing, sign-in against the users table with audit, first sign-in
// choosing a password, demo users; and the sign-in dialog driven like a person would.
#include "core/storage/databasereader.h"
#include "core/storage/userdirectory.h"
#include "tests/support/testdatabase.h"
#include "ui/consolesession.h"
#include "ui/signindialog.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

#include <pqxx/pqxx>

using namespace alabos;
using test::TestDatabase;

class TstUsers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(TestDatabase::instance().server().isRunning(), qPrintable(TestDatabase::instance().error()));
    }

    void hashesVerifyAndDiffer()
    {
        const QString a = hashPassword(QStringLiteral("correct horse"));
        const QString b = hashPassword(QStringLiteral("correct horse"));
        QVERIFY(a != b); // salted
        QVERIFY(a.startsWith(QStringLiteral("pbkdf2-sha256$")));
        QVERIFY(!a.contains(QStringLiteral("correct")));
        QVERIFY(verifyPassword(QStringLiteral("correct horse"), a));
        QVERIFY(!verifyPassword(QStringLiteral("correct hors"), a));
        QVERIFY(!verifyPassword(QStringLiteral("x"), QStringLiteral("plain-text")));
        QVERIFY(!verifyPassword(QStringLiteral("x"), QStringLiteral("pbkdf2-sha256$1$AAAA$BBBB"))); // too few iterations
    }

    void signInRulesAndAudit()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        pqxx::connection c(conn.toStdString());
        QString error;
        // The seeded admin has no password yet: first sign-in.
        auto admin = authenticate(c, QStringLiteral("admin"), QString(), QStringLiteral("desk-1"), &error);
        QVERIFY(admin);
        QVERIFY(admin->needsPassword);
        QCOMPARE(toString(admin->role), QStringLiteral("admin"));
        QVERIFY(!setPassword(c, QStringLiteral("admin"), QStringLiteral("short"), QStringLiteral("desk-1"), &error));
        QVERIFY(error.contains(QStringLiteral("at least 8")));
        QVERIFY2(setPassword(c, QStringLiteral("admin"), QStringLiteral("s3cret-enough"), QStringLiteral("desk-1"), &error), qPrintable(error));
        admin = authenticate(c, QStringLiteral("Admin "), QStringLiteral("s3cret-enough"), QStringLiteral("desk-1"), &error);
        QVERIFY(admin && !admin->needsPassword);

        QVERIFY(!authenticate(c, QStringLiteral("admin"), QStringLiteral("wrong-password"), QStringLiteral("desk-1"), &error));
        const QString wrongPassword = error;
        QVERIFY(!authenticate(c, QStringLiteral("nobody"), QStringLiteral("whatever1"), QStringLiteral("desk-1"), &error));
        QCOMPARE(error, wrongPassword); // no hint which names exist

        test::queryValue(conn, QStringLiteral("UPDATE users SET disabled = true WHERE name = 'admin' RETURNING 1"));
        QVERIFY(!authenticate(c, QStringLiteral("admin"), QStringLiteral("s3cret-enough"), QStringLiteral("desk-1"), &error));
        QVERIFY(error.contains(QStringLiteral("disabled")));

        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'sign_in' AND host = 'desk-1'")), QStringLiteral("2"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'sign_in_refused'")), QStringLiteral("3"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'password_set'")), QStringLiteral("1"));
        QCOMPARE(test::queryValue(conn, QStringLiteral("SELECT count(*) FROM users WHERE password_hash LIKE '%s3cret%'")), QStringLiteral("0"));
    }

    void demoUsers()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        pqxx::connection c(conn.toStdString());
        QString error;
        QVERIFY2(ensureDemoUsers(c, &error), qPrintable(error));
        QVERIFY2(ensureDemoUsers(c, &error), qPrintable(error)); // idempotent
        const auto tech = authenticate(c, QStringLiteral("technician"), QStringLiteral("technician"), {}, &error);
        QVERIFY(tech);
        QCOMPARE(toString(tech->role), QStringLiteral("technician"));
    }

    void dialogSignsInAndShowsRefusals()
    {
        const QString conn = TestDatabase::instance().createDatabase();
        {
            pqxx::connection c(conn.toStdString());
            QString error;
            QVERIFY(ensureDemoUsers(c, &error));
        }
        DatabaseReader reader(conn);
        ConsoleSession session;
        SignInDialog dialog(&reader, &session);
        dialog.show();
        auto *user = dialog.findChild<QLineEdit *>(QStringLiteral("userName"));
        auto *password = dialog.findChild<QLineEdit *>(QStringLiteral("password"));
        auto *message = dialog.findChild<QLabel *>(QStringLiteral("signInMessage"));
        QTest::keyClicks(user, QStringLiteral("supervisor"));
        QTest::keyClicks(password, QStringLiteral("nope-nope"));
        QTest::keyClick(password, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(message->text().contains(QStringLiteral("wrong")), 10000);
        QVERIFY(!session.isLoggedIn());
        password->clear();
        QTest::keyClicks(password, QStringLiteral("supervisor"));
        QTest::keyClick(password, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(session.isLoggedIn(), 10000);
        QCOMPARE(session.user(), QStringLiteral("supervisor"));
        QCOMPARE(toString(session.role()), QStringLiteral("supervisor"));
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
};

QTEST_MAIN(TstUsers)
#include "tst_users.moc"
