// attest's runner flags. The argv is shared with Boost.Test, so attest takes
// out exactly its own flags and passes every other argument through, in order
// and unchanged. (A general CLI parser would have to know Boost's flags too.)
// attest's -m, -k and -x shadow Boost's short forms of --report_format,
// --log_sink and --color_output; Boost's long forms still work.
#pragma once

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

struct Options {
  CollectFormat collect = CollectFormat::none;
  std::optional<std::string> manifest;     // --manifest FILE
  std::optional<std::string> markexpr;     // -m EXPR
  std::optional<std::string> keywordexpr;  // -k EXPR
  std::vector<std::string> requirements;   // --req ID (repeatable)
  std::optional<std::string> junitxml;     // --junitxml FILE
  std::optional<std::string> report_json;  // --report-json FILE
  std::optional<int> durations;            // --durations N (0 = all)
  bool exitfirst = false;                  // -x / --exitfirst
  bool keep_failed = false;                // --keep-failed
  KeptAction kept = KeptAction::none;      // --list-kept / --stop-kept
  std::optional<std::string> config;       // --config FILE
  bool help = false;                       // --help / -h / -? (Boost's help follows ours)
  std::vector<std::string> boost_args;     // argv[0] and everything that is not ours
};

/// Throws UsageError for a flag without its value or a malformed value.
Options parse_options(int argc, const char* const argv[]);

/// The "attest options" section of --help.
const char* options_help();

}  // namespace attest::detail
