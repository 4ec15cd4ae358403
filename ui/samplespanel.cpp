#include "ui/samplespanel.h"

#include "core/domain/commands.h"
#include "core/domain/listtext.h"
#include "core/storage/databasereader.h"
#include "core/storage/samplequeries.h"
#include "core/storage/samplestore.h"
#include "ui/barcodescandetector.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/labeldialog.h"
#include "ui/labmodels.h"
#include "ui/sampledialogs.h"
#include "ui/tableview.h"
#include "ui/workflowspanel.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QShortcut>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <memory>
#include <optional>
#include <pqxx/pqxx>

namespace alabos {

namespace {
constexpr int kSearchLimit = 500;
} // namespace

SamplesPanel::SamplesPanel(LabModels *models, ConsoleSession *session, ConsoleServices *services,
                           QWidget *parent)
    : QWidget(parent), m_models(models), m_session(session), m_services(services),
      m_results(new SampleTableModel(this)), m_proxy(new NaturalSortProxy(this)),
      m_search(new QLineEdit(this)), m_summary(new QLabel(this)),
      m_view(makeTableView(m_proxy, this)), m_register(new QPushButton(tr("Register…"), this)),
      m_import(new QPushButton(tr("Import CSV…"), this)),
      m_labels(new QPushButton(tr("Print labels…"), this)),
      m_delete(new QPushButton(tr("Delete…"), this)), m_scanner(new BarcodeScanDetector(this)),
      m_debounce(new QTimer(this))
{
    m_proxy->setSourceModel(models->samples());
    m_view->setObjectName(QStringLiteral("sampleTable"));
    m_view->setAccessibleName(tr("Samples"));
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->sortByColumn(SampleTableModel::Id, Qt::DescendingOrder);
    m_view->setColumnWidth(SampleTableModel::Id, 70);
    m_view->setColumnWidth(SampleTableModel::Barcode, 170);
    m_view->setColumnWidth(SampleTableModel::Workflow, 150);
    m_view->setColumnWidth(SampleTableModel::Position, 150);
    m_view->setColumnWidth(SampleTableModel::Registered, 150);
    // Metadata is the longest; it gets the stretch, the timestamp stays readable.
    m_view->horizontalHeader()->moveSection(SampleTableModel::Registered,
                                            SampleTableModel::Metadata);
    // The sample's workflow progress, drawn in its workflow column.
    WorkflowTableModel *workflows = models->workflows();
    m_view->setItemDelegateForColumn(
        SampleTableModel::Workflow, new ProgressBarDelegate(
                                        [workflows](const QModelIndex &index) {
                                            const WorkflowId id = index.data().toLongLong();
                                            const int row = id ? workflows->rowOf(id) : -1;
                                            return row < 0
                                                       ? -1
                                                       : workflows->index(row, 0)
                                                             .data(WorkflowTableModel::ProgressRole)
                                                             .toInt();
                                        },
                                        m_view));
    connect(workflows, &QAbstractItemModel::dataChanged, m_view->viewport(),
            qOverload<>(&QWidget::update));

    m_search->setObjectName(QStringLiteral("sampleSearch"));
    m_search->setAccessibleName(tr("Search samples"));
    m_search->setClearButtonEnabled(true);
    m_search->setPlaceholderText(tr("Search the registry by barcode, name, project, composition…"));
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(400);
    connect(m_debounce, &QTimer::timeout, this, &SamplesPanel::search);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.trimmed().isEmpty()) {
            m_debounce->stop();
            showLive();
        } else {
            m_debounce->start();
        }
    });
    connect(m_search, &QLineEdit::returnPressed, this, &SamplesPanel::search);
    m_summary->setObjectName(QStringLiteral("sampleSummary"));

    m_register->setObjectName(QStringLiteral("registerSample"));
    m_import->setObjectName(QStringLiteral("importSamples"));
    connect(m_register, &QPushButton::clicked, this, &SamplesPanel::openRegistration);
    connect(m_import, &QPushButton::clicked, this, &SamplesPanel::openImport);
    m_labels->setObjectName(QStringLiteral("printLabels"));
    m_labels->setToolTip(
        tr("Print or export as PDF labels with a barcode for the selected "
           "samples (%1)")
            .arg(QKeySequence(QKeySequence::Print).toString(QKeySequence::NativeText)));
    connect(m_labels, &QPushButton::clicked, this, &SamplesPanel::openLabels);
    // Only while the focus is in this panel: other panels may print something else.
    new QShortcut(QKeySequence::Print, this, this, &SamplesPanel::openLabels,
                  Qt::WidgetWithChildrenShortcut);
    m_delete->setObjectName(QStringLiteral("deleteSamples"));
    connect(m_delete, &QPushButton::clicked, this, &SamplesPanel::openDeletion);
    // A reset (the view switching between live and search results) clears the selection
    // without saying so.
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SamplesPanel::updateSelectionActions);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &SamplesPanel::updateSelectionActions,
            Qt::QueuedConnection);
    connect(session, &ConsoleSession::identityChanged, this, &SamplesPanel::updateActions);
    connect(models->samples(), &QAbstractItemModel::rowsInserted, this,
            &SamplesPanel::updateSummary);
    connect(models->samples(), &QAbstractItemModel::rowsRemoved, this,
            &SamplesPanel::updateSummary);
    connect(models->samples(), &QAbstractItemModel::modelReset, this, &SamplesPanel::updateSummary);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_search, 1);
    bar->addWidget(m_register);
    bar->addWidget(m_import);
    bar->addWidget(m_labels);
    bar->addWidget(m_delete);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    m_scanner->watch(this);
    connect(m_scanner, &BarcodeScanDetector::scanned, this, &SamplesPanel::showSample);
    updateActions();
    updateSummary();
}

void SamplesPanel::updateActions()
{
    const bool allowed = m_session->can(permission::SampleRegister);
    m_register->setEnabled(allowed);
    m_import->setEnabled(allowed);
    const QString why =
        m_session->isLoggedIn()
            ? tr("Your role (%1) may not register samples").arg(toString(m_session->role()))
            : tr("Log in to register samples");
    m_register->setToolTip(allowed ? tr("Register one sample through the form") : why);
    m_import->setToolTip(allowed ? tr("Register 1 to 1,000 samples from a CSV file, with a preview")
                                 : why);
    updateSelectionActions();
}

void SamplesPanel::updateSelectionActions()
{
    const bool selected = m_view->selectionModel()->hasSelection();
    m_labels->setEnabled(selected);
    const bool allowed = m_session->can(permission::SampleDelete);
    m_delete->setEnabled(selected && allowed);
    m_delete->setToolTip(
        !allowed
            ? (m_session->isLoggedIn() ? tr("Your role (%1) may not delete samples (permission %2)")
                                             .arg(toString(m_session->role()),
                                                  QString::fromLatin1(permission::SampleDelete))
                                       : tr("Log in to delete samples"))
            : tr("Delete the selected samples, with a reason: they leave the live views "
                 "and their positions; their record stays"));
}

void SamplesPanel::updateSummary()
{
    if (m_showingResults) return;
    m_summary->setText(tr("%n sample(s) in this session's live view; search to find any sample in "
                          "the registry.",
                          nullptr, m_models->samples()->rowCount()));
}

void SamplesPanel::showLive()
{
    ++m_generation; // an answer still on its way is no longer wanted
    if (m_showingResults) {
        m_showingResults = false;
        m_proxy->setSourceModel(m_models->samples());
    }
    updateSummary();
}

void SamplesPanel::search()
{
    m_debounce->stop();
    const QString text = m_search->text().trimmed();
    if (text.isEmpty()) {
        showLive();
        return;
    }
    if (!m_services || !m_services->reader) {
        // No database: filter what this console has seen.
        m_proxy->setFilterFixedString(text);
        m_summary->setText(tr("No database here: filtering the live view only"));
        return;
    }
    m_proxy->setFilterFixedString({});
    const int generation = ++m_generation;
    m_summary->setText(tr("Searching the registry for \"%1\"…").arg(text));
    auto found = std::make_shared<QList<SampleState>>();
    auto more = std::make_shared<bool>(false);
    m_services->reader->run(
        [found, more, text](pqxx::connection &c) {
            pqxx::read_transaction tx(c);
            *found = searchSamples(tx, text, kSearchLimit, more.get());
        },
        this,
        [this, generation, found, more, text](const QString &error) {
            if (generation != m_generation) return;
            if (!error.isEmpty()) {
                m_summary->setText(tr("Search failed: %1").arg(error));
                return;
            }
            m_results->replaceAll(*found);
            if (!m_showingResults) {
                m_showingResults = true;
                m_proxy->setSourceModel(m_results);
            }
            m_summary->setText(
                *more ? tr("The newest %1 samples matching \"%2\"; refine the search to "
                           "see others")
                            .arg(found->size())
                            .arg(text)
                      : tr("%n sample(s) in the registry match \"%1\"", nullptr, int(found->size()))
                            .arg(text));
            Q_EMIT searchFinished(int(found->size()));
        });
}

QStringList SamplesPanel::selectedBarcodes() const
{
    QStringList out;
    for (const QModelIndex &index :
         m_view->selectionModel()->selectedRows(SampleTableModel::Barcode))
        out << index.data().toString();
    return out;
}

void SamplesPanel::openLabels()
{
    auto *shown = static_cast<SampleTableModel *>(m_proxy->sourceModel());
    QList<SampleState> samples;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        samples << shown->at(m_proxy->mapToSource(index).row());
    // In the order they were registered (and are likely to stand in the rack).
    std::sort(samples.begin(), samples.end(),
              [](const SampleState &a, const SampleState &b) { return a.id < b.id; });
    QList<SampleLabel> labels;
    for (const SampleState &sample : std::as_const(samples))
        labels << SampleLabel::fromSample(sample);
    openLabelDialog(labels, this);
}

bool SamplesPanel::selectShown(const QString &barcode)
{
    auto *shown = static_cast<SampleTableModel *>(m_proxy->sourceModel());
    for (int row = 0; row < shown->rowCount(); ++row) {
        if (shown->at(row).barcode != barcode) continue;
        const QModelIndex index = m_proxy->mapFromSource(shown->index(row, 0));
        if (!index.isValid()) return false; // filtered out of the view
        m_view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                    QItemSelectionModel::Rows);
        m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
        m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
        return true;
    }
    return false;
}

void SamplesPanel::showAlone(const SampleState &sample)
{
    ++m_generation; // a search still on its way would replace it
    m_debounce->stop();
    {
        // The box says what the view shows; clearing it goes back to the live view.
        const QSignalBlocker block(m_search);
        m_search->setText(sample.barcode);
    }
    m_proxy->setFilterFixedString({});
    m_results->replaceAll({sample});
    if (!m_showingResults) {
        m_showingResults = true;
        m_proxy->setSourceModel(m_results);
    }
    selectShown(sample.barcode);
}

void SamplesPanel::showSample(const QString &barcode)
{
    // A scan into the search box must not start a search of its own.
    m_debounce->stop();
    auto found = [this, barcode] {
        m_summary->setText(tr("Scanned %1").arg(barcode));
        Q_EMIT sampleShown(barcode, true);
    };
    auto missing = [this, barcode](const QString &why) {
        m_summary->setText(why);
        Q_EMIT sampleShown(barcode, false);
    };
    if (selectShown(barcode)) return found();
    SampleTableModel *live = m_models->samples();
    for (int row = 0; row < live->rowCount(); ++row)
        if (live->at(row).barcode == barcode) {
            showAlone(live->at(row));
            return found();
        }
    if (!m_services || !m_services->reader)
        return missing(
            tr("Scanned %1: not in the live view, and no database here to search").arg(barcode));
    const int generation = ++m_generation;
    m_summary->setText(tr("Scanned %1: looking it up in the registry…").arg(barcode));
    auto sample = std::make_shared<std::optional<SampleState>>();
    m_services->reader->run(
        [sample, barcode](pqxx::connection &c) {
            pqxx::read_transaction tx(c);
            *sample = findSample(tx, 0, barcode);
        },
        this,
        [this, generation, sample, barcode, found, missing](const QString &error) {
            if (generation != m_generation) return;
            if (!error.isEmpty())
                return missing(
                    tr("Scanned %1: the registry could not be searched: %2").arg(barcode, error));
            if (!*sample) return missing(tr("Scanned %1: no sample has this barcode").arg(barcode));
            if ((*sample)->deletedUs > 0)
                return missing(
                    tr("Scanned %1: this sample was deleted on %2")
                        .arg(barcode, QDateTime::fromMSecsSinceEpoch((*sample)->deletedUs / 1000)
                                          .toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
            showAlone(**sample);
            found();
        });
}

void SamplesPanel::openDeletion()
{
    const QStringList barcodes = selectedBarcodes();
    if (barcodes.isEmpty()) return;
    if (barcodes.size() > SampleStore::kMaxDelete) {
        QMessageBox::warning(this, tr("Delete samples"),
                             tr("%n samples are selected; at most %1 are deleted at once.", nullptr,
                                int(barcodes.size()))
                                 .arg(SampleStore::kMaxDelete));
        return;
    }
    QInputDialog dialog(this);
    dialog.setWindowTitle(tr("Delete samples"));
    const QString named = firstNamesAndCount(barcodes, 5);
    dialog.setLabelText(
        tr("Delete %n sample(s) (%1)?\nThey leave the live views and their positions; their "
           "record, history and audit trail stay, and their barcodes cannot be registered "
           "again.\n\nWhy? (required)",
           nullptr, int(barcodes.size()))
            .arg(named));
    dialog.setOkButtonText(tr("Delete"));
    if (auto *reason = dialog.findChild<QLineEdit *>()) {
        reason->setMaxLength(SampleStore::kMaxReasonLength);
        reason->setAccessibleName(tr("Reason for deleting"));
    }
    while (dialog.exec() == QDialog::Accepted) {
        if (!dialog.textValue().trimmed().isEmpty()) return deleteSelected(dialog.textValue());
        QMessageBox::warning(this, tr("Delete samples"),
                             tr("Say why the samples are deleted: the reason is kept with them."));
    }
}

void SamplesPanel::deleteSelected(const QString &reason)
{
    const QStringList barcodes = selectedBarcodes();
    if (barcodes.isEmpty()) return;
    m_summary->setText(tr("Deleting %n sample(s)…", nullptr, int(barcodes.size())));
    QPointer<SamplesPanel> self(this);
    m_session->send(QStringLiteral("sample.delete"),
                    barcodes.size() == 1 ? barcodes.first() : QString(),
                    {{QStringLiteral("barcodes"), QJsonArray::fromStringList(barcodes)},
                     {QStringLiteral("reason"), reason.trimmed()}},
                    [self](const CommandReply &reply) {
                        if (!self) return;
                        self->m_summary->setText(reply.message);
                        // A search result shows the registry as it was: ask again.
                        if (reply.ok && self->m_showingResults) self->search();
                    });
}

void SamplesPanel::openRegistration()
{
    auto *dialog = new SampleRegistrationDialog(m_session, m_services, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void SamplesPanel::openImport()
{
    auto *dialog = new CsvImportDialog(m_session, m_services, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

} // namespace alabos
