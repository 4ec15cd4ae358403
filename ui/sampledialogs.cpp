#include "ui/sampledialogs.h"

#include "core/domain/commands.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/labeldialog.h"
#include "ui/sampleforms.h"
#include "ui/schemaform.h"
#include "ui/tableview.h"
#include "ui/theme.h"

#include <QAbstractTableModel>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <utility>

namespace alabos {

namespace {
} // namespace

// ---------------------------------------------------------------- one sample

SampleRegistrationDialog::SampleRegistrationDialog(ConsoleSession *session,
                                                   ConsoleServices *services, QWidget *parent)
    : QDialog(parent), m_session(session), m_services(services), m_form(new SchemaForm(this)),
      m_status(new QLabel(this)), m_register(new QPushButton(tr("Register"), this)),
      m_labels(new QPushButton(tr("Print labels…"), this))
{
    setWindowTitle(tr("Register a sample"));
    setObjectName(QStringLiteral("sampleRegistrationDialog"));
    QString error;
    const auto definition = sampleFormDefinition(&error);
    if (definition) m_form->setDefinition(*definition);
    m_status->setObjectName(QStringLiteral("registrationStatus"));
    m_status->setWordWrap(true);
    m_register->setObjectName(QStringLiteral("registerButton"));
    m_register->setDefault(true);
    auto *close = new QPushButton(tr("Close"), this);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_register, &QPushButton::clicked, this, &SampleRegistrationDialog::submit);
    m_labels->setObjectName(QStringLiteral("printRegisteredLabels"));
    m_labels->setAutoDefault(false); // Enter registers the next sample
    m_labels->hide();
    connect(m_labels, &QPushButton::clicked, this, [this] { openLabelDialog(m_registered, this); });
    connect(m_form, &SchemaForm::fieldCommitted, this, [this](const QString &name) {
        if (name == QLatin1StringView("barcode")) checkBarcode();
    });
    connect(m_form, &SchemaForm::edited, this, [this](const QString &name) {
        if (name == QLatin1StringView("barcode")) m_checkedBarcode.clear();
    });
    connect(session, &ConsoleSession::identityChanged, this, &SampleRegistrationDialog::updateGate);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_labels);
    buttons->addWidget(m_register);
    buttons->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    auto *hint = new QLabel(tr("Fields marked * are required. The barcode is checked against the "
                               "registry when you leave the field."),
                            this);
    hint->setWordWrap(true);
    layout->addWidget(hint);
    layout->addWidget(m_form, 1);
    layout->addLayout(buttons);
    if (!definition) {
        setStatus(error, true);
        m_register->setEnabled(false);
    }
    resize(560, sizeHint().height());
    updateGate();
}

void SampleRegistrationDialog::updateGate()
{
    const bool allowed = m_session->can(permission::SampleRegister);
    m_register->setEnabled(allowed && !m_sending && !m_form->definition().fields.isEmpty());
    m_register->setToolTip(allowed
                               ? tr("Register this sample in the lab")
                               : tr("Your role may not register samples (needs sample_register)"));
}

void SampleRegistrationDialog::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(toneStyle(error ? Tone::Bad : Tone::Good));
}

void SampleRegistrationDialog::checkBarcode(std::function<void()> then)
{
    const int index = m_form->definition().indexOf(QStringLiteral("barcode"));
    if (index < 0) return;
    const QString barcode = m_form->text(QStringLiteral("barcode")).trimmed();
    if (const QString why = m_form->definition().fields[index].parse(barcode); !why.isEmpty()) {
        m_form->setFieldError(QStringLiteral("barcode"), why);
        return;
    }
    if (!m_services || !m_services->reader) {
        // No database here: the lab server still refuses a duplicate on submit.
        m_form->setFieldNote(
            QStringLiteral("barcode"),
            tr("Not checked: no database connection here; the lab checks on submit"));
        m_checkedBarcode = barcode;
        if (then) then();
        return;
    }
    const int generation = ++m_checkGeneration;
    m_form->setFieldNote(QStringLiteral("barcode"), tr("Checking…"));
    checkRegisteredBarcodes(
        m_services->reader, {barcode}, this,
        [this, generation, barcode, then](const QSet<QString> &existing, const QString &error) {
            if (generation != m_checkGeneration)
                return; // the person typed another barcode meanwhile
            if (!error.isEmpty()) {
                m_form->setFieldError(QStringLiteral("barcode"),
                                      tr("Could not check: %1").arg(error));
                return;
            }
            if (existing.contains(barcode)) {
                m_form->setFieldError(QStringLiteral("barcode"), tr("Already registered"));
                return;
            }
            m_checkedBarcode = barcode;
            m_form->setFieldNote(QStringLiteral("barcode"), tr("Not registered yet"));
            if (then) then();
        });
}

void SampleRegistrationDialog::submit()
{
    if (m_sending || !m_session->can(permission::SampleRegister)) return;
    const auto errors = m_form->validate();
    if (!errors.isEmpty()) {
        setStatus(tr("Fix the %n marked field(s)", nullptr, int(errors.size())), true);
        for (const FieldDefinition &f : m_form->definition().fields)
            if (errors.contains(f.name)) {
                m_form->editor(f.name)->setFocus();
                break;
            }
        return;
    }
    setStatus({}, false);
    if (m_checkedBarcode == m_form->text(QStringLiteral("barcode")).trimmed()) {
        m_form->setFieldNote(QStringLiteral("barcode"), tr("Not registered yet"));
        send();
    } else {
        checkBarcode([this] { send(); });
    }
}

void SampleRegistrationDialog::send()
{
    const QJsonObject sample = sampleFromValues(m_form->values());
    const QString barcode = sample.value(QLatin1StringView("barcode")).toString();
    m_sending = true;
    updateGate();
    setStatus(tr("Registering %1…").arg(barcode), false);
    m_session->send(QStringLiteral("sample.register"), barcode,
                    {{QStringLiteral("samples"), QJsonArray{sample}}},
                    [this, barcode, sample](const CommandReply &reply) {
                        m_sending = false;
                        updateGate();
                        if (reply.ok) {
                            setStatus(tr("%1 registered").arg(barcode), false);
                            m_registered << SampleLabel::fromRegistration(sample);
                            m_labels->setToolTip(tr("Labels for the %n sample(s) registered in "
                                                    "this window",
                                                    nullptr, int(m_registered.size())));
                            m_labels->show();
                            m_form->reset();
                            m_checkedBarcode.clear();
                            m_form->editor(QStringLiteral("barcode"))->setFocus();
                            return;
                        }
                        setStatus(reply.message, true);
                        if (reply.data.contains(QLatin1StringView("duplicates")))
                            m_form->setFieldError(QStringLiteral("barcode"),
                                                  tr("Already registered"));
                    });
}

// ---------------------------------------------------------------- CSV batch

// The rows of a checked file, read from the batch's compact storage as the view asks.
class CsvPreviewModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;
    void setBatch(const SampleBatch *batch)
    {
        beginResetModel();
        m_batch = batch;
        m_reasons.clear();
        if (batch)
            for (const CsvIssue &i : batch->issues()) {
                QString &r = m_reasons[key(i.line, i.column)];
                r += (r.isEmpty() ? QString() : QStringLiteral("\n")) + i.reason;
            }
        endResetModel();
    }
    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() || !m_batch ? 0 : m_batch->rowCount();
    }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() || !m_batch ? 0 : int(m_batch->header().size()) + 1;
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!m_batch || !index.isValid()) return {};
        const int row = index.row();
        const int column = index.column() - 1; // column 0 is the file line
        const bool valid = m_batch->rowValid(row);
        const bool bad = column >= 0 ? m_batch->cellBad(row, column) : !valid;
        switch (role) {
        case Qt::DisplayRole:
            if (column < 0) return m_batch->lineOf(row);
            return m_batch->cell(row, column);
        case Qt::BackgroundRole:
            if (bad) return toneBackground(Tone::Bad, true);
            return valid ? QVariant() : QVariant(toneBackground(Tone::Bad, false));
        case Qt::ToolTipRole:
            if (column < 0) return m_reasons.value(key(m_batch->lineOf(row), 0));
            return m_reasons.value(key(m_batch->lineOf(row), column + 1));
        case Qt::TextAlignmentRole:
            return column < 0 ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
        }
        return {};
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (role != Qt::DisplayRole || orientation != Qt::Horizontal || !m_batch) return {};
        return section == 0 ? CsvImportDialog::tr("Line") : m_batch->header().value(section - 1);
    }

private:
    static qint64 key(int line, int column) { return qint64(line) << 20 | column; }
    const SampleBatch *m_batch = nullptr;
    QHash<qint64, QString> m_reasons;
};

CsvImportDialog::CsvImportDialog(ConsoleSession *session, ConsoleServices *services,
                                 QWidget *parent)
    : QDialog(parent), m_session(session), m_services(services), m_file(new QLabel(this)),
      m_summary(new QLabel(this)), m_progress(new QProgressBar(this)),
      m_cancel(new QPushButton(tr("Cancel check"), this)), m_progressTimer(new QTimer(this)),
      m_model(new CsvPreviewModel(this)), m_preview(new QTableView(this)),
      m_issues(new QTableWidget(0, 3, this)), m_importAll(new QPushButton(tr("Import all"), this)),
      m_importValid(new QPushButton(tr("Import valid rows only…"), this)),
      m_labels(new QPushButton(tr("Print labels…"), this))
{
    setWindowTitle(tr("Import samples from CSV"));
    setObjectName(QStringLiteral("csvImportDialog"));
    QString error;
    m_definition = sampleFormDefinition(&error);
    auto *choose = new QPushButton(tr("Choose file…"), this);
    connect(choose, &QPushButton::clicked, this, &CsvImportDialog::chooseFile);
    m_file->setText(tr("No file chosen. The first row names the columns (barcode, name, project, "
                       "mass_mg…); comma or semicolon separated, UTF-8."));
    m_file->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("importSummary"));
    m_summary->setWordWrap(true);

    m_preview->setModel(m_model);
    m_preview->setObjectName(QStringLiteral("importPreview"));
    m_preview->verticalHeader()->hide();
    m_preview->verticalHeader()->setDefaultSectionSize(m_preview->fontMetrics().height() + 6);
    m_preview->horizontalHeader()->setStretchLastSection(true);
    // Column widths from the first rows (and the visible ones): sizing every cell of 1,000
    // rows stalls the UI thread.
    m_preview->horizontalHeader()->setResizeContentsPrecision(100);
    m_preview->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);

    m_issues->setObjectName(QStringLiteral("importIssues"));
    m_issues->setHorizontalHeaderLabels({tr("Line"), tr("Column"), tr("Problem")});
    m_issues->verticalHeader()->hide();
    m_issues->verticalHeader()->setDefaultSectionSize(m_issues->fontMetrics().height() + 6);
    m_issues->horizontalHeader()->setStretchLastSection(true);
    m_issues->horizontalHeader()->setResizeContentsPrecision(100);
    m_issues->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_issues->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Clicking a problem shows its row in the preview.
    connect(m_issues, &QTableWidget::currentCellChanged, this, [this](int row) {
        const int line =
            m_issues->item(row, 0) ? m_issues->item(row, 0)->data(Qt::UserRole).toInt() : 0;
        for (int r = 0; r < m_batch.rowCount(); ++r)
            if (m_batch.lineOf(r) == line) {
                m_preview->selectRow(r);
                m_preview->scrollTo(m_model->index(r, 0));
                break;
            }
    });

    m_importAll->setObjectName(QStringLiteral("importAll"));
    m_importValid->setObjectName(QStringLiteral("importValid"));
    connect(m_importAll, &QPushButton::clicked, this, [this] {
        if (const auto all = m_batch.allSamples()) send(*all);
    });
    connect(m_importValid, &QPushButton::clicked, this, [this] {
        const int skipped = m_batch.invalidCount();
        if (QMessageBox::question(
                this, tr("Import valid rows only"),
                tr("Import %1 valid rows and leave out %2 rows with problems? The "
                   "rows left out are not registered; fix them and import them "
                   "in another file.")
                    .arg(m_batch.validCount())
                    .arg(skipped)) == QMessageBox::Yes)
            importValidRows();
    });
    m_labels->setObjectName(QStringLiteral("printImportedLabels"));
    m_labels->hide();
    connect(m_labels, &QPushButton::clicked, this, [this] { openLabelDialog(m_registered, this); });
    m_progress->setObjectName(QStringLiteral("importProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(true);
    m_progress->setMinimumWidth(220);
    m_progress->hide();
    m_cancel->setObjectName(QStringLiteral("importCancel"));
    m_cancel->setToolTip(tr("Stops checking this file; nothing is imported"));
    m_cancel->setAutoDefault(false); // Enter must not cancel a check by accident
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, &CsvImportDialog::cancelCheck);
    // The worker only counts; the bar follows the counts at a pace the eye needs.
    m_progressTimer->setInterval(50);
    connect(m_progressTimer, &QTimer::timeout, this, &CsvImportDialog::showProgress);
    auto *close = new QPushButton(tr("Close"), this);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(session, &ConsoleSession::identityChanged, this, &CsvImportDialog::updateButtons);

    auto *top = new QHBoxLayout;
    top->addWidget(choose);
    top->addWidget(m_file, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_preview);
    split->addWidget(m_issues);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(m_progress);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_importValid);
    buttons->addWidget(m_importAll);
    buttons->addWidget(m_labels);
    buttons->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    layout->addLayout(buttons);
    resize(1000, 640);
    if (!m_definition) {
        m_summary->setText(error);
        m_summary->setStyleSheet(toneStyle(Tone::Bad));
        choose->setEnabled(false);
    }
    updateButtons();
}

void CsvImportDialog::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import samples"), {},
                                                      tr("CSV files (*.csv *.txt);;All files (*)"));
    if (!path.isEmpty()) loadFile(path);
}

CsvImportDialog::~CsvImportDialog()
{
    // The preview model points into m_batch, which dies before QDialog's destructor hides
    // the table (and its header asks the model for its titles): detach it first.
    m_model->setBatch(nullptr);
}

void CsvImportDialog::loadFile(const QString &path)
{
    const QFileInfo info(path);
    // 1,000 rows of a few hundred bytes; a file far bigger is not a sample list.
    if (info.size() > CsvCheckJob::kMaxFileBytes) {
        cancelCheck();
        m_file->setText(info.fileName());
        m_summary->setText(tr("%1 is %2 MB; a sample list of %3 rows is far smaller")
                               .arg(path)
                               .arg(info.size() / (1024 * 1024))
                               .arg(SampleBatch::kMaxRows));
        m_summary->setStyleSheet(toneStyle(Tone::Bad));
        return;
    }
    startCheck(info.fileName());
    if (m_job) m_job->startFile(path);
}

void CsvImportDialog::loadBytes(const QByteArray &bytes, const QString &name)
{
    startCheck(name);
    if (m_job) m_job->startBytes(bytes);
}

void CsvImportDialog::startCheck(const QString &name)
{
    detachJob();
    ++m_generation;
    m_done = false;
    m_loaded = false;
    m_cancelled = false;
    m_name = name;
    m_file->setText(name);
    m_batch = {};
    m_model->setBatch(nullptr);
    m_issues->setRowCount(0);
    if (!m_definition) return;
    m_checking = true;
    m_job = new CsvCheckJob(*m_definition, SampleBatch::kMaxRows, this);
    connect(m_job, &CsvCheckJob::finished, this, [this, job = m_job] { checked(job); });
    m_summary->setText(tr("Reading and checking %1…").arg(name));
    m_summary->setStyleSheet({});
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setFormat(tr("Reading…"));
    m_progress->show();
    m_cancel->show();
    m_progressTimer->start();
    updateButtons();
}

void CsvImportDialog::showProgress()
{
    if (!m_job) return;
    const qint64 total = std::max<qint64>(1, m_job->bytesTotal());
    m_progress->setValue(int(std::min<qint64>(1000, m_job->bytesDone() * 1000 / total)));
    m_progress->setFormat(tr("%n row(s) checked", nullptr, m_job->rowsDone()));
}

void CsvImportDialog::detachJob()
{
    if (!m_job) return;
    CsvCheckJob *job = std::exchange(m_job, nullptr);
    job->cancel();
    // It stays a child until its thread ended, so closing the dialog waits for it.
    disconnect(job, &CsvCheckJob::finished, this, nullptr);
    if (job->running())
        connect(job, &CsvCheckJob::finished, job, &QObject::deleteLater);
    else
        job->deleteLater();
}

bool CsvImportDialog::workerRunning() const
{
    const QList<CsvCheckJob *> jobs = findChildren<CsvCheckJob *>(Qt::FindDirectChildrenOnly);
    return std::any_of(jobs.cbegin(), jobs.cend(), [](CsvCheckJob *j) { return j->running(); });
}

void CsvImportDialog::cancelCheck()
{
    m_progressTimer->stop();
    m_progress->hide();
    m_cancel->hide();
    if (!m_checking) return;
    detachJob();
    ++m_generation; // a registry answer still on its way is not wanted any more
    m_checking = false;
    m_loaded = false;
    m_cancelled = true;
    m_batch = {};
    m_model->setBatch(nullptr);
    m_issues->setRowCount(0);
    m_summary->setText(tr("Check of %1 cancelled; nothing was imported. Choose the file again "
                          "to check it.")
                           .arg(m_name));
    m_summary->setStyleSheet({});
    updateButtons();
}

void CsvImportDialog::done(int result)
{
    cancelCheck();
    QDialog::done(result);
}

void CsvImportDialog::checked(CsvCheckJob *job)
{
    if (job != m_job) return;
    m_job = nullptr;
    job->deleteLater();
    m_progressTimer->stop();
    if (!job->ioError().isEmpty() || !job->batch().readError().isEmpty()) {
        m_checking = false;
        m_progress->hide();
        m_cancel->hide();
        m_summary->setText(!job->ioError().isEmpty()
                               ? job->ioError()
                               : tr("%1 cannot be read: %2").arg(m_name, job->batch().readError()));
        m_summary->setStyleSheet(toneStyle(Tone::Bad));
        updateButtons();
        return;
    }
    m_batch = job->takeBatch();
    m_loaded = true;
    m_checking = false;
    showBatch();
    if (!m_batch.importable() || !m_services || !m_services->reader) {
        m_progress->hide();
        m_cancel->hide();
        return;
    }
    // One query for the whole file's barcodes; nothing can be imported until it answered.
    m_checking = true;
    updateButtons();
    m_progress->setRange(0, 0); // the database gives no progress: busy
    m_progress->setFormat({});
    const int generation = m_generation;
    const QStringList barcodes = m_batch.barcodes();
    m_summary->setText(
        tr("Checking %n barcode(s) against the registry…", nullptr, int(barcodes.size())));
    m_summary->setStyleSheet({});
    checkRegisteredBarcodes(
        m_services->reader, barcodes, this,
        [this, generation](const QSet<QString> &existing, const QString &error) {
            if (generation != m_generation) return;
            m_checking = false;
            m_progress->hide();
            m_cancel->hide();
            if (!error.isEmpty()) {
                showBatch();
                m_summary->setText(tr("Could not check the registry: %1. Choose the "
                                      "file again to retry.")
                                       .arg(error));
                m_summary->setStyleSheet(toneStyle(Tone::Bad));
                m_loaded = false; // unchecked: no import
                updateButtons();
                return;
            }
            m_batch.markRegistered(existing);
            showBatch();
        });
}

void CsvImportDialog::showBatch()
{
    m_model->setBatch(&m_batch);
    m_preview->resizeColumnsToContents();
    for (int c = 0; c < m_model->columnCount(); ++c)
        m_preview->setColumnWidth(c, qMin(m_preview->columnWidth(c), 260));
    const QList<CsvIssue> &issues = m_batch.issues();
    const QStringList fileErrors = m_batch.fileErrors();
    // A table item per problem is cheap for a few thousand; the rest are counted.
    const int shown = int(std::min<qsizetype>(issues.size(), kMaxIssuesShown));
    const int notShown = int(issues.size()) - shown + m_batch.issuesLeftOut();
    m_issues->setRowCount(int(fileErrors.size()) + shown + (notShown > 0 ? 1 : 0));
    int row = 0;
    for (const QString &e : fileErrors) {
        m_issues->setItem(row, 0, new QTableWidgetItem(tr("file")));
        m_issues->setItem(row, 1, new QTableWidgetItem);
        m_issues->setItem(row++, 2, new QTableWidgetItem(e));
    }
    for (int n = 0; n < shown; ++n) {
        const CsvIssue &i = issues[n];
        auto *line = new QTableWidgetItem(QString::number(i.line));
        line->setData(Qt::UserRole, i.line);
        m_issues->setItem(row, 0, line);
        m_issues->setItem(row, 1,
                          new QTableWidgetItem(i.column > 0
                                                   ? tr("%1 (%2)").arg(i.column).arg(i.columnName)
                                                   : tr("whole row")));
        m_issues->setItem(row++, 2, new QTableWidgetItem(i.reason));
    }
    if (notShown > 0) {
        m_issues->setItem(row, 0, new QTableWidgetItem);
        m_issues->setItem(row, 1, new QTableWidgetItem);
        m_issues->setItem(row++, 2,
                          new QTableWidgetItem(tr("… and %n more problem(s), marked red in the "
                                                  "rows above",
                                                  nullptr, notShown)));
    }
    m_issues->resizeColumnToContents(0);
    m_issues->resizeColumnToContents(1);
    if (!fileErrors.isEmpty()) {
        m_summary->setText(tr("This file cannot be imported: %1").arg(fileErrors.first()));
        m_summary->setStyleSheet(toneStyle(Tone::Bad));
    } else if (m_batch.invalidCount() > 0) {
        m_summary->setText(tr("%1 rows: %2 valid, %3 with problems (marked red; the list below "
                              "says line, column and why).")
                               .arg(m_batch.rowCount())
                               .arg(m_batch.validCount())
                               .arg(m_batch.invalidCount()));
        m_summary->setStyleSheet(toneStyle(Tone::Bad));
    } else {
        m_summary->setText(
            m_services && m_services->reader
                ? tr("All %1 rows are valid and none is registered yet.").arg(m_batch.rowCount())
                : tr("All %1 rows are valid (not checked against the registry: no "
                     "database here; the lab refuses duplicates).")
                      .arg(m_batch.rowCount()));
        m_summary->setStyleSheet(toneStyle(Tone::Good));
    }
    updateButtons();
}

void CsvImportDialog::updateButtons()
{
    const bool allowed = m_session->can(permission::SampleRegister);
    const bool ready =
        m_loaded && !m_checking && !m_sending && !m_done && m_batch.importable() && allowed;
    m_importAll->setEnabled(ready && m_batch.invalidCount() == 0);
    m_importValid->setEnabled(ready && m_batch.invalidCount() > 0 && m_batch.validCount() > 0);
    m_importAll->setText(m_loaded && m_batch.importable()
                             ? tr("Import all %1").arg(m_batch.rowCount())
                             : tr("Import all"));
    m_importValid->setText(m_loaded && m_batch.invalidCount() > 0 && m_batch.validCount() > 0
                               ? tr("Import %1 valid rows only…").arg(m_batch.validCount())
                               : tr("Import valid rows only…"));
    const QString why =
        !allowed ? tr("Your role may not register samples (needs sample_register)")
        : m_batch.invalidCount() > 0
            ? tr("Some rows have problems: fix the file, or import the valid rows only")
            : QString();
    m_importAll->setToolTip(why);
    m_importValid->setToolTip(
        allowed ? tr("Registers only the rows without problems; the others are left out") : why);
}

void CsvImportDialog::importValidRows()
{
    if (m_importValid->isEnabled()) send(m_batch.validSamples());
}

void CsvImportDialog::send(const QJsonArray &samples)
{
    if (samples.isEmpty()) return;
    m_sending = true;
    updateButtons();
    m_summary->setText(tr("Registering %n sample(s)…", nullptr, int(samples.size())));
    m_summary->setStyleSheet({});
    // One request, one transaction (the row limit is the registrar's): no count to show.
    m_progress->setRange(0, 0);
    m_progress->setFormat({});
    m_progress->show();
    // The reply may come after the dialog was closed and destroyed.
    m_session->send(
        QStringLiteral("sample.register"), {}, {{QStringLiteral("samples"), samples}},
        [dialog = QPointer<CsvImportDialog>(this), samples](const CommandReply &reply) {
            if (!dialog) return;
            dialog->m_sending = false;
            dialog->m_progress->hide();
            // Registered: importing the same file again would only fail.
            dialog->m_done = reply.ok;
            if (reply.ok) {
                dialog->m_registered.clear();
                for (const QJsonValue &sample : samples)
                    dialog->m_registered << SampleLabel::fromRegistration(sample.toObject());
                dialog->m_labels->setToolTip(tr("Labels for the %n sample(s) just registered",
                                                nullptr, int(dialog->m_registered.size())));
                dialog->m_labels->show();
                dialog->m_labels->setFocus();
            }
            dialog->m_summary->setText(reply.message);
            dialog->m_summary->setStyleSheet(toneStyle(reply.ok ? Tone::Good : Tone::Bad));
            dialog->updateButtons();
        });
}

} // namespace alabos
