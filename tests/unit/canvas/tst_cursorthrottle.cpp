// Placeholder: being written.
#include <QTest>
class Tstcursorthrottle : public QObject {
    Q_OBJECT
};
QTEST_GUILESS_MAIN(Tstcursorthrottle)
#include "tst_cursorthrottle.moc"
