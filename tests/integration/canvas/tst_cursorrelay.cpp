// Placeholder: being written.
#include <QTest>
class TstCursorRelay : public QObject {
    Q_OBJECT
};
QTEST_GUILESS_MAIN(TstCursorRelay)
#include "tst_cursorrelay.moc"
