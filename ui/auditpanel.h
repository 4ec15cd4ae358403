#pragma once
// The audit trail (audit_log): who did what, from which host, newest first, with filters
// (user, action, text, days) and a CSV export whose cells a spreadsheet never runs as
// formulas. Read on the database worker thread; the window never waits.
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStandardItemModel;
class QTableView;

namespace alabos {

class DatabaseReader;

class AuditPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kMaxRows = 5000;

    explicit AuditPanel(DatabaseReader *reader, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QStandardItemModel *model() const { return m_model; }
    QLineEdit *userFilter() const { return m_user; }
    QLineEdit *textFilter() const { return m_text; }
    QComboBox *actionFilter() const { return m_action; }
    QLabel *status() const { return m_status; }

public Q_SLOTS:
    void refresh();
    // Writes the rows shown; the error, empty when written.
    QString exportCsv(const QString &path) const;

Q_SIGNALS:
    void refreshed(int rows);

private:
    DatabaseReader *m_reader;
    QLineEdit *m_user;
    QComboBox *m_action;
    QLineEdit *m_text;
    QSpinBox *m_days;
    QPushButton *m_refresh;
    QPushButton *m_export;
    QLabel *m_status;
    QTableView *m_view;
    QStandardItemModel *m_model;
};

} // namespace alabos
