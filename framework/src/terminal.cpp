#include "terminal.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>

namespace attest::detail {
namespace {

constexpr const char* red = "31";
constexpr const char* green = "32";
constexpr const char* yellow = "33";
constexpr const char* bold_red = "1;31";
constexpr const char* bold_green = "1;32";
constexpr const char* bold_yellow = "1;33";

std::string seconds(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2fs", ms / 1000.0);
  return buf;
}

// The suite a test belongs to ("orders" for "orders/create"), or the binary for top-level tests.
std::string group_of(const std::string& name, const std::string& binary) {
  auto slash = name.rfind('/');
  return slash == std::string::npos ? binary : name.substr(0, slash);
}

std::string first_line(const std::string& text) {
  auto end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

// How an outcome shows: its progress character, its -v label, its colour.
struct Look {
  char progress;
  const char* label;
  const char* colour;
};

Look look(const TestResult& r) {
  if (r.error) return {'E', "ERROR", red};
  if (r.xfail) return {'x', "XFAIL", yellow};
  switch (r.outcome) {
    case Outcome::passed:
      return r.flaky() ? Look{'R', "PASSED", yellow} : Look{'.', "PASSED", green};
    case Outcome::failed:
      return {'F', "FAILED", red};
    case Outcome::skipped:
      return {'s', "SKIPPED", yellow};
  }
  return {'?', "?", nullptr};
}

char progress_char(const TestResult& r) { return look(r).progress; }
const char* colour_of(const TestResult& r) { return look(r).colour; }

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

const char* label(const TestResult& r) { return look(r).label; }

TerminalReporter::TerminalReporter(std::ostream& out, const std::vector<TestInfo>& tests,
                                   TerminalOptions options)
    : out_(out), tests_(tests), options_(options) {}

std::string TerminalReporter::paint(const std::string& text, const char* sgr) const {
  if (!options_.color || !sgr) return text;
  return std::string("\033[") + sgr + "m" + text + "\033[0m";
}

std::string TerminalReporter::rule(const std::string& title, char fill, const char* sgr) const {
  std::string middle = title.empty() ? std::string() : " " + title + " ";
  std::size_t width = std::max<std::size_t>(options_.width, middle.size() + 2);
  std::size_t left = (width - middle.size()) / 2, right = width - middle.size() - left;
  return paint(std::string(left, fill) + middle + std::string(right, fill), sgr);
}

void TerminalReporter::start(const std::string& binary, std::size_t selected) {
  binary_ = binary;
  selected_ = selected;
  if (options_.verbosity == Verbosity::quiet) return;
  out_ << rule("test session starts", '=') << '\n';
  std::size_t collected = tests_.size();
  out_ << binary << ": collected " << plural(collected, "test", "tests");
  if (selected != collected)
    out_ << " / " << collected - selected << " deselected / " << selected << " selected";
  out_ << "\n\n";
  out_.flush();
}

void TerminalReporter::end_progress_line() {
  if (column_ == 0) return;
  char percent[16];
  std::snprintf(percent, sizeof percent, "[%3zu%%]",
                selected_ ? done_ * 100 / selected_ : std::size_t(100));
  std::size_t pad = column_ + 7 < options_.width ? options_.width - column_ - 6 : 1;
  out_ << std::string(pad, ' ') << percent << '\n';
  column_ = 0;
  group_.clear();
}

// A terminal sees each character as it comes; a pipe or file (a CI log) gets what
// is there every 100 ms: a write per test would cost more than the trivial tests.
void TerminalReporter::flush_now_and_then() {
  auto now = std::chrono::steady_clock::now();
  if (!options_.interactive && now - last_flush_ < std::chrono::milliseconds(100)) return;
  out_.flush();
  last_flush_ = now;
}

void TerminalReporter::test_done(const TestResult& r) {
  ++done_;
  if (!options_.progress) return;
  const auto& test = tests_[r.test];
  if (options_.verbosity == Verbosity::verbose) {
    std::string line = test.name + " " + paint(label(r), colour_of(r));
    std::size_t visible = test.name.size() + 1 + std::string(label(r)).size();
    if (!r.failed_attempts.empty()) {
      std::string extra =
          " (flaky: " + plural(r.failed_attempts.size() + 1, "attempt", "attempts") + ")";
      line += paint(extra, yellow);
      visible += extra.size();
    }
    std::string markers;
    for (const auto& m : test.marks.markers) markers += (markers.empty() ? "" : ", ") + m;
    std::string tail =
        (markers.empty() ? "" : " [" + markers + "]") + " (" + seconds(r.duration_ms) + ")";
    column_ = visible + tail.size();
    out_ << line << tail;
    end_progress_line();
    for (const auto& p : r.phases)
      out_ << "    phase " << p.name << ' ' << to_string(p.outcome) << " in "
           << seconds(p.duration_ms) << '\n';
    flush_now_and_then();
    return;
  }
  std::string group =
      options_.verbosity == Verbosity::quiet ? std::string() : group_of(test.name, binary_);
  if (column_ != 0 && (group != group_ || column_ + 8 >= options_.width)) end_progress_line();
  if (column_ == 0) {
    group_ = group;
    if (!group.empty()) out_ << group << ' ';
    column_ = group.size() + 1;
  }
  out_ << paint(std::string(1, progress_char(r)), colour_of(r));
  ++column_;
  if (done_ == selected_) end_progress_line();
  flush_now_and_then();
}

void TerminalReporter::note(const std::string& line) {
  if (column_ != 0) {
    // Break the progress line; the next character starts a new one under the same suite.
    out_ << '\n';
    column_ = 0;
  }
  out_ << line << '\n';
  out_.flush();
}

void TerminalReporter::finish(const std::vector<TestResult>& results, const Summary& summary,
                              const std::vector<std::string>& verdicts) {
  end_progress_line();
  std::size_t xfailed = 0, errors = 0;
  std::vector<const TestResult*> failed, skipped, flaky_passes;
  for (const auto& r : results) {
    if (r.outcome == Outcome::failed) failed.push_back(&r);
    if (r.outcome == Outcome::skipped) skipped.push_back(&r);
    if (r.flaky()) flaky_passes.push_back(&r);
    xfailed += r.xfail;
    errors += r.error;
  }
  bool loud = options_.verbosity != Verbosity::quiet;
  if (!failed.empty()) {
    out_ << '\n' << rule("FAILURES", '=') << '\n';
    for (const auto* r : failed) {
      out_ << rule(tests_[r->test].name, '_', bold_red) << '\n';
      const auto& t = tests_[r->test];
      if (!t.file.empty()) out_ << t.file << ':' << t.line << ": " << label(*r) << '\n';
      out_ << r->message << '\n';
      for (std::size_t i = 0; i < r->failed_attempts.size(); ++i)
        out_ << "--- earlier attempt " << i + 1 << " ---\n" << r->failed_attempts[i] << '\n';
      out_ << '\n';
    }
  }
  if (!flaky_passes.empty() && loud) {
    out_ << rule("flaky tests (passed on a rerun)", '=', yellow) << '\n';
    for (const auto* r : flaky_passes) {
      out_ << tests_[r->test].name << ": passed on attempt " << r->failed_attempts.size() + 1
           << '\n';
      for (std::size_t i = 0; i < r->failed_attempts.size(); ++i)
        out_ << "  attempt " << i + 1 << " failed: " << r->failed_attempts[i] << '\n';
    }
  }
  if (loud && (!failed.empty() || !skipped.empty() || !flaky_passes.empty())) {
    out_ << rule("short test summary info", '=') << '\n';
    for (const auto* r : failed)
      out_ << paint(label(*r), red) << ' ' << tests_[r->test].name << " - "
           << first_line(r->message) << '\n';
    for (const auto* r : flaky_passes)
      out_ << paint("FLAKY", yellow) << ' ' << tests_[r->test].name << " - passed on attempt "
           << r->failed_attempts.size() + 1
           << ", first failure: " << first_line(r->failed_attempts.front()) << '\n';
    for (const auto* r : skipped)
      out_ << paint("SKIPPED", yellow) << ' ' << tests_[r->test].name
           << (r->message.empty() ? std::string() : " - " + first_line(r->message)) << '\n';
  }
  for (const auto& v : verdicts) out_ << paint("!!! " + v + " !!!", red) << '\n';

  // "3 passed, 1 failed, 2 skipped, 1 flaky in 1.23s", coloured by the worst outcome.
  std::string counts;
  auto add = [&](std::size_t n, const std::string& what) {
    if (n) counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + what;
  };
  add(summary.failed - std::min(summary.failed, errors), "failed");
  add(summary.passed - std::min(summary.passed, xfailed), "passed");
  add(summary.skipped, "skipped");
  add(xfailed, "xfailed");
  add(flaky_passes.size(), "flaky");
  add(errors, errors == 1 ? "error" : "errors");
  if (counts.empty()) counts = "no tests ran";
  counts += " in " + seconds(summary.duration_ms);
  const char* colour = summary.failed || !verdicts.empty()          ? bold_red
                       : (summary.skipped || !flaky_passes.empty()) ? bold_yellow
                                                                    : bold_green;
  if (loud)
    out_ << rule(counts, '=', colour) << '\n';
  else
    out_ << paint(counts, colour) << '\n';
  // The closing line alone, unchanged, in the plain shape CI tools read.
  out_ << "attest: " << summary.passed << " passed, " << summary.failed << " failed";
  if (summary.skipped) out_ << ", " << summary.skipped << " skipped";
  out_ << '\n';
  out_.flush();
}

void write_durations(std::ostream& out, const std::vector<TestInfo>& tests,
                     const std::vector<TestResult>& results, int n) {
  std::vector<const TestResult*> ran;
  for (const auto& r : results)
    if (r.outcome != Outcome::skipped) ran.push_back(&r);
  std::sort(ran.begin(), ran.end(), [](const TestResult* a, const TestResult* b) {
    return a->duration_ms > b->duration_ms;
  });
  if (n > 0 && ran.size() > static_cast<std::size_t>(n)) ran.resize(static_cast<std::size_t>(n));
  out << "============ slowest " << (n > 0 ? std::to_string(n) + " " : std::string())
      << "durations ============\n";
  char buf[32];
  for (const auto* r : ran) {
    std::snprintf(buf, sizeof buf, "%9.3fs ", r->duration_ms / 1000.0);
    out << buf << tests[r->test].name << '\n';
  }
}

}  // namespace attest::detail
