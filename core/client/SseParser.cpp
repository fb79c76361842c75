#include "core/client/SseParser.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace tandem::client {

namespace {

constexpr QChar Cr = u'\r';
constexpr QChar Lf = u'\n';
constexpr QChar ByteOrderMark = QChar(0xFEFF);

// The size of `text` once encoded as UTF-8 (a surrogate pair is 2 + 2 = 4).
qsizetype utf8Size(QStringView text)
{
    qsizetype bytes = 0;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        bytes += u < 0x80 ? 1 : (u < 0x800 || c.isSurrogate()) ? 2 : 3;
    }
    return bytes;
}

// How many bytes at the end of `bytes` start a UTF-8 sequence that the next
// chunk may complete (0 to 3).
qsizetype unfinishedSequenceSize(QByteArrayView bytes)
{
    for (qsizetype back = 1; back <= 3 && back <= bytes.size(); ++back) {
        const auto byte = static_cast<unsigned char>(bytes[bytes.size() - back]);
        if ((byte & 0xC0) == 0x80)
            continue; // a continuation byte: look further back for the lead
        const qsizetype length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
        return length > back ? back : 0;
    }
    return 0;
}

} // namespace

SseParser::SseParser(qsizetype maxLineBytes)
    : m_maxLineBytes(maxLineBytes)
    // Keep the BOM in the output: the parser strips it itself, once, so that a
    // U+FEFF anywhere after the first character stays data. Stateless because
    // the parser carries a sequence cut by a chunk boundary itself: Qt 6.4's
    // stateful decoder loses the bytes after an invalid sequence split across
    // calls (E2 82 | 0A | 0A decoded to nothing, eating both line ends).
    , m_decoder(QStringConverter::Utf8,
                QStringConverter::Flag::Stateless | QStringConverter::Flag::ConvertInitialBom)
{}

Expected<QList<SseEvent>, SseParseError> SseParser::feed(QByteArrayView chunk)
{
    QList<SseEvent> events;
    if (const auto fed = feed(chunk, events); !fed)
        return unexpected(fed.error());
    return events;
}

Expected<void, SseParseError> SseParser::feed(QByteArrayView chunk, QList<SseEvent> &events)
{
    if (m_error)
        return unexpected(*m_error);
    if (chunk.isEmpty())
        return {};

    // A sequence cut by the chunk boundary waits for the next chunk, so the
    // decoder always sees whole sequences and decodes the stream the same way
    // however it is chunked. Invalid bytes decode to U+FFFD.
    QByteArrayView input = chunk;
    QByteArray joined;
    if (m_pendingSize > 0) {
        joined = QByteArray(m_pending, m_pendingSize);
        joined.append(chunk);
        m_pendingSize = 0;
        input = joined;
    }
    const qsizetype unfinished = unfinishedSequenceSize(input);
    if (unfinished > 0) {
        std::copy_n(input.end() - unfinished, unfinished, m_pending);
        m_pendingSize = unfinished;
        input.chop(unfinished);
    }
    if (input.isEmpty())
        return {};

    const qsizetype room = m_decoder.requiredSpace(input.size());
    if (m_decoded.size() < static_cast<size_t>(room))
        m_decoded.resize(static_cast<size_t>(room));
    const QChar *begin = m_decoded.data();
    const QChar *end = m_decoder.appendToBuffer(m_decoded.data(), input);

    if (m_atStreamStart && begin != end) {
        m_atStreamStart = false;
        if (*begin == ByteOrderMark)
            ++begin;
    }

    const QChar *segment = begin;
    for (const QChar *it = begin; it != end; ++it) {
        if (*it != Cr && *it != Lf)
            continue;
        // The LF of a CRLF whose CR ended the previous line (possibly in the
        // previous chunk) ends nothing.
        const bool lfOfCrLf = *it == Lf && m_afterCr && it == segment && m_line.isEmpty();
        m_afterCr = *it == Cr;
        if (lfOfCrLf) {
            segment = it + 1;
            continue;
        }
        appendToLine(QStringView(segment, it));
        if (m_error)
            return unexpected(*m_error);
        processLine(events);
        segment = it + 1;
    }
    if (segment != end) {
        m_afterCr = false;
        appendToLine(QStringView(segment, end));
        if (m_error)
            return unexpected(*m_error);
    }
    return {};
}

void SseParser::finish()
{
    resetStream();
}

void SseParser::resetStream()
{
    m_decoder.resetState();
    m_pendingSize = 0;
    m_atStreamStart = true;
    m_afterCr = false;
    m_line.clear();
    m_lineBytes = 0;
    m_eventType.clear();
    m_data.clear();
}

void SseParser::appendToLine(QStringView text)
{
    if (text.isEmpty())
        return;
    m_lineBytes += utf8Size(text);
    if (m_lineBytes > m_maxLineBytes) {
        m_error = SseParseError::LineTooLong;
        m_line.clear();
        return;
    }
    // QString grows geometrically, so appending one character at a time stays
    // linear overall.
    m_line.append(text);
}

void SseParser::processLine(QList<SseEvent> &events)
{
    const QStringView line(m_line);
    if (line.isEmpty()) {
        dispatch(events);
    } else if (line.front() == u':') {
        // A comment.
    } else if (const qsizetype colon = line.indexOf(u':'); colon >= 0) {
        QStringView value = line.sliced(colon + 1);
        if (value.startsWith(u' '))
            value = value.sliced(1);
        processField(line.first(colon), value);
    } else {
        processField(line, QStringView());
    }
    m_line.clear(); // keeps its capacity for the next line
    m_lineBytes = 0;
}

void SseParser::processField(QStringView name, QStringView value)
{
    if (name == u"event") {
        m_eventType = value.toString();
    } else if (name == u"data") {
        m_data.append(value);
        m_data.append(Lf);
    } else if (name == u"id") {
        if (!value.contains(QChar(u'\0')))
            m_lastEventId = value.toString();
    } else if (name == u"retry") {
        // Only ASCII digits; an empty value or one too large for 64 bits is
        // ignored like any other invalid value.
        if (value.isEmpty())
            return;
        qint64 ms = 0;
        for (const QChar c : value) {
            if (c.unicode() < u'0' || c.unicode() > u'9')
                return;
            const int digit = c.unicode() - u'0';
            if (ms > (std::numeric_limits<qint64>::max() - digit) / 10)
                return;
            ms = ms * 10 + digit;
        }
        m_reconnectionTimeMs = ms;
    }
    // Any other field is ignored.
}

void SseParser::dispatch(QList<SseEvent> &events)
{
    if (m_data.isEmpty()) {
        m_eventType.clear();
        return;
    }
    m_data.chop(1); // the LF appended after the last data line
    SseEvent event;
    if (!m_eventType.isEmpty())
        event.type = m_eventType;
    event.data = std::exchange(m_data, QString());
    event.lastEventId = m_lastEventId;
    events.append(std::move(event));
    m_eventType.clear();
}

} // namespace tandem::client
