#pragma once
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace alabos {

struct TaskTemplate
{
    QString name;       // unique within the workflow
    QString deviceType; // what it needs
    QString command;    // the driver command it runs
    double durationS = 0;
    QStringList dependsOn; // names of earlier tasks
    QJsonObject parameters;
};

// A named DAG of task templates.
struct WorkflowTemplate
{
    QString name;
    QList<TaskTemplate> tasks;

    // Parses and validates (unique names, known dependencies, no cycles); on failure the
    // message names the template, the task and the field.
    static std::optional<WorkflowTemplate> fromJson(const QJsonObject &json, QString *error);
    QJsonObject toJson() const;
    // Task indices in an order where every task follows its dependencies.
    QList<int> topologicalOrder() const;
};

// The built-in demo workflow: dose, weigh, transfer, fire, grind, measure.
WorkflowTemplate demoSynthesisTemplate();

} // namespace alabos
