// Secrets stay secret: database passwords and Kafka secrets never reach the output, the logs
// or a message, whatever form they come in; the real binary is checked end to end.
#include "core/bus/kafka.h"
#include "core/storage/pgutil.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace alabos;

namespace {
const QString kUnparsable = QStringLiteral("(unparsable connection string)");
} // namespace

class TstSecrets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void passwordsAreMasked_data()
    {
        QTest::addColumn<QString>("conninfo");
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QStringList>("kept"); // settings the redacted form still shows
        QTest::newRow("URL") << QStringLiteral("postgresql://u:s3cretPW@db.example:6432/lab")
                             << QStringLiteral("s3cretPW")
                             << QStringList{
                                    QStringLiteral("user='u'"), QStringLiteral("host='db.example'"),
                                    QStringLiteral("port='6432'"), QStringLiteral("dbname='lab'"),
                                    QStringLiteral("password=***")};
        QTest::newRow("keyword=value")
            << QStringLiteral("host=db user=u password=s3cretPW dbname=lab")
            << QStringLiteral("s3cretPW")
            << QStringList{QStringLiteral("host='db'"), QStringLiteral("password=***")};
        QTest::newRow("quoted keyword=value")
            << QStringLiteral("host=db password='s3cret PW\\'x' dbname=lab")
            << QStringLiteral("s3cret PW")
            << QStringList{QStringLiteral("dbname='lab'"), QStringLiteral("password=***")};
        // %-encoded: neither the encoded nor the decoded password may show.
        QTest::newRow("%-encoded URL")
            << QStringLiteral("postgres://u:s3cret%40PW%2F@h/lab") << QStringLiteral("s3cret")
            << QStringList{QStringLiteral("password=***")};
        QTest::newRow("password in URL query")
            << QStringLiteral("postgresql://u@h/lab?password=s3cretPW&sslmode=require")
            << QStringLiteral("s3cretPW")
            << QStringList{QStringLiteral("sslmode='require'"), QStringLiteral("password=***")};
        QTest::newRow("sslpassword")
            << QStringLiteral("host=h sslkey=/k sslpassword=s3cretPW") << QStringLiteral("s3cretPW")
            << QStringList{QStringLiteral("sslkey='/k'"), QStringLiteral("sslpassword=***")};
    }
    void passwordsAreMasked()
    {
        QFETCH(QString, conninfo);
        QFETCH(QString, secret);
        QFETCH(QStringList, kept);
        const QString redacted = redactedConnectionString(conninfo);
        QVERIFY2(!redacted.contains(secret), qPrintable(redacted));
        for (const QString &setting : kept)
            QVERIFY2(redacted.contains(setting), qPrintable(redacted));
        QVERIFY(connectionStringHoldsPassword(conninfo));
        // What is shown is a connection string libpq reads, with the same settings.
        QCOMPARE(redactedConnectionString(redacted), redacted);
    }

    void noPasswordShownAsGiven_data()
    {
        QTest::addColumn<QString>("conninfo");
        QTest::newRow("URL") << QStringLiteral("postgresql://u@h:5432/lab");
        QTest::newRow("keyword=value")
            << QStringLiteral("host=/tmp/run port=5432 dbname=alabos user=alabos");
        QTest::newRow("passfile") << QStringLiteral("host=h dbname=lab passfile=/home/u/.pgpass");
        QTest::newRow("empty password") << QStringLiteral("host=h password=''");
    }
    void noPasswordShownAsGiven()
    {
        QFETCH(QString, conninfo);
        QCOMPARE(redactedConnectionString(conninfo), conninfo);
        QVERIFY(!connectionStringHoldsPassword(conninfo));
    }

    void garbageIsNeverEchoed_data()
    {
        QTest::addColumn<QString>("conninfo");
        QTest::newRow("bad %-escape after the password")
            << QStringLiteral("postgresql://u:s3cretPW%zz@h/lab");
        QTest::newRow("unterminated quote") << QStringLiteral("host=h password='s3cretPW");
        QTest::newRow("unknown keyword") << QStringLiteral("host=h s3cretPW=1");
        QTest::newRow("no keyword") << QStringLiteral("s3cretPW");
        QTest::newRow("NUL hides the rest")
            << (QStringLiteral("host=h") + QChar(u'\0') + QStringLiteral(" password=s3cretPW"));
    }
    void garbageIsNeverEchoed()
    {
        QFETCH(QString, conninfo);
        QCOMPARE(redactedConnectionString(conninfo), kUnparsable);
        QVERIFY(!connectionStringHoldsPassword(conninfo));
    }

    void kafkaSecretsAreMasked_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("secret");
        for (const char *key :
             {"sasl.password", "ssl.key.password", "ssl.keystore.password", "ssl.key.pem",
              "ssl_key", "sasl.oauthbearer.client.secret", "sasl.oauthbearer.config",
              "sasl.jaas.config", "sasl.oauthbearer.assertion.private.key.passphrase",
              "SASL.Password", " sasl.password "})
            QTest::newRow(key) << QString::fromLatin1(key) << true;
        for (const char *key : {"sasl.username", "ssl.certificate.pem", "security.protocol",
                                "sasl.mechanism", "ssl.ca.location", "client.id"})
            QTest::newRow(key) << QString::fromLatin1(key) << false;
    }
    void kafkaSecretsAreMasked()
    {
        QFETCH(QString, key);
        QFETCH(bool, secret);
        QCOMPARE(isSecretKafkaProperty(key), secret);
        KafkaSettings settings;
        settings.bootstrap = QStringLiteral("h:9092");
        settings.properties.insert(key, QStringLiteral("v4lueXYZ"));
        const QString described = settings.describe();
        QCOMPARE(described.contains(QStringLiteral("v4lueXYZ")), !secret);
        QVERIFY2(described.contains(key + QStringLiteral("=")), qPrintable(described));
    }

    // The real binary with a password on its command line (and in its environment): the
    // connection fails, and the password is in nothing it prints.
    void binaryNeverPrintsThePassword_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("environmentUrl");
        const QString url = QStringLiteral("postgresql://u:s3cretPW@127.0.0.1:1/x");
        QTest::newRow("flag") << QStringList{QStringLiteral("--database-url"), url} << QString();
        QTest::newRow("environment") << QStringList{} << url;
        QTest::newRow("flag, unparsable")
            << QStringList{QStringLiteral("--database-url"),
                           QStringLiteral("postgresql://u:s3cretPW%zz@127.0.0.1:1/x")}
            << QString();
        QTest::newRow("leader, keyword=value")
            << QStringList{QStringLiteral("--database-url"), url,
                           QStringLiteral("--leader-database-url"),
                           QStringLiteral("host=127.0.0.1 port=1 password=s3cretPW")}
            << QString();
    }
    void binaryNeverPrintsThePassword()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, environmentUrl);
        const QString bin = qEnvironmentVariable("ALABOS_BIN");
        if (bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
        QTemporaryDir home;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path()); // no config file
        env.remove(QStringLiteral("ALABOS_DATABASE_URL"));
        if (!environmentUrl.isEmpty())
            env.insert(QStringLiteral("ALABOS_DATABASE_URL"), environmentUrl);
        QProcess alabos;
        alabos.setProcessEnvironment(env);
        alabos.start(bin, QStringList{QStringLiteral("--headless"), QStringLiteral("--simulate"),
                                      QStringLiteral("demo"), QStringLiteral("--data-dir"),
                                      home.path() + QStringLiteral("/data"),
                                      QStringLiteral("--run-for"), QStringLiteral("5")} +
                              args);
        QVERIFY(alabos.waitForFinished(60000));
        const QByteArray output = alabos.readAllStandardOutput() + alabos.readAllStandardError();
        QVERIFY2(alabos.exitCode() != 0, output.constData()); // nothing listens on port 1
        QVERIFY2(!output.isEmpty(), "alabos says why it stops");
        QVERIFY2(!output.contains("s3cretPW"), output.constData());
    }

    // A config file others can read, holding the password: the binary warns once, naming the
    // file, the setting and the fix, and still never prints the password.
    void binaryWarnsOfAConfigFileOthersCanRead()
    {
        const QString bin = qEnvironmentVariable("ALABOS_BIN");
        if (bin.isEmpty()) QSKIP("ALABOS_BIN not set (run through ctest)");
        QTemporaryDir home;
        const QString config = home.path() + QStringLiteral("/alabos.conf");
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("database_url=\"postgresql://u:s3cretPW@127.0.0.1:1/x\"\n");
        file.close();
        QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("ALABOS_DATABASE_URL"));
        QProcess alabos;
        alabos.setProcessEnvironment(env);
        alabos.start(bin, {QStringLiteral("--headless"), QStringLiteral("--simulate"),
                           QStringLiteral("demo"), QStringLiteral("--config"), config,
                           QStringLiteral("--data-dir"), home.path() + QStringLiteral("/data")});
        QVERIFY(alabos.waitForFinished(60000));
        const QByteArray errors = alabos.readAllStandardError();
        const QByteArray output = alabos.readAllStandardOutput() + errors;
        QVERIFY2(!output.contains("s3cretPW"), output.constData());
        const QByteArray warning = "alabos: warning: config file " + QFile::encodeName(config) +
                                   " holds a secret (database_url)";
        QCOMPARE(errors.count(warning), 1);
        QVERIFY2(errors.contains("chmod 600 " + QFile::encodeName(config)), errors.constData());
    }
};

QTEST_GUILESS_MAIN(TstSecrets)
#include "tst_secrets.moc"
