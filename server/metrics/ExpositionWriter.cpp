#include "server/metrics/ExpositionWriter.h"

#include "server/metrics/CounterFamily.h"
#include "server/metrics/Histogram.h"

#include <charconv>
#include <cmath>

namespace tandem::server::metrics {

namespace {

/// HELP text: the format escapes only backslash and line feed there (a quote is literal).
QByteArray escapeHelp(QByteArrayView help)
{
    QByteArray escaped;
    escaped.reserve(help.size());
    for (const char c : help) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

} // namespace

QByteArray ExpositionWriter::escapeLabelValue(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    QByteArray escaped;
    escaped.reserve(utf8.size() + 2);
    escaped += '"';
    for (const char c : utf8) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '"')
            escaped += "\\\"";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    escaped += '"';
    return escaped;
}

QByteArray ExpositionWriter::formatValue(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    // Counters are integers; beyond 2^53 a double cannot tell them apart anyway.
    if (value == std::trunc(value) && std::abs(value) < 9007199254740992.0)
        return QByteArray::number(static_cast<qint64>(value));
    // Shortest round trip in %g style, as Prometheus' own clients write it: le="0.0001", not "1e-04".
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general);
    return QByteArray(buffer, result.ptr - buffer);
}

void ExpositionWriter::family(QByteArrayView name, QByteArrayView help, QByteArrayView type)
{
    m_text += "# HELP " + name.toByteArray() + ' ' + escapeHelp(help) + '\n';
    m_text += "# TYPE " + name.toByteArray() + ' ' + type.toByteArray() + '\n';
}

void ExpositionWriter::sample(QByteArrayView name, QByteArrayView labels, double value)
{
    m_text += name.toByteArray();
    if (!labels.isEmpty())
        m_text += '{' + labels.toByteArray() + '}';
    m_text += ' ' + formatValue(value) + '\n';
}

template <typename Values>
void ExpositionWriter::labeledSamples(QByteArrayView name, const QString &labelName, const Values &values)
{
    const QByteArray label = labelName.toUtf8() + '=';
    for (const auto &[labelValue, value] : values)
        sample(name, label + escapeLabelValue(labelValue), static_cast<double>(value));
}

void ExpositionWriter::counter(QByteArrayView name, QByteArrayView help, double value)
{
    family(name, help, "counter");
    sample(name, {}, value);
}

void ExpositionWriter::counter(QByteArrayView name, QByteArrayView help, const CounterFamily &counters)
{
    family(name, help, "counter");
    labeledSamples(name, counters.labelName(), counters.values());
}

void ExpositionWriter::gauge(QByteArrayView name, QByteArrayView help, double value)
{
    family(name, help, "gauge");
    sample(name, {}, value);
}

void ExpositionWriter::gauge(QByteArrayView name, QByteArrayView help, const QString &labelName,
                             const std::map<QString, double> &values)
{
    family(name, help, "gauge");
    labeledSamples(name, labelName, values);
}

void ExpositionWriter::histogram(QByteArrayView name, QByteArrayView help, const Histogram &histogram)
{
    family(name, help, "histogram");
    const QByteArray bucket = name.toByteArray() + "_bucket";
    // Prometheus buckets are cumulative: each counts everything up to its bound.
    quint64 cumulative = 0;
    for (size_t i = 0; i < histogram.upperBounds().size(); ++i) {
        cumulative += histogram.bucketCounts()[i];
        sample(bucket, "le=\"" + formatValue(histogram.upperBounds()[i]) + '"',
               static_cast<double>(cumulative));
    }
    sample(bucket, "le=\"+Inf\"", static_cast<double>(histogram.count()));
    sample(name.toByteArray() + "_sum", {}, histogram.sum());
    sample(name.toByteArray() + "_count", {}, static_cast<double>(histogram.count()));
}

} // namespace tandem::server::metrics
