#include <boost/json.hpp>

#include <ostream>

#include "reports.hpp"

namespace attest::detail {

void write_results_json(std::ostream& out, const std::string& binary,
                        const std::vector<TestInfo>& tests, const std::vector<TestResult>& results,
                        const Summary& summary) {
  boost::json::array list;
  list.reserve(results.size());
  for (const auto& r : results) {
    const auto& t = tests[r.test];
    boost::json::array phases;
    for (const auto& p : r.phases)
      phases.push_back(boost::json::object{{"name", p.name},
                                           {"outcome", p.passed ? "passed" : "failed"},
                                           {"duration_ms", p.duration_ms}});
    list.push_back(boost::json::object{
        {"id", t.name},
        {"outcome", to_string(r.outcome)},
        {"duration_ms", r.duration_ms},
        {"requirements",
         boost::json::array(t.marks.requirements.begin(), t.marks.requirements.end())},
        {"markers", boost::json::array(t.marks.markers.begin(), t.marks.markers.end())},
        {"message", r.message},
        {"file", t.file},
        {"line", t.line},
        {"phases", std::move(phases)}});
  }
  boost::json::object doc{{"attest_results", 1},
                          {"binary", binary},
                          {"tests", std::move(list)},
                          {"summary", boost::json::object{{"passed", summary.passed},
                                                          {"failed", summary.failed},
                                                          {"skipped", summary.skipped},
                                                          {"duration_ms", summary.duration_ms}}}};
  out << boost::json::serialize(doc) << '\n';
}

}  // namespace attest::detail
