#include "ui/Composer.h"

#include <QKeyEvent>

namespace tandem::ui {

Composer::Composer(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("composer"));
    setPlaceholderText(tr("Write a message… (Enter sends, Shift+Enter for a new line)"));
    setTabChangesFocus(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    // The chat pane is Base already: a shade apart keeps the input findable in dark themes.
    viewport()->setBackgroundRole(QPalette::AlternateBase);
}

QSize Composer::sizeHint() const
{
    // Three lines: room for a short paragraph without eating the message list.
    const int lines = 3;
    const int height = fontMetrics().lineSpacing() * lines + 2 * (frameWidth() + 4);
    return {QPlainTextEdit::sizeHint().width(), height};
}

void Composer::keyPressEvent(QKeyEvent *event)
{
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
        const QString text = toPlainText();
        if (!text.trimmed().isEmpty()) {
            clear();
            Q_EMIT submitted(text);
        }
        event->accept();
        return;
    }
    const QString before = toPlainText();
    QPlainTextEdit::keyPressEvent(event);
    if (toPlainText() != before)
        Q_EMIT edited();
}

} // namespace tandem::ui
