// CSV batch import: RFC 4180 parsing, every kind of row error with its exact line, column
// and reason, duplicates within the file and against the registry (the real PostgreSQL),
// and the all-or-nothing rule down to the rows written.
#include "core/storage/databasereader.h"
#include "core/storage/sampleregistrar.h"
#include "tests/support/testdatabase.h"
#include "ui/consoleservices.h"
#include "ui/consolesession.h"
#include "ui/csvimport.h"
#include "ui/sampledialogs.h"
#include "ui/sampleforms.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>
#include <QTimer>

using namespace alabos;
using test::queryValue;
using test::TestDatabase;

namespace {
FormDefinition sampleForm()
{
    QString error;
    auto form = sampleFormDefinition(&error);
    if (!form) qFatal("%s", qPrintable(error));
    return *form;
}

SampleBatch batchOf(const QByteArray &csv)
{
    SampleBatch batch = SampleBatch::check(csv, sampleForm());
    if (!batch.readError().isEmpty()) qWarning("%s", qPrintable(batch.readError()));
    return batch;
}

// A sample list just under the 16 MB file limit: about 440,000 rows; the row at `badRow`
// (0-based, -1 none) has a mass the form refuses.
constexpr int kBigRows = 440000;
QByteArray bigFile(int badRow = -1)
{
    QByteArray out = "barcode,name,project,mass_mg,form\n";
    out.reserve(17 * 1024 * 1024);
    for (int i = 0; i < kBigRows; ++i)
        out += "L-" + QByteArray::number(i).rightJustified(6, '0') + ",S" + QByteArray::number(i) +
               ",Cathodes," + (i == badRow ? "-1" : "12.5") + ",powder\n";
    return out;
}

QString writeTemporary(QTemporaryFile &file, const QByteArray &bytes)
{
    if (!file.open()) qFatal("cannot create a temporary file");
    file.write(bytes);
    file.close();
    return file.fileName();
}

QByteArray rows(int count, const QByteArray &prefix = "LFP")
{
    QByteArray out = "barcode,name,project,mass_mg,form\n";
    for (int i = 1; i <= count; ++i)
        out += prefix + "-" + QByteArray::number(i).rightJustified(4, '0') + ",Sample " +
               QByteArray::number(i) + ",Cathodes,12.5,powder\n";
    return out;
}
} // namespace

class TstCsvImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { registerCommandMetaTypes(); }

    void parsesRfc4180()
    {
        QString error;
        // BOM, CRLF, quoted delimiter, doubled quote, newline inside quotes, empty field,
        // blank line, no final newline.
        const QByteArray csv = "\xEF\xBB\xBF"
                               "barcode,notes,name\r\n"
                               "A-001,\"one, two\",x\r\n"
                               "A-002,\"say \"\"hi\"\"\",\r\n"
                               "\r\n"
                               "A-003,\"line one\nline two\",z\r\n"
                               "A-004,,w";
        const auto t = parseCsv(csv, &error);
        QVERIFY2(t, qPrintable(error));
        QCOMPARE(t->delimiter, QLatin1Char(','));
        QCOMPARE(t->header, (QStringList{QStringLiteral("barcode"), QStringLiteral("notes"),
                                         QStringLiteral("name")}));
        QCOMPARE(t->records.size(), 4);
        QCOMPARE(t->records[0][1], QStringLiteral("one, two"));
        QCOMPARE(t->records[1][1], QStringLiteral("say \"hi\""));
        QCOMPARE(t->records[1][2], QString());
        QCOMPARE(t->records[2][1], QStringLiteral("line one\nline two"));
        QCOMPARE(t->records[3],
                 (QStringList{QStringLiteral("A-004"), QString(), QStringLiteral("w")}));
        QCOMPARE(t->lines,
                 (QList<int>{2, 3, 5, 7})); // the quoted newline moves the next record down

        // Semicolons (a German spreadsheet) with decimal commas; UTF-8 without BOM.
        const auto semi = parseCsv("barcode;mass_mg;name\nB-1;12,5;Probe Müller\n", &error);
        QVERIFY2(semi, qPrintable(error));
        QCOMPARE(semi->delimiter, QLatin1Char(';'));
        QCOMPARE(semi->records[0][1], QStringLiteral("12,5"));
        QCOMPARE(semi->records[0][2], QStringLiteral("Probe Müller"));
        const SampleBatch b = batchOf("barcode;mass_mg;name\nB-1;12,5;Probe Müller\n");
        QCOMPARE(b.validCount(), 1);
        QCOMPARE(b.cell(0, 2), QStringLiteral("Probe Müller"));
        QCOMPARE(b.sample(0)
                     .value(QLatin1StringView("metadata"))
                     .toObject()
                     .value(QLatin1StringView("mass_mg"))
                     .toDouble(),
                 12.5);
    }

    void refusesBrokenFiles_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QString>("error");
        QTest::newRow("unclosed quote") << QByteArray("barcode,name\nA-1,\"open\nA-2,x\n")
                                        << "Line 2, column 2: a quoted value is never closed";
        QTest::newRow("text after quote") << QByteArray("barcode,name\nA-1,\"x\"y\n")
                                          << "Line 2, column 2: text after a closing quote; a "
                                             "quote inside a quoted value is written twice (\"\")";
        QTest::newRow("quote inside") << QByteArray("barcode,name\nA-1,ab\"c\n")
                                      << "Line 2, column 2: a quote in the middle of a value; "
                                         "quote the whole value and write the quote twice (\"\")";
        QTest::newRow("not utf-8") << QByteArray("barcode,name\nA-1,ok\nA-2,M\xfcller\n")
                                   << "Line 3 is not UTF-8 text. Save the file as \"CSV UTF-8\".";
        QTest::newRow("empty") << QByteArray("\n\n") << "The file is empty";
    }
    void refusesBrokenFiles()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QString, error);
        QString why;
        QVERIFY(!parseCsv(csv, &why));
        QCOMPARE(why, error);
        // The checking path reads with the same reader and says the same.
        QCOMPARE(SampleBatch::check(csv, sampleForm()).readError(), error);
    }

    // Beyond parseCsv's limits a file is refused before it is held in memory. (The import
    // checks as it reads and has its own, smaller limits: see the row limit tests.)
    void parseCsvRefusesFilesBeyondItsLimits_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QString>("error");
        QTest::newRow("too many columns")
            << QByteArray("barcode,name\nA-1,") + QByteArray(CsvTable::kMaxColumns, ',') + "\n"
            << "Line 2 has more than 1000 columns";
        QByteArray manyRows = "barcode\n";
        for (int i = 0; i < CsvTable::kMaxRecords; ++i)
            manyRows += "A-" + QByteArray::number(i) + "\n";
        QTest::newRow("too many rows")
            << manyRows << "The file has more than 10000 rows (line 10001)";
        QTest::newRow("too large") << QByteArray(CsvTable::kMaxBytes + 1, 'a')
                                   << "The file has 16777217 bytes; a CSV file of at most "
                                      "16777216 bytes is read";
    }
    void parseCsvRefusesFilesBeyondItsLimits()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QString, error);
        QString why;
        QVERIFY(!parseCsv(csv, &why));
        QCOMPARE(why, error);
    }

    void reportsEveryRowErrorWithLineColumnAndReason()
    {
        const QByteArray csv = "barcode,name,mass_mg,form,containers,received,hazardous\n"
                               "A-001,ok,12.5,powder,1,2024-03-01,no\n"        // line 2: valid
                               "a b,bad barcode,12.5,powder,1,,\n"             // 3
                               "A-003,heavy,60000,powder,1,,\n"                // 4
                               "A-004,fine,12.345,powder,1,,\n"                // 5
                               "A-005,odd form,1,gel,1,,\n"                    // 6
                               "A-006,many,1,powder,99,,\n"                    // 7
                               "A-007,when,1,powder,1,2024-13-01,\n"           // 8
                               "A-008,danger,1,powder,1,,perhaps\n"            // 9
                               ",no barcode,1,powder,1,,\n"                    // 10
                               "A-001,again,1,powder,1,,\n"                    // 11
                               "A-012,short row,1\n"                           // 12
                               "A-013,\"multi\nline name\",1,pellet,2,,yes\n"; // 13-14: valid
        const SampleBatch b = batchOf(csv);
        QVERIFY(b.fileErrors().isEmpty());
        QCOMPARE(b.rowCount(), 12);
        const QList<CsvIssue> expected{
            {2, 1, QStringLiteral("barcode"),
             QStringLiteral("Barcode \"A-001\" is also on line 11")},
            {3, 1, QStringLiteral("barcode"),
             QStringLiteral(
                 "3 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit")},
            {4, 3, QStringLiteral("mass_mg"), QStringLiteral("Must be at most 50000 mg")},
            {5, 3, QStringLiteral("mass_mg"), QStringLiteral("At most 2 decimal place(s)")},
            {6, 4, QStringLiteral("form"),
             QStringLiteral("Not one of: powder, pellet, film, liquid, crystal")},
            {7, 5, QStringLiteral("containers"), QStringLiteral("Must be at most 24")},
            {8, 6, QStringLiteral("received"),
             QStringLiteral("Not a date (YYYY-MM-DD): \"2024-13-01\"")},
            {9, 7, QStringLiteral("hazardous"), QStringLiteral("Not yes or no: \"perhaps\"")},
            {10, 1, QStringLiteral("barcode"), QStringLiteral("Required")},
            {11, 1, QStringLiteral("barcode"),
             QStringLiteral("Barcode \"A-001\" is also on line 2")},
            {12, 0, QString(), QStringLiteral("3 value(s); the header has 7 column(s)")},
        };
        const QList<CsvIssue> issues = b.issues();
        for (int i = 0; i < std::min(issues.size(), expected.size()); ++i) {
            QCOMPARE(issues[i].line, expected[i].line);
            QCOMPARE(issues[i].column, expected[i].column);
            QCOMPARE(issues[i].columnName, expected[i].columnName);
            QCOMPARE(issues[i].reason, expected[i].reason);
        }
        QCOMPARE(issues.size(), expected.size());
        QCOMPARE(b.validCount(), 1); // line 13 (line 2 is a duplicate)
        QCOMPARE(b.invalidCount(), 11);
        QVERIFY(b.cellBad(2, 2)); // the mass cell of line 4 is the marked one
        QVERIFY(!b.cellBad(2, 0));
        QVERIFY(b.rowBad(10)); // line 12, the short row
        QCOMPARE(b.cells(10), (QStringList{QStringLiteral("A-012"), QStringLiteral("short row"),
                                           QStringLiteral("1")}));

        // All or nothing: with any invalid row there is no "all".
        QVERIFY(!b.allSamples());
        const QJsonArray valid = b.validSamples();
        QCOMPARE(valid.size(), 1);
        const QJsonObject s = valid[0].toObject();
        QCOMPARE(s.value(QLatin1StringView("barcode")).toString(), QStringLiteral("A-013"));
        QCOMPARE(s.value(QLatin1StringView("name")).toString(), QStringLiteral("multi\nline name"));
        const QJsonObject metadata = s.value(QLatin1StringView("metadata")).toObject();
        QCOMPARE(metadata.value(QLatin1StringView("containers")).toInteger(), 2);
        QCOMPARE(metadata.value(QLatin1StringView("hazardous")).toBool(), true);
        QCOMPARE(metadata.value(QLatin1StringView("form")).toString(), QStringLiteral("pellet"));
    }

    void fileLevelProblemsBlockEverything()
    {
        SampleBatch b = batchOf("name,colour\nx,red\n");
        QCOMPARE(b.fileErrors(),
                 (QStringList{
                     QStringLiteral(
                         "Column 2 \"colour\" is not a field of the sample form (barcode, name, "
                         "project, composition, mass_mg, form, containers, received, "
                         "hazardous, notes); rename or remove it so nothing is lost"),
                     QStringLiteral("The required column \"barcode\" is missing")}));
        QVERIFY(!b.allSamples());
        QVERIFY(b.validSamples().isEmpty());
        b = batchOf(rows(1001));
        QCOMPARE(b.fileErrors(),
                 QStringList{QStringLiteral("The file has more than 1000 rows; at most 1000 in "
                                            "one import. Split the file.")});
        QCOMPARE(b.rowCount(), 1000); // the rows past the limit are not read
        QVERIFY(b.validSamples().isEmpty());
        b = batchOf("barcode,name\n");
        QCOMPARE(b.fileErrors(), QStringList{QStringLiteral("The file has a header but no rows")});
        // Labels work as headers too, case-insensitively; defaults fill missing columns.
        b = batchOf("BARCODE,Mass (mg)\nQ-1,3\n");
        QVERIFY(b.fileErrors().isEmpty());
        QCOMPARE(b.validCount(), 1);
        const QJsonObject md =
            b.validSamples()[0].toObject().value(QLatin1StringView("metadata")).toObject();
        QCOMPARE(md.value(QLatin1StringView("mass_mg")).toDouble(), 3.0);
        QCOMPARE(md.value(QLatin1StringView("form")).toString(), QStringLiteral("powder"));
        QVERIFY(b.allSamples());
        QCOMPARE(b.allSamples()->size(), 1);
    }

    // The whole file on the worker the dialog uses, the limit raised so that every one of the
    // 440,000 rows is checked: the UI thread's 10 ms timer keeps firing, the progress counts
    // move, and the one bad row is reported by its line while the other rows stay importable.
    void checksALargeFileWithTheEventLoopLive()
    {
        const int badRow = 250000;
        QTemporaryFile file;
        const QString path = writeTemporary(file, bigFile(badRow));
        QVERIFY(QFileInfo(path).size() < CsvCheckJob::kMaxFileBytes);
        CsvCheckJob job(sampleForm(), kBigRows + 1);
        QSignalSpy finished(&job, &CsvCheckJob::finished);
        int ticks = 0, rowsSeenMidway = 0;
        QTimer timer;
        timer.setInterval(10);
        connect(&timer, &QTimer::timeout, this, [&] {
            ++ticks;
            if (job.running() && job.rowsDone() > 0 && job.rowsDone() < kBigRows)
                rowsSeenMidway = job.rowsDone();
        });
        timer.start();
        job.startFile(path);
        QVERIFY(job.running());
        QVERIFY(finished.wait(60000));
        timer.stop();
        QVERIFY2(ticks >= 20, qPrintable(QStringLiteral("%1 ticks").arg(ticks)));
        QVERIFY(rowsSeenMidway > 0); // the progress moved while the check ran
        QVERIFY(job.ioError().isEmpty());
        const SampleBatch &b = job.batch();
        QVERIFY(b.fileErrors().isEmpty());
        QCOMPARE(b.rowCount(), kBigRows);
        QCOMPARE(b.invalidCount(), 1);
        QCOMPARE(b.issues().size(), 1);
        QCOMPARE(b.issues().first(), (CsvIssue{badRow + 2, 4, QStringLiteral("mass_mg"),
                                               QStringLiteral("Must be at least 0.1 mg")}));
        QVERIFY(b.cellBad(badRow, 3));
        QCOMPARE(b.lineOf(kBigRows - 1), kBigRows + 1);
        QCOMPARE(b.cell(kBigRows - 1, 0), QStringLiteral("L-439999"));
        QVERIFY(!b.allSamples()); // all or nothing: not all
        QCOMPARE(b.validCount(), kBigRows - 1);
        QVERIFY(!b.rowValid(badRow));
        QVERIFY(b.rowValid(badRow + 1));
        QCOMPARE(b.sample(badRow + 1).value(QLatin1StringView("barcode")).toString(),
                 QStringLiteral("L-250001"));
    }

    void cancelStopsTheWorker()
    {
        QTemporaryFile file;
        const QString path = writeTemporary(file, bigFile());
        CsvCheckJob job(sampleForm(), kBigRows + 1);
        QSignalSpy finished(&job, &CsvCheckJob::finished);
        job.startFile(path);
        QTRY_VERIFY(job.rowsDone() > 1000);
        QElapsedTimer sinceCancel;
        sinceCancel.start();
        job.cancel();
        QVERIFY(finished.wait(5000));
        qInfo("the worker ended %lld ms after the cancel, at row %d", sinceCancel.elapsed(),
              job.rowsDone());
        QVERIFY(!job.running());
        QVERIFY(job.batch().cancelled());
        QVERIFY(job.rowsDone() < kBigRows);
        QVERIFY(!job.batch().importable());
        QVERIFY(job.batch().validSamples().isEmpty());
    }

    // The dialog's own limit: 1,000 rows, the registrar's most per request. A file of 440,000
    // is refused naming the limit, after reading 1,001 rows.
    void dialogRefusesAFileOverTheRowLimit()
    {
        QTemporaryFile file;
        const QString path = writeTemporary(file, bigFile());
        ConsoleSession session;
        session.setIdentity(QStringLiteral("tina"), Role::Technician, {});
        CsvImportDialog dialog(&session, nullptr);
        dialog.loadFile(path);
        QVERIFY(dialog.checking());
        QVERIFY(!dialog.progressBar()->isHidden());
        QVERIFY(!dialog.cancelButton()->isHidden());
        QTRY_VERIFY(!dialog.checking());
        QCOMPARE(dialog.summary()->text(),
                 QStringLiteral("This file cannot be imported: The file has more than 1000 rows; "
                                "at most 1000 in one import. Split the file."));
        QCOMPARE(dialog.batch().rowCount(), SampleBatch::kMaxRows);
        QVERIFY(!dialog.importAllButton()->isEnabled());
        QVERIFY(!dialog.importValidButton()->isEnabled());
        QVERIFY(dialog.progressBar()->isHidden());
        QVERIFY(dialog.cancelButton()->isHidden());
        QVERIFY(!dialog.workerRunning());

        // A file that cannot be read is named with the reason, on the worker too.
        const QString missing = path + QStringLiteral(".missing");
        dialog.loadFile(missing);
        QTRY_VERIFY(!dialog.checking());
        QCOMPARE(dialog.summary()->text(),
                 QStringLiteral("Cannot read %1: No such file or directory").arg(missing));
        QCOMPARE(dialog.batch().rowCount(), 0);
        QVERIFY(!dialog.importAllButton()->isEnabled());
    }

    // Cancel leaves the dialog usable at once; the next file is checked as usual. Closing or
    // destroying the dialog in the middle of a check ends its worker.
    void dialogCancelAndCloseMidCheck()
    {
        QTemporaryFile file;
        const QString path = writeTemporary(file, bigFile());
        ConsoleSession session;
        session.setIdentity(QStringLiteral("tina"), Role::Technician, {});
        {
            CsvImportDialog dialog(&session, nullptr);
            dialog.loadFile(path);
            QVERIFY(dialog.checking());
            QVERIFY(dialog.workerRunning());
            if (const QString dir = qEnvironmentVariable("ALABOS_GRAB_DIR"); !dir.isEmpty()) {
                dialog.show(); // a picture of the check under way for a person to look at
                dialog.grab().save(dir + QStringLiteral("/csvimport-checking.png"));
            }
            dialog.cancelButton()->click();
            QVERIFY(!dialog.checking());
            QVERIFY(dialog.cancelled());
            QCOMPARE(dialog.summary()->text(),
                     QStringLiteral("Check of %1 cancelled; nothing was imported. Choose the "
                                    "file again to check it.")
                         .arg(QFileInfo(path).fileName()));
            QVERIFY(dialog.cancelButton()->isHidden());
            QTRY_VERIFY_WITH_TIMEOUT(!dialog.workerRunning(), 2000);
            QCOMPARE(dialog.batch().rowCount(), 0);
            dialog.loadBytes(rows(5, "NEXT"), QStringLiteral("next.csv"));
            QVERIFY(!dialog.cancelled());
            QTRY_VERIFY(!dialog.checking());
            QCOMPARE(dialog.summary()->text(),
                     QStringLiteral("All 5 rows are valid (not checked against the registry: no "
                                    "database here; the lab refuses duplicates)."));
            QVERIFY(dialog.importAllButton()->isEnabled());
        }
        {
            CsvImportDialog dialog(&session, nullptr);
            dialog.show();
            dialog.loadFile(path);
            QVERIFY(dialog.workerRunning());
            dialog.close();
            QVERIFY(!dialog.checking());
            QTRY_VERIFY_WITH_TIMEOUT(!dialog.workerRunning(), 2000);
        }
        {
            // Destroyed mid-check: the destructor waits for the worker, which stops at once.
            auto *dialog = new CsvImportDialog(&session, nullptr);
            dialog->loadFile(path);
            QVERIFY(dialog->workerRunning());
            QElapsedTimer destroying;
            destroying.start();
            delete dialog;
            QVERIFY2(destroying.elapsed() < 1000,
                     qPrintable(QStringLiteral("%1 ms").arg(destroying.elapsed())));
        }
    }

    // The dialog with the real registry: one batched check, the already registered rows
    // marked, "import all" disabled, "valid rows only" writes exactly those rows.
    void dialogChecksTheRegistryAndImportsAllOrTheValidRows()
    {
        QVERIFY2(TestDatabase::instance().error().isEmpty(),
                 qPrintable(TestDatabase::instance().error()));
        const QString conn = TestDatabase::instance().createDatabase();
        QThread thread;
        std::atomic<qint64> nextId{1};
        auto *registrar = new SampleRegistrar(conn, [&](int n) { return nextId.fetch_add(n); });
        registrar->moveToThread(&thread);
        thread.start();
        DatabaseReader reader({conn});
        ConsoleServices services;
        services.reader = &reader;
        ConsoleSession session;
        connect(&session, &ConsoleSession::commandIssued, registrar, &SampleRegistrar::handle);
        connect(registrar, &SampleRegistrar::replied, &session, &ConsoleSession::onReply);
        session.setIdentity(QStringLiteral("tina"), Role::Technician, {});

        {
            CsvImportDialog dialog(&session, &services);
            // 300 clean rows: "import all" once the registry answered.
            QTemporaryFile file;
            QVERIFY(file.open());
            file.write(rows(300));
            file.close();
            dialog.loadFile(file.fileName());
            QVERIFY(dialog.checking());
            QVERIFY(!dialog.importAllButton()->isEnabled());
            QTRY_VERIFY(!dialog.checking());
            QCOMPARE(dialog.summary()->text(),
                     QStringLiteral("All 300 rows are valid and none is registered yet."));
            QVERIFY(dialog.importAllButton()->isEnabled());
            QVERIFY(!dialog.importValidButton()->isEnabled());
            dialog.importAllButton()->click();
            QTRY_COMPARE(dialog.summary()->text(), QStringLiteral("Registered 300 sample(s)"));
            QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM samples")),
                     QStringLiteral("300"));
            QVERIFY(!dialog.importAllButton()->isEnabled()); // done: a second click would only fail
        }
        {
            // 150 rows: 45 registered above, 5 with a bad mass (2 of them also registered).
            QByteArray csv = "barcode,name,mass_mg\n";
            for (int i = 256; i <= 405; ++i)
                csv += "LFP-" + QByteArray::number(i).rightJustified(4, '0') + ",n," +
                       (i % 30 == 0 ? "-1" : "7") + "\n";
            CsvImportDialog dialog(&session, &services);
            dialog.loadBytes(csv, QStringLiteral("mixed.csv"));
            QTRY_VERIFY(!dialog.checking());
            const SampleBatch &b = dialog.batch();
            QCOMPARE(b.rowCount(), 150);
            int registered = 0, badMass = 0;
            for (const CsvIssue &i : b.issues()) {
                registered += i.reason.endsWith(QLatin1StringView("is already registered")) ? 1 : 0;
                badMass += i.reason == QLatin1StringView("Must be at least 0.1 mg") ? 1 : 0;
            }
            QCOMPARE(registered, 45); // LFP-0256..0300
            QCOMPARE(badMass, 5);     // 270, 300, 330, 360, 390 (270 and 300 also registered)
            QCOMPARE(b.issues().first(),
                     (CsvIssue{2, 1, QStringLiteral("barcode"),
                               QStringLiteral("Barcode \"LFP-0256\" is already registered")}));
            QCOMPARE(b.invalidCount(), 48);
            QCOMPARE(dialog.issueTable()->rowCount(), 50);
            QCOMPARE(dialog.preview()->model()->rowCount(), 150);
            QCOMPARE(dialog.preview()->model()->index(0, 1).data(Qt::ToolTipRole).toString(),
                     QStringLiteral("Barcode \"LFP-0256\" is already registered"));
            QCOMPARE(
                dialog.preview()->model()->index(0, 1).data(Qt::BackgroundRole).value<QColor>(),
                QColor(0xff, 0xcd, 0xd2)); // the bad cell
            QCOMPARE(
                dialog.preview()->model()->index(0, 2).data(Qt::BackgroundRole).value<QColor>(),
                QColor(0xff, 0xf1, 0xf1)); // the rest of its row
            QVERIFY(!dialog.preview()
                         ->model()
                         ->index(45, 2)
                         .data(Qt::BackgroundRole)
                         .isValid()); // LFP-0301, valid
            // Nothing partial unless chosen: "import all" is off, "valid rows only" is on.
            QVERIFY(!dialog.importAllButton()->isEnabled());
            QVERIFY(dialog.importValidButton()->isEnabled());
            QCOMPARE(dialog.importValidButton()->text(),
                     QStringLiteral("Import 102 valid rows only…"));
            QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM samples")),
                     QStringLiteral("300"));
            if (const QString dir = qEnvironmentVariable("ALABOS_GRAB_DIR"); !dir.isEmpty()) {
                dialog.show(); // a picture for a person to look at
                dialog.grab().save(dir + QStringLiteral("/csvimport.png"));
            }
            dialog.importValidRows();
            QTRY_COMPARE(dialog.summary()->text(), QStringLiteral("Registered 102 sample(s)"));
            QCOMPARE(queryValue(conn, QStringLiteral("SELECT count(*) FROM samples")),
                     QStringLiteral("402"));
            QCOMPARE(queryValue(
                         conn,
                         QStringLiteral("SELECT count(*) FROM samples WHERE barcode = 'LFP-0330'")),
                     QStringLiteral("0"));
        }
        {
            // An operator sees the file checked but cannot import.
            session.setIdentity(QStringLiteral("olga"), Role::Operator, {});
            CsvImportDialog dialog(&session, &services);
            dialog.loadBytes(rows(5, "NEW"), QStringLiteral("new.csv"));
            QTRY_VERIFY(!dialog.checking());
            QVERIFY(!dialog.importAllButton()->isEnabled());
            QCOMPARE(dialog.importAllButton()->toolTip(),
                     QStringLiteral("Your role may not register samples (needs sample_register)"));
        }
        QMetaObject::invokeMethod(
            registrar, [registrar] { delete registrar; }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
};

QTEST_MAIN(TstCsvImport)
#include "tst_csvimport.moc"
