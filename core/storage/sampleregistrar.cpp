#include "core/storage/sampleregistrar.h"

#include "core/domain/logging.h"
#include "core/storage/samplequeries.h"
#include "core/storage/samplestore.h"

#include <QCollator>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
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
    constexpr int kNamed = 20;
    QString names = duplicates.mid(0, kNamed).join(QStringLiteral(", "));
    if (duplicates.size() > kNamed)
        names += tr(" and %n more", nullptr, int(duplicates.size() - kNamed));
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
    const CommandReply reply = decide(command);
    if (!reply.ok)
        m_store.auditRefusal(command.user, command.host,
                             int(command.args.value(QLatin1StringView("samples")).toArray().size()),
                             reply.message);
    Q_EMIT replied(reply);
}

CommandReply SampleRegistrar::decide(const OperatorCommand &command)
{
    if (command.kind != QLatin1StringView("sample.register")) {
        return {command.id, false, tr("Not a sample registration: %1").arg(command.kind), {}};
    }
    if (command.user.isEmpty()) {
        return {command.id, false, tr("Log in to register samples"), {}};
    }
    if (!roleAllows(command.role, QString::fromLatin1(permission::SampleRegister))) {
        return {command.id,
                false,
                tr("%1 (%2) may not register samples").arg(command.user, toString(command.role)),
                {}};
    }
    QString why;
    auto samples = parse(command.args, &why);
    if (!samples) {
        return {command.id, false, tr("Nothing registered: %1").arg(why), {}};
    }
    return registerSamples(command, std::move(*samples));
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

CommandReply SampleRegistrar::registerSamples(const OperatorCommand &command,
                                              QList<SampleState> samples)
{
    QStringList barcodes;
    barcodes.reserve(samples.size());
    for (const SampleState &s : std::as_const(samples))
        barcodes << s.barcode;
    QString error;
    const auto existing = m_store.existingBarcodes(barcodes, &error);
    if (!existing) return {command.id, false, tr("Nothing registered: %1").arg(error), {}};
    if (!existing->isEmpty()) return duplicatesReply(command.id, *existing);
    const SampleId first = takeIds(int(samples.size()));
    for (int i = 0; i < samples.size(); ++i) {
        samples[i].id = first + i;
        samples[i].metadata.insert(QStringLiteral("registered_by"), command.user);
    }
    // Rows, one sample.registered event each and the audit row: one COPY transaction.
    const SampleBatchResult result = m_store.registerBatch(samples, command.user, command.host);
    if (!result.ok) {
        QStringList taken; // registered by someone else between the check and the write
        for (const SampleRowError &e : result.rowErrors)
            if (e.message.contains(QLatin1StringView("already registered"))) taken << e.barcode;
        if (!taken.isEmpty()) return duplicatesReply(command.id, taken);
        qCWarning(lcStorage).noquote() << "sample registration refused:" << result.error;
        return {command.id, false, tr("Nothing registered: %1").arg(result.error), {}};
    }
    Q_EMIT committed();
    CommandReply reply{
        command.id, true, tr("Registered %n sample(s)", nullptr, int(samples.size())), {}};
    reply.data.insert(QStringLiteral("count"), int(samples.size()));
    reply.data.insert(QStringLiteral("first_id"), first);
    reply.data.insert(QStringLiteral("last_id"), first + samples.size() - 1);
    return reply;
}

} // namespace alabos
