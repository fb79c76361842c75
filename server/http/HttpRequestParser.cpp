#include "server/http/HttpRequestParser.h"

#include <QUrl>

#include <http_parser.h>

#include <climits>
#include <utility>

namespace tandem::server::http {

static bool isToken(QByteArrayView name)
{
    if (name.isEmpty())
        return false;
    for (const char c : name) {
        const bool alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alphanumeric && !QByteArrayView("!#$%&'*+-.^_`|~").contains(c))
            return false;
    }
    return true;
}

// Chunk-size lines, extensions and trailers are framing, not body: cap them too, so a chunked
// request cannot stream unbounded bytes at us while its decoded body stays small.
static qint64 maxBodyWireBytes(qint64 maxBodyBytes)
{
    return 2 * maxBodyBytes + 64 * 1024;
}

struct HttpRequestParser::Callbacks {
    static HttpRequestParser &self(http_parser *parser)
    {
        return *static_cast<HttpRequestParser *>(parser->data);
    }

    static void finishHeader(HttpRequestParser &self)
    {
        if (self.m_headerName.isEmpty())
            return;
        self.m_request.headers.append(
            {std::exchange(self.m_headerName, {}), std::exchange(self.m_headerValue, {}).trimmed()});
    }

    static int onUrl(http_parser *parser, const char *at, size_t length)
    {
        self(parser).m_request.target.append(at, static_cast<qsizetype>(length));
        return 0;
    }

    // A field or value may arrive in several pieces when a header straddles two reads.
    static int onHeaderField(http_parser *parser, const char *at, size_t length)
    {
        HttpRequestParser &p = self(parser);
        if (p.m_lastWasValue) {
            finishHeader(p);
            p.m_lastWasValue = false;
        }
        p.m_headerName.append(at, static_cast<qsizetype>(length));
        return 0;
    }

    static int onHeaderValue(http_parser *parser, const char *at, size_t length)
    {
        HttpRequestParser &p = self(parser);
        p.m_lastWasValue = true;
        p.m_headerValue.append(at, static_cast<qsizetype>(length));
        return 0;
    }

    static int onHeadersComplete(http_parser *parser) { return self(parser).headersComplete(); }

    static int onBody(http_parser *parser, const char *at, size_t length)
    {
        return self(parser).body(at, length);
    }

    static int onMessageComplete(http_parser *parser)
    {
        HttpRequestParser &p = self(parser);
        p.m_messageComplete = true;
        p.m_keepAlive = http_should_keep_alive(parser) != 0;
        // Stop here: what follows is the next pipelined request, read only after this one is answered.
        http_parser_pause(parser, 1);
        return 0;
    }

    static const http_parser_settings &settings()
    {
        static const http_parser_settings instance = [] {
            http_parser_settings s;
            http_parser_settings_init(&s);
            s.on_url = &onUrl;
            s.on_header_field = &onHeaderField;
            s.on_header_value = &onHeaderValue;
            s.on_headers_complete = &onHeadersComplete;
            s.on_body = &onBody;
            s.on_message_complete = &onMessageComplete;
            return s;
        }();
        return instance;
    }
};

HttpRequestParser::HttpRequestParser(qint64 maxBodyBytes)
    : m_parser(std::make_unique<http_parser>())
    , m_maxBodyBytes(maxBodyBytes)
{
    reset();
}

HttpRequestParser::~HttpRequestParser() = default;

void HttpRequestParser::reset()
{
    http_parser_init(m_parser.get(), HTTP_REQUEST);
    m_parser->data = this;
    m_bodyWireBytes = 0;
    m_request = {};
    m_headerName.clear();
    m_headerValue.clear();
    m_lastWasValue = false;
    m_headComplete = false;
    m_messageComplete = false;
    m_failed = false;
    m_bodyTooLarge = false;
    m_keepAlive = false;
    m_expectsBody = false;
    m_errorString.clear();
}

qint64 HttpRequestParser::feed(QByteArrayView data)
{
    if (m_failed || m_bodyTooLarge || m_messageComplete || data.isEmpty())
        return 0;
    if (static_cast<http_errno>(m_parser->http_errno) == HPE_PAUSED)
        http_parser_pause(m_parser.get(), 0);

    const bool inBody = m_headComplete;
    const auto consumed = static_cast<qint64>(http_parser_execute(
        m_parser.get(), &Callbacks::settings(), data.data(), static_cast<size_t>(data.size())));

    const auto error = static_cast<http_errno>(m_parser->http_errno);
    if (error != HPE_OK && error != HPE_PAUSED && !m_bodyTooLarge) {
        m_failed = true;
        if (m_errorString.isEmpty())
            m_errorString = QString::fromLatin1(http_errno_description(error));
    }
    if (inBody) {
        m_bodyWireBytes += consumed;
        if (m_bodyWireBytes > maxBodyWireBytes(m_maxBodyBytes) && !m_messageComplete)
            m_bodyTooLarge = true;
    }
    return consumed;
}

bool HttpRequestParser::rejectsPartialHead(QByteArrayView bytes) const
{
    if (m_failed)
        return true;
    if (m_headComplete || bytes.isEmpty())
        return false;
    http_parser probe = *m_parser; // plain C state: a copy parses independently
    if (static_cast<http_errno>(probe.http_errno) == HPE_PAUSED)
        http_parser_pause(&probe, 0);
    static const http_parser_settings noCallbacks = [] {
        http_parser_settings settings;
        http_parser_settings_init(&settings);
        return settings;
    }();
    http_parser_execute(&probe, &noCallbacks, bytes.data(), static_cast<size_t>(bytes.size()));
    const auto error = static_cast<http_errno>(probe.http_errno);
    return error != HPE_OK && error != HPE_PAUSED;
}

HttpRequest HttpRequestParser::takeRequest()
{
    return std::exchange(m_request, {});
}

int HttpRequestParser::headersComplete()
{
    Callbacks::finishHeader(*this);
    // Debian builds http_parser without HTTP_PARSER_STRICT, which lets spaces into header names
    // ("Transfer-Encoding : chunked"): a smuggling vector behind proxies that read them differently.
    for (const auto &header : std::as_const(m_request.headers)) {
        if (!isToken(header.first)) {
            m_errorString = QStringLiteral("invalid header name");
            return -1;
        }
    }
    m_request.method = http_method_str(static_cast<http_method>(m_parser->method));
    if (m_parser->http_major != 1) {
        m_errorString = QStringLiteral("unsupported HTTP version");
        return -1;
    }
    m_request.httpMinorVersion = m_parser->http_minor;

    http_parser_url url;
    http_parser_url_init(&url);
    const bool isConnect = m_parser->method == HTTP_CONNECT;
    if (http_parser_parse_url(m_request.target.constData(), static_cast<size_t>(m_request.target.size()),
                              isConnect ? 1 : 0, &url) != 0) {
        m_errorString = QStringLiteral("invalid request target");
        return -1;
    }
    const auto field = [&](http_parser_url_fields which) -> QByteArray {
        if (!(url.field_set & (1 << which)))
            return {};
        return m_request.target.mid(url.field_data[which].off, url.field_data[which].len);
    };
    m_request.encodedPath = field(UF_PATH);
    if (m_request.encodedPath.isEmpty() && !isConnect)
        m_request.encodedPath = QByteArrayLiteral("/"); // absolute-form without a path: "http://host"
    m_request.path = QUrl::fromPercentEncoding(m_request.encodedPath);
    m_request.query = QUrlQuery(QString::fromUtf8(field(UF_QUERY)));

    const bool chunked = (m_parser->flags & F_CHUNKED) != 0;
    const bool hasLength = m_parser->content_length != ULLONG_MAX;
    m_expectsBody = chunked || (hasLength && m_parser->content_length > 0);
    if (!chunked && hasLength && m_parser->content_length > static_cast<quint64>(m_maxBodyBytes))
        m_bodyTooLarge = true;

    m_headComplete = true;
    // Stop at the end of the head: the connection decides (upgrade, 413, 100-continue) before any
    // byte of the body is consumed.
    http_parser_pause(m_parser.get(), 1);
    return 0;
}

int HttpRequestParser::body(const char *at, size_t length)
{
    if (m_request.body.size() + static_cast<qint64>(length) > m_maxBodyBytes) {
        m_bodyTooLarge = true;
        return -1;
    }
    m_request.body.append(at, static_cast<qsizetype>(length));
    return 0;
}

} // namespace tandem::server::http
