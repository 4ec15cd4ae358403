#include "core/storage/snapshot.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QObject>

#include <pqxx/pqxx>

namespace alabos {

namespace {
QList<qint64> parseIdArray(const char *text)
{
    QList<qint64> out;
    const QByteArray raw(text);
    const QByteArray inner = raw.mid(1, raw.size() - 2);
    if (inner.isEmpty())
        return out;
    for (const QByteArray &part : inner.split(','))
        out.append(part.toLongLong());
    return out;
}

QJsonObject parseObject(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

QString str(const pqxx::field &f)
{
    return f.is_null() ? QString() : QString::fromUtf8(f.c_str());
}

#define MICROS(col) "coalesce((extract(epoch FROM " col ") * 1000000)::bigint, 0)"

constexpr auto kTaskColumns =
    "id, workflow_id, name, device_type, device_id, status, priority, attempts, samples::text, "
    "parameters::text, message, " MICROS("created_at") ", " MICROS("started_at") ", " MICROS(
        "finished_at") ", queue_rank";

QList<WorkflowTemplateRecord> readWorkflowTemplates(pqxx::transaction_base &tx)
{
    QList<WorkflowTemplateRecord> out;
    for (const auto &row :
         tx.exec("SELECT name, definition::text, created_by FROM workflow_templates ORDER BY name"))
        out.append({str(row[0]), parseObject(row[1].c_str()), str(row[2])});
    return out;
}
} // namespace

std::optional<QList<WorkflowTemplateRecord>> loadWorkflowTemplates(const QString &connectionString,
                                                                   QString *error)
{
    try {
        pqxx::connection c(connectionString.toStdString());
        pqxx::read_transaction tx(c);
        return readWorkflowTemplates(tx);
    } catch (const std::exception &e) {
        if (error)
            *error = QString::fromUtf8(e.what()).trimmed();
        return std::nullopt;
    }
}

std::optional<LabSnapshot> loadSnapshot(const QString &connectionString, int recentFinished,
                                        QString *error)
{
    try {
        pqxx::connection c(connectionString.toStdString());
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c);
        LabSnapshot s;
        const pqxx::row ids = tx.exec1(
            "SELECT (SELECT coalesce(max(id), 0) FROM events), (SELECT coalesce(max(id), 0) FROM "
            "tasks), (SELECT coalesce(max(id), 0) FROM workflows), (SELECT coalesce(max(id), 0) "
            "FROM samples)");
        s.lastEventId = ids[0].as<qint64>();
        s.maxTaskId = ids[1].as<qint64>();
        s.maxWorkflowId = ids[2].as<qint64>();
        s.maxSampleId = ids[3].as<qint64>();
        for (const auto &row :
             tx.exec("SELECT id, type, status, coalesce(current_task, 0), tasks_completed, " MICROS(
                 "updated_at") ", config::text FROM device_states ORDER BY id")) {
            DeviceState d;
            d.id = str(row[0]);
            d.type = str(row[1]);
            d.status = deviceStatusFromString(str(row[2])).value_or(DeviceStatus::Offline);
            d.currentTask = row[3].as<qint64>();
            d.tasksCompleted = row[4].as<qint64>();
            d.updatedUs = row[5].as<qint64>();
            const QJsonObject config =
                QJsonDocument::fromJson(QByteArray::fromStdString(row[6].as<std::string>()))
                    .object();
            if (!config.isEmpty()) s.deviceConfigs.insert(d.id, config);
            s.devices.append(d);
        }
        const std::string taskQuery =
            std::string("SELECT ") + kTaskColumns +
            " FROM tasks WHERE status IN ('waiting','ready','running','paused')"
            " UNION ALL (SELECT " + kTaskColumns +
            " FROM tasks WHERE status IN ('completed','failed','cancelled')"
            " ORDER BY finished_at DESC NULLS LAST LIMIT $1)";
        for (const auto &row : tx.exec_params(taskQuery, recentFinished)) {
            TaskState t;
            t.id = row[0].as<qint64>();
            t.workflowId = row[1].as<qint64>();
            t.name = str(row[2]);
            t.deviceType = str(row[3]);
            t.deviceId = str(row[4]);
            t.status = taskStatusFromString(str(row[5])).value_or(TaskStatus::Waiting);
            t.priority = row[6].as<int>();
            t.attempts = row[7].as<int>();
            t.samples = parseIdArray(row[8].c_str());
            t.parameters = parseObject(row[9].c_str());
            t.message = str(row[10]);
            t.createdUs = row[11].as<qint64>();
            t.startedUs = row[12].as<qint64>();
            t.finishedUs = row[13].as<qint64>();
            t.queueRank = row[14].as<qint64>();
            s.tasks.append(t);
        }
        for (const auto &row : tx.exec(
                 "SELECT id, template, status, samples::text, " MICROS("created_at") ", " MICROS(
                     "finished_at") " FROM workflows WHERE status = 'running' ORDER BY id")) {
            WorkflowState w;
            w.id = row[0].as<qint64>();
            w.templateName = str(row[1]);
            w.status = str(row[2]);
            w.samples = parseIdArray(row[3].c_str());
            w.createdUs = row[4].as<qint64>();
            w.finishedUs = row[5].as<qint64>();
            s.workflows.append(w);
        }
        for (const auto &row :
             tx.exec("SELECT s.id, s.barcode, coalesce(s.position, ''), coalesce(s.workflow_id, 0), "
                     "s.metadata::text, " MICROS("s.created_at") " FROM samples s "
                     "LEFT JOIN workflows w ON w.id = s.workflow_id "
                     // In the lab now, or registered in the last day (waiting for a
                     // workflow); never a deleted one.
                     "WHERE s.deleted_at IS NULL AND (w.status = 'running' OR "
                     "s.created_at > now() - interval '1 day') "
                     "ORDER BY s.id DESC LIMIT 20000")) {
            SampleState x;
            x.id = row[0].as<qint64>();
            x.barcode = str(row[1]);
            x.position = str(row[2]);
            x.workflowId = row[3].as<qint64>();
            x.metadata = parseObject(row[4].c_str());
            x.createdUs = row[5].as<qint64>();
            s.samples.append(x);
        }
        for (const auto &row :
             tx.exec("SELECT e.workflow_id, e.from_task, e.to_task FROM task_edges e "
                     "JOIN workflows w ON w.id = e.workflow_id WHERE w.status = 'running'"))
            s.edges.append({row[0].as<qint64>(), row[1].as<qint64>(), row[2].as<qint64>()});
        // Open alarms: the newest event of each alarm, unless it says cleared.
        for (const auto &row : tx.exec(
                 "SELECT payload::text FROM (SELECT DISTINCT ON (entity_id) payload FROM events "
                 "WHERE entity_type = 'alarm' ORDER BY entity_id, id DESC) a "
                 "WHERE payload->>'state' <> 'cleared'"))
            s.alarms.append(parseObject(row[0].c_str()));
        // Engine tables (migration 0003): open prompts, positions, leases.
        s.maxPromptId = tx.exec1("SELECT coalesce(max(id), 0) FROM prompts")[0].as<qint64>();
        for (const auto &row : tx.exec(
                 "SELECT id, coalesce(task_id, 0), device_id, message, options::text, status, " MICROS(
                     "created_at") ", " MICROS("expires_at") " FROM prompts WHERE status = 'open' ORDER BY id")) {
            PromptState p;
            p.id = row[0].as<qint64>();
            p.taskId = row[1].as<qint64>();
            p.deviceId = str(row[2]);
            p.message = str(row[3]);
            for (const QJsonValue &o : QJsonDocument::fromJson(QByteArray(row[4].c_str())).array())
                p.options << o.toString();
            p.status = str(row[5]);
            p.createdUs = row[6].as<qint64>();
            p.expiresUs = row[7].as<qint64>();
            s.prompts.append(p);
        }
        for (const auto &row :
             tx.exec("SELECT name, parent, device_id FROM sample_positions ORDER BY name"))
            s.positions.append({str(row[0]), str(row[1]), str(row[2]), false});
        for (const auto &row : tx.exec("SELECT task_id, kind, name FROM resource_leases ORDER BY task_id"))
            s.leases.append({row[0].as<qint64>(), str(row[1]), str(row[2])});
        s.templates = readWorkflowTemplates(tx);
        tx.commit();
        return s;
    } catch (const std::exception &e) {
        if (error)
            *error = QString::fromUtf8(e.what()).trimmed();
        return std::nullopt;
    }
}

} // namespace alabos
