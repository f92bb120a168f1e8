// attest's runner flags. The argv is shared with Boost.Test, so attest takes
// out exactly its own flags and passes every other argument through, in order
// and unchanged. (A general CLI parser would have to know Boost's flags too.)
// attest's -m, -k and -x shadow Boost's short forms of --report_format,
// --log_sink and --color_output; Boost's long forms still work.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace attest::detail {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class CollectFormat { none, text, json };

enum class KeptAction { none, list, stop };

enum class ColorMode { automatic, yes, no };

// --cov and friends (coverage_run.hpp).
struct CoverageOptions {
  bool enabled = false;                               // --cov[=DIR]
  std::vector<std::string> sources;                   // --cov=DIR (repeatable): only files below
  bool prepare = false;                               // --cov-prepare (a build step)
  std::vector<std::string> reports;                   // --cov-report=KIND[:FILE] (repeatable)
  std::optional<std::string> fail_under;              // --cov-fail-under=line=N[,branch=N]
  std::optional<std::string> fail_under_file;         // --cov-fail-under-file=...
  std::optional<std::string> fail_under_requirement;  // --cov-fail-under-req=...
  std::optional<std::string> affected_since;          // --affected-since=REF
  std::optional<std::string> affected_record;         // --affected-record=FILE (the json report)
};

struct Options {
  CollectFormat collect = CollectFormat::none;
  std::optional<std::string> manifest;     // --manifest FILE
  std::optional<std::string> markexpr;     // -m EXPR
  std::optional<std::string> keywordexpr;  // -k EXPR
  std::vector<std::string> requirements;   // --req ID (repeatable)
  std::vector<std::string> exact;       // --test ID (repeatable): a case, or a suite and all in it
  std::optional<std::string> junitxml;  // --junitxml FILE
  std::optional<std::string> junit_family;    // --junit-family xunit1|xunit2 (else attest.json's)
  std::optional<std::string> report_json;     // --report-json FILE
  std::optional<int> durations;               // --durations N (0 = all)
  std::size_t maxfail = 0;                    // -x (1) / --maxfail N; 0: run everything
  int verbosity = 0;                          // -v (1), -q (-1)
  ColorMode color = ColorMode::automatic;     // --color=yes|no|auto
  bool last_failed = false;                   // --lf / --last-failed
  bool failed_first = false;                  // --ff / --failed-first
  bool stepwise = false;                      // --sw / --stepwise
  bool cache_clear = false;                   // --cache-clear
  std::optional<std::string> cache_dir;       // --cache-dir DIR
  std::optional<unsigned> reruns;             // --reruns N
  bool fail_on_flaky = false;                 // --fail-on-flaky
  std::optional<unsigned> timeout;            // --timeout SECONDS (per test, where none is set)
  bool keep_failed = false;                   // --keep-failed
  KeptAction kept = KeptAction::none;         // --list-kept / --stop-kept
  std::optional<std::string> config;          // --config FILE
  std::optional<std::string> shard;           // --shard INDEX/TOTAL
  std::optional<std::string> shard_by;        // --shard-by duration|hash
  std::optional<std::string> durations_from;  // --durations-from FILE|DIR
  std::optional<std::uint64_t> prop_seed;     // --prop-seed N (property tests' RapidCheck seed)
  std::optional<int> prop_max_success;        // --prop-max-success N (cases per property)
  CoverageOptions coverage;                   // --cov, --cov-report, --cov-fail-under...
  bool help = false;                          // --help / -h / -? (Boost's help follows ours)
  std::vector<std::string> boost_args;        // argv[0] and everything that is not ours
};

/// Throws UsageError for a flag without its value or a malformed value.
Options parse_options(int argc, const char* const argv[]);

/// The "attest options" section of --help.
const char* options_help();

}  // namespace attest::detail
