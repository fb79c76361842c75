#include "core/canvas/CanvasOp.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace tandem::canvas {

namespace {

CanvasResult<CanvasOp> malformed(const char *why)
{
    return canvasError(CanvasErrorCode::MalformedOp, QLatin1String(why));
}

bool isCreatedProperty(ShapeProperty property)
{
    return property != ShapeProperty::EditedBy;
}

} // namespace

CanvasOp CanvasOp::create(QString shapeId, ShapeKind kind, std::array<QJsonValue, ShapePropertyCount> initial,
                          offline::HlcTimestamp stamp)
{
    CanvasOp op;
    op.type = Type::Create;
    op.shapeId = std::move(shapeId);
    op.kind = kind;
    op.stamp = stamp;
    for (int i = 0; i < ShapePropertyCount; ++i) {
        const auto property = static_cast<ShapeProperty>(i);
        if (!isCreatedProperty(property))
            op.values[i] = QJsonValue(QJsonValue::Undefined);
        else if (initial[i].isUndefined() || initial[i].isNull())
            op.values[i] = defaultPropertyValue(property);
        else
            op.values[i] = std::move(initial[i]);
    }
    return op;
}

CanvasOp CanvasOp::setProperty(QString shapeId, ShapeProperty property, QJsonValue value,
                               offline::HlcTimestamp stamp)
{
    CanvasOp op;
    op.type = Type::SetProperty;
    op.shapeId = std::move(shapeId);
    op.property = property;
    op.values[static_cast<size_t>(property)] = std::move(value);
    op.stamp = stamp;
    return op;
}

CanvasOp CanvasOp::remove(QString shapeId, offline::HlcTimestamp stamp)
{
    CanvasOp op;
    op.type = Type::Delete;
    op.shapeId = std::move(shapeId);
    op.stamp = stamp;
    return op;
}

CanvasResult<void> CanvasOp::validate() const
{
    if (shapeId.isEmpty() || shapeId.size() > MaxIdLength)
        return canvasError(CanvasErrorCode::MalformedOp, QStringLiteral("shape id empty or too long"));
    if (!stamp.isValid())
        return canvasError(CanvasErrorCode::MalformedOp, QStringLiteral("invalid stamp"));
    switch (type) {
    case Type::Create:
        for (int i = 0; i < ShapePropertyCount; ++i) {
            const auto created = static_cast<ShapeProperty>(i);
            if (!isCreatedProperty(created))
                continue;
            if (auto valid = validatePropertyValue(created, values[i]); !valid)
                return valid;
        }
        return {};
    case Type::SetProperty:
        return validatePropertyValue(property, value());
    case Type::Delete:
        return {};
    }
    return canvasError(CanvasErrorCode::MalformedOp, QStringLiteral("unknown operation type"));
}

QJsonObject CanvasOp::toJson() const
{
    QJsonObject json{{QStringLiteral("shape"), shapeId}, {QStringLiteral("stamp"), stamp.toString()}};
    switch (type) {
    case Type::Create: {
        json.insert(QStringLiteral("op"), QStringLiteral("create"));
        json.insert(QStringLiteral("kind"), shapeKindName(kind));
        QJsonObject props;
        for (int i = 0; i < ShapePropertyCount; ++i) {
            if (isCreatedProperty(static_cast<ShapeProperty>(i)))
                props.insert(shapePropertyName(static_cast<ShapeProperty>(i)), values[i]);
        }
        json.insert(QStringLiteral("props"), props);
        break;
    }
    case Type::SetProperty:
        json.insert(QStringLiteral("op"), QStringLiteral("set"));
        json.insert(QStringLiteral("property"), shapePropertyName(property));
        json.insert(QStringLiteral("value"), value());
        break;
    case Type::Delete:
        json.insert(QStringLiteral("op"), QStringLiteral("delete"));
        break;
    }
    return json;
}

CanvasResult<CanvasOp> CanvasOp::fromJson(const QJsonObject &json)
{
    const QJsonValue shape = json.value(QStringLiteral("shape"));
    const QJsonValue stampText = json.value(QStringLiteral("stamp"));
    if (!shape.isString() || !stampText.isString())
        return malformed("shape and stamp must be strings");
    const auto stamp = offline::HlcTimestamp::fromString(stampText.toString());
    if (!stamp)
        return malformed("stamp is not an HLC timestamp");

    const QString type = json.value(QStringLiteral("op")).toString();
    CanvasOp op;
    if (type == QLatin1String("create")) {
        const auto kind = shapeKindFromName(json.value(QStringLiteral("kind")).toString());
        if (!kind)
            return malformed("unknown shape kind");
        const QJsonValue props = json.value(QStringLiteral("props"));
        if (!props.isObject())
            return malformed("props must be an object");
        std::array<QJsonValue, ShapePropertyCount> initial;
        const QJsonObject object = props.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const auto property = shapePropertyFromName(it.key());
            if (!property || !isCreatedProperty(*property))
                return malformed("unknown property in props");
            if (it.value().isNull())
                return malformed("a property in props is null");
            initial[static_cast<size_t>(*property)] = it.value();
        }
        op = create(shape.toString(), *kind, std::move(initial), *stamp);
    } else if (type == QLatin1String("set")) {
        const auto property = shapePropertyFromName(json.value(QStringLiteral("property")).toString());
        if (!property)
            return malformed("unknown property");
        const QJsonValue value = json.value(QStringLiteral("value"));
        if (value.isUndefined())
            return malformed("value missing");
        op = setProperty(shape.toString(), *property, value, *stamp);
    } else if (type == QLatin1String("delete")) {
        op = remove(shape.toString(), *stamp);
    } else {
        return malformed("op must be create, set or delete");
    }
    if (auto valid = op.validate(); !valid)
        return unexpected(valid.error());
    return op;
}

CanvasResult<CanvasOp> CanvasOp::fromJson(const QByteArray &bytes)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return malformed("not a JSON object");
    return fromJson(document.object());
}

} // namespace tandem::canvas
