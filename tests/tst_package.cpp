// The Debian package, against the real tools: cpack builds it from the built tree, lintian,
// appstreamcli and desktop-file-validate accept it, its manual page names exactly the flags of
// `alabos --help`, and (as root or with passwordless sudo) it installs, runs a headless lab as
// the alabos user, installs again over itself and purges without leaving anything behind.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

namespace {
struct Run
{
    int code = -1; // -1: did not start or did not finish in time
    QString out;   // standard output and error together
};

Run run(const QStringList &command, int timeoutMs = 120000,
        const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setProcessEnvironment(env);
    p.start(command.first(), command.mid(1));
    Run r;
    if (!p.waitForStarted()) {
        r.out = QStringLiteral("cannot start %1: %2").arg(command.first(), p.errorString());
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.out = QString::fromUtf8(p.readAll()) + QStringLiteral("\n(timed out)");
        return r;
    }
    r.out = QString::fromUtf8(p.readAll());
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// The long flags of `alabos --help`: every option line starts with "-x, --name" or "--name".
QSet<QString> helpFlags(const QString &help)
{
    QSet<QString> flags;
    static const QRegularExpression line(
        QStringLiteral("^\\s+(?:-[a-zA-Z], )?--([a-z0-9][a-z0-9-]*)"),
        QRegularExpression::MultilineOption);
    for (auto it = line.globalMatch(help); it.hasNext();)
        flags << it.next().captured(1);
    return flags;
}

// The long flags the manual page's OPTIONS section describes: the tag line of each .TP entry.
QSet<QString> manPageFlags(const QString &page)
{
    const qsizetype start = page.indexOf(QStringLiteral("\n.SH OPTIONS"));
    const qsizetype end = page.indexOf(QStringLiteral("\n.SH "), start + 1);
    const QStringList lines = page.mid(start, end - start).split(u'\n');
    QSet<QString> flags;
    static const QRegularExpression flag(QStringLiteral("\\\\-\\\\-([a-z0-9][a-z0-9\\\\-]*)"));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (lines[i - 1] != QLatin1StringView(".TP")) continue;
        for (auto it = flag.globalMatch(lines[i]); it.hasNext();)
            flags << it.next().captured(1).remove(u'\\');
    }
    return flags;
}

QString sorted(const QSet<QString> &set)
{
    QStringList list(set.begin(), set.end());
    list.sort();
    return list.join(QStringLiteral(", "));
}
} // namespace

class TstPackage : public QObject
{
    Q_OBJECT
    QString m_bin;
    QString m_version; // of the built alabos
    QTemporaryDir m_work{QStringLiteral("/tmp/alabos-package-XXXXXX")};
    QString m_deb;       // the package cpack built
    QString m_extracted; // its files, unpacked
    QStringList m_sudo;  // empty as root, {"sudo", "-n"} with passwordless sudo

    // dpkg's status of the alabos package ("install ok installed"...); empty when dpkg has no
    // record of it.
    QString status()
    {
        const Run r = run({QStringLiteral("dpkg-query"), QStringLiteral("-W"),
                           QStringLiteral("-f=${Status}"), QStringLiteral("alabos")});
        return r.code == 0 ? r.out.trimmed() : QString();
    }
    bool installed() { return status() == QLatin1StringView("install ok installed"); }
    // Anything of the package left for a purge: installed, unpacked, half-configured, or its
    // config files.
    bool present()
    {
        const QString s = status();
        return !s.isEmpty() && !s.endsWith(QLatin1StringView("not-installed"));
    }
    // dpkg as root; waits while another dpkg or apt holds the lock.
    Run dpkg(const QStringList &args)
    {
        Run r;
        for (int attempt = 0; attempt < 30; ++attempt) {
            r = run(m_sudo + QStringList{QStringLiteral("dpkg")} + args, 300000);
            if (r.code == 0 || !r.out.contains(QStringLiteral("lock"))) return r;
            QTest::qWait(2000);
        }
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_bin = qEnvironmentVariable("ALABOS_BIN");
        if (m_bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
        const Run version = run({m_bin, QStringLiteral("--version")});
        QCOMPARE(version.code, 0);
        m_version = version.out.trimmed().section(u' ', 1);
        QVERIFY2(!m_version.isEmpty(), qPrintable(version.out));
        QVERIFY(m_work.isValid());
        // The alabos user must reach the data directory below it.
        QFile::setPermissions(m_work.path(), QFile::ReadOwner | QFile::WriteOwner |
                                                 QFile::ExeOwner | QFile::ReadGroup |
                                                 QFile::ExeGroup | QFile::ReadOther |
                                                 QFile::ExeOther);

        // cpack from the built tree, into a directory of its own: no second build.
        const Run cpack =
            run({QStringLiteral(ALABOS_CPACK), QStringLiteral("-G"), QStringLiteral("DEB"),
                 QStringLiteral("--config"), QStringLiteral(ALABOS_BUILD_DIR "/CPackConfig.cmake"),
                 QStringLiteral("-B"), m_work.path() + QStringLiteral("/out")},
                300000);
        QVERIFY2(cpack.code == 0, qPrintable(cpack.out));
        m_deb = m_work.path() + QStringLiteral("/out/alabos_%1_amd64.deb").arg(m_version);
        QVERIFY2(QFileInfo::exists(m_deb), qPrintable(cpack.out));
        m_extracted = m_work.path() + QStringLiteral("/root");
        const Run extract =
            run({QStringLiteral("dpkg-deb"), QStringLiteral("-x"), m_deb, m_extracted});
        QVERIFY2(extract.code == 0, qPrintable(extract.out));

        if (::geteuid() != 0) {
            if (run({QStringLiteral("sudo"), QStringLiteral("-n"), QStringLiteral("true")}).code ==
                0)
                m_sudo = {QStringLiteral("sudo"), QStringLiteral("-n")};
        }
    }

    void packageHoldsWhatAlabosNeeds()
    {
        const QStringList expected{
            QStringLiteral("usr/bin/alabos"),
            QStringLiteral("usr/libexec/alabos/alabos-broker"),
            QStringLiteral("usr/share/applications/org.alabos.Alabos.desktop"),
            QStringLiteral("usr/share/metainfo/org.alabos.Alabos.metainfo.xml"),
            QStringLiteral("usr/share/icons/hicolor/scalable/apps/org.alabos.Alabos.svg"),
            QStringLiteral("usr/share/man/man1/alabos.1.gz"),
            QStringLiteral("usr/share/doc/alabos/copyright"),
            QStringLiteral("usr/share/doc/alabos/changelog.gz"),
            QStringLiteral("lib/systemd/system/alabos.service"),
            QStringLiteral("etc/alabos/alabos.conf"),
            QStringLiteral("usr/share/alabos/examples/labs/bench.json"),
            QStringLiteral("usr/share/alabos/examples/drivers/furnace_driver.py"),
        };
        for (const QString &file : expected)
            QVERIFY2(QFileInfo::exists(m_extracted + u'/' + file), qPrintable(file));
        for (int size : {16, 22, 24, 32, 48, 64, 128, 256}) {
            const QString icon = QStringLiteral("%1/usr/share/icons/hicolor/%2x%2/apps/"
                                                "org.alabos.Alabos.png")
                                     .arg(m_extracted)
                                     .arg(size);
            const QImage image(icon);
            QVERIFY2(image.width() == size && image.height() == size, qPrintable(icon));
        }
        // Not shipped: the benchmark, tests and static libraries.
        QVERIFY(!QFileInfo::exists(m_extracted + QStringLiteral("/usr/bin/alabos-bench")));
        QVERIFY(!QFileInfo::exists(m_extracted + QStringLiteral("/usr/lib")));
        // What alabos runs rather than links is declared.
        const Run depends = run(
            {QStringLiteral("dpkg-deb"), QStringLiteral("-f"), m_deb, QStringLiteral("Depends")});
        for (const QString &dependency :
             {QStringLiteral("postgresql-15"), QStringLiteral("libqt6core6"),
              QStringLiteral("librdkafka1"), QStringLiteral("libjemalloc2"),
              QStringLiteral("python3")})
            QVERIFY2(depends.out.contains(dependency), qPrintable(depends.out));
        const Run conffiles = run(
            {QStringLiteral("dpkg-deb"), QStringLiteral("-I"), m_deb, QStringLiteral("conffiles")});
        QCOMPARE(conffiles.out.trimmed(), QStringLiteral("/etc/alabos/alabos.conf"));
    }

    void lintianFindsNoError()
    {
        const Run lintian =
            run({QStringLiteral("lintian"), QStringLiteral("--no-tag-display-limit"),
                 QStringLiteral("-L"), QStringLiteral(">=info"), m_deb},
                300000);
        QVERIFY2(lintian.code != -1, qPrintable(lintian.out));
        QStringList errors;
        for (const QString &line : lintian.out.split(u'\n')) {
            if (line.startsWith(QLatin1StringView("E:")))
                errors << line;
            else if (line.startsWith(QLatin1StringView("W:")) ||
                     line.startsWith(QLatin1StringView("I:")))
                qInfo("lintian: %s", qPrintable(line));
        }
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    }

    void metadataValidates()
    {
        const Run appstream = run(
            {QStringLiteral("appstreamcli"), QStringLiteral("validate"), QStringLiteral("--no-net"),
             m_extracted + QStringLiteral("/usr/share/metainfo/org.alabos.Alabos.metainfo.xml")});
        QVERIFY2(appstream.code == 0, qPrintable(appstream.out));
        const Run desktop = run(
            {QStringLiteral("desktop-file-validate"),
             m_extracted + QStringLiteral("/usr/share/applications/org.alabos.Alabos.desktop")});
        QVERIFY2(desktop.code == 0 && desktop.out.trimmed().isEmpty(), qPrintable(desktop.out));
    }

    void versionIsTheSameEverywhere()
    {
        const QString metainfo =
            readText(QStringLiteral(ALABOS_SOURCE_DIR "/packaging/org.alabos.Alabos.metainfo.xml"));
        const auto release =
            QRegularExpression(QStringLiteral("<release version=\"([^\"]+)\"")).match(metainfo);
        QCOMPARE(release.captured(1), m_version);
        const QString man = readText(QStringLiteral(ALABOS_SOURCE_DIR "/packaging/alabos.1"));
        QVERIFY2(man.contains(QStringLiteral("\"alabos %1\"").arg(m_version)),
                 "the .TH line of packaging/alabos.1 names another version");
        const QString changelog =
            readText(QStringLiteral(ALABOS_SOURCE_DIR "/packaging/changelog"));
        QVERIFY2(changelog.startsWith(QStringLiteral("alabos (%1)").arg(m_version)),
                 "packaging/changelog's newest entry is of another version");
        const Run field = run(
            {QStringLiteral("dpkg-deb"), QStringLiteral("-f"), m_deb, QStringLiteral("Version")});
        QCOMPARE(field.out.trimmed(), m_version);
    }

    void manPageNamesEveryFlagOfHelp()
    {
        const Run help = run({m_bin, QStringLiteral("--help")});
        QCOMPARE(help.code, 0);
        const QSet<QString> inHelp = helpFlags(help.out);
        QVERIFY2(inHelp.size() > 10, qPrintable(help.out));
        const QSet<QString> inMan =
            manPageFlags(readText(QStringLiteral(ALABOS_SOURCE_DIR "/packaging/alabos.1")));
        QVERIFY2((inHelp - inMan).isEmpty(),
                 qPrintable(QStringLiteral("flags of --help missing from packaging/alabos.1: ") +
                            sorted(inHelp - inMan)));
        QVERIFY2(
            (inMan - inHelp).isEmpty(),
            qPrintable(QStringLiteral("flags in packaging/alabos.1 that --help does not have: ") +
                       sorted(inMan - inHelp)));
    }

    void installsRunsReinstallsAndPurges()
    {
        if (::geteuid() != 0 && m_sudo.isEmpty())
            QSKIP("installing the package needs root or passwordless sudo (sudo -n true failed)");
        if (present())
            QSKIP("an alabos package is installed on this machine already; the test would replace "
                  "it");
        // /var/lib/alabos is also the data directory of alabos run by root: one that is there
        // already is left alone by the purge (unless it is the alabos user's: a service's).
        const QFileInfo stateDir(QStringLiteral("/var/lib/alabos"));
        const bool stateDirWasThere = stateDir.exists();
        if (stateDirWasThere && stateDir.owner() == QLatin1StringView("alabos"))
            QSKIP("/var/lib/alabos holds the data of an alabos service; the purge would delete it");
        const QString home = m_work.path() + QStringLiteral("/home");
        // However this ends, nothing of the package stays installed, and no database server
        // of a run that timed out keeps running (SIGQUIT: PostgreSQL's immediate shutdown).
        struct Purge
        {
            TstPackage *test;
            QString pidFile;
            ~Purge()
            {
                QFile pid(pidFile);
                if (pid.open(QIODevice::ReadOnly))
                    run(test->m_sudo + QStringList{QStringLiteral("kill"), QStringLiteral("-QUIT"),
                                                   QString::fromUtf8(pid.readLine().trimmed())});
                if (test->present())
                    test->dpkg({QStringLiteral("--purge"), QStringLiteral("alabos")});
            }
        } purge{this, home + QStringLiteral("/data/postgres/data/postmaster.pid")};

        const Run install = dpkg({QStringLiteral("-i"), m_deb});
        QVERIFY2(install.code == 0, qPrintable(install.out));
        QVERIFY(installed());
        const Run account =
            run({QStringLiteral("getent"), QStringLiteral("passwd"), QStringLiteral("alabos")});
        QVERIFY2(account.code == 0 && account.out.contains(QStringLiteral(":/var/lib/alabos:")),
                 qPrintable(account.out));
        if (!stateDirWasThere)
            QCOMPARE(QFileInfo(QStringLiteral("/var/lib/alabos")).owner(),
                     QStringLiteral("alabos"));
        // Installed, not enabled: a lab server is started on purpose.
        QVERIFY(!QFileInfo::exists(
            QStringLiteral("/etc/systemd/system/multi-user.target.wants/alabos.service")));
        if (!QStandardPaths::findExecutable(QStringLiteral("systemd-analyze")).isEmpty()) {
            const Run verify = run({QStringLiteral("systemd-analyze"), QStringLiteral("verify"),
                                    QStringLiteral("/lib/systemd/system/alabos.service")});
            QVERIFY2(verify.code == 0, qPrintable(verify.out));
        }

        const Run version = run({QStringLiteral("/usr/bin/alabos"), QStringLiteral("--version")});
        QCOMPARE(version.out.trimmed(), QStringLiteral("alabos %1").arg(m_version));

        // A headless simulated lab as the alabos user: the installed program finds its broker
        // helper in /usr/libexec/alabos and PostgreSQL's initdb through the package's Depends.
        QVERIFY(QDir().mkpath(home));
        const Run chown = run(
            m_sudo + QStringList{QStringLiteral("chown"), QStringLiteral("alabos:alabos"), home});
        QVERIFY2(chown.code == 0, qPrintable(chown.out));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("ALABOS_BROKER_HELPER"));
        env.remove(QStringLiteral("ALABOS_PG_BINDIR"));
        const Run lab =
            run(m_sudo + QStringList{QStringLiteral("runuser"), QStringLiteral("-u"),
                                     QStringLiteral("alabos"), QStringLiteral("--"),
                                     QStringLiteral("env"), QStringLiteral("HOME=") + home,
                                     QStringLiteral("/usr/bin/alabos"),
                                     QStringLiteral("--headless"), QStringLiteral("--simulate"),
                                     QStringLiteral("demo"), QStringLiteral("--devices"),
                                     QStringLiteral("20"), QStringLiteral("--run-for"),
                                     QStringLiteral("10"), QStringLiteral("--data-dir"),
                                     home + QStringLiteral("/data"), QStringLiteral("--no-fsync"),
                                     // Its API on a free port: tests run side by side.
                                     QStringLiteral("--api-listen"), QStringLiteral("127.0.0.1:0")},
                180000, env);
        QVERIFY2(lab.code == 0, qPrintable(lab.out));
        QVERIFY2(lab.out.contains(QStringLiteral("alabos: API http://127.0.0.1:")), qPrintable(lab.out));
        const auto summary =
            QRegularExpression(QStringLiteral("alabos summary: ran [0-9.]+ s with (\\d+) devices; "
                                              "tasks completed (\\d+).*events published (\\d+)"))
                .match(lab.out);
        QVERIFY2(summary.hasMatch(), qPrintable(lab.out));
        QCOMPARE(summary.captured(1).toInt(), 20);
        QVERIFY2(summary.captured(3).toLongLong() > 0, qPrintable(summary.captured(0)));
        qInfo("%s", qPrintable(summary.captured(0)));
        QCOMPARE(QFileInfo(home + QStringLiteral("/data/postgres/data")).owner(),
                 QStringLiteral("alabos"));

        // A second install over the first keeps the administrator's settings.
        const QString conf = QStringLiteral("/etc/alabos/alabos.conf");
        const Run edit =
            run(m_sudo + QStringList{QStringLiteral("sh"), QStringLiteral("-c"),
                                     QStringLiteral("echo '; edited here' >> ") + conf});
        QVERIFY2(edit.code == 0, qPrintable(edit.out));
        const Run again = dpkg({QStringLiteral("-i"), m_deb});
        QVERIFY2(again.code == 0, qPrintable(again.out));
        QVERIFY(readText(conf).contains(QStringLiteral("; edited here")));

        const Run purged = dpkg({QStringLiteral("--purge"), QStringLiteral("alabos")});
        QVERIFY2(purged.code == 0, qPrintable(purged.out));
        QVERIFY2(!present(), qPrintable(status()));
        for (const QString &path :
             {QStringLiteral("/usr/bin/alabos"), QStringLiteral("/usr/libexec/alabos"),
              QStringLiteral("/usr/share/alabos"), QStringLiteral("/usr/share/doc/alabos"),
              QStringLiteral("/usr/share/man/man1/alabos.1.gz"),
              QStringLiteral("/usr/share/applications/org.alabos.Alabos.desktop"),
              QStringLiteral("/lib/systemd/system/alabos.service"), QStringLiteral("/etc/alabos"),
              QStringLiteral(
                  "/var/lib/systemd/deb-systemd-helper-enabled/alabos.service.dsh-also")})
            QVERIFY2(!QFileInfo::exists(path),
                     qPrintable(path + QStringLiteral(" is left after the purge")));
        QCOMPARE(QFileInfo::exists(QStringLiteral("/var/lib/alabos")), stateDirWasThere);
        const Run processes =
            run({QStringLiteral("pgrep"), QStringLiteral("-u"), QStringLiteral("alabos")});
        QVERIFY2(processes.code == 1,
                 qPrintable(QStringLiteral("processes of alabos left: ") + processes.out));
        run(m_sudo + QStringList{QStringLiteral("rm"), QStringLiteral("-rf"), home});
    }
};

QTEST_GUILESS_MAIN(TstPackage)
#include "tst_package.moc"
