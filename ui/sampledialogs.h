#pragma once
// Registering samples: one at a time through the generated form, or a CSV batch with a
// preview and a per-row error report.
#include "core/labels/labelformat.h"
#include "ui/csvimport.h"

#include <QDialog>

class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;
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
    // Shown once a sample is registered: labels for every sample registered in this window.
    QPushButton *labelsButton() const { return m_labels; }
    const QList<SampleLabel> &registered() const { return m_registered; }

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
    QPushButton *m_labels;
    QList<SampleLabel> m_registered;
    int m_checkGeneration = 0;
    QString m_checkedBarcode; // the last barcode the database said is free
    bool m_sending = false;
};

class CsvImportDialog : public QDialog
{
    Q_OBJECT
public:
    CsvImportDialog(ConsoleSession *session, ConsoleServices *services, QWidget *parent = nullptr);
    ~CsvImportDialog() override;

    // Reads, parses and checks a file on a worker thread (then the registry, asynchronously);
    // returns at once. checking() stays true until both answered or the check is cancelled.
    void loadFile(const QString &path);
    void loadBytes(const QByteArray &bytes, const QString &name);
    // Stops a running check (Cancel, closing the dialog): the dialog is usable at once, the
    // worker thread ends within a few rows.
    void cancelCheck();
    const SampleBatch &batch() const { return m_batch; }
    bool checking() const { return m_checking; }
    bool cancelled() const { return m_cancelled; }
    // Whether a worker thread (a current or a cancelled check) is still running.
    bool workerRunning() const;
    QPushButton *importAllButton() const { return m_importAll; }
    QPushButton *importValidButton() const { return m_importValid; }
    // Shown once the import registered its samples: labels for them.
    QPushButton *labelsButton() const { return m_labels; }
    const QList<SampleLabel> &registered() const { return m_registered; }
    QPushButton *cancelButton() const { return m_cancel; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *summary() const { return m_summary; }
    QTableWidget *issueTable() const { return m_issues; }
    QTableView *preview() const { return m_preview; }
    // Sends the valid rows without asking (the button asks first).
    void importValidRows();

    // The issue list shows this many problems; the preview marks every bad row.
    static constexpr int kMaxIssuesShown = 2000;

public Q_SLOTS:
    void done(int result) override;

private:
    void chooseFile();
    void startCheck(const QString &name);
    void checked(CsvCheckJob *job);
    void detachJob();
    void showProgress();
    void showBatch();
    void updateButtons();
    void send(const QJsonArray &samples);

    ConsoleSession *m_session;
    ConsoleServices *m_services;
    std::optional<FormDefinition> m_definition;
    SampleBatch m_batch;
    CsvCheckJob *m_job = nullptr;
    QString m_name;
    bool m_loaded = false;
    bool m_checking = false;
    bool m_cancelled = false;
    bool m_sending = false;
    bool m_done = false;
    int m_generation = 0;
    QLabel *m_file;
    QLabel *m_summary;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QTimer *m_progressTimer;
    CsvPreviewModel *m_model;
    QTableView *m_preview;
    QTableWidget *m_issues;
    QPushButton *m_importAll;
    QPushButton *m_importValid;
    QPushButton *m_labels;
    QList<SampleLabel> m_registered;
};

} // namespace alabos
