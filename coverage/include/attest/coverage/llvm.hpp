// Clang's source-based coverage (-fprofile-instr-generate -fcoverage-mapping), read
// without llvm-profdata or llvm-cov: the counters of the profile runtime linked into the
// process (copied in memory before and after each test) and the coverage mapping of each
// loaded ELF object (__llvm_covmap, __llvm_covfun, __llvm_prf_names). build_record() maps
// counters to the lines, branches and functions llvm-cov would report, for the whole run
// and for every test. Coverage mapping format versions 4 to 6 (Clang 11 to 16; Clang 14
// writes version 6), raw profile data of Clang 13 and later (counter pointers relative to
// their data record), 64-bit little-endian ELF.
//
// attest is built with GCC: the runtime's symbols are weak references, null when the
// process carries no Clang profile runtime.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <attest/coverage/gcov.hpp>
#include <attest/coverage/record.hpp>

namespace attest::coverage::llvm {

/// One __llvm_profile_data record: the function's counters in a snapshot.
struct FunctionCounters {
  std::uint64_t name_hash = 0, func_hash = 0;  // MD5 of the PGO name (low 64 bits), CFG hash
  std::size_t offset = 0, count = 0;           // into the flat snapshot of the counters
};

struct Layout {
  std::vector<FunctionCounters> functions;
  std::size_t size = 0;  // counters in a snapshot
};

/// The running process's counters, when it carries Clang's profile runtime (weak
/// __llvm_profile_begin_data/end_data/begin_counters/end_counters); nullopt with the
/// reason in `why` otherwise.
std::optional<Layout> process_layout(std::string& why);

/// Whether Clang's profile runtime is linked into the process at all.
bool runtime_linked();

/// Copies every counter of the process into `values` (resized to layout.size): one memcpy.
void read_counters(const Layout& layout, std::vector<std::uint64_t>& values);

/// The process's counters where the runtime keeps them (process_layout() said they exist).
const std::uint64_t* live_counters();

// ---- The coverage mapping, decoded (pure functions of bytes: tests, fuzzer) ----

/// A counter of a mapping region: zero, counter #id of the function, or expression #id.
struct Counter {
  enum class Kind : std::uint8_t { zero, counter, expression };
  Kind kind = Kind::zero;
  std::uint32_t id = 0;
  bool operator==(const Counter&) const = default;
};

struct Expression {
  bool add = false;  // lhs + rhs; otherwise lhs - rhs
  Counter lhs, rhs;
  bool operator==(const Expression&) const = default;
};

enum class RegionKind : std::uint8_t { code = 0, expansion = 1, skipped = 2, gap = 3, branch = 4 };

struct Region {
  Counter count, false_count;  // false_count: branch regions only
  std::uint32_t file_id = 0, expanded_file_id = 0;
  std::uint32_t line_start = 0, column_start = 0, line_end = 0, column_end = 0;
  RegionKind kind = RegionKind::code;
  bool operator==(const Region&) const = default;
};

/// One function's record as llvm-cov's reader produces it: its files (absolute when the
/// format carries the compilation directory), its expressions, its regions (expansion
/// regions carry the counter of the first region of the file they expand).
struct FunctionMapping {
  std::string name;  // the PGO name ("file:name" for internal functions); empty without names
  std::uint64_t name_hash = 0, func_hash = 0;
  std::vector<std::string> files;
  std::vector<Expression> expressions;
  std::vector<Region> regions;
  /// A record of a function the TU did not emit: hash 0, one zero region.
  bool dummy() const;
};

struct ObjectMapping {
  std::vector<FunctionMapping> functions;  // one per name hash, as llvm-cov keeps them
};

/// Decodes one object's __llvm_covmap and __llvm_covfun section contents (and
/// __llvm_prf_names, for the functions' names; may be empty). Keeps one record per name
/// hash (a real one over a dummy), as llvm-cov does. Throws attest::InputError naming
/// `origin` on malformed data; never reads outside the given bytes.
ObjectMapping decode_mapping(std::string_view covmap, std::string_view covfun,
                             std::string_view names, const std::string& origin);

/// The names in a __llvm_prf_names section (zlib-compressed chunks or plain). InputError.
std::vector<std::string> decode_names(std::string_view names, const std::string& origin);

/// The low 64 bits of MD5 (little-endian), as LLVM hashes names and filename blobs.
std::uint64_t md5_low64(std::string_view bytes);

/// The coverage sections of an ELF file (empty when absent); nullopt when the file cannot
/// be read or is not a 64-bit little-endian ELF. InputError on a malformed ELF.
struct Sections {
  std::string covmap, covfun, names;
};
std::optional<Sections> read_sections(const std::string& path);

/// The ELF objects loaded in the process that carry a coverage mapping (the executable as
/// /proc/self/exe), decoded.
std::vector<ObjectMapping> process_mappings();

/// Like gcov::build_record: totals = the last snapshot (whole run), deltas[i] = what
/// tests[i] executed. Reads the mapping of every object loaded in the process.
Record build_record(const Layout& layout, const std::vector<std::uint64_t>& totals,
                    std::vector<TestContext> tests, const std::vector<gcov::Delta>& deltas,
                    const gcov::Filter& filter);

/// The same from given mappings (objects none of whose functions match the layout are
/// left out: their counters live in another copy of the runtime).
Record build_record(const std::vector<ObjectMapping>& objects, const Layout& layout,
                    const std::vector<std::uint64_t>& totals, std::vector<TestContext> tests,
                    const std::vector<gcov::Delta>& deltas, const gcov::Filter& filter);

}  // namespace attest::coverage::llvm
