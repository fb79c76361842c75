#include "server/http/HttpRequest.h"

namespace tandem::server::http {

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const auto &[headerName, value] : headers) {
        if (headerName.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool HttpRequest::hasHeader(QByteArrayView name) const
{
    for (const auto &entry : headers) {
        if (entry.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QString HttpRequest::pathParam(const QString &name) const
{
    return pathParams.value(name);
}

std::optional<QByteArray> HttpRequest::bearerToken() const
{
    const QByteArray authorization = header("Authorization").trimmed();
    constexpr QByteArrayView scheme("Bearer");
    if (authorization.size() <= scheme.size() ||
        authorization.first(scheme.size()).compare(scheme, Qt::CaseInsensitive) != 0)
        return std::nullopt;
    // The scheme must be a whole word: "Bearerx" is not "Bearer x".
    const char separator = authorization.at(scheme.size());
    if (separator != ' ' && separator != '\t')
        return std::nullopt;
    const QByteArray token = authorization.mid(scheme.size()).trimmed();
    if (token.isEmpty() || token.contains(' ') || token.contains('\t'))
        return std::nullopt;
    return token;
}

} // namespace tandem::server::http
