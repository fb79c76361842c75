// CanvasOp: every kind of operation survives toJson()/fromJson() unchanged,
// and hostile input (bad JSON, missing or mistyped fields, values out of
// range) is refused with a typed error instead of being trusted.

#include "core/canvas/CanvasOp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using tandem::canvas::CanvasErrorCode;
using tandem::canvas::CanvasOp;
using tandem::canvas::ShapeKind;
using tandem::canvas::ShapeProperty;
using tandem::canvas::ShapePropertyCount;
using tandem::offline::HlcTimestamp;

Q_DECLARE_METATYPE(tandem::canvas::CanvasErrorCode)

namespace {
const HlcTimestamp Stamp{1'764'000'000'000, 3, 0x42};

QByteArray bytesOf(const CanvasOp &op)
{
    return QJsonDocument(op.toJson()).toJson(QJsonDocument::Compact);
}

std::array<QJsonValue, ShapePropertyCount> rectangleProperties()
{
    std::array<QJsonValue, ShapePropertyCount> values;
    values[size_t(ShapeProperty::Geometry)] = QJsonArray{QJsonArray{1.5, 2}, QJsonArray{30, -40}};
    values[size_t(ShapeProperty::StrokeColor)] = QStringLiteral("#ff0000");
    values[size_t(ShapeProperty::Fill)] = QStringLiteral("#00ff0080");
    values[size_t(ShapeProperty::StrokeWidth)] = 2.5;
    values[size_t(ShapeProperty::ZIndex)] = QStringLiteral("V");
    return values;
}
} // namespace

class TestCanvasOp : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addRow("create rectangle")
            << bytesOf(CanvasOp::create("s1", ShapeKind::Rectangle, rectangleProperties(), Stamp));
        QTest::addRow("create text box with defaults")
            << bytesOf(CanvasOp::create("s2", ShapeKind::TextBox, {}, Stamp));
        QTest::addRow("set geometry") << bytesOf(
            CanvasOp::setProperty("s1", ShapeProperty::Geometry, QJsonArray{QJsonArray{0, 0}}, Stamp));
        QTest::addRow("set text") << bytesOf(
            CanvasOp::setProperty("s1", ShapeProperty::Text, QStringLiteral("hello\nworld"), Stamp));
        QTest::addRow("set editedBy")
            << bytesOf(CanvasOp::setProperty("s1", ShapeProperty::EditedBy, QStringLiteral("ana"), Stamp));
        QTest::addRow("set no fill") << bytesOf(
            CanvasOp::setProperty("s1", ShapeProperty::Fill, QString(), Stamp));
        QTest::addRow("delete") << bytesOf(CanvasOp::remove("s1", Stamp));
    }
    void roundTrip()
    {
        QFETCH(QByteArray, json);
        const auto op = CanvasOp::fromJson(json);
        QVERIFY2(op, op ? "" : qPrintable(op.error().message));
        QCOMPARE(bytesOf(op.value()), json);
        QCOMPARE(op->stamp, Stamp);
    }

    void createFillsDefaultsAndCarriesEveryProperty()
    {
        const auto op = CanvasOp::fromJson(bytesOf(CanvasOp::create("t", ShapeKind::TextBox, {}, Stamp)));
        QVERIFY(op);
        QCOMPARE(op->kind, ShapeKind::TextBox);
        QCOMPARE(op->values[size_t(ShapeProperty::StrokeColor)].toString(), QStringLiteral("#000000"));
        QCOMPARE(op->values[size_t(ShapeProperty::Text)].toString(), QString());
        QVERIFY(op->values[size_t(ShapeProperty::EditedBy)].isUndefined());
    }

    void hostileInputIsRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<CanvasErrorCode>("code");
        const QByteArray stamp = Stamp.toString().toLatin1();
        const auto set = [&stamp](const QByteArray &property, const QByteArray &value) {
            return "{\"op\":\"set\",\"shape\":\"s\",\"stamp\":\"" + stamp + "\",\"property\":\"" + property +
                   "\",\"value\":" + value + "}";
        };
        QTest::addRow("not JSON") << QByteArray("{\"op\":") << CanvasErrorCode::MalformedOp;
        QTest::addRow("an array") << QByteArray("[]") << CanvasErrorCode::MalformedOp;
        QTest::addRow("empty object") << QByteArray("{}") << CanvasErrorCode::MalformedOp;
        QTest::addRow("unknown op") << QByteArray("{\"op\":\"move\",\"shape\":\"s\",\"stamp\":\"" + stamp +
                                                  "\"}")
                                    << CanvasErrorCode::MalformedOp;
        QTest::addRow("bad stamp") << QByteArray(
                                          "{\"op\":\"delete\",\"shape\":\"s\",\"stamp\":\"yesterday\"}")
                                   << CanvasErrorCode::MalformedOp;
        QTest::addRow("stamp of node 0") << QByteArray("{\"op\":\"delete\",\"shape\":\"s\",\"stamp\":"
                                                       "\"000000000000001-0000000000-0000000000000000\"}")
                                         << CanvasErrorCode::MalformedOp;
        QTest::addRow("numeric shape id")
            << QByteArray("{\"op\":\"delete\",\"shape\":7,\"stamp\":\"" + stamp + "\"}")
            << CanvasErrorCode::MalformedOp;
        QTest::addRow("empty shape id")
            << QByteArray("{\"op\":\"delete\",\"shape\":\"\",\"stamp\":\"" + stamp + "\"}")
            << CanvasErrorCode::MalformedOp;
        QTest::addRow("unknown kind") << QByteArray("{\"op\":\"create\",\"shape\":\"s\",\"stamp\":\"" +
                                                    stamp + "\",\"kind\":\"hexagon\",\"props\":{}}")
                                      << CanvasErrorCode::MalformedOp;
        QTest::addRow("null prop in create")
            << QByteArray("{\"op\":\"create\",\"shape\":\"s\",\"stamp\":\"" + stamp +
                          "\",\"kind\":\"line\",\"props\":{\"fill\":null}}")
            << CanvasErrorCode::MalformedOp;
        QTest::addRow("editedBy in create")
            << QByteArray("{\"op\":\"create\",\"shape\":\"s\",\"stamp\":\"" + stamp +
                          "\",\"kind\":\"line\",\"props\":{\"editedBy\":\"a\"}}")
            << CanvasErrorCode::MalformedOp;
        QTest::addRow("unknown prop in create")
            << QByteArray("{\"op\":\"create\",\"shape\":\"s\",\"stamp\":\"" + stamp +
                          "\",\"kind\":\"line\",\"props\":{\"sparkle\":1}}")
            << CanvasErrorCode::MalformedOp;
        QTest::addRow("bad value in create")
            << QByteArray("{\"op\":\"create\",\"shape\":\"s\",\"stamp\":\"" + stamp +
                          "\",\"kind\":\"line\",\"props\":{\"strokeWidth\":-1}}")
            << CanvasErrorCode::InvalidValue;
        QTest::addRow("unknown property") << set("sparkle", "1") << CanvasErrorCode::MalformedOp;
        QTest::addRow("missing value") << QByteArray("{\"op\":\"set\",\"shape\":\"s\",\"stamp\":\"" + stamp +
                                                     "\",\"property\":\"fill\"}")
                                       << CanvasErrorCode::MalformedOp;
        QTest::addRow("geometry not array") << set("geometry", "{}") << CanvasErrorCode::InvalidValue;
        QTest::addRow("geometry empty") << set("geometry", "[]") << CanvasErrorCode::InvalidValue;
        QTest::addRow("point of three") << set("geometry", "[[1,2,3]]") << CanvasErrorCode::InvalidValue;
        QTest::addRow("point of strings")
            << set("geometry", "[[\"1\",\"2\"]]") << CanvasErrorCode::InvalidValue;
        QTest::addRow("huge coordinate") << set("geometry", "[[1e300,0]]") << CanvasErrorCode::InvalidValue;
        QTest::addRow("colour name") << set("strokeColor", "\"red\"") << CanvasErrorCode::InvalidValue;
        QTest::addRow("colour uppercase")
            << set("strokeColor", "\"#FF0000\"") << CanvasErrorCode::InvalidValue;
        QTest::addRow("colour short") << set("fill", "\"#fff\"") << CanvasErrorCode::InvalidValue;
        QTest::addRow("width string") << set("strokeWidth", "\"2\"") << CanvasErrorCode::InvalidValue;
        QTest::addRow("width huge") << set("strokeWidth", "1e9") << CanvasErrorCode::InvalidValue;
        QTest::addRow("z trailing zero") << set("zIndex", "\"V0\"") << CanvasErrorCode::InvalidValue;
        QTest::addRow("z empty") << set("zIndex", "\"\"") << CanvasErrorCode::InvalidValue;
        QTest::addRow("text number") << set("text", "5") << CanvasErrorCode::InvalidValue;
        QTest::addRow("editedBy null") << set("editedBy", "null") << CanvasErrorCode::InvalidValue;
    }
    void hostileInputIsRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(CanvasErrorCode, code);
        const auto op = CanvasOp::fromJson(json);
        QVERIFY(!op);
        QCOMPARE(op.error().code, code);
        QVERIFY(!op.error().message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCanvasOp)
#include "tst_canvasop.moc"
