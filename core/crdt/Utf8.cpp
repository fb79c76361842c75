#include "core/crdt/Utf8.h"

namespace tandem::crdt::utf8 {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

bool isHighSurrogate(char16_t unit)
{
    return unit >= 0xD800 && unit <= 0xDBFF;
}
bool isLowSurrogate(char16_t unit)
{
    return unit >= 0xDC00 && unit <= 0xDFFF;
}

// Walks `text` as code points, with lone surrogates already replaced.
template <typename Visitor> void forEachCodePoint(QStringView text, Visitor &&visit)
{
    const qsizetype size = text.size();
    const char16_t *units = text.utf16();
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t unit = units[i];
        if (isHighSurrogate(unit) && i + 1 < size && isLowSurrogate(units[i + 1])) {
            visit(char32_t(0x10000 + ((unit - 0xD800) << 10) + (units[i + 1] - 0xDC00)));
            ++i;
        } else if (isHighSurrogate(unit) || isLowSurrogate(unit)) {
            visit(kReplacement);
        } else {
            visit(char32_t(unit));
        }
    }
}

} // namespace

void append(QByteArray &out, QStringView text)
{
    forEachCodePoint(text, [&out](char32_t cp) {
        if (cp < 0x80) {
            out.append(char(cp));
        } else if (cp < 0x800) {
            out.append(char(0xC0 | (cp >> 6)));
            out.append(char(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out.append(char(0xE0 | (cp >> 12)));
            out.append(char(0x80 | ((cp >> 6) & 0x3F)));
            out.append(char(0x80 | (cp & 0x3F)));
        } else {
            out.append(char(0xF0 | (cp >> 18)));
            out.append(char(0x80 | ((cp >> 12) & 0x3F)));
            out.append(char(0x80 | ((cp >> 6) & 0x3F)));
            out.append(char(0x80 | (cp & 0x3F)));
        }
    });
}

qsizetype encodedLength(QStringView text)
{
    qsizetype length = 0;
    forEachCodePoint(text, [&length](char32_t cp) {
        length += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    });
    return length;
}

std::optional<QString> decode(const char *data, qsizetype size)
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(data);
    QString result(size, Qt::Uninitialized);
    char16_t *out = reinterpret_cast<char16_t *>(result.data());
    qsizetype written = 0;
    qsizetype i = 0;
    while (i < size) {
        const unsigned char lead = bytes[i];
        if (lead < 0x80) {
            out[written++] = lead;
            ++i;
            continue;
        }
        int continuation = 0;
        char32_t cp = 0;
        char32_t minimum = 0;
        if (lead >= 0xC2 && lead <= 0xDF) {
            continuation = 1;
            cp = lead & 0x1F;
            minimum = 0x80;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            continuation = 2;
            cp = lead & 0x0F;
            minimum = 0x800;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            continuation = 3;
            cp = lead & 0x07;
            minimum = 0x10000;
        } else {
            return std::nullopt;
        }
        if (i + continuation >= size)
            return std::nullopt;
        for (int k = 1; k <= continuation; ++k) {
            const unsigned char next = bytes[i + k];
            if ((next & 0xC0) != 0x80)
                return std::nullopt;
            cp = (cp << 6) | (next & 0x3F);
        }
        if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return std::nullopt;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out[written++] = char16_t(0xD800 + (cp >> 10));
            out[written++] = char16_t(0xDC00 + (cp & 0x3FF));
        } else {
            out[written++] = char16_t(cp);
        }
        i += continuation + 1;
    }
    result.truncate(written);
    return result;
}

} // namespace tandem::crdt::utf8
