#pragma once
// The tandem-server command line: `serve` and the offline `user` commands.
// Kept out of main.cpp so it is a library function tests can call.

#include <QStringList>

class QTextStream;

namespace tandem::server {

/// Runs one command line; returns the process exit code. `serve` runs the
/// event loop of the QCoreApplication that must already exist.
int runServerCli(const QStringList &arguments, QTextStream &in, QTextStream &out, QTextStream &err);

} // namespace tandem::server
