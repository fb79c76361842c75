#pragma once
// The machine is shared: before a measured window, wait (up to a limit) until
// other processes leave this benchmark most of the CPU, and say how busy they were.

namespace tandem::bench {

/// Samples for 150 ms at a time until the CPU used by processes other than
/// this one (and `alsoOursPid`, e.g. a server it started) stays under
/// `maxOtherPercent` of one core, or `maxWaitMs` passed. Returns the last
/// sample's other-CPU figure in % of one core.
double waitForQuietMachine(double maxOtherPercent, int maxWaitMs, long long alsoOursPid = 0);

} // namespace tandem::bench
