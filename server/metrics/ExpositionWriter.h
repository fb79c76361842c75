#pragma once
// Writes metrics in the Prometheus text exposition format, version 0.0.4:
// per family a "# HELP" and a "# TYPE" line, then its samples, label values
// escaped. Only what tandem-server needs: counters, gauges and histograms with
// at most one label of their own.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <map>

namespace tandem::server::metrics {

class CounterFamily;
class Histogram;

class ExpositionWriter {
public:
    /// What a scrape is answered with.
    static constexpr const char *ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// `name` is the sample name, ending in _total for counters (the format's convention).
    void counter(QByteArrayView name, QByteArrayView help, double value);
    void counter(QByteArrayView name, QByteArrayView help, const CounterFamily &family);
    void gauge(QByteArrayView name, QByteArrayView help, double value);
    void gauge(QByteArrayView name, QByteArrayView help, const QString &labelName,
               const std::map<QString, double> &values);
    void histogram(QByteArrayView name, QByteArrayView help, const Histogram &histogram);

    const QByteArray &text() const { return m_text; }

    /// A label value between double quotes: backslash, double quote and line feed escaped.
    static QByteArray escapeLabelValue(const QString &value);
    /// Integers exactly, other values in the shortest form that reads back the same; +Inf, -Inf, NaN.
    static QByteArray formatValue(double value);

private:
    void family(QByteArrayView name, QByteArrayView help, QByteArrayView type);
    void sample(QByteArrayView name, QByteArrayView labels, double value);
    template <typename Values>
    void labeledSamples(QByteArrayView name, const QString &labelName, const Values &values);

    QByteArray m_text;
};

} // namespace tandem::server::metrics
