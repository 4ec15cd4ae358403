#pragma once
// Electronic signatures on operator commands (21 CFR Part 11 §11.50, §11.200; SECURITY.md,
// "Electronic signatures"). An administrator chooses which command kinds need one and the
// reasons a signer may give (the policy, stored in PostgreSQL, migration 0015). A command of
// such a kind carries the person's password again and a reason; the scheduler's account
// service checks the password against the user of the command's own session (never one the
// message names) and makes the signature: who, when, the reason, the comment, and an
// HMAC-SHA256 over those and the command itself (id, session, user, kind, entity, arguments)
// under a key that never leaves the scheduler process. Whoever runs the command (the engine,
// the alarm service, the account service) checks that MAC, so a signature cannot be forged,
// moved onto another command or another user's command, and no path around the account
// service (a forged message, a caller that skips it) runs a command that needs one.
// Thread-safe: read by every thread that runs commands, changed by the account service.
#include "core/domain/commands.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QMutex>
#include <QStringList>

namespace alabos {

struct SignaturePolicy
{
    // Command kinds that need a signature, sorted.
    QStringList kinds;
    // The meanings a signer chooses from, in the order shown.
    QStringList reasons;

    static constexpr int kMaxReasons = 20;
    static constexpr int kMaxReasonLength = 100;
    static constexpr int kMaxCommentLength = 500;

    // Whether a signature on `kind` can be stored with its audit row.
    static bool signable(const QString &kind);
    // No kind needs a signature until an administrator says so; these reasons to start with.
    static SignaturePolicy defaults();
    // {"kinds": [...], "reasons": [...]}, as signature.policy takes it and replies with it.
    QJsonObject toJson() const;
    // Checked (kinds known, reasons non-empty, unique, within the limits); nullopt and a
    // message naming the field and the limit when not.
    static std::optional<SignaturePolicy> fromJson(const QJsonObject &json, QString *error);
    bool needsSignature(const QString &kind) const { return kinds.contains(kind); }
    bool operator==(const SignaturePolicy &) const = default;
};

class SignatureAuthority
{
    Q_DECLARE_TR_FUNCTIONS(alabos::SignatureAuthority)
public:
    // A fresh random MAC key: signatures live as long as the process that made them needs
    // to check them (the command runs in the same process, right after its signature).
    SignatureAuthority();

    SignaturePolicy policy() const;
    void setPolicy(const SignaturePolicy &policy);
    bool needsSignature(const QString &kind) const;

    // The reason and comment checked against the policy; empty when acceptable, else why
    // not, naming the field and the limit.
    QString requestProblem(const SignatureRequest &request) const;
    // The signature of `command` by `displayName` (its session's user, whose password the
    // caller checked), made now.
    QJsonObject sign(const OperatorCommand &command, const QString &displayName,
                     const SignatureRequest &request) const;
    // Empty when `command` may run as far as signatures go: its kind needs none, or it
    // carries a signature this authority made for exactly this command and its user.
    // Otherwise the refusal, for a person.
    QString check(const OperatorCommand &command) const;
    // The signature as shown to people (replies, dialogs): without its MAC.
    static QJsonObject shown(const QJsonObject &signature);

private:
    QByteArray mac(const OperatorCommand &command, const QJsonObject &unsignedSignature) const;

    mutable QMutex m_mutex;
    SignaturePolicy m_policy;
    const QByteArray m_key;
};

} // namespace alabos
