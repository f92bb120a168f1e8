#include "test_support.hpp"

#include <attest/polling.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace attest_test {

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/attest-test-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

const std::filesystem::path& run_cache_dir() {
  static TempDir dir;
  return dir.path;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

bool alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto close = content.rfind(')');
  if (close == std::string::npos || close + 2 >= content.size()) return false;
  char state = content[close + 2];
  return state != 'Z' && state != 'X';
}

void wait_gone(pid_t pid, const std::string& what) {
  attest::wait_for_condition([&] { return !alive(pid); }, {.timeout = std::chrono::seconds(10),
                                                           .description = what + " to be gone"});
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

std::size_t line_of(const std::filesystem::path& path, const std::string& needle) {
  std::istringstream in(read_file(path));
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);)
    if (++n, line.find(needle) != std::string::npos) return n;
  throw std::runtime_error(needle + " not in " + path.string());
}

std::string leftovers(const std::filesystem::path& run_dir) {
  std::string left;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(run_dir, ec))
    left += "left behind: " + e.path().string() + "\n";
  auto ps = run_command({"pgrep", "-af", run_dir.string()});
  if (!ps.out.empty()) left += "processes left: " + ps.out;
  return left;
}

}  // namespace attest_test
