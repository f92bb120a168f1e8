// Where attest's own lines go (the summary, durations, skips, phases): stdout,
// unless Boost writes an XML or JUnit document there (--log_format=JUNIT,
// -o XML, --logger=XML,...), which a line of ours would make malformed.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace attest::detail {

/// std::cout, or std::cerr once decide_console() found a document on stdout.
std::ostream& console();

/// A line of attest's own while tests run ([PHASE] ...): through the terminal
/// reporter when one is set (so it never lands inside a progress line), else to console().
void note(const std::string& line);
void set_note_sink(std::function<void(const std::string&)> sink);

/// Looks at Boost's runtime configuration (after framework::init).
void decide_console();

/// What of Boost's own console output the user asked for, by flag (before `--`)
/// or BOOST_TEST_* variable. Unasked, Boost's log and report stay silent and
/// attest's terminal reporter speaks instead.
struct BoostOutput {
  bool log = false;              // --log_level, --log_format, --logger, -o, ...
  bool log_on_console = false;   // ... and it writes to stdout/stderr, where progress would mix in
  bool report = false;           // --report_level, --report_format, ...
  bool progress = false;         // --show_progress: Boost's progress bar
};
BoostOutput boost_output_requested(const std::vector<std::string>& boost_args);

/// Silences Boost's log and report where the user did not ask for them.
void silence_boost_console(const BoostOutput& asked);

/// Colour for attest's lines: --color, NO_COLOR, FORCE_COLOR, TERM=dumb, a terminal.
bool use_color(int mode /* 0 auto, 1 yes, 2 no */);

/// Whether console() is a terminal.
bool console_is_terminal();

/// The console's width in columns (COLUMNS, the terminal, else 80).
unsigned console_width();

}  // namespace attest::detail
