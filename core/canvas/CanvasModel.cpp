#include "core/canvas/CanvasModel.h"

#include "core/canvas/FractionalIndex.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace tandem::canvas {

namespace {

QByteArray canonicalBytes(const QJsonValue &value)
{
    return QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
}

} // namespace

bool CanvasModel::merge(Register &target, const QJsonValue &value, const offline::HlcTimestamp &stamp)
{
    if (stamp < target.stamp)
        return false;
    if (stamp == target.stamp) {
        // One node never issues a stamp twice, so an equal stamp is a
        // duplicate. Should a faulty peer reuse one, the larger value wins
        // everywhere, so replicas still agree.
        if (canonicalBytes(value) <= canonicalBytes(target.value))
            return false;
    }
    target.value = value;
    target.stamp = stamp;
    return true;
}

CanvasResult<CanvasModel::Outcome> CanvasModel::apply(const CanvasOp &op)
{
    if (auto valid = op.validate(); !valid)
        return unexpected(valid.error());

    Record &record = m_records[op.shapeId];
    if (record.deletedAt.isValid()) {
        // The tombstone wins over every edit, whatever its stamp; a later
        // delete only moves the tombstone's stamp forward.
        if (op.type == CanvasOp::Type::Delete && op.stamp > record.deletedAt) {
            record.deletedAt = op.stamp;
            return Outcome::Applied;
        }
        return op.type == CanvasOp::Type::Delete ? Outcome::Superseded : Outcome::Deleted;
    }

    bool changed = false;
    switch (op.type) {
    case CanvasOp::Type::Delete:
        // Registers are dropped: nothing can make the shape visible again.
        record = Record{};
        record.deletedAt = op.stamp;
        return Outcome::Applied;
    case CanvasOp::Type::Create:
        // A create is a write of the kind and of every property at its stamp,
        // so edits that arrived before it keep their value when newer.
        if (!record.kind || op.stamp > record.kindStamp ||
            (op.stamp == record.kindStamp && static_cast<int>(op.kind) > static_cast<int>(*record.kind))) {
            changed = record.kind != op.kind || op.stamp != record.kindStamp;
            record.kind = op.kind;
            record.kindStamp = op.stamp;
        }
        for (int i = 0; i < ShapePropertyCount; ++i) {
            if (!op.values[i].isUndefined())
                changed = merge(record.properties[i], op.values[i], op.stamp) || changed;
        }
        break;
    case CanvasOp::Type::SetProperty:
        changed = merge(record.properties[static_cast<size_t>(op.property)], op.value(), op.stamp);
        break;
    }
    return changed ? Outcome::Applied : Outcome::Superseded;
}

Shape CanvasModel::decode(const QString &id, const Record &record)
{
    const auto value = [&record](ShapeProperty property) -> const QJsonValue & {
        return record.properties[static_cast<size_t>(property)].value;
    };
    Shape shape;
    shape.id = id;
    shape.kind = *record.kind;
    shape.points = decodePoints(value(ShapeProperty::Geometry));
    shape.strokeColor = value(ShapeProperty::StrokeColor).toString();
    shape.fill = value(ShapeProperty::Fill).toString();
    shape.strokeWidth = value(ShapeProperty::StrokeWidth).toDouble();
    shape.zIndex = value(ShapeProperty::ZIndex).toString();
    shape.text = value(ShapeProperty::Text).toString();
    shape.editedBy = value(ShapeProperty::EditedBy).toString();
    return shape;
}

QList<Shape> CanvasModel::shapes() const
{
    QList<Shape> visible;
    for (auto it = m_records.cbegin(); it != m_records.cend(); ++it) {
        if (it->kind && !it->deletedAt.isValid())
            visible.append(decode(it.key(), *it));
    }
    std::sort(visible.begin(), visible.end(), [](const Shape &a, const Shape &b) {
        if (const int byKey = a.zIndex.compare(b.zIndex); byKey != 0)
            return byKey < 0;
        return a.id < b.id;
    });
    return visible;
}

std::optional<Shape> CanvasModel::shape(const QString &id) const
{
    const auto it = m_records.constFind(id);
    if (it == m_records.cend() || !it->kind || it->deletedAt.isValid())
        return std::nullopt;
    return decode(id, *it);
}

bool CanvasModel::isDeleted(const QString &id) const
{
    const auto it = m_records.constFind(id);
    return it != m_records.cend() && it->deletedAt.isValid();
}

bool CanvasModel::isVisible(const QString &id) const
{
    return shape(id).has_value();
}

QJsonArray CanvasModel::toJson() const
{
    QJsonArray array;
    for (const Shape &shape : shapes()) {
        array.append(QJsonObject{
            {QStringLiteral("id"), shape.id},
            {QStringLiteral("kind"), shapeKindName(shape.kind)},
            {shapePropertyName(ShapeProperty::Geometry), encodePoints(shape.points)},
            {shapePropertyName(ShapeProperty::StrokeColor), shape.strokeColor},
            {shapePropertyName(ShapeProperty::Fill), shape.fill},
            {shapePropertyName(ShapeProperty::StrokeWidth), shape.strokeWidth},
            {shapePropertyName(ShapeProperty::ZIndex), shape.zIndex},
            {shapePropertyName(ShapeProperty::Text), shape.text},
            {shapePropertyName(ShapeProperty::EditedBy), shape.editedBy},
        });
    }
    return array;
}

QList<CanvasOp> CanvasModel::toOps() const
{
    QStringList ids = m_records.keys();
    ids.sort();
    QList<CanvasOp> ops;
    ops.reserve(ids.size());
    for (const QString &id : std::as_const(ids)) {
        const Record &record = m_records[id];
        if (record.deletedAt.isValid()) {
            ops.append(CanvasOp::remove(id, record.deletedAt));
            continue;
        }
        // The create carries every created register at the kind's stamp; a
        // register written later follows as a set with its own stamp, so the
        // rebuilt registers hold the same values and the same stamps.
        if (record.kind) {
            std::array<QJsonValue, ShapePropertyCount> values;
            for (int i = 0; i < ShapePropertyCount; ++i)
                values[i] = record.properties[i].value;
            ops.append(CanvasOp::create(id, *record.kind, values, record.kindStamp));
        }
        for (int i = 0; i < ShapePropertyCount; ++i) {
            const Register &reg = record.properties[i];
            if (reg.stamp.isValid() && (!record.kind || reg.stamp > record.kindStamp ||
                                        static_cast<ShapeProperty>(i) == ShapeProperty::EditedBy))
                ops.append(CanvasOp::setProperty(id, static_cast<ShapeProperty>(i), reg.value, reg.stamp));
        }
    }
    return ops;
}

QByteArray CanvasModel::stateHash() const
{
    return QCryptographicHash::hash(QJsonDocument(toJson()).toJson(QJsonDocument::Compact),
                                    QCryptographicHash::Sha256);
}

CanvasResult<QString> CanvasModel::zIndexBetween(const QString &below, const QString &above,
                                                 quint64 nodeId) const
{
    QString low;
    QString high;
    if (!below.isEmpty()) {
        const auto shape = this->shape(below);
        if (!shape)
            return canvasError(CanvasErrorCode::InvalidKey, QStringLiteral("no visible shape ") + below);
        low = shape->zIndex;
    }
    if (!above.isEmpty()) {
        const auto shape = this->shape(above);
        if (!shape)
            return canvasError(CanvasErrorCode::InvalidKey, QStringLiteral("no visible shape ") + above);
        high = shape->zIndex;
    }
    return FractionalIndex::between(low, high, nodeId);
}

CanvasResult<QString> CanvasModel::zIndexOnTop(quint64 nodeId) const
{
    const QList<Shape> visible = shapes();
    return FractionalIndex::between(visible.isEmpty() ? QString() : visible.back().zIndex, QString(), nodeId);
}

} // namespace tandem::canvas
