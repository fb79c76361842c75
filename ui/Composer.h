#pragma once
// The message editor: Enter sends, Shift+Enter starts a new line.

#include <QPlainTextEdit>

namespace tandem::ui {

class Composer : public QPlainTextEdit {
    Q_OBJECT

public:
    explicit Composer(QWidget *parent = nullptr);

    QSize sizeHint() const override;

Q_SIGNALS:
    /// Enter was pressed on non-blank text; the composer is cleared.
    void submitted(const QString &text);
    /// The user changed the text (not a programmatic clear).
    void edited();

protected:
    void keyPressEvent(QKeyEvent *event) override;
};

} // namespace tandem::ui
