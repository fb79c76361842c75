#pragma once
// One bidirectional message channel to the server: WebSocket, Server-Sent
// Events + POST, or polling + POST (DESIGN.md §4, README "Transports"), and
// FallbackTransport choosing among them, so the Session does not care which
// one carries its envelopes.

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QUrl>

namespace tandem::client {

/// The client's own close code (RFC 6455 private-use range, apart from the
/// protocol's 40xx; a server that sees it in a close frame takes it as a plain
/// goodbye): the transport closed a working connection so that the Session
/// reconnects at once on another transport (FallbackTransport found WebSocket
/// usable again, or the user changed the transport setting).
/// ConnectionStateMachine reconnects on it without a backoff wait.
inline constexpr int CloseTransportChange = 4900;

class Transport : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;

    /// Short name for the status bar, e.g. "WebSocket".
    virtual QString name() const = 0;
    /// Starts connecting; ends in opened() or closed(). Abandons any previous connection silently.
    virtual void open(const QUrl &url) = 0;
    /// Closes with `code`; closed(code, reason) follows at once and nothing more is emitted.
    virtual void close(quint16 code, const QString &reason) = 0;
    /// Sends one JSON message (UTF-8). Dropped when not open.
    virtual void send(const QByteArray &json) = 0;
    /// Sends one binary frame (a document frame, PROTOCOL.md "Documents").
    /// Dropped when not open, or when the transport can only carry text
    /// (supportsBinary() false: send the base64 JSON form instead).
    virtual void sendBinary(const QByteArray &data) { Q_UNUSED(data); }
    virtual bool supportsBinary() const { return false; }
    virtual bool isOpen() const = 0;
    /// The app's window is hidden or minimised (true) or shown again: a
    /// transport that polls may poll less often. Ignored by the others.
    virtual void setBackground(bool background) { Q_UNUSED(background); }

Q_SIGNALS:
    void opened();
    /// Exactly once per open(): the close code (1006 when there was no close frame) and why.
    void closed(int code, const QString &reason);
    void messageReceived(const QByteArray &json);
    void binaryMessageReceived(const QByteArray &data);
    /// name() changed (a FallbackTransport moved to another transport).
    void nameChanged(const QString &name);
};

} // namespace tandem::client
