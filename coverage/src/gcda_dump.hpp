// The .gcda files of a --cov run, written at exit by attest rather than by libgcov. GCC 12's
// libgcov reads and writes them through stdio a word at a time (hundreds of thousands of
// calls for a binary of a few hundred objects: a sixth of a short suite's run); attest reads
// each file whole, merges as libgcov merges (gcc/libgcov-driver.c: dump_one_gcov,
// merge_one_data, write_one_data) and writes it whole — the same bytes, under the same lock.
#pragma once

namespace attest::coverage::internal {

/// From now on this process's .gcda files are attest's to write, at exit: after every static
/// destructor (what runs after the last test is counted) and before libgcov's own dump, which
/// then skips the roots attest wrote (they are marked dumped, as libgcov marks them). A file
/// attest does not know how to merge exactly — not a GCC 12 data file, another compilation's
/// (its checksum differs), functions that do not match, GCOV_PREFIX or GCOV_PREFIX_STRIP set,
/// a directory to create — is left to libgcov's own dump, whose messages and choices stay
/// libgcov's. Call only where libgcov's structures are known to be this GCC's
/// (Recorder::learn_layout() checked them). A child forked afterwards leaves its files to
/// libgcov; a root dumped already (__gcov_dump) is left as it is. False when this libgcov
/// cannot be taken over (not GCC 12's).
bool write_gcda_at_exit();

}  // namespace attest::coverage::internal
