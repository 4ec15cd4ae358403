#pragma once
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace alabos {

class DeviceFilterProxy;
class LabModels;

// The fleet: a tile grid coloured by status and a table, both views of one model through
// one filter (type, status, text), with counts by status.
class DevicesPanel : public QWidget
{
    Q_OBJECT
public:
    DevicesPanel(LabModels *models, QWidget *parent = nullptr);

    QListView *tileView() const { return m_tiles; }
    QTableView *tableView() const { return m_table; }
    QWidget *labSetup() const { return m_setup; }
    DeviceFilterProxy *filter() const { return m_filter; }
    void showTiles(bool tiles);

Q_SIGNALS:
    void deviceActivated(const QString &deviceId);
    // From the lab setup shown while the lab has no device.
    void addDeviceRequested();
    void exportLabRequested();

private:
    void refreshSummary();
    void refreshTypes();
    void fitHeaders();

    LabModels *m_models;
    DeviceFilterProxy *m_filter;
    QComboBox *m_type;
    QComboBox *m_status;
    QLineEdit *m_text;
    QToolButton *m_tilesButton;
    QLabel *m_summary;
    QStackedWidget *m_stack;
    QListView *m_tiles;
    QTableView *m_table;
    QWidget *m_setup; // a lab without devices: how to set it up
};

} // namespace alabos
