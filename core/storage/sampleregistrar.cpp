#include "core/storage/sampleregistrar.h"

#include "core/domain/listtext.h"
#include "core/domain/logging.h"
#include "core/security/signatures.h"
#include "core/storage/samplequeries.h"
#include "core/storage/samplestore.h"

#include <QCollator>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <pqxx/pqxx>

namespace alabos {

SampleRegistrar::SampleRegistrar(QString connectionString, IdReserver reserveIds, QObject *parent)
    : QObject(parent), m_store(std::move(connectionString)), m_reserveIds(std::move(reserveIds))
{
}

SampleRegistrar::~SampleRegistrar() = default;

namespace {
// Empty when every text in `value` (nested ones too) is short enough and free of control
// characters; else the problem, naming `path`.
QString textProblem(const QString &path, const QJsonValue &value)
{
    if (value.isString()) {
        const QString text = value.toString();
        if (text.size() > SampleRegistrar::kMaxTextValueLength)
            return QObject::tr("\"%1\" has %2 characters; at most %3")
                .arg(path.left(100))
                .arg(text.size())
                .arg(SampleRegistrar::kMaxTextValueLength);
        for (QChar c : text)
            if (c.category() == QChar::Other_Control && c != u'\t' && c != u'\n' && c != u'\r')
                return QObject::tr("\"%1\" contains a control character (U+%2)")
                    .arg(path.left(100))
                    .arg(c.unicode(), 4, 16, QLatin1Char('0'));
        return {};
    }
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.constBegin(); it != o.constEnd(); ++it)
            if (const QString bad = textProblem(path + u'.' + it.key(), *it); !bad.isEmpty())
                return bad;
    }
    if (value.isArray()) {
        const QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            if (const QString bad = textProblem(QStringLiteral("%1[%2]").arg(path).arg(i), a[i]);
                !bad.isEmpty())
                return bad;
    }
    return {};
}
} // namespace

std::optional<QList<SampleState>> SampleRegistrar::parse(const QJsonObject &args, QString *error)
{
    auto fail = [&](const QString &why) {
        if (error) *error = why;
        return std::nullopt;
    };
    const QJsonValue list = args.value(QLatin1StringView("samples"));
    if (!list.isArray()) return fail(tr("\"samples\" must be a list of samples"));
    const QJsonArray samples = list.toArray();
    if (samples.isEmpty()) return fail(tr("no samples to register"));
    if (samples.size() > kMaxBatch)
        return fail(tr("%1 samples in one request; at most %2").arg(samples.size()).arg(kMaxBatch));
    QList<SampleState> out;
    QHash<QString, int> seen;
    const qint64 now = nowMicros();
    for (int i = 0; i < samples.size(); ++i) {
        const QString where = QStringLiteral("samples[%1]").arg(i);
        if (!samples[i].isObject()) return fail(tr("%1 is not an object").arg(where));
        const QJsonObject o = samples[i].toObject();
        const QJsonValue barcodeValue = o.value(QLatin1StringView("barcode"));
        if (!barcodeValue.isString() || barcodeValue.toString().trimmed().isEmpty())
            return fail(tr("%1: \"barcode\" is missing").arg(where));
        const QString barcode = barcodeValue.toString().trimmed();
        if (barcode.size() > kMaxBarcodeLength)
            return fail(tr("%1: barcode \"%2\" is longer than %3 characters")
                            .arg(where, barcode.left(20) + QStringLiteral("…"))
                            .arg(kMaxBarcodeLength));
        for (QChar c : barcode)
            if (c.isSpace() || !c.isPrint())
                return fail(tr("%1: barcode \"%2\" contains a space or a control character")
                                .arg(where, barcode));
        if (const auto it = seen.constFind(barcode); it != seen.cend())
            return fail(tr("barcode \"%1\" appears twice in the request (samples[%2] and %3)")
                            .arg(barcode)
                            .arg(*it)
                            .arg(where));
        seen.insert(barcode, i);
        const QJsonValue metadata = o.value(QLatin1StringView("metadata"));
        if (!metadata.isUndefined() && !metadata.isNull() && !metadata.isObject())
            return fail(tr("%1: \"metadata\" must be an object").arg(where));
        const QJsonValue name = o.value(QLatin1StringView("name"));
        if (!name.isUndefined() && !name.isNull() && !name.isString())
            return fail(tr("%1: \"name\" must be text").arg(where));
        const QString nameText = name.toString().trimmed();
        if (nameText.size() > kMaxNameLength)
            return fail(tr("%1 (%2): \"name\" has %3 characters; at most %4")
                            .arg(where, barcode)
                            .arg(nameText.size())
                            .arg(kMaxNameLength));
        if (const QString bad = textProblem(QStringLiteral("name"), QJsonValue(nameText));
            !bad.isEmpty())
            return fail(tr("%1 (%2): %3").arg(where, barcode, bad));
        const QJsonObject fields = metadata.toObject();
        for (auto it = fields.constBegin(); it != fields.constEnd(); ++it)
            if (const QString bad = textProblem(QStringLiteral("metadata.") + it.key(), *it);
                !bad.isEmpty())
                return fail(tr("%1 (%2): %3").arg(where, barcode, bad));
        const qsizetype metadataBytes = QJsonDocument(fields).toJson(QJsonDocument::Compact).size();
        if (metadataBytes > kMaxMetadataBytes)
            return fail(tr("%1 (%2): \"metadata\" has %3 bytes; at most %4")
                            .arg(where, barcode)
                            .arg(metadataBytes)
                            .arg(kMaxMetadataBytes));
        SampleState s;
        s.barcode = barcode;
        s.metadata = fields;
        // The registry has no name column; the name is metadata like the rest.
        if (!name.toString().trimmed().isEmpty())
            s.metadata.insert(QStringLiteral("name"), name.toString().trimmed());
        s.createdUs = now;
        out.append(s);
    }
    return out;
}

CommandReply SampleRegistrar::duplicatesReply(qint64 commandId, QStringList duplicates) const
{
    QCollator collator;
    collator.setNumericMode(true);
    std::sort(duplicates.begin(), duplicates.end(), collator);
    const QString names = firstNamesAndCount(duplicates, 20);
    CommandReply reply{commandId,
                       false,
                       tr("Nothing registered: %n barcode(s) already registered: %1", nullptr,
                          int(duplicates.size()))
                           .arg(names),
                       {}};
    reply.data.insert(QStringLiteral("duplicates"), QJsonArray::fromStringList(duplicates));
    return reply;
}

void SampleRegistrar::handle(const OperatorCommand &command)
{
    // Requests that arrive together are registered together: the drain runs after every
    // request already queued to this thread, and writes them all in one transaction.
    m_pending.append(command);
    if (m_pending.size() == 1)
        QMetaObject::invokeMethod(this, &SampleRegistrar::drain, Qt::QueuedConnection);
}

void SampleRegistrar::drain()
{
    QList<OperatorCommand> commands;
    commands.swap(m_pending);
    QList<Request> accepted;
    QList<OperatorCommand> deletions; // after the registrations that came with them
    for (const OperatorCommand &command : std::as_const(commands)) {
        QString refusal;
        if (command.kind == QLatin1StringView("sample.delete"))
            deletions.append(command);
        else if (auto samples = check(command, &refusal))
            accepted.append({command, std::move(*samples)});
        else
            answer(command, {command.id, false, refusal, {}});
    }
    while (!accepted.isEmpty()) {
        // At most kMaxBatch samples a transaction, as one request may bring.
        QList<Request> group;
        qsizetype rows = 0;
        while (!accepted.isEmpty() &&
               (group.isEmpty() || rows + accepted.first().samples.size() <= kMaxBatch)) {
            rows += accepted.first().samples.size();
            group.append(accepted.takeFirst());
        }
        registerGroup(std::move(group));
    }
    for (const OperatorCommand &command : std::as_const(deletions))
        deleteSamples(command);
}

void SampleRegistrar::deleteSamples(const OperatorCommand &command)
{
    const auto refuse = [&](const QString &why) { answer(command, {command.id, false, why, {}}); };
    if (command.user.isEmpty()) return refuse(tr("Log in to delete samples"));
    if (!roleAllows(command.role, QString::fromLatin1(permission::SampleDelete)))
        return refuse(tr("sample.delete refused: %1 (%2) lacks the permission \"%3\"")
                          .arg(command.user, toString(command.role),
                               QString::fromLatin1(permission::SampleDelete)));
    if (m_signatures)
        if (const QString unsigned_ = m_signatures->check(command); !unsigned_.isEmpty())
            return refuse(unsigned_);
    const QJsonValue list = command.args.value(QLatin1StringView("barcodes"));
    const QJsonArray array = list.toArray();
    if (!list.isArray() || array.isEmpty() || array.size() > SampleStore::kMaxDelete)
        return refuse(tr("sample.delete: args.barcodes must be an array of 1 to %1 barcodes")
                          .arg(SampleStore::kMaxDelete));
    QStringList barcodes;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString barcode = array.at(i).toString();
        if (!array.at(i).isString() || barcode.isEmpty() || barcode.size() > kMaxBarcodeLength)
            return refuse(tr("sample.delete: args.barcodes[%1] must be a barcode of 1 to %2 "
                             "characters")
                              .arg(i)
                              .arg(kMaxBarcodeLength));
        if (barcodes.contains(barcode))
            return refuse(tr("sample.delete: args.barcodes lists %1 twice").arg(barcode));
        barcodes << barcode;
    }
    const QString reason = command.args.value(QLatin1StringView("reason")).toString().trimmed();
    if (reason.isEmpty() || reason.size() > SampleStore::kMaxReasonLength)
        return refuse(tr("sample.delete: args.reason must say why, in 1 to %1 characters")
                          .arg(SampleStore::kMaxReasonLength));
    if (const QString problem = textProblem(QStringLiteral("args.reason"), reason);
        !problem.isEmpty())
        return refuse(tr("sample.delete: %1").arg(problem));
    const SampleStore::Deletion done = m_store.deleteSamples(
        barcodes, reason, command.user, command.host, SignatureAuthority::shown(command.signature));
    if (!done.ok) return refuse(done.error);
    CommandReply reply{command.id, true, tr("Deleted %n sample(s)", nullptr, done.deleted), {}};
    reply.data.insert(QStringLiteral("count"), done.deleted);
    if (!command.signature.isEmpty())
        reply.data.insert(QStringLiteral("signature"),
                          SignatureAuthority::shown(command.signature));
    answer(command, reply);
    Q_EMIT committed();
}

void SampleRegistrar::answer(const OperatorCommand &command, const CommandReply &reply)
{
    const bool deletion = command.kind == QLatin1StringView("sample.delete");
    if (!reply.ok)
        m_store.auditRefusal(
            deletion ? QStringLiteral("sample.delete_refused")
                     : QStringLiteral("sample.register_refused"),
            command.user, command.host,
            int(command.args
                    .value(deletion ? QLatin1StringView("barcodes") : QLatin1StringView("samples"))
                    .toArray()
                    .size()),
            reply.message);
    Q_EMIT replied(reply);
}

std::optional<QList<SampleState>> SampleRegistrar::check(const OperatorCommand &command,
                                                         QString *refusal)
{
    if (command.kind != QLatin1StringView("sample.register")) {
        *refusal = tr("Not a sample registration: %1").arg(command.kind);
        return std::nullopt;
    }
    if (command.user.isEmpty()) {
        *refusal = tr("Log in to register samples");
        return std::nullopt;
    }
    if (!roleAllows(command.role, QString::fromLatin1(permission::SampleRegister))) {
        *refusal = tr("%1 (%2) may not register samples").arg(command.user, toString(command.role));
        return std::nullopt;
    }
    if (m_signatures) {
        if (const QString unsigned_ = m_signatures->check(command); !unsigned_.isEmpty()) {
            *refusal = unsigned_;
            return std::nullopt;
        }
    }
    QString why;
    auto samples = parse(command.args, &why);
    if (!samples) *refusal = tr("Nothing registered: %1").arg(why);
    return samples;
}

void SampleRegistrar::setSignatures(std::shared_ptr<SignatureAuthority> signatures)
{
    m_signatures = std::move(signatures);
}

SampleId SampleRegistrar::takeIds(int count)
{
    // A batch takes consecutive ids; what is left of a block too small for it goes unused.
    if (count > m_idsLeft) {
        m_idsLeft = std::max(count, kIdBlock);
        m_nextId = m_reserveIds(m_idsLeft);
    }
    const SampleId first = m_nextId;
    m_nextId += count;
    m_idsLeft -= count;
    return first;
}

void SampleRegistrar::registerGroup(QList<Request> group)
{
    // Barcodes already registered, looked up for the whole group in one query, refuse their
    // request before it takes ids.
    QStringList barcodes;
    for (const auto &[command, samples] : std::as_const(group))
        for (const SampleState &s : samples)
            barcodes << s.barcode;
    QString error;
    const auto existing = m_store.existingBarcodes(barcodes, &error);
    if (!existing) {
        for (const auto &[command, samples] : std::as_const(group))
            answer(command, {command.id, false, tr("Nothing registered: %1").arg(error), {}});
        return;
    }
    const QSet<QString> registered(existing->cbegin(), existing->cend());
    QList<SampleStore::Batch> batches;
    QList<OperatorCommand> commands;
    for (auto &[command, samples] : group) {
        QStringList duplicates;
        for (const SampleState &s : std::as_const(samples))
            if (registered.contains(s.barcode)) duplicates << s.barcode;
        if (!duplicates.isEmpty()) {
            answer(command, duplicatesReply(command.id, duplicates));
            continue;
        }
        const SampleId first = takeIds(int(samples.size()));
        for (int i = 0; i < samples.size(); ++i) {
            samples[i].id = first + i;
            samples[i].metadata.insert(QStringLiteral("registered_by"), command.user);
        }
        batches.append(
            {samples, command.user, command.host, SignatureAuthority::shown(command.signature)});
        commands.append(command);
    }
    if (batches.isEmpty()) return;
    // Rows, one sample.registered event each and an audit row per request: one COPY
    // transaction for the group.
    const QList<SampleBatchResult> results = m_store.registerBatches(batches);
    bool anyWritten = false;
    for (qsizetype b = 0; b < batches.size(); ++b) {
        const OperatorCommand &command = commands[b];
        const SampleBatchResult &result = results[b];
        const QList<SampleState> &samples = batches[b].samples;
        if (!result.ok) {
            QStringList taken; // registered by someone else between the check and the write
            for (const SampleRowError &e : result.rowErrors)
                if (e.barcodeTaken) taken << e.barcode;
            if (!taken.isEmpty()) {
                answer(command, duplicatesReply(command.id, taken));
                continue;
            }
            qCWarning(lcStorage).noquote() << "sample registration refused:" << result.error;
            answer(command,
                   {command.id, false, tr("Nothing registered: %1").arg(result.error), {}});
            continue;
        }
        anyWritten = true;
        CommandReply reply{
            command.id, true, tr("Registered %n sample(s)", nullptr, int(samples.size())), {}};
        reply.data.insert(QStringLiteral("count"), int(samples.size()));
        reply.data.insert(QStringLiteral("first_id"), samples.first().id);
        reply.data.insert(QStringLiteral("last_id"), samples.last().id);
        if (!command.signature.isEmpty())
            reply.data.insert(QStringLiteral("signature"),
                              SignatureAuthority::shown(command.signature));
        answer(command, reply);
    }
    if (anyWritten) Q_EMIT committed();
}

} // namespace alabos
