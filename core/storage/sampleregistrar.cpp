#include "core/storage/sampleregistrar.h"

#include "core/domain/logging.h"
#include "core/storage/samplequeries.h"
#include "core/storage/storagewriter.h"

#include <QCollator>
#include <QHash>
#include <QJsonArray>
#include <pqxx/pqxx>

namespace alabos {

SampleRegistrar::SampleRegistrar(QString connectionString, IdReserver reserveIds, QObject *parent)
    : QObject(parent), m_connectionString(std::move(connectionString)),
      m_reserveIds(std::move(reserveIds))
{
}

SampleRegistrar::~SampleRegistrar() = default;

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
        SampleState s;
        s.barcode = barcode;
        s.metadata = metadata.toObject();
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
    if (command.kind != QLatin1StringView("sample.register")) {
        Q_EMIT replied(
            {command.id, false, tr("Not a sample registration: %1").arg(command.kind), {}});
        return;
    }
    if (command.user.isEmpty()) {
        Q_EMIT replied({command.id, false, tr("Log in to register samples"), {}});
        return;
    }
    if (!roleAllows(command.role, QString::fromLatin1(permission::SampleRegister))) {
        Q_EMIT replied(
            {command.id,
             false,
             tr("%1 (%2) may not register samples").arg(command.user, toString(command.role)),
             {}});
        return;
    }
    QString why;
    auto samples = parse(command.args, &why);
    if (!samples) {
        Q_EMIT replied({command.id, false, tr("Nothing registered: %1").arg(why), {}});
        return;
    }
    Q_EMIT replied(registerSamples(command, std::move(*samples)));
}

CommandReply SampleRegistrar::registerSamples(const OperatorCommand &command,
                                              QList<SampleState> samples)
{
    QStringList barcodes;
    barcodes.reserve(samples.size());
    for (const SampleState &s : std::as_const(samples))
        barcodes << s.barcode;
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            if (!m_connection || !m_connection->is_open())
                m_connection = std::make_unique<pqxx::connection>(m_connectionString.toStdString());
            pqxx::work tx(*m_connection);
            const QSet<QString> existing = existingBarcodes(tx, barcodes);
            if (!existing.isEmpty()) return duplicatesReply(command.id, existing.values());
            const SampleId first = m_reserveIds(int(samples.size()));
            ChangeSet changes;
            for (int i = 0; i < samples.size(); ++i) {
                SampleState &s = samples[i];
                s.id = first + i;
                s.metadata.insert(QStringLiteral("registered_by"), command.user);
                changes.sample(s, QStringLiteral("sample.registered"));
            }
            StorageWriter::writeChangeSet(tx, changes);
            tx.commit();
            Q_EMIT committed();
            CommandReply reply{
                command.id, true, tr("Registered %n sample(s)", nullptr, int(samples.size())), {}};
            reply.data.insert(QStringLiteral("count"), int(samples.size()));
            reply.data.insert(QStringLiteral("first_id"), first);
            reply.data.insert(QStringLiteral("last_id"), first + samples.size() - 1);
            return reply;
        } catch (const pqxx::unique_violation &) {
            // Registered by someone else between our check and our insert: name them.
            try {
                pqxx::read_transaction tx(*m_connection);
                const QSet<QString> existing = existingBarcodes(tx, barcodes);
                if (!existing.isEmpty()) return duplicatesReply(command.id, existing.values());
            } catch (const std::exception &) {
            }
            return {command.id,
                    false,
                    tr("Nothing registered: a barcode was registered at the same time; try again"),
                    {}};
        } catch (const pqxx::broken_connection &e) {
            m_connection.reset();
            if (attempt == 1)
                return {command.id,
                        false,
                        tr("Nothing registered: the database is unreachable (%1)")
                            .arg(QString::fromUtf8(e.what()).trimmed()),
                        {}};
        } catch (const std::exception &e) {
            qCWarning(lcStorage).noquote() << "sample registration refused:" << e.what();
            return {command.id,
                    false,
                    tr("Nothing registered: the database refused the batch (%1)")
                        .arg(QString::fromUtf8(e.what()).trimmed()),
                    {}};
        }
    }
    return {command.id, false, tr("Nothing registered"), {}};
}

} // namespace alabos
