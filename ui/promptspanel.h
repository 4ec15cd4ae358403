#pragma once
#include "core/domain/types.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QVBoxLayout;

namespace alabos {

class ConsoleSession;
class LabModels;
struct FeedUpdate;

// Questions tasks ask operators ("load tray 3 into furnace 2"): each open prompt with its
// options as buttons and a note field. Answers go to the engine with the user; a new
// prompt is noticed even when the window is in the background.
class PromptsPanel : public QWidget
{
    Q_OBJECT
public:
    PromptsPanel(LabModels *models, ConsoleSession *session, QWidget *parent = nullptr);
    int openCount() const { return int(m_open.size()); }

Q_SIGNALS:
    void openPromptsChanged(int count, bool newOne);

private:
    void apply(const FeedUpdate &update);
    void rebuild();
    void answer(qint64 id, const QString &option);

    ConsoleSession *m_session;
    QHash<qint64, PromptState> m_open;
    QHash<qint64, QLineEdit *> m_notes;
    QWidget *m_list;
    QVBoxLayout *m_listLayout;
    QLabel *m_empty;
};

} // namespace alabos
