#include "server/http/HttpResponse.h"

#include "server/http/HttpLog.h"

#include <QJsonDocument>

#include <http_parser.h>

namespace tandem::server::http {
namespace {

bool isTokenChar(char c)
{
    // RFC 9110 tchar
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isValidHeaderName(QByteArrayView name)
{
    if (name.isEmpty())
        return false;
    for (char c : name) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool isValidHeaderValue(QByteArrayView value)
{
    return !value.contains('\r') && !value.contains('\n') && !value.contains('\0');
}

bool isManagedHeader(QByteArrayView name)
{
    return name.compare("Content-Length", Qt::CaseInsensitive) == 0 ||
           name.compare("Connection", Qt::CaseInsensitive) == 0 ||
           name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0;
}

QByteArray reasonPhrase(int status)
{
    const char *reason = http_status_str(static_cast<enum http_status>(status));
    const QByteArray phrase(reason);
    return phrase.startsWith('<') ? QByteArrayLiteral("Unknown") : phrase;
}

} // namespace

HttpResponse HttpResponse::json(int status, const QJsonObject &object)
{
    HttpResponse response;
    response.status = status;
    response.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    response.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    return response;
}

HttpResponse HttpResponse::error(protocol::ErrorCode code, const QString &message)
{
    return error(protocol::httpStatus(code), code, message);
}

HttpResponse HttpResponse::error(int status, protocol::ErrorCode code, const QString &message)
{
    const QJsonObject detail{{QStringLiteral("code"), protocol::errorCodeName(code)},
                             {QStringLiteral("message"), message}};
    return json(status, {{QStringLiteral("error"), detail}});
}

HttpResponse HttpResponse::error(protocol::ErrorCode code, const QString &message, const QJsonObject &extra)
{
    QJsonObject body = extra;
    body.insert(QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), protocol::errorCodeName(code)},
                                                     {QStringLiteral("message"), message}});
    return json(protocol::httpStatus(code), body);
}

void HttpResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    headers.removeIf(
        [&name](const auto &entry) { return entry.first.compare(name, Qt::CaseInsensitive) == 0; });
    headers.append({name, value});
}

QByteArray HttpResponse::header(QByteArrayView name) const
{
    for (const auto &[headerName, value] : headers) {
        if (headerName.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray HttpResponse::serializeHead(std::optional<qint64> contentLength, bool keepAlive) const
{
    const int code = (status >= 100 && status <= 599) ? status : 500;
    QByteArray out;
    out.reserve(64 + headers.size() * 48);
    out += "HTTP/1.1 " + QByteArray::number(code) + ' ' + reasonPhrase(code) + "\r\n";
    for (const auto &[name, value] : headers) {
        if (isManagedHeader(name))
            continue;
        if (!isValidHeaderName(name) || !isValidHeaderValue(value)) {
            qCWarning(lcHttp) << "dropping malformed response header" << name.left(64);
            continue;
        }
        out += name + ": " + value + "\r\n";
    }
    if (contentLength)
        out += "Content-Length: " + QByteArray::number(*contentLength) + "\r\n";
    out += keepAlive ? QByteArrayView("Connection: keep-alive\r\n") : QByteArrayView("Connection: close\r\n");
    out += "\r\n";
    return out;
}

QByteArray HttpResponse::serialize(bool keepAlive, bool includeBody) const
{
    const int code = (status >= 100 && status <= 599) ? status : 500;
    // RFC 9110 §8.6: no Content-Length (and no body) on 1xx and 204; 304 repeats metadata only.
    const bool hasBody = code >= 200 && code != 204 && code != 304;
    QByteArray out = serializeHead(hasBody ? std::optional<qint64>(body.size()) : std::nullopt, keepAlive);
    if (hasBody && includeBody)
        out += body;
    return out;
}

QByteArray HttpResponse::serializeStreamHead() const
{
    return serializeHead(std::nullopt, false);
}

} // namespace tandem::server::http
