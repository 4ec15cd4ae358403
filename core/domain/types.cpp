#include "core/domain/types.h"

#include <QDateTime>
#include <QJsonArray>

#include <array>
#include <chrono>

namespace alabos {

namespace {

constexpr std::array<const char *, 6> kDeviceStatusNames = {"offline", "idle",        "busy",
                                                            "paused",  "maintenance", "error"};
constexpr std::array<const char *, 7> kTaskStatusNames = {
    "waiting", "ready", "running", "paused", "completed", "failed", "cancelled"};

template <typename Enum, std::size_t N>
std::optional<Enum> enumFromString(QStringView text, const std::array<const char *, N> &names)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (text == QLatin1StringView(names[i]))
            return static_cast<Enum>(i);
    }
    return std::nullopt;
}

// Reads fields from a JSON object and remembers the first problem, so that a
// malformed message yields one clear reason instead of a crash or a silent default.
class FieldReader
{
public:
    FieldReader(const QJsonObject &json, const char *what) : m_json(json), m_what(what) {}

    qint64 integer(const char *key, bool required = true)
    {
        const QJsonValue v = m_json.value(QLatin1StringView(key));
        if (v.isUndefined() && !required)
            return 0;
        if (!v.isDouble()) {
            fail(key, "a number");
            return 0;
        }
        return v.toInteger();
    }
    QString string(const char *key, bool required = true)
    {
        const QJsonValue v = m_json.value(QLatin1StringView(key));
        if ((v.isUndefined() || v.isNull()) && !required)
            return {};
        if (!v.isString()) {
            fail(key, "a string");
            return {};
        }
        return v.toString();
    }
    QJsonObject object(const char *key)
    {
        const QJsonValue v = m_json.value(QLatin1StringView(key));
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isObject())
            fail(key, "an object");
        return v.toObject();
    }
    QList<qint64> integers(const char *key)
    {
        QList<qint64> out;
        const QJsonValue v = m_json.value(QLatin1StringView(key));
        if (v.isUndefined() || v.isNull())
            return out;
        if (!v.isArray()) {
            fail(key, "an array of numbers");
            return out;
        }
        for (const QJsonValue &item : v.toArray()) {
            if (!item.isDouble()) {
                fail(key, "an array of numbers");
                return {};
            }
            out.append(item.toInteger());
        }
        return out;
    }
    template <typename Enum>
    Enum status(const char *key, std::optional<Enum> (*parse)(QStringView))
    {
        const QString text = string(key);
        if (!m_error.isEmpty())
            return Enum{};
        const auto parsed = parse(text);
        if (!parsed) {
            m_error = QStringLiteral("%1: field \"%2\" has unknown value \"%3\"")
                          .arg(QLatin1StringView(m_what), QLatin1StringView(key), text);
            return Enum{};
        }
        return *parsed;
    }
    bool ok(QString *error) const
    {
        if (error && !m_error.isEmpty())
            *error = m_error;
        return m_error.isEmpty();
    }

private:
    void fail(const char *key, const char *expected)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1: field \"%2\" must be %3")
                          .arg(QLatin1StringView(m_what), QLatin1StringView(key),
                               QLatin1StringView(expected));
    }

    const QJsonObject &m_json;
    const char *m_what;
    QString m_error;
};

QJsonArray toArray(const QList<qint64> &values)
{
    QJsonArray out;
    for (qint64 v : values)
        out.append(v);
    return out;
}

} // namespace

QString toString(DeviceStatus status)
{
    return QLatin1StringView(kDeviceStatusNames[static_cast<std::size_t>(status)]);
}

QString toString(TaskStatus status)
{
    return QLatin1StringView(kTaskStatusNames[static_cast<std::size_t>(status)]);
}

std::optional<DeviceStatus> deviceStatusFromString(QStringView text)
{
    return enumFromString<DeviceStatus>(text, kDeviceStatusNames);
}

std::optional<TaskStatus> taskStatusFromString(QStringView text)
{
    return enumFromString<TaskStatus>(text, kTaskStatusNames);
}

bool isFinal(TaskStatus status)
{
    return status == TaskStatus::Completed || status == TaskStatus::Failed ||
           status == TaskStatus::Cancelled;
}

bool isAllowedTransition(TaskStatus from, TaskStatus to)
{
    using S = TaskStatus;
    if (isFinal(from))
        return from == S::Failed && to == S::Ready; // a retry re-queues a failed task
    switch (to) {
    case S::Waiting:
        return false;
    case S::Ready:
        return from == S::Waiting || from == S::Paused || from == S::Running; // running: requeue
    case S::Running:
        return from == S::Ready || from == S::Paused;
    case S::Paused:
        return from == S::Ready || from == S::Running || from == S::Waiting;
    case S::Completed:
        return from == S::Running;
    case S::Failed:
        return from == S::Running || from == S::Ready;
    case S::Cancelled:
        return true;
    }
    return false;
}

qint64 nowMicros()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

qint64 steadyNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

QJsonObject DeviceState::toJson() const
{
    QJsonObject json{{QStringLiteral("id"), id},
                     {QStringLiteral("type"), type},
                     {QStringLiteral("status"), toString(status)},
                     {QStringLiteral("current_task"), currentTask},
                     {QStringLiteral("tasks_completed"), tasksCompleted},
                     {QStringLiteral("updated_us"), updatedUs}};
    if (!message.isEmpty()) json.insert(QStringLiteral("message"), message);
    return json;
}

std::optional<DeviceState> DeviceState::fromJson(const QJsonObject &json, QString *error)
{
    FieldReader r(json, "device");
    DeviceState d;
    d.id = r.string("id");
    d.type = r.string("type");
    d.status = r.status<DeviceStatus>("status", &deviceStatusFromString);
    d.currentTask = r.integer("current_task", false);
    d.tasksCompleted = r.integer("tasks_completed", false);
    d.updatedUs = r.integer("updated_us", false);
    d.message = json.value(QLatin1StringView("message")).toString().left(DeviceState::kMaxMessageLength);
    if (!r.ok(error))
        return std::nullopt;
    return d;
}

QJsonObject TaskState::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("workflow_id"), workflowId},
            {QStringLiteral("name"), name},
            {QStringLiteral("device_type"), deviceType},
            {QStringLiteral("device_id"), deviceId},
            {QStringLiteral("status"), toString(status)},
            {QStringLiteral("priority"), priority},
            {QStringLiteral("attempts"), attempts},
            {QStringLiteral("samples"), toArray(samples)},
            {QStringLiteral("parameters"), parameters},
            {QStringLiteral("created_us"), createdUs},
            {QStringLiteral("started_us"), startedUs},
            {QStringLiteral("finished_us"), finishedUs},
            {QStringLiteral("message"), message},
            {QStringLiteral("queue_rank"), queueRank}};
}

std::optional<TaskState> TaskState::fromJson(const QJsonObject &json, QString *error)
{
    FieldReader r(json, "task");
    TaskState t;
    t.id = r.integer("id");
    t.workflowId = r.integer("workflow_id", false);
    t.name = r.string("name");
    t.deviceType = r.string("device_type", false);
    t.deviceId = r.string("device_id", false);
    t.status = r.status<TaskStatus>("status", &taskStatusFromString);
    t.priority = int(r.integer("priority", false));
    t.attempts = int(r.integer("attempts", false));
    t.samples = r.integers("samples");
    t.parameters = r.object("parameters");
    t.createdUs = r.integer("created_us", false);
    t.startedUs = r.integer("started_us", false);
    t.finishedUs = r.integer("finished_us", false);
    t.message = r.string("message", false);
    t.queueRank = r.integer("queue_rank", false);
    if (!r.ok(error))
        return std::nullopt;
    return t;
}

QJsonObject SampleState::toJson() const
{
    QJsonObject json{{QStringLiteral("id"), id},
                     {QStringLiteral("barcode"), barcode},
                     {QStringLiteral("position"), position},
                     {QStringLiteral("workflow_id"), workflowId},
                     {QStringLiteral("metadata"), metadata},
                     {QStringLiteral("created_us"), createdUs}};
    if (deletedUs > 0)
        json.insert(QStringLiteral("deleted_us"), deletedUs);
    return json;
}

std::optional<SampleState> SampleState::fromJson(const QJsonObject &json, QString *error)
{
    FieldReader r(json, "sample");
    SampleState s;
    s.id = r.integer("id");
    s.barcode = r.string("barcode");
    s.position = r.string("position", false);
    s.workflowId = r.integer("workflow_id", false);
    s.metadata = r.object("metadata");
    s.createdUs = r.integer("created_us", false);
    s.deletedUs = r.integer("deleted_us", false);
    if (!r.ok(error))
        return std::nullopt;
    return s;
}

QJsonObject WorkflowState::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("template"), templateName},
            {QStringLiteral("status"), status},
            {QStringLiteral("samples"), toArray(samples)},
            {QStringLiteral("created_us"), createdUs},
            {QStringLiteral("finished_us"), finishedUs}};
}

std::optional<WorkflowState> WorkflowState::fromJson(const QJsonObject &json, QString *error)
{
    FieldReader r(json, "workflow");
    WorkflowState w;
    w.id = r.integer("id");
    w.templateName = r.string("template");
    w.status = r.string("status");
    w.samples = r.integers("samples");
    w.createdUs = r.integer("created_us", false);
    w.finishedUs = r.integer("finished_us", false);
    if (!r.ok(error))
        return std::nullopt;
    return w;
}

void ChangeSet::append(const ChangeSet &other)
{
    // Deferred payloads point into the lists they are appended to: past this set's rows.
    const auto rowsBefore = [this](QStringView type) -> qsizetype {
        if (type == QLatin1StringView(entity::Task)) return tasks.size();
        if (type == QLatin1StringView(entity::Device)) return devices.size();
        if (type == QLatin1StringView(entity::Sample)) return samples.size();
        if (type == QLatin1StringView(entity::Workflow)) return workflows.size();
        return 0;
    };
    const qsizetype firstEvent = events.size();
    events += other.events;
    for (qsizetype i = firstEvent; i < events.size(); ++i) {
        Event &e = events[i];
        if (e.stateRow < 0) continue;
        if (deferPayloads) {
            e.stateRow += qint32(rowsBefore(e.entityType));
        } else {
            e.payload = other.payloadOf(i - firstEvent);
            e.stateRow = -1;
        }
    }
    edges += other.edges;
    devices += other.devices;
    tasks += other.tasks;
    samples += other.samples;
    workflows += other.workflows;
    prompts += other.prompts;
    positions += other.positions;
    leases += other.leases;
    releasedLeases += other.releasedLeases;
    templates += other.templates;
    deviceConfigs += other.deviceConfigs;
}

QJsonObject ChangeSet::payloadOf(qsizetype i) const
{
    QJsonObject payload;
    if (!withStateRow(i, [&payload](const auto &row) { payload = row.toJson(); }))
        return events.at(i).payload;
    return payload;
}

namespace {
// One shared copy of each entity type's name: an event in a waiting change set then costs no
// allocation for it.
const QString &entityName(const char *type)
{
    static const QString task = QLatin1StringView(entity::Task);
    static const QString device = QLatin1StringView(entity::Device);
    static const QString sample = QLatin1StringView(entity::Sample);
    static const QString workflow = QLatin1StringView(entity::Workflow);
    static const QString prompt = QLatin1StringView(entity::Prompt);
    static const QString position = QLatin1StringView(entity::Position);
    if (qstrcmp(type, entity::Task) == 0) return task;
    if (qstrcmp(type, entity::Device) == 0) return device;
    if (qstrcmp(type, entity::Sample) == 0) return sample;
    if (qstrcmp(type, entity::Workflow) == 0) return workflow;
    if (qstrcmp(type, entity::Prompt) == 0) return prompt;
    return position;
}

Event stateEvent(const char *type, QString id, const QString &kind, QJsonObject payload)
{
    return Event{0, entityName(type), std::move(id), kind, nowMicros(), std::move(payload)};
}

// The event of the row just appended to `rows`: its payload deferred when the set says so.
template <typename Row>
Event rowEvent(const ChangeSet &set, const char *type, QString id, const QString &kind,
               const QList<Row> &rows)
{
    if (!set.deferPayloads) return stateEvent(type, std::move(id), kind, rows.last().toJson());
    Event e = stateEvent(type, std::move(id), kind, {});
    e.stateRow = qint32(rows.size() - 1);
    return e;
}
} // namespace

void ChangeSet::device(const DeviceState &state, const QString &kind)
{
    devices.append(state);
    events.append(rowEvent(*this, entity::Device, state.id, kind, devices));
}

void ChangeSet::device(const DeviceState &state, const QString &kind, const QJsonObject &config)
{
    devices.append(state);
    deviceConfigs.append({state.id, config});
    QJsonObject payload = state.toJson();
    payload.insert(QStringLiteral("config"), config);
    events.append(stateEvent(entity::Device, state.id, kind, std::move(payload)));
}

void ChangeSet::task(const TaskState &state, const QString &kind)
{
    tasks.append(state);
    events.append(rowEvent(*this, entity::Task, QString::number(state.id), kind, tasks));
}

void ChangeSet::sample(const SampleState &state, const QString &kind)
{
    samples.append(state);
    events.append(rowEvent(*this, entity::Sample, QString::number(state.id), kind, samples));
}

void ChangeSet::workflow(const WorkflowState &state, const QString &kind)
{
    workflows.append(state);
    events.append(rowEvent(*this, entity::Workflow, QString::number(state.id), kind, workflows));
}

void ChangeSet::prompt(const PromptState &state, const QString &kind)
{
    prompts.append(state);
    events.append(stateEvent(entity::Prompt, QString::number(state.id), kind, state.toJson()));
}

void ChangeSet::position(const PositionState &state, const QString &kind)
{
    positions.append(state);
    events.append(stateEvent(entity::Position, state.name, kind, state.toJson()));
}

void registerMetaTypes()
{
    qRegisterMetaType<PromptState>();
    qRegisterMetaType<QList<PromptState>>();
    qRegisterMetaType<DeviceState>();
    qRegisterMetaType<TaskState>();
    qRegisterMetaType<SampleState>();
    qRegisterMetaType<WorkflowState>();
    qRegisterMetaType<Event>();
    qRegisterMetaType<ChangeSet>();
    qRegisterMetaType<LabSnapshot>();
    qRegisterMetaType<QList<DeviceState>>();
    qRegisterMetaType<QList<TaskState>>();
    qRegisterMetaType<QList<Event>>();
}

} // namespace alabos
