#pragma once
#include "core/domain/types.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTextStream>
#include <QTimer>

namespace alabos {

class LabRuntime;
struct FeedUpdate;

// Headless mode's voice: a progress line every few seconds and a summary at the end; in a
// console-only process a fleet line instead (device count and count per status).
class HeadlessReporter : public QObject
{
    Q_OBJECT
public:
    HeadlessReporter(LabRuntime *runtime, int intervalMs = 5000, QObject *parent = nullptr);
    void printSummary();

private:
    void printProgress();
    QString telemetryLine() const;
    // A console only has no engine: its line is the fleet it sees and who schedules.
    void printFleet();
    void onFeed(const FeedUpdate &update);

    LabRuntime *m_runtime;
    QTimer m_timer;
    QElapsedTimer m_clock;
    QTextStream m_out;
    qint64 m_lastPublished = 0;
    qint64 m_lastMs = 0;
    QHash<QString, DeviceStatus> m_fleet;
};

} // namespace alabos
