// Sample labels against the real lab: samples registered through a console attached to a
// LabRuntime (engine, registrar, the real PostgreSQL, the embedded Kafka broker and the
// feed), their labels exported from the samples panel as PDF, rasterised by pdftoppm and
// every barcode read back by zbarimg (Code 128) or dmtxread (DataMatrix); bad input refused
// with a message; a scanner's burst of keys in the samples panel selecting its sample while
// a person's typing does not; the registration form and the CSV import offering labels.
#include "app/consolewiring.h"
#include "app/labruntime.h"
#include "core/labels/labelsheet.h"
#include "core/storage/databasereader.h"
#include "tests/support/signin.h"
#include "tests/support/testdatabase.h"
#include "ui/barcodescandetector.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/labeldialog.h"
#include "ui/labmodels.h"
#include "ui/sampledialogs.h"
#include "ui/samplespanel.h"
#include "ui/schemaform.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPrinter>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace alabos;
using test::TestDatabase;

namespace {
// Optional pictures for a person to look at: set ALABOS_GRAB_DIR.
void grab(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("ALABOS_GRAB_DIR");
    if (!dir.isEmpty()) w->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

struct Run
{
    int code = -1;
    QString out;
    QString err; // apart: zbarimg complains there about a missing D-Bus
};

Run run(const QString &program, const QStringList &arguments, int timeoutMs = 120000)
{
    QProcess p;
    p.start(program, arguments);
    if (!p.waitForStarted(10000)) return {-1, {}, program + QStringLiteral(" did not start")};
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-1, {}, program + QStringLiteral(" timed out")};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

// Every barcode in the PDF, as the scanners' decoders read its pages at `dpi`, sorted.
QStringList decodePdf(const QString &pdf, Symbology symbology, int dpi, QString *why)
{
    QTemporaryDir pages;
    const QString prefix = pages.filePath(QStringLiteral("page"));
    const Run raster = run(QStringLiteral("pdftoppm"),
                           {QStringLiteral("-r"), QString::number(dpi), QStringLiteral("-gray"),
                            QStringLiteral("-png"), pdf, prefix});
    if (raster.code != 0) {
        *why = QStringLiteral("pdftoppm: ") + raster.err;
        return {};
    }
    QStringList decoded;
    const QStringList files = QDir(pages.path()).entryList({QStringLiteral("page*.png")});
    for (const QString &file : files) {
        const QString path = pages.filePath(file);
        const Run read =
            symbology == Symbology::Code128
                ? run(QStringLiteral("zbarimg"),
                      {QStringLiteral("--raw"), QStringLiteral("-q"), QStringLiteral("-Sdisable"),
                       QStringLiteral("-Scode128.enable"), path})
                // dmtxread stops after -N codes (a page holds at most 65); -n: one a line.
                : run(QStringLiteral("dmtxread"),
                      {QStringLiteral("-n"), QStringLiteral("-N"), QStringLiteral("65"),
                       QStringLiteral("-m"), QStringLiteral("60000"), path});
        // zbarimg exits 4 when a page holds no barcode: that shows as a missing code.
        if (read.code != 0 && read.code != 4 && read.code != 1) {
            *why = QStringLiteral("decoder exit %1 on %2: %3").arg(read.code).arg(file, read.err);
            return {};
        }
        for (const QString &line : read.out.split(u'\n', Qt::SkipEmptyParts))
            decoded << line.trimmed();
    }
    decoded.sort();
    return decoded;
}

QStringList expectedCodes(const QList<SampleLabel> &labels, int copies)
{
    QStringList out;
    for (const SampleLabel &l : labels)
        for (int i = 0; i < copies; ++i)
            out << l.barcode;
    out.sort();
    return out;
}

// "Width x height" of the first page in points, from pdfinfo.
QString pageSize(const QString &pdf)
{
    const Run info = run(QStringLiteral("pdfinfo"), {pdf});
    for (const QString &line : info.out.split(u'\n'))
        if (line.startsWith(QLatin1StringView("Page size:")))
            return line.mid(10).trimmed().section(u' ', 0, 2);
    return info.out;
}

int pageCount(const QString &pdf)
{
    const Run info = run(QStringLiteral("pdfinfo"), {pdf});
    for (const QString &line : info.out.split(u'\n'))
        if (line.startsWith(QLatin1StringView("Pages:"))) return line.mid(6).trimmed().toInt();
    return -1;
}

QJsonObject registration(const QString &barcode, const QString &name, const QString &project)
{
    return {{QStringLiteral("barcode"), barcode},
            {QStringLiteral("name"), name},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("project"), project}}}};
}

LabelDialog *findLabelDialog(QWidget *parent)
{
    const QList<LabelDialog *> dialogs = parent->findChildren<LabelDialog *>();
    return dialogs.isEmpty() ? nullptr : dialogs.last();
}

void chooseSymbology(LabelDialog *dialog, Symbology symbology)
{
    dialog->symbologyBox()->setCurrentIndex(dialog->symbologyBox()->findData(int(symbology)));
}
} // namespace

class TstLabels : public QObject
{
    Q_OBJECT

    // One lab for the suite: each test registers barcodes of its own.
    QString m_conn;
    std::unique_ptr<LabRuntime> m_runtime;
    std::unique_ptr<DatabaseReader> m_reader;
    LabModels m_models;
    ConsoleSession m_session;
    ConsoleServices m_services;
    QTemporaryDir m_dir;

    // Registers through the console, as a technician at the scheduler's console would, and
    // waits until the feed brought every sample to the live models.
    bool registerSamples(const QJsonArray &samples)
    {
        std::optional<CommandReply> reply;
        m_session.send(QStringLiteral("sample.register"), {},
                       {{QStringLiteral("samples"), samples}},
                       [&](const CommandReply &r) { reply = r; });
        QDeadlineTimer deadline(30000);
        while (!reply && !deadline.hasExpired())
            QTest::qWait(10);
        if (!reply || !reply->ok) {
            qWarning("registration: %s", reply ? qPrintable(reply->message) : "no reply");
            return false;
        }
        QSet<QString> wanted;
        for (const QJsonValue &s : samples)
            wanted.insert(s.toObject().value(QLatin1StringView("barcode")).toString());
        while (!deadline.hasExpired()) {
            QSet<QString> missing = wanted;
            for (const SampleState &s : m_models.samples()->rows())
                missing.remove(s.barcode);
            if (missing.isEmpty()) return true;
            QTest::qWait(20);
        }
        qWarning("the registered samples did not reach the live view");
        return false;
    }

    // Selects the rows of the panel's view whose barcode is in `barcodes`.
    static void selectBarcodes(SamplesPanel &panel, const QStringList &barcodes)
    {
        QAbstractItemModel *model = panel.view()->model();
        QItemSelection selection;
        for (int row = 0; row < model->rowCount(); ++row)
            if (barcodes.contains(model->index(row, SampleTableModel::Barcode).data().toString()))
                selection.select(model->index(row, 0), model->index(row, model->columnCount() - 1));
        panel.view()->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    }

    static QStringList selectedBarcodes(SamplesPanel &panel)
    {
        QStringList out = panel.selectedBarcodes();
        out.sort();
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        registerMetaTypes();
        registerCommandMetaTypes();
        for (const char *tool : {"pdftoppm", "pdfinfo", "zbarimg", "dmtxread"})
            QVERIFY2(!QStandardPaths::findExecutable(QLatin1StringView(tool)).isEmpty(),
                     qPrintable(QStringLiteral("%1 is missing: run ./scripts/install-deps")
                                    .arg(QLatin1StringView(tool))));
        QVERIFY2(TestDatabase::instance().error().isEmpty(),
                 qPrintable(TestDatabase::instance().error()));
        m_conn = TestDatabase::instance().createDatabase();
        Options options;
        options.databaseUrl = m_conn;
        options.shutdownGraceMs = 0;
        m_runtime = std::make_unique<LabRuntime>(options);
        QString error;
        QVERIFY2(m_runtime->start(&error), qPrintable(error));
        m_reader = std::make_unique<DatabaseReader>(QStringList{m_runtime->databaseConnection()});
        m_services.reader = m_reader.get();
        m_runtime->subscribeFeed(&m_models, [this](const FeedUpdate &u) { m_models.apply(u); });
        attachConsole(*m_runtime, &m_session, &m_services);
        const QString session =
            test::signIn(*m_runtime, QStringLiteral("tina"), Role::Technician, &error);
        QVERIFY2(!session.isEmpty(), qPrintable(error));
        m_session.setIdentity(QStringLiteral("tina"), Role::Technician, session);
    }

    void cleanupTestCase()
    {
        if (m_runtime) m_runtime->stop();
        m_reader.reset();
    }

    void pdfBarcodesDecodeBackToTheirSamples_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("symbology");
        QTest::addColumn<int>("samples");
        QTest::addColumn<int>("copies");
        QTest::addColumn<int>("firstLabel");
        // In whole points, as pdfinfo says: Qt's PDF writer rounds the page (by at most 0.2 mm;
        // the labels are placed from the top-left corner, exactly).
        QTest::addColumn<QString>("pageSize");
        QTest::addColumn<int>("pages");
        // zbar reports a code seen twice on one page once: copies are counted on rolls.
        QTest::newRow("2x1 inch roll, Code 128, two copies")
            << "roll-50.8x25.4" << int(Symbology::Code128) << 3 << 2 << 1 << "144 x 72" << 6;
        QTest::newRow("A4 3x8, Code 128, from label 5")
            << "a4-3x8-70x37" << int(Symbology::Code128) << 22 << 1 << 5 << "595 x 842" << 2;
        QTest::newRow("cryo-tube 38x13, DataMatrix")
            << "roll-38x13" << int(Symbology::DataMatrix) << 3 << 1 << 1 << "108 x 37" << 3;
        QTest::newRow("1x0.5 inch roll, DataMatrix")
            << "roll-25.4x12.7" << int(Symbology::DataMatrix) << 2 << 1 << 1 << "72 x 36" << 2;
        QTest::newRow("A4 5x13, DataMatrix")
            << "a4-5x13-38.1x21.2" << int(Symbology::DataMatrix) << 7 << 1 << 1 << "595 x 842" << 1;
        QTest::newRow("cryo-tube 38x13, Code 128")
            << "roll-38x13" << int(Symbology::Code128) << 2 << 1 << 1 << "108 x 37" << 2;
    }

    void pdfBarcodesDecodeBackToTheirSamples()
    {
        QFETCH(QString, format);
        QFETCH(int, symbology);
        QFETCH(int, samples);
        QFETCH(int, copies);
        QFETCH(int, firstLabel);
        QFETCH(QString, pageSize);
        QFETCH(int, pages);
        static int batch = 0;
        ++batch;
        QJsonArray registrations;
        QStringList barcodes;
        for (int i = 1; i <= samples; ++i) {
            const QString barcode = QStringLiteral("LB%1-%2").arg(batch).arg(i, 3, 10, QChar(u'0'));
            barcodes << barcode;
            // Every third name far longer than any label: elided, never over the edge.
            const QString name = i % 3 == 0 ? QStringLiteral("Lithium iron phosphate, ball-milled "
                                                             "12 h, calcined at 700 °C under argon "
                                                             "for the rate study")
                                            : QStringLiteral("LFP %1").arg(i);
            registrations.append(registration(barcode, name, QStringLiteral("Cathodes")));
        }
        QVERIFY(registerSamples(registrations));

        SamplesPanel panel(&m_models, &m_session, &m_services);
        panel.resize(1200, 600);
        panel.show();
        QVERIFY(!panel.labelsButton()->isEnabled()); // nothing selected
        selectBarcodes(panel, barcodes);
        QCOMPARE(selectedBarcodes(panel), barcodes);
        QVERIFY(panel.labelsButton()->isEnabled());
        panel.labelsButton()->click();
        LabelDialog *dialog = findLabelDialog(&panel);
        QVERIFY(dialog);
        QCOMPARE(dialog->samples().size(), samples);
        QCOMPARE(dialog->samples().first().project, QStringLiteral("Cathodes"));
        dialog->selectFormat(format);
        chooseSymbology(dialog, Symbology(symbology));
        dialog->copiesBox()->setValue(copies);
        dialog->firstLabelBox()->setValue(firstLabel);
        QVERIFY2(dialog->sheet().problem().isEmpty(), qPrintable(dialog->sheet().problem()));
        QVERIFY(dialog->pdfButton()->isEnabled());
        QVERIFY(!dialog->preview()->page().isNull());

        const QString pdf = m_dir.filePath(QStringLiteral("labels-%1.pdf").arg(batch));
        QCOMPARE(dialog->exportPdf(pdf), QString());
        QCOMPARE(dialog->status()->text(),
                 QStringLiteral("%1 label(s) written to %2").arg(samples * copies).arg(pdf));
        QCOMPARE(::pageSize(pdf), pageSize);
        QCOMPARE(pageCount(pdf), pages);
        QString why;
        const QStringList decoded = decodePdf(pdf, Symbology(symbology), 300, &why);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        QCOMPARE(decoded, expectedCodes(dialog->samples(), copies));
        if (firstLabel > 1) {
            // The used labels of a part-used sheet stay blank; the first free one is printed.
            const LabelSheet &sheet = dialog->sheet();
            constexpr double dotsPerMm = 4;
            QImage page((sheet.format().page * dotsPerMm).toSize(), QImage::Format_Grayscale8);
            page.fill(Qt::white);
            {
                QPainter painter(&page);
                sheet.paintPage(painter, 0, dotsPerMm);
            }
            auto inked = [&](int slot) {
                const QRectF mm = sheet.format().labelRect(slot);
                const QRect r = QRectF(mm.topLeft() * dotsPerMm, mm.size() * dotsPerMm).toRect();
                for (int y = r.top(); y <= r.bottom(); ++y)
                    for (int x = r.left(); x <= r.right(); ++x)
                        if (page.pixelColor(x, y).lightness() < 128) return true;
                return false;
            };
            for (int slot = 0; slot < firstLabel - 1; ++slot)
                QVERIFY2(!inked(slot), qPrintable(QString::number(slot)));
            QVERIFY(inked(firstLabel - 1));
        }
        grab(dialog, QStringLiteral("labels-") + format);
    }

    void ctrlPInTheSamplesPanelOpensLabelsForTheSelection()
    {
        QVERIFY(registerSamples({registration(QStringLiteral("KEY-001"), QStringLiteral("Keyed"),
                                              QStringLiteral("Keyboard"))}));
        SamplesPanel panel(&m_models, &m_session, &m_services);
        panel.show();
        QApplication::setActiveWindow(&panel);
        QVERIFY(QTest::qWaitForWindowActive(&panel));
        panel.view()->setFocus();
        panel.view()->selectAll();
        QTest::keyClick(panel.view(), Qt::Key_P, Qt::ControlModifier);
        LabelDialog *dialog = findLabelDialog(&panel);
        QVERIFY(dialog);
        QCOMPARE(dialog->samples().size(), m_models.samples()->rowCount());
        QVERIFY(dialog->samples().size() > 0);
    }

    void thePrinterGetsTheSameLabels()
    {
        const QList<SampleLabel> labels{
            {QStringLiteral("PRN-001"), QStringLiteral("Spinel"), QStringLiteral("Anodes")},
            {QStringLiteral("PRN-002"), QStringLiteral("Olivine"), QStringLiteral("Cathodes")}};
        LabelDialog dialog(labels);
        dialog.selectFormat(QStringLiteral("roll-50.8x25.4"));
        // A printer that writes PDF: the print path itself, without a print server.
        QPrinter printer(QPrinter::HighResolution);
        printer.setOutputFormat(QPrinter::PdfFormat);
        const QString pdf = m_dir.filePath(QStringLiteral("printed.pdf"));
        printer.setOutputFileName(pdf);
        QCOMPARE(dialog.printTo(&printer), QString());
        QCOMPARE(dialog.status()->text(), QStringLiteral("2 label(s) sent to %1").arg(pdf));
        QCOMPARE(::pageSize(pdf), QStringLiteral("144 x 72"));
        QString why;
        QCOMPARE(decodePdf(pdf, Symbology::Code128, 300, &why), expectedCodes(labels, 1));
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }

    void textNeverLeavesItsLabel_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("symbology");
        for (const LabelFormat &f : LabelFormat::standard())
            for (Symbology s : {Symbology::DataMatrix, Symbology::Code128})
                QTest::newRow(qPrintable(f.id + u' ' + symbologyName(s))) << f.id << int(s);
    }

    void textNeverLeavesItsLabel()
    {
        QFETCH(QString, format);
        QFETCH(int, symbology);
        // Text at its longest, without a space to break at, in letters as wide as they come.
        const QString longest(SampleLabel::kMaxTextLength, u'W');
        const SampleLabel label{QStringLiteral("W12"), longest, longest};
        const LabelSheet sheet(LabelFormat::byId(format), Symbology(symbology), {label});
        if (!sheet.problem().isEmpty()) {
            // Only Code 128 on the smallest labels may be refused, and it says why.
            QVERIFY2(symbology == int(Symbology::Code128), qPrintable(sheet.problem()));
            QVERIFY2(sheet.problem().contains(QLatin1StringView("too small")),
                     qPrintable(sheet.problem()));
            return;
        }
        constexpr double dotsPerMm = 12;
        const QRectF rect = sheet.format().labelRect(0);
        QImage page((sheet.format().page * dotsPerMm).toSize(), QImage::Format_Grayscale8);
        page.fill(Qt::white);
        {
            QPainter painter(&page);
            sheet.paintPage(painter, 0, dotsPerMm);
        }
        // Everything printed lies inside the label, clear of its edge by half a millimetre.
        const QRect inside = QRectF(rect.topLeft() * dotsPerMm, rect.size() * dotsPerMm)
                                 .adjusted(6, 6, -6, -6)
                                 .toAlignedRect();
        int dark = 0;
        for (int y = 0; y < page.height(); ++y) {
            const uchar *line = page.constScanLine(y);
            for (int x = 0; x < page.width(); ++x)
                if (line[x] < 128) {
                    ++dark;
                    QVERIFY2(inside.contains(x, y),
                             qPrintable(QStringLiteral("ink at %1,%2 mm outside the label")
                                            .arg(x / dotsPerMm)
                                            .arg(y / dotsPerMm)));
                }
        }
        QVERIFY(dark > 0);
    }

    void badInputGetsAClearMessage_data()
    {
        QTest::addColumn<int>("samples");
        QTest::addColumn<QString>("barcode");
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("symbology");
        QTest::addColumn<double>("width");
        QTest::addColumn<double>("height");
        QTest::addColumn<QString>("message");
        QTest::newRow("no samples")
            << 0 << ""
            << "roll-50.8x25.4" << int(Symbology::Code128) << 0.0 << 0.0
            << "No samples to label: choose at least one registered sample.";
        QTest::newRow("Code 128 wider than the label")
            << 2 << "SAMPLE-2026-0001-SPINEL"
            << "roll-25.4x12.7" << int(Symbology::Code128) << 0.0 << 0.0
            << "\"SAMPLE-2026-0001-SPINEL-1\" as Code 128 needs 82.5 mm of width; the label has "
               "room for 23.8 mm. 1 other sample(s) do not fit either. Choose DataMatrix or a "
               "larger label.";
        QTest::newRow("DataMatrix larger than the label")
            << 1 << QString(60, u'Q') << "custom" << int(Symbology::DataMatrix) << 30.0 << 7.0
            << "as DataMatrix needs a square of 7.5 mm; the label has room for 5.4 mm. Choose a "
               "larger label.";
        QTest::newRow("label too small for text")
            << 1 << "S-1"
            << "custom" << int(Symbology::DataMatrix) << 12.0 << 5.0
            << "A 12 × 5 mm label is too small for a DataMatrix barcode and readable text; "
               "choose a larger label.";
        QTest::newRow("barcode longer than the registry takes")
            << 1 << QString(65, u'A') << "roll-50.8x25.4" << int(Symbology::DataMatrix) << 0.0
            << 0.0 << "has 65 characters; a label takes at most 64.";
    }

    void badInputGetsAClearMessage()
    {
        QFETCH(int, samples);
        QFETCH(QString, barcode);
        QFETCH(QString, format);
        QFETCH(int, symbology);
        QFETCH(double, width);
        QFETCH(double, height);
        QFETCH(QString, message);
        QList<SampleLabel> labels;
        for (int i = 1; i <= samples; ++i)
            labels << SampleLabel{samples > 1 ? barcode + QStringLiteral("-%1").arg(i) : barcode,
                                  QStringLiteral("name"), QStringLiteral("project")};
        LabelDialog dialog(labels);
        dialog.show();
        if (format == QLatin1StringView("custom")) {
            dialog.selectFormat(QStringLiteral("roll-custom"));
            QVERIFY(dialog.customWidth()->isEnabled());
            dialog.customWidth()->setValue(width);
            dialog.customHeight()->setValue(height);
        } else {
            dialog.selectFormat(format);
            QVERIFY(!dialog.customWidth()->isEnabled());
        }
        chooseSymbology(&dialog, Symbology(symbology));
        QVERIFY2(dialog.status()->text().contains(message), qPrintable(dialog.status()->text()));
        QVERIFY(!dialog.printButton()->isEnabled());
        QVERIFY(!dialog.pdfButton()->isEnabled());
        QVERIFY(dialog.preview()->page().isNull());
        // Asked directly anyway, it refuses with the same words and writes nothing.
        const QString pdf = m_dir.filePath(QStringLiteral("refused.pdf"));
        QCOMPARE(dialog.exportPdf(pdf), dialog.sheet().problem());
        QVERIFY(!QFile::exists(pdf));
    }

    void scannerBurstSelectsTheSampleSlowTypingDoesNot()
    {
        QVERIFY(registerSamples({registration(QStringLiteral("SCAN-001"), QStringLiteral("First"),
                                              QStringLiteral("Scans")),
                                 registration(QStringLiteral("SCAN-002"), QStringLiteral("Second"),
                                              QStringLiteral("Scans")),
                                 registration(QStringLiteral("SCAN-003"), QStringLiteral("Third"),
                                              QStringLiteral("Scans"))}));
        SamplesPanel panel(&m_models, &m_session, &m_services);
        panel.resize(1200, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy shown(&panel, &SamplesPanel::sampleShown);
        QSignalSpy searched(&panel, &SamplesPanel::searchFinished);
        QLineEdit *search = panel.searchBox();

        // A scan with the focus in the table: that sample is selected and scrolled to.
        panel.view()->setFocus();
        QTest::keyClicks(panel.view(), QStringLiteral("SCAN-002"));
        QTest::keyClick(panel.view(), Qt::Key_Return);
        QCOMPARE(shown.size(), 1);
        QCOMPARE(shown.first().at(1).toBool(), true);
        QCOMPARE(selectedBarcodes(panel), QStringList{QStringLiteral("SCAN-002")});
        QCOMPARE(panel.summary()->text(), QStringLiteral("Scanned SCAN-002"));
        QVERIFY(search->text().isEmpty());

        // With the focus on the panel itself (as Alt+3 leaves it).
        panel.setFocus();
        QTest::keyClicks(&panel, QStringLiteral("SCAN-001"));
        QTest::keyClick(&panel, Qt::Key_Return);
        QCOMPARE(shown.size(), 2);
        QCOMPARE(selectedBarcodes(panel), QStringList{QStringLiteral("SCAN-001")});
        shown.removeLast();

        // A scan into the search box while a person was typing there: the box keeps what
        // the person typed, no search starts, the scanned sample is selected.
        search->setFocus();
        QTest::keyClicks(search, QStringLiteral("Sc"), Qt::NoModifier, 80);
        QTest::qWait(80);
        QTest::keyClicks(search, QStringLiteral("SCAN-003"));
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(shown.size(), 2);
        QCOMPARE(shown.last().at(0).toString(), QStringLiteral("SCAN-003"));
        QCOMPARE(search->text(), QStringLiteral("Sc"));
        QCOMPARE(search->cursorPosition(), 2);
        QCOMPARE(selectedBarcodes(panel), QStringList{QStringLiteral("SCAN-003")});
        QTest::qWait(600); // longer than the search box's pause before it searches
        QCOMPARE(searched.size(), 0);
        QCOMPARE(selectedBarcodes(panel), QStringList{QStringLiteral("SCAN-003")});

        // A person typing the same at a person's pace: it is typing, not a scan. Enter
        // searches the registry as always.
        search->clear();
        QTest::keyClicks(search, QStringLiteral("SCAN-001"), Qt::NoModifier, 60);
        QTest::qWait(60);
        QTest::keyClick(search, Qt::Key_Return);
        QVERIFY(searched.wait(10000));
        QCOMPARE(shown.size(), 2);
        QCOMPARE(search->text(), QStringLiteral("SCAN-001"));
        QCOMPARE(searched.last().first().toInt(), 1);
        // Two quick keys and Enter are too short for a barcode.
        search->clear();
        QTest::keyClicks(search, QStringLiteral("ab"));
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(shown.size(), 2);
        QCOMPARE(search->text(), QStringLiteral("ab"));

        // A sample this console never saw live comes from the registry.
        search->clear();
        QTRY_COMPARE(panel.view()->model()->rowCount(), m_models.samples()->rowCount());
        QVERIFY(registerSamples({registration(
            QStringLiteral("SCAN-OLD"), QStringLiteral("Archived"), QStringLiteral("Scans"))}));
        LabModels fresh; // a console that started after it was registered
        SamplesPanel later(&fresh, &m_session, &m_services);
        later.show();
        QSignalSpy laterShown(&later, &SamplesPanel::sampleShown);
        later.view()->setFocus();
        QTest::keyClicks(later.view(), QStringLiteral("SCAN-OLD"));
        QTest::keyClick(later.view(), Qt::Key_Enter); // the keypad's Enter, as some scanners
        QVERIFY(laterShown.wait(10000));
        QCOMPARE(laterShown.first().at(1).toBool(), true);
        QCOMPARE(selectedBarcodes(later), QStringList{QStringLiteral("SCAN-OLD")});
        QCOMPARE(later.searchBox()->text(), QStringLiteral("SCAN-OLD"));
        // An unknown barcode says so.
        QTest::keyClicks(later.view(), QStringLiteral("NOPE-404"));
        QTest::keyClick(later.view(), Qt::Key_Return);
        QVERIFY(laterShown.wait(10000));
        QCOMPARE(laterShown.last().at(1).toBool(), false);
        QCOMPARE(later.summary()->text(),
                 QStringLiteral("Scanned NOPE-404: no sample has this barcode"));
        grab(&panel, QStringLiteral("samples-scanned"));
    }

    void registrationFormOffersLabelsForWhatItRegistered()
    {
        SampleRegistrationDialog dialog(&m_session, &m_services);
        dialog.show();
        QVERIFY(!dialog.labelsButton()->isVisible());
        SchemaForm *form = dialog.form();
        for (const auto &[barcode, name] :
             {std::pair{QStringLiteral("REG-LBL-1"), QStringLiteral("Garnet")},
              std::pair{QStringLiteral("REG-LBL-2"), QStringLiteral("Perovskite")}}) {
            auto *edit = qobject_cast<QLineEdit *>(form->editor(QStringLiteral("barcode")));
            QVERIFY(edit);
            edit->clear();
            QTest::keyClicks(edit, barcode);
            auto *nameEdit = qobject_cast<QLineEdit *>(form->editor(QStringLiteral("name")));
            nameEdit->clear();
            QTest::keyClicks(nameEdit, name);
            auto *project = qobject_cast<QLineEdit *>(form->editor(QStringLiteral("project")));
            project->clear();
            QTest::keyClicks(project, QStringLiteral("Solid electrolytes"));
            dialog.registerButton()->click();
            QTRY_COMPARE_WITH_TIMEOUT(dialog.status()->text(),
                                      barcode + QStringLiteral(" registered"), 30000);
            QVERIFY(dialog.labelsButton()->isVisible());
        }
        QCOMPARE(dialog.labelsButton()->text(), QStringLiteral("Print labels…"));
        QCOMPARE(dialog.labelsButton()->toolTip(),
                 QStringLiteral("Labels for the 2 sample(s) registered in this window"));
        dialog.labelsButton()->click();
        LabelDialog *labels = findLabelDialog(&dialog);
        QVERIFY(labels);
        QCOMPARE(labels->samples(),
                 (QList<SampleLabel>{{QStringLiteral("REG-LBL-1"), QStringLiteral("Garnet"),
                                      QStringLiteral("Solid electrolytes")},
                                     {QStringLiteral("REG-LBL-2"), QStringLiteral("Perovskite"),
                                      QStringLiteral("Solid electrolytes")}}));
        labels->selectFormat(QStringLiteral("roll-50.8x25.4"));
        const QString pdf = m_dir.filePath(QStringLiteral("registered.pdf"));
        QCOMPARE(labels->exportPdf(pdf), QString());
        QString why;
        QCOMPARE(decodePdf(pdf, Symbology::Code128, 300, &why),
                 (QStringList{QStringLiteral("REG-LBL-1"), QStringLiteral("REG-LBL-2")}));
    }

    void csvImportOffersLabelsForTheBatch()
    {
        CsvImportDialog dialog(&m_session, &m_services);
        dialog.show();
        QVERIFY(!dialog.labelsButton()->isVisible());
        QByteArray csv = "barcode,name,project\n";
        for (int i = 1; i <= 12; ++i)
            csv += "CSV-LBL-" + QByteArray::number(i).rightJustified(2, '0') + ",Batch sample " +
                   QByteArray::number(i) + ",Batch 7\n";
        dialog.loadBytes(csv, QStringLiteral("batch.csv"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog.importAllButton()->isEnabled(), 30000);
        dialog.importAllButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.labelsButton()->isVisible(), 30000);
        QCOMPARE(dialog.labelsButton()->toolTip(),
                 QStringLiteral("Labels for the 12 sample(s) just registered"));
        dialog.labelsButton()->click();
        LabelDialog *labels = findLabelDialog(&dialog);
        QVERIFY(labels);
        QCOMPARE(labels->samples().size(), 12);
        QCOMPARE(labels->samples().first(),
                 (SampleLabel{QStringLiteral("CSV-LBL-01"), QStringLiteral("Batch sample 1"),
                              QStringLiteral("Batch 7")}));
        labels->selectFormat(QStringLiteral("a4-3x8-70x37"));
        const QString pdf = m_dir.filePath(QStringLiteral("imported.pdf"));
        QCOMPARE(labels->exportPdf(pdf), QString());
        QCOMPARE(pageCount(pdf), 1);
        QString why;
        QCOMPARE(decodePdf(pdf, Symbology::Code128, 300, &why),
                 expectedCodes(labels->samples(), 1));
        grab(labels, QStringLiteral("labels-dialog"));
    }
};

QTEST_MAIN(TstLabels)
#include "tst_labels.moc"
