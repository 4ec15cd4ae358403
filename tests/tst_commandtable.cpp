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
        // Alarms, accounts (users, tokens, the signature policy) and samples have services of
        // their own; the engine's table has a handler for every other kind and for no more.
        QSet<QString> handled;
        for (const OperatorCommands::Kind &k : OperatorCommands::table())
            handled.insert(k.kind);
        const QStringList kinds = OperatorCommand::kinds();
        for (const QString &kind : kinds)
            QVERIFY2(handled.contains(kind) ==
                         (OperatorCommand::serviceOf(kind) == OperatorCommand::Service::Engine),
                     qPrintable(kind));
        QCOMPARE(handled.size(),
                 std::count_if(kinds.cbegin(), kinds.cend(), [](const QString &kind) {
                     return OperatorCommand::serviceOf(kind) == OperatorCommand::Service::Engine;
                 }));
    }
};

QTEST_GUILESS_MAIN(TstCommandTable)
#include "tst_commandtable.moc"
