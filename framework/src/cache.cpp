#include "cache.hpp"

#include <attest/detail/json_input.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <unistd.h>

namespace attest::detail {
namespace fs = std::filesystem;

namespace {

fs::path cache_root(const std::optional<std::string>& dir) {
  if (dir) return *dir;
  if (const char* env = std::getenv("ATTEST_CACHE_DIR"); env && *env) return env;
  return ".attest_cache";
}

std::optional<std::string> read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Written next to the target and renamed over it: a reader (another binary's run
// under ctest -j, a killed run) never sees half a file.
bool write_atomically(const fs::path& file, const std::string& text) {
  fs::path tmp = file;
  tmp += ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) return false;
  }
  std::error_code ec;
  fs::rename(tmp, file, ec);
  if (ec) fs::remove(tmp, ec);
  return !ec;
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
  auto text = read_text(dir_ / "results.json");
  if (!text) return failed;
  try {
    for (const auto& t : trace::read_results(*text, (dir_ / "results.json").string()))
      if (t.outcome == trace::Outcome::failed) failed.insert(t.id);
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

void RunCache::update(const trace::Results& run, const std::optional<std::string>& stepwise_at,
                      bool stepwise_run) const {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) {
    std::cerr << "attest: warning: cannot write the run cache " << dir_.string() << ": "
              << ec.message() << '\n';
    return;
  }
  if (!fs::exists(root_ / ".gitignore"))
    write_atomically(root_ / ".gitignore", "# Created by attest: the run cache is not source.\n*\n");

  // This run's outcomes, over what earlier runs knew of the tests it did not run.
  trace::Results merged{run.binary, {}, run.summary};
  std::map<std::string, std::size_t> index;
  if (auto text = read_text(dir_ / "results.json")) {
    try {
      merged.tests = trace::read_results(*text, (dir_ / "results.json").string());
    } catch (const std::exception&) {
      merged.tests.clear();  // a broken cache is rebuilt from this run
    }
  }
  for (std::size_t i = 0; i < merged.tests.size(); ++i) index[merged.tests[i].id] = i;
  for (const auto& t : run.tests) {
    if (auto it = index.find(t.id); it != index.end())
      merged.tests[it->second] = t;
    else
      merged.tests.push_back(t);
  }
  std::ostringstream out;
  trace::write_results_json(out, merged);
  bool ok = write_atomically(dir_ / "results.json", out.str());
  if (stepwise_run) {
    if (stepwise_at)
      ok = write_atomically(dir_ / "stepwise", *stepwise_at + "\n") && ok;
    else
      fs::remove(dir_ / "stepwise", ec);
  }
  if (!ok)
    std::cerr << "attest: warning: cannot write the run cache " << dir_.string() << '\n';
}

}  // namespace attest::detail
