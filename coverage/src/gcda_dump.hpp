// The .gcda files of a --cov run written when its tests end, on a thread of their own: libgcov
// writes them at exit, one object after the other (reading, merging and rewriting each file),
// which was a tenth of a run of attest's unit suite; the rest of the run's end (mapping the
// counters, the reports) goes on meanwhile.
#pragma once

namespace attest::coverage::internal {

/// Starts libgcov's own dump of the process's objects now, on a thread of its own. Each root
/// dumped has its counters zeroed; at exit, just before libgcov's own dump (which skips them:
/// they are marked dumped), the objects whose counters moved since — what ran after: the rest
/// of the run's end, fixtures' teardown, static destructors — are written again, adding those
/// counts, so that the files hold the whole run as they would have.
/// Call only where libgcov's structures are known to be this GCC's (Recorder::learn_layout()
/// checked them). Once per process: false, and nothing started, when it already ran or this
/// libgcov has no such dump.
bool start_gcda_dump();

/// Returns once what start_gcda_dump() started has finished (at once when nothing was).
void wait_for_gcda_dump();

}  // namespace attest::coverage::internal
