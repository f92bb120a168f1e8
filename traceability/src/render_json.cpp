#include <boost/json.hpp>

#include <ostream>

#include <attest/trace/render.hpp>

#include "renderers.hpp"

namespace attest::trace {
namespace {

boost::json::object location(const Location& l) { return {{"file", l.file}, {"line", l.line}}; }

boost::json::array defects(const std::vector<Defect>& list, DefectKind kind) {
  boost::json::array out;
  for (const auto& d : list)
    if (d.kind == kind) {
      auto o = location(d.where);
      o["message"] = d.message;
      out.push_back(std::move(o));
    }
  return out;
}

}  // namespace

void render_json(std::ostream& out, const Report& r) {
  boost::json::array requirements;
  requirements.reserve(r.requirements.size());
  for (const auto& row : r.requirements) {
    boost::json::array tests;
    for (auto i : row.tests) {
      const auto& t = r.tests[i];
      boost::json::object o{{"binary", t.test.binary}, {"id", t.test.id}};
      if (t.outcome) o["outcome"] = to_string(*t.outcome);
      if (t.flaky()) o["flaky"] = true;
      if (t.not_run) o["not_run"] = true;
      tests.push_back(std::move(o));
    }
    auto o = location(row.requirement.where);
    o["id"] = row.requirement.id;
    o["title"] = row.requirement.title;
    if (!row.requirement.priority.empty()) o["priority"] = row.requirement.priority;
    o["status"] = to_string(row.status);
    if (!row.requirement.section.empty()) o["section"] = row.requirement.section;
    o["covered"] = row.counts_as_covered;
    if (row.code)
      o["code"] = boost::json::object{
          {"files", row.code->files},         {"lines", row.code->lines},
          {"lines_hit", row.code->lines_hit}, {"line_percent", row.code->line_percent()},
          {"branches", row.code->branches},   {"branches_taken", row.code->branches_taken}};
    o["tests"] = std::move(tests);
    requirements.push_back(std::move(o));
  }
  boost::json::array unmarked;
  for (const auto& t : r.tests)
    if (t.test.requirements.empty()) {
      auto o = location(t.test.where);
      o["binary"] = t.test.binary;
      o["id"] = t.test.id;
      unmarked.push_back(std::move(o));
    }
  boost::json::object statuses;
  for (const auto& row : r.requirements) {
    auto& n = statuses[to_string(row.status)];
    n = n.is_null() ? 1 : n.as_int64() + 1;
  }
  boost::json::array not_run, flaky;
  for (const auto& t : r.tests) {
    if (t.not_run)
      not_run.push_back(boost::json::object{{"binary", t.test.binary}, {"id", t.test.id}});
    if (t.flaky())
      flaky.push_back(boost::json::object{
          {"binary", t.test.binary},
          {"id", t.test.id},
          {"failed_attempts",
           boost::json::array(t.failed_attempts.begin(), t.failed_attempts.end())}});
  }
  boost::json::object doc{
      {"attest_trace", 1},
      {"passed", r.passed},
      {"verdict", verdict_line(r)},
      {"statuses", std::move(statuses)},
      {"not_run", std::move(not_run)},
      {"flaky", std::move(flaky)},
      {"coverage", r.coverage},
      {"threshold", r.options.threshold},
      {"covered", r.covered},
      {"total", r.requirements.size()},
      {"require_passing", r.options.require_passing},
      {"has_results", r.have_results},
      {"has_code", r.have_code},
      {"tests", r.tests.size()},
      {"requirements", std::move(requirements)},
      {"unmarked", std::move(unmarked)},
      {"unknown", defects(r.defects, DefectKind::unknown_id)},
      {"ambiguous", defects(r.defects, DefectKind::ambiguous_id)},
      {"duplicates", defects(r.defects, DefectKind::duplicate_id)},
      {"unclear", defects(r.options.strict ? r.defects : r.warnings, DefectKind::unclear)},
      {"no_code", defects(r.warnings, DefectKind::no_code)},
  };
  out << boost::json::serialize(doc) << '\n';
}

}  // namespace attest::trace
