#pragma once
// Starts a Python test server (tests/*.py) as a subprocess on a loopback port and waits
// for its "ready PORT" line.
#include <QProcess>
#include <QTcpServer>
#include <QTest>

namespace test {

inline QString testsDir()
{
    return QStringLiteral(ALABOS_TESTS_DIR);
}

// A port that was free a moment ago (the server binds it with SO_REUSEADDR).
inline quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

class PyServer
{
public:
    PyServer(QString script, quint16 port) : m_script(std::move(script)), m_port(port) {}
    ~PyServer() { kill(); }
    bool start()
    {
        // Debian's python3 with its packages (pymodbus), whatever python3 is first on PATH.
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(QStringLiteral("/usr/bin/python3"),
                        {testsDir() + QLatin1Char('/') + m_script, QString::number(m_port)});
        if (!m_process.waitForStarted(10000)) return false;
        QByteArray out;
        QElapsedTimer t;
        t.start();
        while (!out.contains("ready") && t.elapsed() < 20000) {
            if (m_process.state() == QProcess::NotRunning) return false;
            m_process.waitForReadyRead(200);
            out += m_process.readAllStandardOutput();
        }
        return out.contains("ready");
    }
    void kill()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(10000);
        }
    }
    quint16 port() const { return m_port; }

private:
    QString m_script;
    quint16 m_port;
    QProcess m_process;
};

} // namespace test
