#pragma once
// A real sign-in for tests that drive a LabRuntime: the user is created in the lab's
// database as an administrator would (user.add's code path), then signs in through the
// runtime like the console's dialog; the session it gets is what commands must carry.
#include "app/labruntime.h"
#include "core/storage/userdirectory.h"

#include <QDeadlineTimer>
#include <QTest>
#include <pqxx/pqxx>

namespace alabos::test {

inline const QString kTestPassword = QStringLiteral("correct horse battery");

inline bool ensureUser(const QString &connection, const QString &user, Role role)
{
    pqxx::connection c(connection.toStdString());
    QString error;
    const bool added = addUser(c,
                               {{QStringLiteral("name"), user},
                                {QStringLiteral("role"), toString(role)},
                                {QStringLiteral("password"), kTestPassword}},
                               QStringLiteral("admin"), QStringLiteral("test"), &error);
    return added || error.contains(QLatin1StringView("already"));
}

// The session id, or empty (with the reason in *why).
inline QString signIn(LabRuntime &runtime, const QString &user, Role role, QString *why = nullptr,
                      const QString &password = kTestPassword)
{
    if (!ensureUser(runtime.databaseConnection(), user, role)) return {};
    std::optional<SignInResult> result;
    QObject context;
    runtime.signIn({user, password, {}, QStringLiteral("test-host"), {}}, &context,
                   [&](const SignInResult &r) { result = r; });
    QDeadlineTimer deadline(30000);
    while (!result && !deadline.hasExpired())
        QTest::qWait(5);
    if (!result) {
        if (why) *why = QStringLiteral("no answer to the sign-in within 30 s");
        return {};
    }
    if (why) *why = result->message;
    return result->ok ? result->session.id : QString();
}

} // namespace alabos::test
