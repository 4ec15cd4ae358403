// The engine's table of operator commands against the domain's list of kinds: every kind the
// engine handles needs the permission the domain documents, and every kind meant for the
// engine has a handler.
#include "core/engine/operatorcommands.h"

#include <QSet>
#include <QTest>

using namespace alabos;

class TstCommandTable : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyKindNeedsThePermissionTheDomainDocuments()
    {
        for (const OperatorCommands::Kind &k : OperatorCommands::table())
            QCOMPARE(QString::fromLatin1(k.permission),
                     OperatorCommand::requiredPermission(k.kind));
    }

    void everyKindIsListedOnceWithAHandler()
    {
        QSet<QString> seen;
        for (const OperatorCommands::Kind &k : OperatorCommands::table()) {
            QVERIFY2(!seen.contains(k.kind), qPrintable(k.kind));
            seen.insert(k.kind);
            QVERIFY(k.handler != nullptr);
        }
    }

    void everyKindMeantForTheEngineHasAHandler()
    {
        // Alarms, accounts (users, tokens, the signature policy) and sample registration have
        // services of their own.
        QSet<QString> handled;
        for (const OperatorCommands::Kind &k : OperatorCommands::table())
            handled.insert(k.kind);
        for (const QString &kind : OperatorCommand::kinds()) {
            const bool elsewhere = kind.startsWith(QLatin1StringView("alarm.")) ||
                                   kind.startsWith(QLatin1StringView("user.")) ||
                                   kind.startsWith(QLatin1StringView("token.")) ||
                                   kind.startsWith(QLatin1StringView("signature.")) ||
                                   kind == QLatin1StringView("sample.register");
            QCOMPARE(handled.contains(kind), !elsewhere);
        }
    }
};

QTEST_GUILESS_MAIN(TstCommandTable)
#include "tst_commandtable.moc"
