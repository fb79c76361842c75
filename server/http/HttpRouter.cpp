#include "server/http/HttpRouter.h"

#include <QUrl>

#include <algorithm>

namespace tandem::server::http {
namespace {

bool isParameter(const QString &segment)
{
    return segment.size() > 2 && segment.startsWith(QLatin1Char('{')) && segment.endsWith(QLatin1Char('}'));
}

} // namespace

void HttpRouter::add(const QByteArray &method, const QString &pattern, Handler handler)
{
    Q_ASSERT_X(pattern.startsWith(QLatin1Char('/')), "HttpRouter::add", "patterns start with '/'");
    Route route;
    route.method = method;
    route.segments = pattern.split(QLatin1Char('/'));
    route.literalCount = static_cast<int>(std::count_if(route.segments.cbegin(), route.segments.cend(),
                                                        [](const QString &s) { return !isParameter(s); }));
    route.handler = std::move(handler);
    m_routes.append(std::move(route));
}

bool HttpRouter::matchSegments(const Route &route, const QStringList &segments,
                               QHash<QString, QString> *params)
{
    if (route.segments.size() != segments.size())
        return false;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const QString &expected = route.segments.at(i);
        if (isParameter(expected)) {
            if (segments.at(i).isEmpty())
                return false;
            if (params)
                params->insert(expected.mid(1, expected.size() - 2), segments.at(i));
        } else if (expected != segments.at(i)) {
            return false;
        }
    }
    return true;
}

HttpRouter::Match HttpRouter::match(QByteArrayView method, QByteArrayView encodedPath) const
{
    QStringList segments;
    for (const QByteArray &segment : encodedPath.toByteArray().split('/'))
        segments.append(QUrl::fromPercentEncoding(segment));

    const Route *best = nullptr;
    const Route *bestGet = nullptr; // HEAD falls back to GET
    QList<QByteArray> allowed;
    for (const Route &route : m_routes) {
        if (!matchSegments(route, segments, nullptr))
            continue;
        if (!allowed.contains(route.method))
            allowed.append(route.method);
        if (route.method == method && (!best || route.literalCount > best->literalCount))
            best = &route;
        if (method == "HEAD" && route.method == "GET" &&
            (!bestGet || route.literalCount > bestGet->literalCount))
            bestGet = &route;
    }
    if (!best)
        best = bestGet;

    Match result;
    if (best) {
        result.outcome = Match::Outcome::Found;
        result.handler = best->handler;
        matchSegments(*best, segments, &result.pathParams);
    } else if (!allowed.isEmpty()) {
        result.outcome = Match::Outcome::MethodNotAllowed;
        if (allowed.contains("GET") && !allowed.contains("HEAD"))
            allowed.append("HEAD");
        std::sort(allowed.begin(), allowed.end());
        result.allowedMethods = allowed;
    }
    return result;
}

} // namespace tandem::server::http
