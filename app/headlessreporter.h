#pragma once
#include <QElapsedTimer>
#include <QObject>
#include <QTextStream>
#include <QTimer>

namespace alabos {

class LabRuntime;

// Headless mode's voice: a progress line every few seconds and a summary at the end.
class HeadlessReporter : public QObject
{
    Q_OBJECT
public:
    HeadlessReporter(LabRuntime *runtime, int intervalMs = 5000, QObject *parent = nullptr);
    void printSummary();

private:
    void printProgress();
    QString telemetryLine() const;

    LabRuntime *m_runtime;
    QTimer m_timer;
    QElapsedTimer m_clock;
    QTextStream m_out;
    qint64 m_lastPublished = 0;
    qint64 m_lastMs = 0;
};

} // namespace alabos
