// Placeholder: being written.
#include <QTest>
class Tstremotecursors : public QObject {
    Q_OBJECT
};
QTEST_GUILESS_MAIN(Tstremotecursors)
#include "tst_remotecursors.moc"
