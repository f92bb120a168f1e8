// The results JSON (`--report-json`), written and read here only.
#include <attest/trace/formats.hpp>

#include <boost/json.hpp>

#include <ostream>

#include "json_input.hpp"
#include "test_list.hpp"

namespace attest::trace {
namespace {

Outcome outcome_from(const std::string& s, const std::string& origin, const std::string& path) {
  if (s == "passed") return Outcome::passed;
  if (s == "failed") return Outcome::failed;
  if (s == "skipped") return Outcome::skipped;
  throw InputError({origin}, path + ".outcome: expected passed, failed or skipped, not '" + s +
                                 "'");
}

double number_member(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_number() ? it->value().to_number<double>() : 0.0;
}

}  // namespace

void write_results_json(std::ostream& out, const Results& results) {
  boost::json::array list;
  list.reserve(results.tests.size());
  for (const auto& r : results.tests) {
    boost::json::array phases;
    for (const auto& p : r.phases)
      phases.push_back(boost::json::object{
          {"name", p.name}, {"outcome", to_string(p.outcome)}, {"duration_ms", p.duration_ms}});
    boost::json::object test{
        {"id", r.id},
        {"outcome", to_string(r.outcome)},
        {"duration_ms", r.duration_ms},
        {"requirements", boost::json::array(r.requirements.begin(), r.requirements.end())},
        {"markers", boost::json::array(r.markers.begin(), r.markers.end())},
        {"message", r.message},
        {"file", r.where.file},
        {"line", r.where.line},
        {"phases", std::move(phases)}};
    if (!r.failed_attempts.empty()) {
      test["flaky"] = r.flaky();
      test["failed_attempts"] =
          boost::json::array(r.failed_attempts.begin(), r.failed_attempts.end());
    }
    list.push_back(std::move(test));
  }
  const auto& s = results.summary;
  boost::json::object doc{{results_version_key, results_version},
                          {"binary", results.binary},
                          {"tests", std::move(list)},
                          {"summary", boost::json::object{{"passed", s.passed},
                                                          {"failed", s.failed},
                                                          {"skipped", s.skipped},
                                                          {"duration_ms", s.duration_ms}}}};
  out << boost::json::serialize(doc) << '\n';
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
