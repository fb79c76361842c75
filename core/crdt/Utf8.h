#pragma once
// UTF-8 exactly as JavaScript peers see it. Qt's own conversions differ in the
// two places that matter for Yjs: QString::toUtf8() writes '?' for a lone
// surrogate where TextEncoder writes U+FFFD, and QString::fromUtf8() accepts
// invalid input where TextDecoder({fatal:true}) throws. Either difference would
// change UTF-16 lengths or content and so desynchronise clocks with JS peers.

#include <QByteArray>
#include <QString>

#include <optional>

namespace tandem::crdt::utf8 {

/// Appends `text` as UTF-8; a lone surrogate becomes EF BF BD.
void append(QByteArray &out, QStringView text);

/// Number of bytes append() would write.
qsizetype encodedLength(QStringView text);

/// Strictly decodes UTF-8 (no overlongs, no surrogates, nothing above
/// U+10FFFF, no truncated sequences); nullopt when the bytes are invalid.
std::optional<QString> decode(const char *data, qsizetype size);

} // namespace tandem::crdt::utf8
