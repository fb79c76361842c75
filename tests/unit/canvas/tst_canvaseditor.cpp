// Placeholder: being written.
#include <QTest>
class Tstcanvaseditor : public QObject {
    Q_OBJECT
};
QTEST_GUILESS_MAIN(Tstcanvaseditor)
#include "tst_canvaseditor.moc"
