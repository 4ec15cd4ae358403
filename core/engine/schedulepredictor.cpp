#include "core/engine/schedulepredictor.h"

#include "core/engine/enginestate.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <set>
#include <tuple>
#include <vector>

namespace alabos {

QString durationKey(const QString &templateName, const QString &step, const QString &deviceType)
{
    return templateName + QChar(0x1f) + step + QChar(0x1f) + deviceType;
}

const PredictedTask *SchedulePrediction::task(TaskId id) const
{
    const auto it = indexOf.constFind(id);
    return it == indexOf.cend() ? nullptr : &tasks[*it];
}

QList<TaskId> SchedulePrediction::criticalPath(WorkflowId id) const
{
    const PredictedTask *last = nullptr;
    for (TaskId t : workflowTasks.value(id)) {
        const PredictedTask *p = task(t);
        if (!p || p->why != PredictedTask::Why::Predicted) return {};
        if (!last || p->endUs > last->endUs) last = p;
    }
    QList<TaskId> path;
    for (const PredictedTask *p = last; p && path.size() <= tasks.size();
         p = p->via ? task(p->via) : nullptr)
        path.prepend(p->id);
    return path;
}

namespace {

struct QueueEntry
{
    qint64 rank;
    qint64 seq;
    int task;
    bool operator>(const QueueEntry &o) const
    {
        return std::tie(rank, seq, task) > std::tie(o.rank, o.seq, o.task);
    }
};
using MinQueue = std::priority_queue<QueueEntry, std::vector<QueueEntry>, std::greater<>>;

// Tasks that ask for exactly the same devices, in queue order: only the head can be next.
struct Group
{
    std::vector<int> types;   // type ids, one per device needed by type; -1: no such type
    std::vector<int> devices; // device indexes needed by name; -1: no such device
    MinQueue waiting;
};

struct Finish
{
    qint64 us;
    qint64 seq;
    int task;
    bool operator>(const Finish &o) const { return std::tie(us, seq) > std::tie(o.us, o.seq); }
};

// The engine's resource manager and execution, played forward on virtual time.
class Simulation
{
public:
    Simulation(const ScheduleSnapshot &s, const DurationTable &history, SchedulePrediction &out)
        : m_snap(s), m_history(history), m_out(out)
    {
    }

    void run()
    {
        setUpDevices();
        setUpTasks();
        // A device busy with a task the snapshot does not run (it just ended) is free now.
        for (auto it = m_runningOn.cbegin(); it != m_runningOn.cend(); ++it) {
            const PredictedTask *t = m_out.task(it.key());
            if (t && m_snap.tasks[m_out.indexOf.value(it.key())].status == TaskStatus::Running)
                continue;
            for (int d : it.value())
                if (!m_free[d]) makeFree(d);
        }
        // What is running now ends first; what is ready now is granted in queue order.
        for (int i = 0; i < int(m_tasks.size()); ++i)
            if (m_snap.tasks[i].status == TaskStatus::Running) startRunning(i);
        std::vector<int> readyNow;
        for (int i = 0; i < int(m_tasks.size()); ++i) {
            const ScheduleTask &t = m_snap.tasks[i];
            if (t.status == TaskStatus::Ready ||
                (t.status == TaskStatus::Waiting && t.pendingDeps == 0))
                readyNow.push_back(i);
        }
        std::sort(readyNow.begin(), readyNow.end(), [this](int a, int b) {
            return std::tie(m_snap.tasks[a].rank, m_snap.tasks[a].seq) <
                   std::tie(m_snap.tasks[b].rank, m_snap.tasks[b].seq);
        });
        for (int i : readyNow)
            enqueue(i, m_now, m_snap.tasks[i].status == TaskStatus::Ready);
        for (int k = 0; k < int(m_groupsByKey.size()); ++k)
            grantWaiting(k, m_now);
        while (!m_finishes.empty()) {
            const Finish f = m_finishes.top();
            m_finishes.pop();
            finish(f.task, f.us);
        }
        summarise();
    }

private:
    int keyOf(const QString &key)
    {
        auto it = m_keys.constFind(key);
        if (it != m_keys.cend()) return *it;
        const int k = int(m_groupsByKey.size());
        m_keys.insert(key, k);
        m_groupsByKey.emplace_back();
        return k;
    }

    void setUpDevices()
    {
        m_now = m_snap.nowUs;
        const int n = int(m_snap.devices.size());
        std::vector<int> byId(n);
        for (int i = 0; i < n; ++i)
            byId[i] = i;
        // The engine keeps idle devices ordered by (load, id): the same order here.
        std::sort(byId.begin(), byId.end(),
                  [this](int a, int b) { return m_snap.devices[a].id < m_snap.devices[b].id; });
        m_idRank.assign(n, 0);
        m_byRank = byId;
        for (int r = 0; r < n; ++r)
            m_idRank[byId[r]] = r;
        m_load.assign(n, 0);
        m_free.assign(n, false);
        m_leaves.assign(n, false);
        m_deviceType.assign(n, -1);
        for (int i = 0; i < n; ++i) {
            const ScheduleDevice &d = m_snap.devices[i];
            m_deviceIndex.insert(d.id, i);
            m_deviceType[i] = typeId(d.type);
            m_load[i] = d.tasksCompleted;
            m_leaves[i] = d.leavesAfterTask;
            m_deviceTypeKey.push_back(keyOf(QStringLiteral("t:") + d.type));
            m_deviceNameKey.push_back(keyOf(QStringLiteral("d:") + d.id));
            if (d.status == DeviceStatus::Busy && d.runningTask != 0)
                m_runningOn[d.runningTask].push_back(i);
        }
        m_idle.resize(m_typeIds.size());
        for (int i = 0; i < n; ++i) {
            const ScheduleDevice &d = m_snap.devices[i];
            const bool busyWithKnownTask = d.status == DeviceStatus::Busy && d.runningTask != 0;
            if (d.status == DeviceStatus::Idle ||
                (d.status == DeviceStatus::Busy && !busyWithKnownTask))
                makeFree(i);
        }
    }

    int typeId(const QString &type)
    {
        auto it = m_typeIds.constFind(type);
        if (it != m_typeIds.cend()) return *it;
        const int id = int(m_typeIds.size());
        m_typeIds.insert(type, id);
        m_idle.emplace_back();
        return id;
    }

    void makeFree(int d)
    {
        m_free[d] = true;
        m_idle[m_deviceType[d]].insert({m_load[d], m_idRank[d]});
    }
    void take(int d)
    {
        m_free[d] = false;
        m_idle[m_deviceType[d]].erase({m_load[d], m_idRank[d]});
    }

    void setUpTasks()
    {
        const int n = int(m_snap.tasks.size());
        m_tasks.resize(n);
        m_out.tasks.resize(n);
        m_out.indexOf.reserve(n);
        QHash<QString, int> groups;
        for (int i = 0; i < n; ++i) {
            const ScheduleTask &t = m_snap.tasks[i];
            m_out.indexOf.insert(t.id, i);
            PredictedTask &p = m_out.tasks[i];
            p.id = t.id;
            p.workflowId = t.workflowId;
            p.why = t.status == TaskStatus::Paused ? PredictedTask::Why::Held
                                                   : PredictedTask::Why::AfterUnpredicted;
            const auto stats =
                m_history.constFind(durationKey(t.templateName, t.step, t.deviceType));
            if (stats != m_history.cend() && stats->runs > 0) {
                p.duration = *stats;
            } else {
                p.duration = {t.expectedS, t.expectedS, t.expectedS, 0};
            }
            m_tasks[i].pending = t.pendingDeps;
            // Tasks of one request share its group, as in the engine's queue.
            QStringList types = t.types;
            types.sort();
            QStringList names = t.names;
            names.sort();
            const QString sig = types.join(u',') + u'|' + names.join(u',');
            auto g = groups.constFind(sig);
            if (g == groups.cend()) {
                Group group;
                QList<int> keys;
                for (const QString &type : std::as_const(types)) {
                    auto id = m_typeIds.constFind(type);
                    group.types.push_back(id == m_typeIds.cend() ? -1 : *id);
                    keys << keyOf(QStringLiteral("t:") + type);
                }
                for (const QString &name : std::as_const(names)) {
                    group.devices.push_back(m_deviceIndex.value(name, -1));
                    keys << keyOf(QStringLiteral("d:") + name);
                }
                const int gi = int(m_groups.size());
                m_groups.push_back(std::move(group));
                std::sort(keys.begin(), keys.end());
                keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
                for (int k : std::as_const(keys))
                    m_groupsByKey[k].push_back(gi);
                g = groups.insert(sig, gi);
            }
            m_tasks[i].group = *g;
        }
        for (int i = 0; i < n; ++i)
            for (TaskId s : m_snap.tasks[i].successors) {
                const auto it = m_out.indexOf.constFind(s);
                if (it != m_out.indexOf.cend()) m_tasks[i].successors.push_back(int(*it));
            }
        for (const ScheduleTask &t : m_snap.tasks)
            m_nextSeq = std::max(m_nextSeq, t.seq + 1);
    }

    // The devices a group's head would get now, the command's device first; false if any
    // is missing (all or nothing).
    bool findDevices(const Group &g, std::vector<int> *picked) const
    {
        picked->clear();
        for (int d : g.devices) {
            if (d < 0 || !m_free[d] ||
                std::find(picked->begin(), picked->end(), d) != picked->end())
                return false;
            picked->push_back(d);
        }
        for (int type : g.types) {
            if (type < 0) return false;
            bool found = false;
            for (const auto &[load, rank] : m_idle[type]) { // least loaded first
                const int d = m_byRank[rank];
                if (std::find(picked->begin(), picked->end(), d) == picked->end()) {
                    picked->push_back(d);
                    found = true;
                    break;
                }
            }
            if (!found) return false;
        }
        return true;
    }

    void grant(int i, qint64 us, const std::vector<int> &devices)
    {
        const ScheduleTask &t = m_snap.tasks[i];
        PredictedTask &p = m_out.tasks[i];
        for (int d : devices)
            take(d);
        m_tasks[i].held = devices;
        // The bar goes on the device its command runs on: the first of the task's own type.
        int primary = devices.empty() ? -1 : devices.front();
        for (int d : devices)
            if (m_snap.devices[d].type == t.deviceType) {
                primary = d;
                break;
            }
        p.device = primary;
        p.startUs = us;
        p.endUs = us + qint64(p.duration.medianS * 1e6);
        p.why = PredictedTask::Why::Predicted;
        m_finishes.push({p.endUs, m_nextSeq++, i});
    }

    void startRunning(int i)
    {
        const ScheduleTask &t = m_snap.tasks[i];
        PredictedTask &p = m_out.tasks[i];
        p.running = true;
        std::vector<int> devices = m_runningOn.value(t.id);
        const int own = m_deviceIndex.value(t.deviceId, -1);
        if (own >= 0 && std::find(devices.begin(), devices.end(), own) == devices.end() &&
            !m_free[own])
            devices.push_back(own);
        m_tasks[i].held = devices;
        p.device = own >= 0 ? own : (devices.empty() ? -1 : devices.front());
        p.readyUs = p.startUs = t.startedUs > 0 ? t.startedUs : m_now;
        // Past its usual time it ends any moment now.
        p.endUs = std::max(p.startUs + qint64(p.duration.medianS * 1e6), m_now);
        p.why = PredictedTask::Why::Predicted;
        m_finishes.push({p.endUs, m_nextSeq++, i});
    }

    void enqueue(int i, qint64 us, bool keepSnapshotKey)
    {
        const ScheduleTask &t = m_snap.tasks[i];
        PredictedTask &p = m_out.tasks[i];
        p.readyUs = us;
        p.why = PredictedTask::Why::NoDevice; // until granted
        qint64 rank = t.rank;
        qint64 seq = t.seq;
        if (!keepSnapshotKey || rank == 0) {
            // Aging as the engine keys it: ready time minus a head start for priority, and
            // for continuing a started workflow; an operator's front rank is kept.
            const qint64 headStart =
                qint64(t.priority) * m_snap.agingUsPerPoint +
                (t.startsWorkflow ? 0 : qint64(priority::Low) * m_snap.agingUsPerPoint);
            if (rank == 0) rank = us - headStart;
            seq = m_nextSeq++;
        }
        // Made ready, it is granted at once if it can be, whatever else waits.
        std::vector<int> devices;
        if (findDevices(m_groups[m_tasks[i].group], &devices)) {
            grant(i, us, devices);
            return;
        }
        m_groups[m_tasks[i].group].waiting.push({rank, seq, i});
    }

    void grantWaiting(int key, qint64 us)
    {
        const std::vector<int> &groups = m_groupsByKey[key];
        std::vector<int> devices, bestDevices;
        for (;;) {
            int best = -1;
            QueueEntry bestHead{};
            for (int g : groups) {
                const MinQueue &q = m_groups[g].waiting;
                if (q.empty()) continue;
                const QueueEntry &head = q.top();
                if (best >= 0 && std::tie(bestHead.rank, bestHead.seq, bestHead.task) <
                                     std::tie(head.rank, head.seq, head.task))
                    continue;
                if (findDevices(m_groups[g], &devices)) {
                    best = g;
                    bestHead = head;
                    bestDevices = devices;
                }
            }
            if (best < 0) return;
            m_groups[best].waiting.pop();
            grant(bestHead.task, us, bestDevices);
        }
    }

    void finish(int i, qint64 us)
    {
        PredictedTask &p = m_out.tasks[i];
        if (p.device >= 0) ++m_load[p.device]; // counted while still held, as the engine does
        // Its successors are made ready (and granted what is idle) before its devices go back.
        for (int s : m_tasks[i].successors) {
            if (--m_tasks[s].pending != 0) continue;
            if (m_snap.tasks[s].status != TaskStatus::Waiting) continue;
            m_out.tasks[s].via = p.id;
            enqueue(s, us, false);
        }
        std::vector<int> keys;
        for (int d : m_tasks[i].held) {
            if (m_leaves[d]) continue;
            makeFree(d);
            keys.push_back(m_deviceTypeKey[d]);
            keys.push_back(m_deviceNameKey[d]);
        }
        for (int k : keys)
            grantWaiting(k, us);
    }

    void summarise()
    {
        for (qsizetype i = 0; i < m_out.tasks.size(); ++i) {
            const PredictedTask &p = m_out.tasks[i];
            m_out.workflowTasks[p.workflowId].append(p.id);
            auto wf = m_out.workflowFinishUs.find(p.workflowId);
            if (wf == m_out.workflowFinishUs.end())
                wf = m_out.workflowFinishUs.insert(p.workflowId, p.endUs);
            if (p.why != PredictedTask::Why::Predicted || *wf == 0)
                *wf = 0;
            else
                *wf = std::max(*wf, p.endUs);
        }
        for (qsizetype i = 0; i < m_out.tasks.size(); ++i) {
            const qint64 wf = m_out.workflowFinishUs.value(m_out.tasks[i].workflowId);
            for (SampleId s : m_snap.tasks[i].samples) {
                auto it = m_out.sampleFinishUs.find(s);
                if (it == m_out.sampleFinishUs.end())
                    m_out.sampleFinishUs.insert(s, wf);
                else if (*it != 0)
                    *it = wf == 0 ? 0 : std::max(*it, wf);
            }
        }
    }

    struct SimTask
    {
        int group = -1;
        int pending = 0;
        std::vector<int> successors;
        std::vector<int> held;
    };

    const ScheduleSnapshot &m_snap;
    const DurationTable &m_history;
    SchedulePrediction &m_out;
    qint64 m_now = 0;
    qint64 m_nextSeq = 1;
    QHash<QString, int> m_deviceIndex;
    QHash<QString, int> m_typeIds;
    QHash<QString, int> m_keys;
    QHash<TaskId, std::vector<int>> m_runningOn; // the devices each running task holds
    std::vector<int> m_idRank, m_byRank, m_deviceType, m_deviceTypeKey, m_deviceNameKey;
    std::vector<qint64> m_load;
    std::vector<bool> m_free, m_leaves;
    std::vector<std::set<std::pair<qint64, int>>> m_idle; // per type: (load, id order)
    std::vector<Group> m_groups;
    std::vector<std::vector<int>> m_groupsByKey;
    std::vector<SimTask> m_tasks;
    std::priority_queue<Finish, std::vector<Finish>, std::greater<>> m_finishes;
};

} // namespace

SchedulePrediction predictSchedule(const ScheduleSnapshot &snapshot, const DurationTable &history)
{
    SchedulePrediction out;
    out.nowUs = snapshot.nowUs;
    Simulation(snapshot, history, out).run();
    return out;
}

} // namespace alabos
