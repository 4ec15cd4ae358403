#pragma once
// Registering samples: one at a time through the generated form, or a CSV batch with a
// preview and a per-row error report.
#include "ui/csvimport.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTableView;
class QTableWidget;

namespace alabos {

class ConsoleServices;
class ConsoleSession;
class CsvPreviewModel;
class SchemaForm;

class SampleRegistrationDialog : public QDialog
{
    Q_OBJECT
public:
    SampleRegistrationDialog(ConsoleSession *session, ConsoleServices *services,
                             QWidget *parent = nullptr);
    SchemaForm *form() const { return m_form; }
    QLabel *status() const { return m_status; }
    QPushButton *registerButton() const { return m_register; }

public Q_SLOTS:
    // Validates, checks the barcode if it was not checked yet, then sends.
    void submit();
    // Asks the database whether the barcode in the form is registered; the answer shows
    // under the field. `then` runs after a check that found it free.
    void checkBarcode(std::function<void()> then = {});

private:
    void send();
    void setStatus(const QString &text, bool error);
    void updateGate();

    ConsoleSession *m_session;
    ConsoleServices *m_services;
    SchemaForm *m_form;
    QLabel *m_status;
    QPushButton *m_register;
    int m_checkGeneration = 0;
    QString m_checkedBarcode; // the last barcode the database said is free
    bool m_sending = false;
};

class CsvImportDialog : public QDialog
{
    Q_OBJECT
public:
    CsvImportDialog(ConsoleSession *session, ConsoleServices *services, QWidget *parent = nullptr);

    // Reads, parses and checks a file (and the registry, asynchronously).
    void loadFile(const QString &path);
    void loadBytes(const QByteArray &bytes, const QString &name);
    const SampleBatch &batch() const { return m_batch; }
    bool checking() const { return m_checking; }
    QPushButton *importAllButton() const { return m_importAll; }
    QPushButton *importValidButton() const { return m_importValid; }
    QLabel *summary() const { return m_summary; }
    QTableWidget *issueTable() const { return m_issues; }
    QTableView *preview() const { return m_preview; }
    // Sends the valid rows without asking (the button asks first).
    void importValidRows();

private:
    void chooseFile();
    void showBatch();
    void updateButtons();
    void send(const QJsonArray &samples);

    ConsoleSession *m_session;
    ConsoleServices *m_services;
    std::optional<FormDefinition> m_definition;
    SampleBatch m_batch;
    bool m_loaded = false;
    bool m_checking = false;
    bool m_sending = false;
    bool m_done = false;
    int m_generation = 0;
    QLabel *m_file;
    QLabel *m_summary;
    CsvPreviewModel *m_model;
    QTableView *m_preview;
    QTableWidget *m_issues;
    QPushButton *m_importAll;
    QPushButton *m_importValid;
};

} // namespace alabos
