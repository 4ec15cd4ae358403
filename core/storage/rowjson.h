#pragma once
// The JSON the writer stores: state rows written straight into a string, and any JSON value
// in a form PostgreSQL accepts.
#include "core/domain/types.h"

#include <QJsonValue>
#include <string>

namespace alabos {

// Compact JSON of `value` that PostgreSQL stores: U+0000, which it refuses in text and jsonb,
// becomes U+FFFD.
std::string storableJson(const QJsonValue &value);

// Appends the object that toJson() of the row gives (same keys, same values; tst_storagewriter
// compares them), without building a QJsonObject: building and dropping those was most of the
// time of encoding a group of change sets. U+0000 becomes U+FFFD, as in storableJson().
class RowJson
{
public:
    void append(std::string &out, const TaskState &t);
    void append(std::string &out, const DeviceState &d);
    void append(std::string &out, const WorkflowState &w);
    void append(std::string &out, const SampleState &s);
    // Appends the payload of the change set's event `i`: its row's JSON, or the payload it
    // carries.
    void appendEventPayload(std::string &out, const ChangeSet &set, qsizetype i);
    // A task's parameters as storableJson() gives them; encoded once while the same
    // parameters (tasks of one template step share them) follow each other.
    const std::string &parameters(const QJsonObject &parameters);

private:
    QJsonObject m_lastParameters;
    std::string m_lastParametersJson = "{}";
};

} // namespace alabos
