#pragma once
// What the SSE and polling transport tests share: the envelopes they send and
// expect, and a fixture that runs one transport on a manual clock against a
// ScriptedHttpServer with its signals spied on. Each test derives its own
// Fixture from it and adds how its transport opens.

#include "ScriptedHttpServer.h"
#include "core/client/ManualTimerSource.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <utility>

namespace tandem::client::test {

/// The connect timeout every fixture gives its transport.
inline constexpr qint64 ConnectTimeoutMs = 5000;

/// Envelope number n: {"type":"chat:message","id":"e<n>"}, compact.
inline QByteArray envelope(int n)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("chat:message")},
                                     {QStringLiteral("id"), QStringLiteral("e%1").arg(n)}})
        .toJson(QJsonDocument::Compact);
}

/// `Transport` (SseTransport, PollingTransport) built as (timers, ConnectTimeoutMs, policies…).
template <class Transport> struct HttpTransportFixture {
    ManualClock clock;
    ManualTimerSource timers{clock};
    ScriptedHttpServer server;
    Transport transport;
    QSignalSpy opened{&transport, &Transport::opened};
    QSignalSpy closed{&transport, &Transport::closed};
    QSignalSpy messages{&transport, &Transport::messageReceived};

    template <class... Policies>
    explicit HttpTransportFixture(Policies &&...policies)
        : transport(timers, ConnectTimeoutMs, std::forward<Policies>(policies)...)
    {}

    /// The request to `path` the transport sends next (waits for it; aborts the test without one).
    std::shared_ptr<ScriptedRequest> next(const QString &path)
    {
        std::shared_ptr<ScriptedRequest> request;
        if (!QTest::qWaitFor([&] { return (request = server.pending(path)) != nullptr; }))
            qFatal("no request to %s arrived", qPrintable(path));
        return request;
    }

    /// The messages received so far, in order.
    QList<QByteArray> received() const
    {
        QList<QByteArray> list;
        for (const auto &arguments : messages)
            list.append(arguments.at(0).toByteArray());
        return list;
    }
};

} // namespace tandem::client::test
