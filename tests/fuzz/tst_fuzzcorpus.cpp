// Replays the seed corpus (and any crash reproducers added to it) through
// the libFuzzer entry point, so CI checks it under g++ with ASan and UBSan.

#include <QDir>
#include <QFile>
#include <QTest>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

class TestFuzzCorpus : public QObject {
    Q_OBJECT
private slots:
    void replaysCorpus()
    {
        const QDir corpus(QStringLiteral(TANDEM_FUZZ_CORPUS));
        const QStringList files = corpus.entryList(QDir::Files, QDir::Name);
        QVERIFY2(files.size() >= 10, "tests/fuzz/corpus is missing");
        for (const QString &name : files) {
            QFile file(corpus.filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray input = file.readAll();
            QCOMPARE(LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t *>(input.constData()),
                                            std::size_t(input.size())),
                     0);
        }
    }
};

QTEST_GUILESS_MAIN(TestFuzzCorpus)
#include "tst_fuzzcorpus.moc"
