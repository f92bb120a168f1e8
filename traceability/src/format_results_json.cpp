// The results JSON (`--report-json`), written and read here only.
#include <attest/trace/formats.hpp>

#include <attest/detail/json_output.hpp>
#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <ostream>
#include <string_view>

#include "json_input.hpp"
#include "test_list.hpp"

namespace attest::trace {
namespace {

Outcome outcome_from(const std::string& s, const std::string& origin, const std::string& path) {
  if (s == "passed") return Outcome::passed;
  if (s == "failed") return Outcome::failed;
  if (s == "skipped") return Outcome::skipped;
  throw InputError({origin},
                   path + ".outcome: expected passed, failed or skipped, not '" + s + "'");
}

double number_member(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_number() ? it->value().to_number<double>() : 0.0;
}

}  // namespace

namespace {

// The results document is written field by field, not built as a boost::json tree: a run of
// 10,000 tests writes it into the run cache every time, and the tree cost more than the run's
// own bookkeeping (docs/benchmarks.md, per-test overhead). Read back by boost::json like any.

void write_number(std::string& out, double value) {
  if (!std::isfinite(value)) value = 0.0;  // JSON has no NaN or infinity
  // Durations are whole microseconds as a rule (Boost measures in them): such a value is
  // written from its integer, which reads back as the same double; any other value as the
  // shortest text that does (std::to_chars, several times slower).
  if (value >= 0 && value < 1e12) {
    auto micros = static_cast<std::uint64_t>(std::llround(value * 1000));
    if (static_cast<double>(micros) / 1000 == value) {
      char buffer[32];
      char* end = std::to_chars(buffer, buffer + sizeof buffer, micros / 1000).ptr;
      if (auto fraction = static_cast<unsigned>(micros % 1000)) {
        *end++ = '.';
        for (unsigned digit = 100; fraction; digit /= 10) {
          *end++ = static_cast<char>('0' + fraction / digit);
          fraction %= digit;
        }
      }
      out.append(buffer, end);
      return;
    }
  }
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec == std::errc()) out.append(buffer, end);
}

void write_number(std::string& out, std::size_t value) {
  attest::detail::write_json_number(out, value);
}
using attest::detail::write_json_string;
using attest::detail::write_json_strings;

// `,"outcome":"passed","duration_ms":1.5` — of a test and of each of its phases.
void write_outcome(std::string& out, Outcome outcome, double duration_ms) {
  out += ",\"outcome\":\"";
  out += to_string(outcome);
  out += "\",\"duration_ms\":";
  write_number(out, duration_ms);
}

}  // namespace

TestOutcomeView TestOutcomeView::of(const TestOutcome& t) {
  return {t.id,      t.outcome,    t.duration_ms, &t.requirements, &t.markers,
          t.message, t.where.file, t.where.line,  &t.phases,       &t.failed_attempts};
}

void write_results_json(std::ostream& stream, const Results& results) {
  write_results_json(
      stream, ResultsSource{results.binary, results.summary, results.tests.size(),
                            [&](std::size_t i) { return TestOutcomeView::of(results.tests[i]); }});
}

void write_results_json(std::ostream& stream, const ResultsSource& results) {
  // Each test is put together in one buffer and written in one call.
  static const std::vector<std::string> none;
  static const std::vector<Phase> no_phases;
  std::string out = "{";
  write_json_string(out, results_version_key);
  out += ':';
  write_number(out, static_cast<std::size_t>(results_version));
  out += ",\"binary\":";
  write_json_string(out, results.binary);
  out += ",\"tests\":[";
  for (std::size_t index = 0; index < results.count; ++index) {
    const auto r = results.test(index);
    const auto& phases = r.phases ? *r.phases : no_phases;
    const auto& failed_attempts = r.failed_attempts ? *r.failed_attempts : none;
    out += index ? ",{\"id\":" : "{\"id\":";
    write_json_string(out, r.id);
    write_outcome(out, r.outcome, r.duration_ms);
    out += ",\"requirements\":";
    write_json_strings(out, r.requirements ? *r.requirements : none);
    out += ",\"markers\":";
    write_json_strings(out, r.markers ? *r.markers : none);
    out += ",\"message\":";
    write_json_string(out, r.message);
    out += ",\"file\":";
    write_json_string(out, r.file);
    out += ",\"line\":";
    write_number(out, r.line);
    out += ",\"phases\":[";
    for (std::size_t i = 0; i < phases.size(); ++i) {
      const auto& p = phases[i];
      out += i ? ",{\"name\":" : "{\"name\":";
      write_json_string(out, p.name);
      write_outcome(out, p.outcome, p.duration_ms);
      out += '}';
    }
    out += ']';
    if (!failed_attempts.empty()) {
      // A pass after failed attempts is a flaky pass (TestOutcome::flaky()).
      out += r.outcome == Outcome::passed ? ",\"flaky\":true" : ",\"flaky\":false";
      out += ",\"failed_attempts\":";
      write_json_strings(out, failed_attempts);
    }
    out += '}';
    stream.write(out.data(), static_cast<std::streamsize>(out.size()));
    out.clear();
  }
  const auto& s = results.summary;
  out += "],\"summary\":{\"passed\":";
  write_number(out, s.passed);
  out += ",\"failed\":";
  write_number(out, s.failed);
  out += ",\"skipped\":";
  write_number(out, s.skipped);
  out += ",\"duration_ms\":";
  write_number(out, s.duration_ms);
  out += "}}\n";
  stream.write(out.data(), static_cast<std::streamsize>(out.size()));
}

namespace detail {

Results read_results_json(std::string_view text, const std::string& origin) {
  Results results;
  results.binary = read_test_list(
      text, origin, results_version_key, results_version, "an attest results file",
      [&](const boost::json::object& t, const std::string& path) {
        TestOutcome r;
        r.id = string_member(t, "id", origin, path);
        r.outcome = outcome_from(string_member(t, "outcome", origin, path), origin, path);
        r.message = string_member(t, "message", origin, path, false);
        r.has_requirements = t.contains("requirements");
        r.requirements = strings_member(t, "requirements", origin, path);
        r.markers = strings_member(t, "markers", origin, path);
        r.where.file = string_member(t, "file", origin, path, false);
        r.where.line = count_member(t, "line", origin, path);
        r.duration_ms = number_member(t, "duration_ms");
        r.failed_attempts = strings_member(t, "failed_attempts", origin, path);
        if (auto it = t.find("phases"); it != t.end() && it->value().is_array()) {
          const auto& phases = it->value().get_array();
          for (std::size_t i = 0; i < phases.size(); ++i) {
            std::string at = path + ".phases[" + std::to_string(i) + "]";
            const auto& p = object_at(phases[i], origin, at);
            r.phases.push_back({string_member(p, "name", origin, at),
                                outcome_from(string_member(p, "outcome", origin, at), origin, at),
                                number_member(p, "duration_ms")});
          }
        }
        results.tests.push_back(std::move(r));
      },
      [&](const boost::json::object& doc) {
        auto it = doc.find("summary");
        if (it == doc.end() || !it->value().is_object()) return;
        const auto& s = it->value().get_object();
        results.summary = {count_member(s, "passed", origin, "$.summary"),
                           count_member(s, "failed", origin, "$.summary"),
                           count_member(s, "skipped", origin, "$.summary"),
                           number_member(s, "duration_ms")};
      });
  for (auto& r : results.tests) r.binary = results.binary;
  return results;
}

}  // namespace detail
}  // namespace attest::trace
