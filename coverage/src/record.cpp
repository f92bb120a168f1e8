#include <attest/coverage/record.hpp>

#include <attest/detail/json_input.hpp>
#include <attest/detail/json_output.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <ostream>
#include <unordered_map>
#include <utility>

namespace attest::coverage {
namespace json = boost::json;

double Totals::line_percent() const {
  return lines ? 100.0 * static_cast<double>(lines_hit) / static_cast<double>(lines) : 100.0;
}

double Totals::branch_percent() const {
  return branches ? 100.0 * static_cast<double>(branches_taken) / static_cast<double>(branches)
                  : 100.0;
}

Totals& Totals::operator+=(const Totals& o) {
  lines += o.lines;
  lines_hit += o.lines_hit;
  branches += o.branches;
  branches_taken += o.branches_taken;
  return *this;
}

Totals totals(const FileCoverage& file) {
  Totals t;
  t.lines = file.lines.size();
  for (const auto& [line, l] : file.lines) t.lines_hit += l.hits > 0;
  t.branches = file.branches.size();
  for (const auto& [key, b] : file.branches) t.branches_taken += b.taken > 0;
  return t;
}

Totals totals(const Record& record) {
  Totals t;
  for (const auto& [path, file] : record.files) t += totals(file);
  return t;
}

void add_test(TestSet& set, std::uint32_t t) {
  if (set.empty() || set.back() < t) {
    set.push_back(t);
    return;
  }
  auto it = std::lower_bound(set.begin(), set.end(), t);
  if (it == set.end() || *it != t) set.insert(it, t);
}

namespace {

TestSet remapped(const TestSet& from, const std::vector<std::uint32_t>& map) {
  TestSet out;
  out.reserve(from.size());
  for (auto t : from) out.push_back(map[t]);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void unite(TestSet& into, const TestSet& more) {
  if (more.empty()) return;
  if (into.empty()) {
    into = more;
    return;
  }
  TestSet out;
  out.reserve(into.size() + more.size());
  std::set_union(into.begin(), into.end(), more.begin(), more.end(), std::back_inserter(out));
  into = std::move(out);
}

}  // namespace

void merge(Record& into, const Record& from) {
  std::unordered_map<std::string, std::uint32_t> known;
  known.reserve(into.tests.size() + from.tests.size());
  for (std::uint32_t i = 0; i < into.tests.size(); ++i)
    known.emplace(into.tests[i].binary + '\x1f' + into.tests[i].id, i);
  std::vector<std::uint32_t> map(from.tests.size());
  bool identity = into.tests.empty();
  for (std::uint32_t i = 0; i < from.tests.size(); ++i) {
    const auto& t = from.tests[i];
    auto [it, inserted] =
        known.emplace(t.binary + '\x1f' + t.id, static_cast<std::uint32_t>(into.tests.size()));
    if (inserted) into.tests.push_back(t);
    map[i] = it->second;
  }
  for (const auto& [path, file] : from.files) {
    auto& target = into.files[path];
    for (const auto& [line, l] : file.lines) {
      auto& to = target.lines[line];
      to.hits += l.hits;
      unite(to.tests, identity ? l.tests : remapped(l.tests, map));
    }
    for (const auto& [key, b] : file.branches) {
      auto& to = target.branches[key];
      to.taken += b.taken;
      unite(to.tests, identity ? b.tests : remapped(b.tests, map));
    }
    target.functions.insert(file.functions.begin(), file.functions.end());
  }
}

namespace {

// Written straight into the text rather than built as a json::value first: a record holds a
// node per line and per test of each line, and building them cost more than the rest of a
// run's end.
using detail::write_json_number;
using detail::write_json_string;

// `[n1,n2,...]`, then `,[tests]` inside it when given: an entry of a file's lines, branches or
// functions. Written into a buffer of its own and appended once: the record's text is mostly
// test indices, tens of thousands of them, and a call and an append per number was most of
// writing it.
void write_entry(std::string& out, std::initializer_list<std::uint64_t> numbers,
                 const TestSet* tests = nullptr) {
  char buffer[1024];
  char* const end = buffer + sizeof buffer;
  char* p = buffer;
  auto number = [&](char before, std::uint64_t n) {
    if (end - p < 32) {  // (room for a separator, any number and the closing brackets)
      out.append(buffer, static_cast<std::size_t>(p - buffer));
      p = buffer;
    }
    *p++ = before;
    p = std::to_chars(p, end, n).ptr;
  };
  char separator = '[';
  for (auto n : numbers) {
    number(separator, n);
    separator = ',';
  }
  if (tests) {
    separator = '[';
    *p++ = ',';  // (the numbers left room for it)
    for (auto t : *tests) {
      number(separator, t);
      separator = ',';
    }
    if (tests->empty()) *p++ = '[';
    *p++ = ']';
  }
  *p++ = ']';
  out.append(buffer, static_cast<std::size_t>(p - buffer));
}

// The record's JSON text appended to `out`; `flush(out)` is called between entries once `out`
// holds `chunk` bytes or more (it takes them away), so that a stream is written a chunk at a
// time rather than from a copy of the whole document.
template <typename Flush>
void json_text(const Record& record, std::string& out, std::size_t chunk, Flush&& flush) {
  out += "{";
  write_json_string(out, record_version_key);
  out += ':';
  write_json_number(out, static_cast<std::uint64_t>(record_version));
  out += ",\"tests\":[";
  for (std::size_t i = 0; i < record.tests.size(); ++i) {
    const auto& t = record.tests[i];
    if (i) out += ',';
    out += "{\"binary\":";
    write_json_string(out, t.binary);
    out += ",\"id\":";
    write_json_string(out, t.id);
    out += ",\"requirements\":";
    detail::write_json_strings(out, t.requirements);
    out += '}';
  }
  out += "],\"files\":{";
  bool first_file = true;
  for (const auto& [path, file] : record.files) {
    if (!first_file) out += ',';
    first_file = false;
    write_json_string(out, path);
    out += ":{\"lines\":[";
    bool first = true;
    for (const auto& [line, l] : file.lines) {
      if (!std::exchange(first, false)) out += ',';
      write_entry(out, {line, l.hits}, &l.tests);
      if (out.size() >= chunk) flush(out);
    }
    out += "],\"branches\":[";
    first = true;
    for (const auto& [key, b] : file.branches) {
      if (!std::exchange(first, false)) out += ',';
      write_entry(out, {key.first, key.second, b.taken}, &b.tests);
      if (out.size() >= chunk) flush(out);
    }
    out += "],\"functions\":[";
    first = true;
    for (const auto& [begin, end] : file.functions) {
      if (!std::exchange(first, false)) out += ',';
      write_entry(out, {begin, end});
    }
    out += "]}";
  }
  out += "}}\n";
  flush(out);
}
}  // namespace

std::string to_json(const Record& record) {
  // Room for the whole document at once (a record is megabytes for a large suite; grown by
  // doubling, every page of every size was touched): ~24 bytes an entry, 4 a test in one.
  std::size_t estimate = 256 + 128 * record.tests.size();
  for (const auto& [path, file] : record.files) {
    estimate +=
        path.size() + 64 + 24 * (file.lines.size() + file.branches.size() + file.functions.size());
    for (const auto& [line, l] : file.lines) estimate += 4 * l.tests.size();
    for (const auto& [key, b] : file.branches) estimate += 4 * b.tests.size();
  }
  std::string out;
  out.reserve(estimate);
  json_text(record, out, SIZE_MAX, [](std::string&) {});
  return out;
}

void write_json(std::ostream& stream, const Record& record) {
  std::string out;
  constexpr std::size_t chunk = std::size_t{1} << 16;
  out.reserve(chunk + 4096);
  json_text(record, out, chunk, [&](std::string& text) {
    stream.write(text.data(), static_cast<std::streamsize>(text.size()));
    text.clear();
  });
}

namespace {

std::uint64_t whole(const json::value& v, const std::string& origin, const std::string& path) {
  if (v.is_uint64()) return v.get_uint64();
  if (v.is_int64() && v.get_int64() >= 0) return static_cast<std::uint64_t>(v.get_int64());
  throw InputError({origin}, path + ": expected a whole number >= 0");
}

TestSet test_set(const json::value& v, std::size_t tests, const std::string& origin,
                 const std::string& path) {
  if (!v.is_array()) throw InputError({origin}, path + ": expected an array of test indices");
  TestSet out;
  out.reserve(v.get_array().size());
  for (const auto& t : v.get_array()) {
    auto i = whole(t, origin, path);
    if (i >= tests)
      throw InputError({origin}, path + ": test index " + std::to_string(i) +
                                     " beyond the record's " + std::to_string(tests) + " tests");
    out.push_back(static_cast<std::uint32_t>(i));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

const json::array& tuple(const json::value& v, std::size_t size, const std::string& origin,
                         const std::string& path) {
  if (!v.is_array() || v.get_array().size() != size)
    throw InputError({origin}, path + ": expected an array of " + std::to_string(size) + " values");
  return v.get_array();
}

}  // namespace

Record from_json(std::string_view text, const std::string& origin) {
  using namespace attest::detail;
  auto doc = parse_json(text, origin);
  const auto& root = object_at(doc, origin, "$");
  auto version = root.find(record_version_key);
  if (version == root.end() || !version->value().is_number() ||
      version->value().to_number<double>() != record_version)
    throw InputError({origin}, std::string("not an attest coverage record (expected \"") +
                                   record_version_key + "\": " + std::to_string(record_version) +
                                   ")");
  Record record;
  const auto& tests = array_member(root, "tests", origin, "$");
  record.tests.reserve(tests.size());
  for (std::size_t i = 0; i < tests.size(); ++i) {
    auto path = "$.tests[" + std::to_string(i) + "]";
    const auto& t = object_at(tests[i], origin, path);
    record.tests.push_back({string_member(t, "binary", origin, path, false),
                            string_member(t, "id", origin, path),
                            strings_member(t, "requirements", origin, path)});
  }
  auto files = root.find("files");
  if (files == root.end()) return record;
  if (!files->value().is_object()) throw InputError({origin}, "$.files: expected an object");
  for (const auto& [key, value] : files->value().get_object()) {
    std::string path = "$.files[\"" + std::string(key) + "\"]";
    const auto& f = object_at(value, origin, path);
    auto& file = record.files[std::string(key)];
    if (auto lines = f.find("lines"); lines != f.end()) {
      if (!lines->value().is_array())
        throw InputError({origin}, path + ".lines: expected an array");
      for (const auto& l : lines->value().get_array()) {
        const auto& a = tuple(l, 3, origin, path + ".lines[]");
        auto& line = file.lines[static_cast<std::uint32_t>(whole(a[0], origin, path + ".lines[]"))];
        line.hits += whole(a[1], origin, path + ".lines[]");
        line.tests = test_set(a[2], record.tests.size(), origin, path + ".lines[]");
      }
    }
    if (auto functions = f.find("functions"); functions != f.end()) {
      if (!functions->value().is_array())
        throw InputError({origin}, path + ".functions: expected an array");
      for (const auto& fn : functions->value().get_array()) {
        const auto& a = tuple(fn, 2, origin, path + ".functions[]");
        file.functions.emplace(
            static_cast<std::uint32_t>(whole(a[0], origin, path + ".functions[]")),
            static_cast<std::uint32_t>(whole(a[1], origin, path + ".functions[]")));
      }
    }
    if (auto branches = f.find("branches"); branches != f.end()) {
      if (!branches->value().is_array())
        throw InputError({origin}, path + ".branches: expected an array");
      for (const auto& b : branches->value().get_array()) {
        const auto& a = tuple(b, 4, origin, path + ".branches[]");
        BranchKey k{static_cast<std::uint32_t>(whole(a[0], origin, path + ".branches[]")),
                    static_cast<std::uint32_t>(whole(a[1], origin, path + ".branches[]"))};
        auto& branch = file.branches[k];
        branch.taken += whole(a[2], origin, path + ".branches[]");
        branch.tests = test_set(a[3], record.tests.size(), origin, path + ".branches[]");
      }
    }
  }
  return record;
}

std::string missing_ranges(const FileCoverage& file) {
  std::string out;
  std::uint32_t start = 0, last = 0;
  auto flush = [&] {
    if (!start) return;
    if (!out.empty()) out += ", ";
    out += std::to_string(start);
    if (last != start) out += "-" + std::to_string(last);
  };
  // A range runs over missing lines and the non-code lines between them (what a reader
  // wants: "12-18", not "12, 14, 15, 18").
  for (const auto& [line, l] : file.lines) {
    if (l.hits > 0) {
      flush();
      start = 0;
      continue;
    }
    if (!start) start = line;
    last = line;
  }
  flush();
  return out;
}

}  // namespace attest::coverage
