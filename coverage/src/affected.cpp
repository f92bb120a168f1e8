#include <attest/coverage/affected.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <unordered_map>

namespace attest::coverage {
namespace {

bool is_cxx_source(const std::string& path) {
  static const std::set<std::string> extensions{".c",   ".cc",  ".cpp", ".cxx", ".c++",
                                                ".h",   ".hh",  ".hpp", ".hxx", ".h++",
                                                ".ipp", ".inl", ".tpp", ".ixx", ".cppm"};
  return extensions.count(std::filesystem::path(path).extension().string()) != 0;
}

// "a/src/f.cpp" → "src/f.cpp": git's a/ and b/ prefixes off, when there.
std::string diff_path(std::string_view name) {
  if (name.size() > 2 && (name.substr(0, 2) == "a/" || name.substr(0, 2) == "b/"))
    name.remove_prefix(2);
  return std::string(name);
}

constexpr std::uint32_t kLargestHunk = 1'000'000;

std::uint32_t number(std::string_view& s) {
  std::uint32_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  s.remove_prefix(static_cast<std::size_t>(end - s.data()));
  return ec == std::errc() ? n : 0;
}

}  // namespace

std::size_t Change::lines() const {
  std::size_t n = 0;
  for (const auto& [path, lines] : files) n += lines.size();
  return n + inserted;
}

Change parse_unified_diff(std::string_view diff, const std::string& repository_root) {
  Change change;
  std::set<std::uint32_t>* current = nullptr;
  std::string old_path, current_path;
  auto absolute = [&](std::string_view relative) {
    return (std::filesystem::path(repository_root) / std::string(relative))
        .lexically_normal()
        .string();
  };
  while (!diff.empty()) {
    auto eol = diff.find('\n');
    std::string_view line = diff.substr(0, eol);
    diff.remove_prefix(eol == std::string_view::npos ? diff.size() : eol + 1);
    if (line.rfind("--- ", 0) == 0) {
      old_path = line.substr(4) == "/dev/null" ? std::string() : diff_path(line.substr(4));
      current = nullptr;
    } else if (line.rfind("+++ ", 0) == 0) {
      // The old name is the record's (a renamed file's lines were recorded under it).
      std::string path = old_path.empty() ? diff_path(line.substr(4)) : old_path;
      current_path = absolute(path);
      current = &change.files[current_path];
    } else if (line.rfind("@@ -", 0) == 0 && current) {
      std::string_view rest = line.substr(4);
      std::uint32_t start = number(rest), count = 1;
      if (!rest.empty() && rest.front() == ',') {
        rest.remove_prefix(1);
        count = number(rest);
      }
      if (count == 0) {
        change.insertions[current_path].insert(start);  // after line `start`
        // "+N,M": M lines inserted.
        if (auto plus = rest.find(" +"); plus != std::string_view::npos) {
          std::string_view added = rest.substr(plus + 2);
          number(added);
          std::uint32_t inserted = 1;
          if (!added.empty() && added.front() == ',') {
            added.remove_prefix(1);
            inserted = number(added);
          }
          change.inserted += inserted;
        }
      } else if (count > kLargestHunk || start > UINT32_MAX - count) {
        // No source file has that many lines: the diff is not one this can read line by
        // line, so every test runs (more, never fewer).
        change.unreadable.push_back(current_path + ": a hunk of " + std::to_string(count) +
                                    " lines at line " + std::to_string(start));
      } else {
        for (std::uint32_t l = start; l < start + count; ++l) current->insert(l);
      }
    }
  }
  return change;
}

Affected affected_tests(const Record& record, const std::vector<TestDefinition>& tests,
                        const Change& change,
                        const std::function<std::uint32_t(const std::string&)>& lines_at_ref) {
  Affected out;
  out.selected.assign(tests.size(), false);
  std::unordered_map<std::string, std::uint32_t> index;
  index.reserve(record.tests.size());
  for (std::uint32_t i = 0; i < record.tests.size(); ++i)
    index.emplace(record.tests[i].binary + '\x1f' + record.tests[i].id, i);

  // The record's tests reaching a changed line or branch.
  std::vector<char> reached(record.tests.size(), 0);
  std::set<std::string> defining;  // files where tests are defined
  for (const auto& t : tests) defining.insert(t.file);
  for (const auto& [path, changed_lines] : change.files) {
    // An insertion after line N touches, for coverage, the lines on both sides of it.
    std::set<std::uint32_t> lines = changed_lines;
    if (auto ins = change.insertions.find(path); ins != change.insertions.end())
      for (auto after_line : ins->second) {
        if (after_line > 0) lines.insert(after_line);
        lines.insert(after_line + 1);
      }
    auto file = record.files.find(path);
    if (file == record.files.end()) {
      if (defining.count(path)) continue;  // a test file: its tests, by their definitions
      if (is_cxx_source(path)) {
        out.all = true;
        out.reasons.push_back(path + " changed and the record has no lines of it");
      }
      continue;
    }
    std::uint32_t last_recorded =
        file->second.lines.empty() ? 0 : file->second.lines.rbegin()->first;
    if (std::uint32_t had = lines_at_ref ? lines_at_ref(path) : 0; had && last_recorded > had) {
      out.all = true;
      out.reasons.push_back(path + ": the record knows line " + std::to_string(last_recorded) +
                            " but the file had " + std::to_string(had) +
                            " lines: record and sources are out of step");
    }
    // A changed line inside a function concerns every test that executed any line of that
    // function (a line no test reached may still change what the reached ones do: a new
    // early return, a changed condition); outside any function, the line itself.
    auto reach = [&](std::uint32_t first, std::uint32_t last) {
      for (auto l = file->second.lines.lower_bound(first);
           l != file->second.lines.end() && l->first <= last; ++l)
        for (auto t : l->second.tests) reached[t] = 1;
      for (auto b = file->second.branches.lower_bound({first, 0});
           b != file->second.branches.end() && b->first.first <= last; ++b)
        for (auto t : b->second.tests) reached[t] = 1;
    };
    const auto& functions = file->second.functions;
    for (auto line : lines) {
      bool inside = false;
      // Spans may nest (a lambda inside a function): every span holding the line counts.
      for (auto span = functions.begin(); span != functions.end() && span->first <= line; ++span)
        if (span->second >= line) {
          reach(span->first, span->second);
          inside = true;
        }
      if (!inside) reach(line, line);
    }
  }

  // A test whose definition changed: the changed line falls between its line and the next
  // test's in the same file (before the first test: every test of the file).
  std::map<std::string, std::vector<std::size_t>> by_file;
  for (std::size_t i = 0; i < tests.size(); ++i) by_file[tests[i].file].push_back(i);
  std::vector<char> redefined(tests.size(), 0);
  for (auto& [file, list] : by_file) {
    auto changed = change.files.find(file);
    if (changed == change.files.end()) continue;
    std::sort(list.begin(), list.end(),
              [&](auto a, auto b) { return tests[a].line < tests[b].line; });
    // The lines that changed, and for an insertion the line after it (the inserted text sits
    // before that line: between two tests it is the next one's; appended at the end of the
    // file, no one's).
    std::set<std::uint32_t> lines = changed->second;
    if (auto ins = change.insertions.find(file); ins != change.insertions.end()) {
      std::uint32_t had = lines_at_ref ? lines_at_ref(file) : 0;
      for (auto after_line : ins->second)
        if (!had || after_line < had) lines.insert(after_line + 1);
    }
    for (auto line : lines) {
      auto after =
          std::upper_bound(list.begin(), list.end(), line,
                           [&](std::uint32_t l, std::size_t t) { return l < tests[t].line; });
      if (after == list.begin()) {
        for (auto t : list) redefined[t] = 1;
        continue;
      }
      // Every test declared on that line (data-driven cases share one).
      auto owner = tests[*(after - 1)].line;
      for (auto it = list.begin(); it != after; ++it)
        if (tests[*it].line == owner) redefined[*it] = 1;
    }
  }

  for (std::size_t i = 0; i < tests.size(); ++i) {
    auto it = index.find(tests[i].binary + '\x1f' + tests[i].id);
    if (it == index.end()) {
      out.selected[i] = true;
      ++out.without_record;
    } else if (reached[it->second]) {
      out.selected[i] = true;
      ++out.by_coverage;
    } else if (redefined[i]) {
      out.selected[i] = true;
      ++out.by_definition;
    }
  }
  for (const auto& why : change.unreadable) {
    out.all = true;
    out.reasons.push_back(why);
  }
  if (out.all) std::fill(out.selected.begin(), out.selected.end(), true);
  return out;
}

}  // namespace attest::coverage
