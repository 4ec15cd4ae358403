#pragma once
// The lab server's side of "sample.register" and "sample.delete": checks the role, the
// signature and the request, and writes all of it or none in one transaction on its own
// thread and connection, with one "sample.registered" or "sample.deleted" event per sample
// in the same transaction (the relay publishes them, so every console sees the change
// through its feed).
#include "core/domain/commands.h"
#include "core/domain/types.h"
#include "core/storage/samplestore.h"

#include <QObject>
#include <functional>
#include <memory>
#include <optional>
#include <pqxx/connection>

namespace alabos {

class SignatureAuthority;

class SampleRegistrar : public QObject
{
    Q_OBJECT
public:
    // Sample ids come from the engine, the one allocator of ids; `reserveIds(n)` returns the
    // first of n consecutive ids nobody else will use.
    using IdReserver = std::function<SampleId(int count)>;

    static constexpr int kMaxBatch = 1000;
    static constexpr int kMaxBarcodeLength = 64;
    static constexpr int kMaxNameLength = 200;
    static constexpr int kMaxTextValueLength = 2000; // any text value in metadata
    static constexpr int kMaxMetadataBytes = 8192;   // a sample's metadata, as compact JSON

    SampleRegistrar(QString connectionString, IdReserver reserveIds, QObject *parent = nullptr);
    ~SampleRegistrar() override;

    // The samples of a "sample.register" request, or why it is refused (naming the entry).
    static std::optional<QList<SampleState>> parse(const QJsonObject &args, QString *error);
    // The policy that says whether a registration needs an electronic signature; without
    // one, none does. Set before the first request.
    void setSignatures(std::shared_ptr<SignatureAuthority> signatures);

public Q_SLOTS:
    void handle(const alabos::OperatorCommand &command);

Q_SIGNALS:
    void replied(const alabos::CommandReply &reply);
    // Something was committed: the relay has events to publish.
    void committed();

private:
    struct Request // a sample.register that passed the checks before the database
    {
        OperatorCommand command;
        QList<SampleState> samples;
    };
    void drain();
    // The request's samples, or nothing and why it is refused before the database.
    std::optional<QList<SampleState>> check(const OperatorCommand &command, QString *refusal);
    void registerGroup(QList<Request> group);
    void deleteSamples(const OperatorCommand &command);
    void answer(const OperatorCommand &command, const CommandReply &reply);
    CommandReply duplicatesReply(qint64 commandId, QStringList duplicates) const;

    SampleId takeIds(int count);

    SampleStore m_store; // the one writer of sample batches (COPY, events, audit)
    std::shared_ptr<SignatureAuthority> m_signatures;
    IdReserver m_reserveIds;
    // Ids are reserved from the engine a block at a time: a busy engine thread answers a
    // blocking call only after its queue, which cost each small registration tens of ms.
    static constexpr int kIdBlock = 1000;
    SampleId m_nextId = 0;
    int m_idsLeft = 0;
    QList<OperatorCommand> m_pending; // arrived, not yet drained
};

} // namespace alabos
