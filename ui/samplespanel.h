#pragma once
#include "core/domain/types.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace alabos {

class BarcodeScanDetector;
class ConsoleServices;
class ConsoleSession;
class LabModels;
class NaturalSortProxy;
class SampleTableModel;

// The sample registry: the live samples of this console's feed, and a search that asks the
// database (barcode, name, metadata), so samples registered long ago are found too.
// Registering (one, or a CSV batch) is gated by sample_register. Labels print for the
// selected samples. A barcode scanner's burst of keys, wherever the focus is in the panel,
// selects and shows that sample (from the registry when this console has not seen it).
class SamplesPanel : public QWidget
{
    Q_OBJECT
public:
    SamplesPanel(LabModels *models, ConsoleSession *session, ConsoleServices *services,
                 QWidget *parent = nullptr);
    QTableView *view() const { return m_view; }
    QPushButton *registerButton() const { return m_register; }
    QPushButton *importButton() const { return m_import; }
    QPushButton *labelsButton() const { return m_labels; }
    QPushButton *deleteButton() const { return m_delete; }
    BarcodeScanDetector *scanDetector() const { return m_scanner; }
    QLineEdit *searchBox() const { return m_search; }
    QLabel *summary() const { return m_summary; }
    // The barcodes of the selected rows (for workflow submission).
    QStringList selectedBarcodes() const;

public Q_SLOTS:
    // Runs the search box's text against the database now.
    void search();
    void openRegistration();
    void openImport();
    // Labels for the selected samples.
    void openLabels();
    // Asks for the reason, then deletes the selected samples (sample.delete).
    void openDeletion();
    // Sends sample.delete for the selected samples; the answer goes to the summary line.
    void deleteSelected(const QString &reason);
    // Selects and shows the sample with this exact barcode: in the view when it is there,
    // else from the live view or the registry (the search box then says its barcode).
    void showSample(const QString &barcode);

Q_SIGNALS:
    void searchFinished(int count);
    // After showSample: whether the sample was found (and is now selected).
    void sampleShown(const QString &barcode, bool found);

private:
    void updateActions();
    void updateSelectionActions();
    void showLive();
    void updateSummary();
    bool selectShown(const QString &barcode);
    void showAlone(const SampleState &sample);

    LabModels *m_models;
    ConsoleSession *m_session;
    ConsoleServices *m_services;
    SampleTableModel *m_results;
    NaturalSortProxy *m_proxy;
    QLineEdit *m_search;
    QLabel *m_summary;
    QTableView *m_view;
    QPushButton *m_register;
    QPushButton *m_import;
    QPushButton *m_labels;
    QPushButton *m_delete;
    BarcodeScanDetector *m_scanner;
    QTimer *m_debounce;
    int m_generation = 0;
    bool m_showingResults = false;
    QString m_resultText;
};

} // namespace alabos
