#include <attest/coverage/gate.hpp>
#include <attest/coverage/reports.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace attest::coverage {
namespace {

double percent_value(const std::string& flag, const std::string& text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0 || v > 100)
    throw std::invalid_argument(flag + ": '" + text + "' is not a percentage from 0 to 100");
  return v;
}

std::string shown(double p) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", std::floor(p * 10) / 10);  // never round up to pass
  return buf;
}

std::string limit(double p) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%g%%", p);
  return buf;
}

void compare(std::vector<std::string>& out, const std::string& what, const Totals& t,
             const Threshold& th, const std::string& note = {}) {
  if (th.line && t.line_percent() + 1e-9 < *th.line)
    out.push_back(what + ": line " + shown(t.line_percent()) + " < " + limit(*th.line) + " (" +
                  std::to_string(t.lines_hit) + "/" + std::to_string(t.lines) + ")" + note);
  if (th.branch && t.branch_percent() + 1e-9 < *th.branch)
    out.push_back(what + ": branch " + shown(t.branch_percent()) + " < " + limit(*th.branch) +
                  " (" + std::to_string(t.branches_taken) + "/" + std::to_string(t.branches) + ")" +
                  note);
}

}  // namespace

Threshold parse_threshold(const std::string& flag, const std::string& spec) {
  Threshold t;
  std::size_t start = 0;
  while (start <= spec.size()) {
    auto comma = spec.find(',', start);
    std::string part =
        spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto eq = part.find('=');
    if (eq == std::string::npos) {
      t.line = percent_value(flag, part);
    } else {
      std::string metric = part.substr(0, eq);
      double v = percent_value(flag, part.substr(eq + 1));
      if (metric == "line" || metric == "lines")
        t.line = v;
      else if (metric == "branch" || metric == "branches")
        t.branch = v;
      else
        throw std::invalid_argument(flag + ": unknown metric '" + metric +
                                    "' (line=N and branch=N, e.g. line=90,branch=75)");
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return t;
}

std::map<std::string, RequirementCoverage> requirement_coverage(const Record& record) {
  std::map<std::string, RequirementCoverage> out;
  std::vector<std::vector<RequirementCoverage*>> by_test(record.tests.size());
  for (std::uint32_t t = 0; t < record.tests.size(); ++t)
    for (const auto& id : record.tests[t].requirements) {
      auto& rc = out[id];
      rc.tests.push_back(t);
      by_test[t].push_back(&rc);
    }
  // Per file, mark what each requirement's tests reach; a file counts for a requirement
  // when one of its tests reaches a line of it.
  std::map<RequirementCoverage*, std::pair<Totals, bool>> in_file;
  for (const auto& [path, file] : record.files) {
    in_file.clear();
    for (const auto& [line, l] : file.lines) {
      std::vector<RequirementCoverage*> reached;
      for (auto t : l.tests) reached.insert(reached.end(), by_test[t].begin(), by_test[t].end());
      std::sort(reached.begin(), reached.end());
      reached.erase(std::unique(reached.begin(), reached.end()), reached.end());
      for (auto* rc : reached) {
        auto& e = in_file[rc];
        e.second = true;
        ++e.first.lines_hit;
      }
    }
    for (const auto& [key, b] : file.branches) {
      std::vector<RequirementCoverage*> reached;
      for (auto t : b.tests) reached.insert(reached.end(), by_test[t].begin(), by_test[t].end());
      std::sort(reached.begin(), reached.end());
      reached.erase(std::unique(reached.begin(), reached.end()), reached.end());
      for (auto* rc : reached) ++in_file[rc].first.branches_taken;
    }
    Totals whole = totals(file);
    for (auto& [rc, e] : in_file) {
      if (!e.second) continue;
      ++rc->files;
      rc->totals.lines += whole.lines;
      rc->totals.branches += whole.branches;
      rc->totals.lines_hit += e.first.lines_hit;
      rc->totals.branches_taken += e.first.branches_taken;
    }
  }
  return out;
}

std::vector<std::string> check_gate(const Record& record, const GateOptions& options) {
  std::vector<std::string> out;
  if (!options.overall.empty()) compare(out, "total", totals(record), options.overall);
  if (!options.per_file.empty())
    for (const auto& [path, file] : record.files)
      compare(out, display_path(path, options.root), totals(file), options.per_file);
  if (!options.per_requirement.empty())
    for (const auto& [id, rc] : requirement_coverage(record)) {
      if (rc.files == 0) {
        out.push_back(id + ": its tests reach no measured code");
        continue;
      }
      compare(out, id, rc.totals, options.per_requirement,
              " in the " + std::to_string(rc.files) + " file" + (rc.files == 1 ? "" : "s") +
                  " its tests reach");
    }
  return out;
}

}  // namespace attest::coverage
