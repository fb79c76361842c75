#pragma once
// QVERIFY2 evaluates its message even when the check passes, so a test must
// not call error() on a Result that holds a value. errorText() is safe either way.

#include <QByteArray>

template <typename R> QByteArray errorText(const R &result)
{
    return result ? QByteArray("(no error)") : result.error().message.toUtf8();
}
