#include "ui/promptspanel.h"

#include "core/bus/statefeed.h"
#include "ui/consolesession.h"
#include "ui/labmodels.h"

#include <QDateTime>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace alabos {

PromptsPanel::PromptsPanel(LabModels *models, ConsoleSession *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_list(new QWidget(this)),
      m_listLayout(new QVBoxLayout(m_list)), m_empty(new QLabel(tr("No open prompts."), this))
{
    setObjectName(QStringLiteral("promptsPanel"));
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_list);
    m_listLayout->addWidget(m_empty);
    m_listLayout->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(scroll);
    connect(models, &LabModels::applied, this, &PromptsPanel::apply);
    connect(session, &ConsoleSession::identityChanged, this, &PromptsPanel::rebuild);
}

void PromptsPanel::apply(const FeedUpdate &update)
{
    if (!update.reset && update.prompts.isEmpty())
        return;
    bool newOne = false;
    if (update.reset)
        m_open.clear();
    for (const PromptState &p : update.prompts) {
        if (p.status == QLatin1StringView("open")) {
            newOne |= !m_open.contains(p.id);
            m_open.insert(p.id, p);
        } else {
            m_open.remove(p.id);
        }
    }
    rebuild();
    Q_EMIT openPromptsChanged(int(m_open.size()), newOne);
}

void PromptsPanel::rebuild()
{
    // Keep notes typed so far across rebuilds.
    QHash<qint64, QString> typed;
    for (auto it = m_notes.cbegin(); it != m_notes.cend(); ++it)
        typed.insert(it.key(), it.value()->text());
    m_notes.clear();
    while (m_listLayout->count() > 0) {
        QLayoutItem *item = m_listLayout->takeAt(0);
        if (QWidget *w = item->widget(); w && w != m_empty) {
            w->setParent(nullptr); // gone from the panel now; deleted once its events are done
            w->deleteLater();
        }
        delete item;
    }
    m_empty->setVisible(m_open.isEmpty());
    m_listLayout->addWidget(m_empty);
    QList<PromptState> prompts = m_open.values();
    std::sort(prompts.begin(), prompts.end(), [](const PromptState &a, const PromptState &b) { return a.id < b.id; });
    const bool allowed = m_session->can(permission::PromptAnswer);
    for (const PromptState &p : prompts) {
        auto *card = new QFrame(m_list);
        card->setObjectName(QStringLiteral("prompt-%1").arg(p.id));
        card->setFrameShape(QFrame::StyledPanel);
        // An amber card in every theme; its own text colour keeps it readable in the dark ones.
        card->setStyleSheet(QStringLiteral("QFrame#prompt-%1 { background: #fff8e1; border: 1px solid #f9a825; border-radius: 4px; } QFrame#prompt-%1 QLabel { color: #1a1a1a; }").arg(p.id));
        auto *v = new QVBoxLayout(card);
        auto *title = new QLabel(card);
        title->setTextFormat(Qt::RichText);
        title->setWordWrap(true);
        QString context = tr("Task %1").arg(p.taskId);
        if (!p.deviceId.isEmpty())
            context += tr(" on %1").arg(p.deviceId.toHtmlEscaped());
        context += QStringLiteral(" · ") + QDateTime::fromMSecsSinceEpoch(p.createdUs / 1000).toString(QStringLiteral("hh:mm:ss"));
        if (p.expiresUs)
            context += tr(" · answer by %1").arg(QDateTime::fromMSecsSinceEpoch(p.expiresUs / 1000).toString(QStringLiteral("hh:mm")));
        title->setText(QStringLiteral("<b>%1</b><br><small>%2</small>").arg(p.message.toHtmlEscaped(), context));
        v->addWidget(title);
        auto *note = new QLineEdit(card);
        note->setPlaceholderText(tr("Note (optional)"));
        note->setText(typed.value(p.id));
        m_notes.insert(p.id, note);
        v->addWidget(note);
        auto *buttons = new QHBoxLayout;
        for (const QString &option : p.options) {
            auto *b = new QPushButton(option, card);
            b->setEnabled(allowed);
            if (!allowed)
                b->setToolTip(tr("Your role may not answer prompts (prompt_answer)"));
            const qint64 id = p.id;
            connect(b, &QPushButton::clicked, this, [this, id, option] { answer(id, option); });
            buttons->addWidget(b);
        }
        buttons->addStretch(1);
        v->addLayout(buttons);
        m_listLayout->addWidget(card);
    }
    m_listLayout->addStretch(1);
}

void PromptsPanel::answer(qint64 id, const QString &option)
{
    const QString note = m_notes.contains(id) ? m_notes.value(id)->text() : QString();
    m_session->send(QStringLiteral("prompt.answer"), QString::number(id),
                    {{QStringLiteral("option"), option}, {QStringLiteral("note"), note}});
}

} // namespace alabos
