// libFuzzer entry point for everything that decodes peer input in core/crdt:
// updates (v1), state vectors, relative positions, sync and awareness
// messages. Built as a fuzzer with clang (scripts/fuzz-crdt.sh) and replayed
// over the seed corpus by tst_fuzzcorpus under any compiler.
//
// Beyond "no crash, no sanitizer report" it checks: a refused update changes
// nothing; an accepted one re-encodes to an update that another doc accepts
// and that gives the same text and state vector.

#include "core/crdt/Awareness.h"
#include "core/crdt/Doc.h"
#include "core/crdt/Lib0Decoder.h"
#include "core/crdt/Lib0Encoder.h"
#include "core/crdt/RelativePosition.h"
#include "core/crdt/SyncProtocol.h"
#include "core/crdt/Text.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace tandem::crdt;

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort(); // the fuzzer reports it with the input
}

QString textOf(Doc &doc)
{
    return doc.getText(QStringLiteral("t")).toString();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));

    // An update applied to a doc that already has content.
    Doc doc(1);
    doc.getText(QStringLiteral("t")).insert(0, QStringLiteral("seed 😀"));
    const QByteArray before = *doc.encodeStateAsUpdate();
    if (doc.applyUpdate(input)) {
        const QByteArray state = *doc.encodeStateAsUpdate();
        Doc copy(2);
        require(bool(copy.applyUpdate(state)));
        require(textOf(copy) == textOf(doc));
        require(copy.encodeStateVector() == doc.encodeStateVector());
        // Applying the same update again changes nothing.
        require(bool(doc.applyUpdate(input)));
        require(*doc.encodeStateAsUpdate() == state);
    } else {
        require(*doc.encodeStateAsUpdate() == before);
    }

    // The same bytes as an update split in two, for pending structs.
    Doc halves(3);
    const qsizetype middle = input.size() / 2;
    (void)halves.applyUpdate(input.mid(middle));
    (void)halves.applyUpdate(input.left(middle));

    // As a state vector, a relative position, a sync and an awareness message.
    (void)doc.encodeStateAsUpdate(input);
    if (const auto position = RelativePosition::decode(input))
        (void)resolveRelativePosition(*position, doc);
    Lib0Decoder decoder(input);
    Lib0Encoder reply;
    (void)sync::readMessage(decoder, reply, doc, 0);
    Awareness awareness(1, tandem::Clock::system());
    (void)awareness.applyUpdate(input);
    return 0;
}
