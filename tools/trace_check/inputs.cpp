#include "inputs.hpp"

#include <attest/detail/json_input.hpp>
#include <attest/subprocess.hpp>
#include <attest/trace/readers.hpp>

#include <boost/json.hpp>

#include <glob.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace trace_check {
namespace fs = std::filesystem;
using attest::trace::InputError;

namespace {

constexpr auto kCollectTimeout = std::chrono::seconds(120);

bool is_feature_dir(const std::string& name) {  // spec-kit: specs/003-order-sync/
  auto dash = name.find('-');
  return dash != std::string::npos && dash > 0 &&
         std::all_of(name.begin(), name.begin() + static_cast<std::ptrdiff_t>(dash),
                     [](unsigned char c) { return std::isdigit(c); });
}

// The last `lines` lines of `text` (a failing binary's stderr, for the error message).
std::string tail(const std::string& text, std::size_t lines) {
  std::size_t end = text.size();
  if (end > 0 && text[end - 1] == '\n') --end;
  std::size_t start = end;
  for (std::size_t n = 0; n < lines; ++n) {
    auto nl = start == 0 ? std::string::npos : text.rfind('\n', start - 1);
    if (nl == std::string::npos) return text.substr(0, end);
    start = nl;
  }
  return text.substr(start + 1, end - start - 1);
}

// An attest test binary contains the manifest's key: telling them apart this way
// never runs a binary that does not understand --collect-only.
bool is_attest_binary(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  static const std::string needle = "attest_manifest";
  std::string carry;
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    std::string chunk = carry + std::string(buf.data(), static_cast<std::size_t>(in.gcount()));
    if (chunk.find(needle) != std::string::npos) return true;
    carry = chunk.size() >= needle.size() ? chunk.substr(chunk.size() - needle.size()) : chunk;
  }
  return false;
}

}  // namespace

std::string read_text(const fs::path& path) { return attest::detail::read_file(path); }

namespace {

// Is this file a results document (and not a manifest, a config, a report)? Read its start only.
bool looks_like_results(const fs::path& path) {
  auto ext = path.extension().string();
  if (ext != ".json" && ext != ".xml") return false;
  std::ifstream in(path, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (ext == ".json") return head.find("\"attest_results\"") != std::string::npos;
  return head.find("<testsuite") != std::string::npos;
}

}  // namespace

std::vector<std::string> expand_results(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const auto& arg : args) {
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<std::string> found;
      for (const auto& e : fs::recursive_directory_iterator(arg, ec))
        if (e.is_regular_file() && looks_like_results(e.path())) found.push_back(e.path().string());
      if (found.empty())
        throw InputError(arg +
                         ": no results files (attest JSON or JUnit XML) below this directory");
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (arg.find_first_of("*?[") != std::string::npos && !fs::exists(arg, ec)) {
      glob_t g{};
      int rc = ::glob(arg.c_str(), 0, nullptr, &g);
      for (std::size_t i = 0; rc == 0 && i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
      ::globfree(&g);
      if (rc != 0) throw InputError(arg + ": no file matches this pattern");
    } else {
      out.push_back(arg);
    }
  }
  return out;
}

std::vector<attest::trace::Requirement> read_catalogs(
    const std::vector<std::string>& paths, const attest::trace::CatalogOptions& options) {
  std::vector<fs::path> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      // spec-kit: every spec.md below; else Doorstop: the items of every document
      // (a directory with a .doorstop.yml) below.
      std::vector<fs::path> found, items;
      for (const auto& entry : fs::recursive_directory_iterator(p, ec)) {
        if (!entry.is_regular_file()) continue;
        auto name = entry.path().filename().string();
        if (name == "spec.md") found.push_back(entry.path());
        if ((entry.path().extension() == ".yml" || entry.path().extension() == ".yaml") &&
            name[0] != '.' && fs::exists(entry.path().parent_path() / ".doorstop.yml"))
          items.push_back(entry.path());
      }
      if (found.empty()) found = std::move(items);
      if (found.empty())
        throw InputError(p +
                         ": no spec.md and no Doorstop document (.doorstop.yml) below this "
                         "directory");
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.emplace_back(p);
    }
  }
  std::vector<attest::trace::Requirement> all;
  for (const auto& file : files) {
    std::string text = read_text(file);
    std::string feature;
    auto parent = file.parent_path().filename().string();
    if (file.filename() == "spec.md" && is_feature_dir(parent)) feature = parent;
    auto file_options = options;
    file_options.feature = feature;
    auto reqs = attest::trace::read_catalog(text, file.string(), file_options);
    all.insert(all.end(), std::make_move_iterator(reqs.begin()),
               std::make_move_iterator(reqs.end()));
  }
  return all;
}

std::vector<attest::trace::TestCase> collect_binary(const std::string& binary,
                                                    const std::vector<std::string>& extra_args,
                                                    const fs::path& cwd) {
  std::vector<std::string> argv{binary};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  argv.push_back("--collect-only=json");
  attest::CommandResult r;
  try {
    r = attest::run_command(argv, {cwd, {}, kCollectTimeout});
  } catch (const std::exception& e) {
    throw InputError(binary + ": " + e.what());
  }
  if (r.timed_out)
    throw InputError(binary + ": collection timed out after " +
                     std::to_string(kCollectTimeout.count()) + " s");
  // Exit 5 (nothing selected) still prints a valid, empty manifest.
  if (r.exit_code != 0 && r.exit_code != 5)
    throw InputError(binary + ": collection failed (" + r.describe_status() + ")\n" +
                     tail(r.err, 20));
  return attest::trace::read_manifest(r.out, binary + " --collect-only=json");
}

BuildDir collect_build_dir(const fs::path& build_dir) {
  std::error_code ec;
  if (!fs::is_directory(build_dir, ec))
    throw InputError(build_dir.string() + ": no such build directory");
  auto r = attest::run_command({"ctest", "--test-dir", build_dir.string(), "--show-only=json-v1"},
                               {{}, {}, kCollectTimeout});
  if (r.exit_code != 0)
    throw InputError(build_dir.string() + ": ctest --show-only failed (" + r.describe_status() +
                     ")\n" + tail(r.err, 20));
  auto listing = boost::json::parse(r.out);
  BuildDir out;
  auto& all = out.tests;
  std::set<std::string> results;
  std::set<std::pair<std::string, std::vector<std::string>>> seen;
  for (const auto& test : listing.at("tests").as_array()) {
    const auto& t = test.as_object();
    auto cmd = t.find("command");
    if (cmd == t.end() || !cmd->value().is_array() || cmd->value().as_array().empty()) continue;
    const auto& command = cmd->value().as_array();
    std::string exe(command[0].as_string());
    if (!is_attest_binary(exe)) continue;
    // Keep the arguments that shape collection (--config); note where results go.
    std::vector<std::string> args;
    std::string config, json, junit;
    for (std::size_t i = 1; i < command.size(); ++i) {
      std::string a(command[i].as_string());
      // `--flag VALUE` or `--flag=VALUE` into `into`.
      auto value = [&](const std::string& flag, std::string& into) {
        if (a == flag && i + 1 < command.size()) {
          into = std::string(command[++i].as_string());
          return true;
        }
        if (a.rfind(flag + "=", 0) != 0) return false;
        into = a.substr(flag.size() + 1);
        return true;
      };
      if (value("--config", config))
        args.insert(args.end(), {"--config", config});
      else if (!value("--report-json", json))
        value("--junitxml", junit);
    }
    std::string written = !json.empty() ? json : junit;
    if (!written.empty()) {
      fs::path file = written;
      if (file.is_relative()) file = build_dir / file;  // CTest runs tests in the build tree
      if (fs::is_regular_file(file, ec)) results.insert(file.string());
    }
    if (!seen.emplace(exe, args).second) continue;
    fs::path cwd = build_dir;
    if (auto props = t.find("properties"); props != t.end() && props->value().is_array())
      for (const auto& p : props->value().as_array())
        if (p.at("name").as_string() == "WORKING_DIRECTORY")
          cwd = std::string(p.at("value").as_string());
    auto tests = collect_binary(exe, args, cwd);
    all.insert(all.end(), std::make_move_iterator(tests.begin()),
               std::make_move_iterator(tests.end()));
  }
  out.results.assign(results.begin(), results.end());
  return out;
}

}  // namespace trace_check
