#include "cache.hpp"

#include <attest/detail/json_input.hpp>

#include <boost/json.hpp>

#include <cstdlib>
#include <iostream>
#include <sstream>

namespace attest::detail {
namespace fs = std::filesystem;

namespace {

fs::path cache_root(const std::optional<std::string>& dir) {
  if (dir) return *dir;
  if (const char* env = std::getenv("ATTEST_CACHE_DIR"); env && *env) return env;
  return ".attest_cache";
}

// The file's text, or nothing when there is none (yet): the cache is ours to rewrite.
std::optional<std::string> read_text(const fs::path& file) {
  try {
    return read_file(file);
  } catch (const InputError&) {
    return std::nullopt;
  }
}

}  // namespace

RunCache::RunCache(const std::optional<std::string>& dir, const std::string& binary)
    : root_(cache_root(dir)), dir_(root_ / binary) {}

void RunCache::clear() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::set<std::string> RunCache::last_failed() const {
  std::set<std::string> failed;
  auto file = dir_ / "lastfailed.json";
  auto text = read_text(file);
  if (!text) return failed;
  try {
    auto doc = parse_json(*text, file.string());
    for (const auto& id :
         strings_member(object_at(doc, file.string(), "$"), "tests", file.string(), "$"))
      failed.insert(id);
  } catch (const std::exception& e) {
    std::cerr << "attest: warning: ignoring the run cache: " << e.what() << '\n';
  }
  return failed;
}

std::optional<std::string> RunCache::stepwise() const {
  auto text = read_text(dir_ / "stepwise");
  if (!text || text->empty()) return std::nullopt;
  if (text->back() == '\n') text->pop_back();
  return text;
}

void RunCache::update(const trace::ResultsSource& run,
                      const std::optional<std::string>& stepwise_at, bool stepwise_run) const {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) {
    std::cerr << "attest: warning: cannot write the run cache " << dir_.string() << ": "
              << ec.message() << '\n';
    return;
  }
  if (!fs::exists(root_ / ".gitignore"))
    write_file_atomically(root_ / ".gitignore",
                          "# Created by attest: the run cache is not source.\n*\n");

  // The failures: what earlier runs knew of the tests this one did not run, and this run's.
  auto failed = last_failed();
  for (std::size_t i = 0; i < run.count; ++i) {
    const auto t = run.test(i);
    if (t.outcome == trace::Outcome::failed)
      failed.emplace(t.id);
    else if (!failed.empty())  // (the common case: nothing failed, nothing to look up)
      failed.erase(std::string(t.id));
  }
  boost::json::array ids;
  for (const auto& id : failed) ids.emplace_back(id);
  boost::json::object doc{{"attest_lastfailed", 1}, {"tests", std::move(ids)}};
  bool ok = write_file_atomically(dir_ / "lastfailed.json", boost::json::serialize(doc) + "\n");
  ok = write_file_atomically(dir_ / "results.json",
                             [&](std::ostream& out) { trace::write_results_json(out, run); }) &&
       ok;
  if (stepwise_run) {
    if (stepwise_at)
      ok = write_file_atomically(dir_ / "stepwise", *stepwise_at + "\n") && ok;
    else
      fs::remove(dir_ / "stepwise", ec);
  }
  if (!ok) std::cerr << "attest: warning: cannot write the run cache " << dir_.string() << '\n';
}

}  // namespace attest::detail
