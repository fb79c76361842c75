#include "core/canvas/CanvasEditor.h"

#include "core/canvas/FractionalIndex.h"

#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcCanvasEditor, "tandem.canvas.editor")

namespace tandem::canvas {

QJsonValue propertyValue(const Shape &shape, ShapeProperty property)
{
    switch (property) {
    case ShapeProperty::Geometry:
        return encodePoints(shape.points);
    case ShapeProperty::StrokeColor:
        return shape.strokeColor;
    case ShapeProperty::Fill:
        return shape.fill;
    case ShapeProperty::StrokeWidth:
        return shape.strokeWidth;
    case ShapeProperty::ZIndex:
        return shape.zIndex;
    case ShapeProperty::Text:
        return shape.text;
    case ShapeProperty::EditedBy:
        return shape.editedBy;
    }
    return {};
}

namespace {

/// Every property a create carries (EditedBy is not one of them: a re-created
/// shape is not being edited by anyone).
std::array<QJsonValue, ShapePropertyCount> createValues(const Shape &shape)
{
    std::array<QJsonValue, ShapePropertyCount> values;
    for (int index = 0; index < ShapePropertyCount; ++index) {
        const auto property = static_cast<ShapeProperty>(index);
        if (property != ShapeProperty::EditedBy)
            values[size_t(index)] = propertyValue(shape, property);
    }
    return values;
}

} // namespace

CanvasEditor::CanvasEditor(QString userId, quint64 nodeId, StampSource stamp, QObject *parent)
    : QObject(parent)
    , m_userId(std::move(userId))
    , m_nodeId(nodeId)
    , m_stamp(std::move(stamp))
{}

offline::HlcTimestamp CanvasEditor::nextStamp()
{
    return m_stamp();
}

QString CanvasEditor::newShapeId(const offline::HlcTimestamp &stamp) const
{
    // The create's own stamp never repeats on this node, not even after a
    // restart (the HLC continues after the last persisted stamp), so ids
    // derived from it stay unique without a persisted counter.
    return QStringLiteral("%1-%2-%3")
        .arg(QString::number(m_nodeId, 16), QString::number(stamp.wallMs, 36),
             QString::number(stamp.counter, 36));
}

void CanvasEditor::applyRemote(const QList<CanvasOp> &ops)
{
    QList<CanvasOp> applied;
    for (const CanvasOp &op : ops) {
        const auto outcome = m_model.apply(op);
        if (!outcome) {
            qCWarning(lcCanvasEditor)
                << "skipping an invalid remote op for shape" << op.shapeId << ":" << outcome.error().message;
            continue;
        }
        noteZIndex(op);
        if (outcome.value() == CanvasModel::Outcome::Applied)
            applied.append(op);
    }
    if (!applied.isEmpty())
        announce(applied);
}

void CanvasEditor::noteZIndex(const CanvasOp &op)
{
    const bool carriesKey = op.type == CanvasOp::Type::Create ||
                            (op.type == CanvasOp::Type::SetProperty && op.property == ShapeProperty::ZIndex);
    if (!carriesKey)
        return;
    const QString key = op.values[size_t(ShapeProperty::ZIndex)].toString();
    if (key > m_topKey)
        m_topKey = key;
}

CanvasResult<QString> CanvasEditor::keyOnTop() const
{
    return FractionalIndex::between(m_topKey, QString(), m_nodeId);
}

void CanvasEditor::announce(const QList<CanvasOp> &ops)
{
    QStringList ids;
    for (const CanvasOp &op : ops) {
        if (!ids.contains(op.shapeId))
            ids.append(op.shapeId);
    }
    Q_EMIT shapesChanged(ids);
    Q_EMIT changed();
}

bool CanvasEditor::applyLocal(const CanvasOp &op, QList<CanvasOp> &applied)
{
    const auto outcome = m_model.apply(op);
    if (!outcome) {
        qCWarning(lcCanvasEditor) << "refused a local op for shape" << op.shapeId << ":"
                                  << outcome.error().message;
        return false;
    }
    noteZIndex(op);
    applied.append(op);
    return true;
}

void CanvasEditor::writeProperty(const QStringList &ids, ShapeProperty property,
                                 const std::function<QJsonValue(const Shape &)> &value,
                                 QList<CanvasOp> &applied, Step &step)
{
    for (const QString &id : ids) {
        const auto shape = m_model.shape(id);
        if (!shape)
            continue;
        const QJsonValue before = propertyValue(*shape, property);
        const QJsonValue after = value(*shape);
        if (before == after)
            continue;
        if (!applyLocal(CanvasOp::setProperty(id, property, after, nextStamp()), applied))
            continue;
        Action action;
        action.type = Action::Type::SetProperty;
        action.shapeId = id;
        action.property = property;
        action.before = before;
        action.after = after;
        step.append(action);
    }
}

void CanvasEditor::finishAction(const QList<CanvasOp> &applied, const Step &step)
{
    if (applied.isEmpty())
        return;
    if (m_gesture) {
        // Keep the first "before" and the last "after" of each register.
        for (const Action &action : step) {
            auto same = std::find_if(m_gesture->begin(), m_gesture->end(), [&](const Action &earlier) {
                return action.type == Action::Type::SetProperty &&
                       earlier.type == Action::Type::SetProperty && earlier.shapeId == action.shapeId &&
                       earlier.property == action.property;
            });
            if (same != m_gesture->end())
                same->after = action.after;
            else
                m_gesture->append(action);
        }
    } else {
        pushUndo(step);
    }
    Q_EMIT localOps(applied);
    announce(applied);
}

void CanvasEditor::pushUndo(const Step &step)
{
    if (step.isEmpty())
        return;
    m_undo.push_back(step);
    while (m_undo.size() > size_t(MaxUndoSteps))
        m_undo.pop_front();
    m_redo.clear();
    Q_EMIT undoStateChanged();
}

CanvasResult<QString> CanvasEditor::createShape(const NewShape &shape)
{
    auto zIndex = keyOnTop();
    if (!zIndex)
        return unexpected(zIndex.error());
    Shape initial;
    initial.kind = shape.kind;
    initial.points = shape.points;
    initial.strokeColor = shape.strokeColor;
    initial.fill = shape.fill;
    initial.strokeWidth = shape.strokeWidth;
    initial.zIndex = zIndex.value();
    initial.text = shape.text;

    const offline::HlcTimestamp stamp = nextStamp();
    const QString id = newShapeId(stamp);
    const CanvasOp op = CanvasOp::create(id, shape.kind, createValues(initial), stamp);
    if (auto valid = op.validate(); !valid)
        return unexpected(valid.error());
    QList<CanvasOp> applied;
    if (!applyLocal(op, applied))
        return canvasError(CanvasErrorCode::InvalidValue, QStringLiteral("the model refused the new shape"));
    Action action;
    action.type = Action::Type::Create;
    action.shapeId = id;
    action.kind = shape.kind;
    action.snapshot = op.values;
    finishAction(applied, {action});
    return id;
}

void CanvasEditor::moveShapes(const QStringList &ids, QPointF delta)
{
    QList<CanvasOp> applied;
    Step step;
    writeProperty(
        ids, ShapeProperty::Geometry,
        [delta](const Shape &shape) {
            QList<QPointF> moved = shape.points;
            for (QPointF &point : moved)
                point += delta;
            return encodePoints(moved);
        },
        applied, step);
    finishAction(applied, step);
}

void CanvasEditor::setGeometry(const QString &id, const QList<QPointF> &points)
{
    setGeometries({{id, points}});
}

void CanvasEditor::setGeometries(const QHash<QString, QList<QPointF>> &geometries)
{
    QList<CanvasOp> applied;
    Step step;
    writeProperty(
        geometries.keys(), ShapeProperty::Geometry,
        [&geometries](const Shape &shape) { return encodePoints(geometries.value(shape.id)); }, applied,
        step);
    finishAction(applied, step);
}

void CanvasEditor::setStrokeColor(const QStringList &ids, const QString &colour)
{
    QList<CanvasOp> applied;
    Step step;
    writeProperty(
        ids, ShapeProperty::StrokeColor, [&colour](const Shape &) { return QJsonValue(colour); }, applied,
        step);
    finishAction(applied, step);
}

void CanvasEditor::setFill(const QStringList &ids, const QString &colour)
{
    QList<CanvasOp> applied;
    Step step;
    writeProperty(
        ids, ShapeProperty::Fill, [&colour](const Shape &) { return QJsonValue(colour); }, applied, step);
    finishAction(applied, step);
}

void CanvasEditor::setStrokeWidth(const QStringList &ids, double width)
{
    QList<CanvasOp> applied;
    Step step;
    writeProperty(
        ids, ShapeProperty::StrokeWidth, [width](const Shape &) { return QJsonValue(width); }, applied, step);
    finishAction(applied, step);
}

void CanvasEditor::setText(const QStringList &ids, const QString &text)
{
    QList<CanvasOp> applied;
    Step step;
    writeProperty(
        ids, ShapeProperty::Text, [&text](const Shape &) { return QJsonValue(text); }, applied, step);
    finishAction(applied, step);
}

void CanvasEditor::editText(const QString &id, const QString &text, const QList<QPointF> &box)
{
    QList<CanvasOp> applied;
    Step step;
    writeProperty(
        {id}, ShapeProperty::Text, [&text](const Shape &) { return QJsonValue(text); }, applied, step);
    writeProperty(
        {id}, ShapeProperty::Geometry, [&box](const Shape &) { return encodePoints(box); }, applied, step);
    finishAction(applied, step);
}

void CanvasEditor::deleteShapes(const QStringList &ids)
{
    QList<CanvasOp> applied;
    Step step;
    for (const QString &id : ids) {
        const auto shape = m_model.shape(id);
        if (!shape || !applyLocal(CanvasOp::remove(id, nextStamp()), applied))
            continue;
        Action action;
        action.type = Action::Type::Delete;
        action.shapeId = id;
        action.kind = shape->kind;
        action.snapshot = createValues(*shape);
        step.append(action);
    }
    finishAction(applied, step);
}

namespace {

/// The ids that are visible, in render order (back to front).
QStringList inRenderOrder(const CanvasModel &model, const QStringList &ids)
{
    QStringList ordered;
    for (const Shape &shape : model.shapes()) {
        if (ids.contains(shape.id))
            ordered.append(shape.id);
    }
    return ordered;
}

} // namespace

void CanvasEditor::bringToFront(const QStringList &ids)
{
    QList<CanvasOp> applied;
    Step step;
    // Back to front, each onto the top: the selection keeps its own order.
    for (const QString &id : inRenderOrder(m_model, ids)) {
        const auto key = keyOnTop();
        if (!key)
            continue;
        writeProperty(
            {id}, ShapeProperty::ZIndex, [&key](const Shape &) { return QJsonValue(key.value()); }, applied,
            step);
    }
    finishAction(applied, step);
}

void CanvasEditor::sendToBack(const QStringList &ids)
{
    QList<CanvasOp> applied;
    Step step;
    QStringList ordered = inRenderOrder(m_model, ids);
    std::reverse(ordered.begin(), ordered.end());
    if (ordered.isEmpty())
        return;
    QString bottomKey = m_model.shapes().first().zIndex;
    // Front to back, each under the bottom: the selection keeps its own order.
    for (const QString &id : ordered) {
        const auto key = FractionalIndex::between(QString(), bottomKey, m_nodeId);
        if (!key)
            continue;
        bottomKey = key.value();
        writeProperty(
            {id}, ShapeProperty::ZIndex, [&key](const Shape &) { return QJsonValue(key.value()); }, applied,
            step);
    }
    finishAction(applied, step);
}

void CanvasEditor::beginGesture()
{
    if (m_gesture)
        endGesture();
    m_gesture = Step{};
}

void CanvasEditor::endGesture()
{
    if (!m_gesture)
        return;
    const Step step = *m_gesture;
    m_gesture.reset();
    pushUndo(step);
}

void CanvasEditor::beginEditing(const QStringList &ids)
{
    QList<CanvasOp> applied;
    for (const QString &id : ids) {
        const auto shape = m_model.shape(id);
        if (shape && shape->editedBy != m_userId)
            applyLocal(CanvasOp::setProperty(id, ShapeProperty::EditedBy, m_userId, nextStamp()), applied);
    }
    if (applied.isEmpty())
        return;
    Q_EMIT localOps(applied);
    announce(applied);
}

void CanvasEditor::endEditing(const QStringList &ids)
{
    QList<CanvasOp> applied;
    for (const QString &id : ids) {
        // Only our own mark: someone who grabbed the shape since keeps theirs.
        const auto shape = m_model.shape(id);
        if (shape && shape->editedBy == m_userId)
            applyLocal(CanvasOp::setProperty(id, ShapeProperty::EditedBy, QString(), nextStamp()), applied);
    }
    if (applied.isEmpty())
        return;
    Q_EMIT localOps(applied);
    announce(applied);
}

std::optional<QString> CanvasEditor::recreate(ShapeKind kind, const Snapshot &snapshot,
                                              QList<CanvasOp> &applied)
{
    // A tombstone is forever, so the shape comes back under a new id.
    const offline::HlcTimestamp stamp = nextStamp();
    const QString id = newShapeId(stamp);
    Snapshot values = snapshot;
    values[size_t(ShapeProperty::EditedBy)] = QJsonValue(QJsonValue::Undefined);
    if (!applyLocal(CanvasOp::create(id, kind, values, stamp), applied))
        return std::nullopt;
    return id;
}

std::optional<CanvasEditor::Action> CanvasEditor::perform(Action action, bool forwards,
                                                          QList<CanvasOp> &applied)
{
    if (action.type == Action::Type::SetProperty) {
        // A shape someone else deleted stays deleted: the entry is skipped.
        if (!m_model.isVisible(action.shapeId))
            return std::nullopt;
        const QJsonValue &value = forwards ? action.after : action.before;
        if (!applyLocal(CanvasOp::setProperty(action.shapeId, action.property, value, nextStamp()), applied))
            return std::nullopt;
        return action;
    }
    const bool makeExist = (action.type == Action::Type::Create) == forwards;
    if (makeExist) {
        const auto id = recreate(action.kind, action.snapshot, applied);
        if (!id)
            return std::nullopt;
        action.shapeId = *id;
        return action;
    }
    const auto shape = m_model.shape(action.shapeId);
    if (!shape)
        return std::nullopt;
    // Remember the last state, so a later re-create brings back what was deleted.
    action.kind = shape->kind;
    action.snapshot = createValues(*shape);
    if (!applyLocal(CanvasOp::remove(action.shapeId, nextStamp()), applied))
        return std::nullopt;
    return action;
}

void CanvasEditor::remapShapeId(const QString &from, const QString &to)
{
    for (std::deque<Step> *stack : {&m_undo, &m_redo}) {
        for (Step &step : *stack) {
            for (Action &action : step) {
                if (action.shapeId == from)
                    action.shapeId = to;
            }
        }
    }
}

void CanvasEditor::travel(std::deque<Step> &from, std::deque<Step> &to, bool forwards)
{
    if (m_gesture)
        endGesture();
    QList<CanvasOp> applied;
    while (!from.empty() && applied.isEmpty()) {
        Step step = from.back();
        from.pop_back();
        Step done;
        // Undo walks a step backwards, redo forwards, so that an action on a
        // shape created in the same step finds it.
        for (qsizetype i = 0; i < step.size(); ++i) {
            const qsizetype index = forwards ? i : step.size() - 1 - i;
            const QString oldId = step[index].shapeId;
            auto result = perform(step[index], forwards, applied);
            if (!result)
                continue;
            if (result->shapeId != oldId) {
                remapShapeId(oldId, result->shapeId);
                for (Action &rest : step) {
                    if (rest.shapeId == oldId)
                        rest.shapeId = result->shapeId;
                }
                for (Action &earlier : done) {
                    if (earlier.shapeId == oldId)
                        earlier.shapeId = result->shapeId;
                }
            }
            done.append(*result);
        }
        if (done.isEmpty())
            continue;
        if (!forwards)
            std::reverse(done.begin(), done.end());
        to.push_back(done);
    }
    Q_EMIT undoStateChanged();
    if (applied.isEmpty())
        return;
    Q_EMIT localOps(applied);
    announce(applied);
}

void CanvasEditor::undo()
{
    travel(m_undo, m_redo, false);
}

void CanvasEditor::redo()
{
    travel(m_redo, m_undo, true);
}

} // namespace tandem::canvas
