// Property tests (<attest/property.hpp>): RapidCheck checks the property; attest reports
// a failure at the property's line, keeps it in the run cache and replays it first next
// time (Hypothesis' example database, in RapidCheck's own reproduce format).
#include <attest/detail/json_input.hpp>
#include <attest/detail/run_settings.hpp>
#include <attest/detail/stable_hash.hpp>
#include <attest/property.hpp>

#include <rapidcheck/detail/Configuration.h>

#include <boost/json.hpp>
#include <boost/test/framework.hpp>
#include <boost/test/test_tools.hpp>
#include <boost/test/tree/test_unit.hpp>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <unordered_map>

// RapidCheck's reproduce-string codec, which its own RC_PARAMS="reproduce=..." reads: defined
// and exported by librapidcheck, declared only in its private sources. Using it keeps one
// format for the saved case, the replay hint and RapidCheck's own replay.
namespace rc::detail {
std::string reproduceMapToString(const std::unordered_map<std::string, Reproduce>& reproduceMap);
std::unordered_map<std::string, Reproduce> stringToReproduceMap(const std::string& str);
}  // namespace rc::detail

namespace attest::detail {
namespace {
namespace fs = std::filesystem;
namespace ut = boost::unit_test;
using ReproduceMap = std::unordered_map<std::string, rc::detail::Reproduce>;

// RapidCheck's default listener prints progress and, at exit, its own replay hint: attest
// reports instead, so it listens to nothing.
struct QuietListener final : rc::detail::TestListener {
  void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
  void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

struct SavedFailure {
  std::string reproduce;
  std::uint64_t seed = 0;
};

fs::path saved_path(const std::string& id) {
  std::string name;
  for (char c : id) name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
  if (name.size() > 80) name.resize(80);
  char hash[20];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(stable_hash(id)));
  return run_settings().cache_dir / "properties" / (name + "-" + hash + ".json");
}

std::optional<SavedFailure> load_saved(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return std::nullopt;
  try {
    auto doc = boost::json::parse(read_file(file)).as_object();
    SavedFailure saved;
    saved.reproduce = std::string(doc.at("reproduce").as_string());
    saved.seed = doc.at("seed").to_number<std::uint64_t>();
    return saved;
  } catch (const std::exception& e) {
    std::cerr << "attest: warning: ignoring the saved property failure " << file.string() << ": "
              << e.what() << '\n';
    return std::nullopt;
  }
}

void save(const fs::path& file, const std::string& id, const SavedFailure& failure,
          const std::string& counterexample) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  boost::json::object doc{{"attest_property_failure", 1},
                          {"id", id},
                          {"reproduce", failure.reproduce},
                          {"seed", failure.seed},
                          {"counterexample", counterexample}};
  if (ec || !write_file_atomically(file, boost::json::serialize(doc) + "\n"))
    std::cerr << "attest: warning: cannot save the property failure to " << file.string() << '\n';
}

void report(bool passed, const std::string& message, SourceLocation where) {
  ut::unit_test_log.set_checkpoint(where.file_name(), where.line_number());
  boost::test_tools::tt_detail::report_assertion(
      boost::test_tools::assertion_result(passed),
      boost::unit_test::lazy_ostream::instance() << message, where.file_name(),
      static_cast<std::size_t>(where.line_number()), boost::test_tools::tt_detail::CHECK,
      boost::test_tools::tt_detail::CHECK_MSG, 0);
}

std::string counterexample_of(const rc::detail::FailureResult& failure) {
  std::ostringstream out;
  for (const auto& [type, value] : failure.counterExample) out << type << ": " << value << '\n';
  return out.str();
}

// RapidCheck's own words for a result ("Falsifiable after 3 tests and 5 shrinks" and the
// counterexample), without its trailing blank lines.
std::string rapidcheck_message(const rc::detail::TestResult& result) {
  std::ostringstream out;
  rc::detail::printResultMessage(result, out);
  auto text = out.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// RapidCheck's configuration ($RC_PARAMS), read once. RapidCheck announces it on stderr
// ("Using configuration: seed=..."), which lands in the middle of the progress line; attest
// prints the seed with a failure instead, so the announcement is swallowed.
const rc::detail::Configuration& quiet_configuration() {
  // RapidCheck exits the process (status 1) on a bad $RC_PARAMS, its message lost in the
  // captured output: checked here first, it fails the property with the reason instead.
  static const std::string invalid = [] {
    const char* params = std::getenv("RC_PARAMS");
    try {
      if (params) rc::detail::configFromString(params);
    } catch (const rc::detail::ConfigurationException& e) {
      return std::string("RC_PARAMS is not a RapidCheck configuration: ") + e.what();
    }
    return std::string();
  }();
  if (!invalid.empty()) throw std::runtime_error(invalid);
  static const rc::detail::Configuration* config = [] {
    struct NullBuffer : std::streambuf {
      int overflow(int c) override { return traits_type::not_eof(c); }
    } null;
    struct Restore {
      std::streambuf* saved;
      ~Restore() { std::cerr.rdbuf(saved); }
    } restore{std::cerr.rdbuf(&null)};
    return &rc::detail::configuration();
  }();
  return *config;
}

// Whether a replayed case holds now. RapidCheck replays only failures: a replayed case that
// passes comes back as an Error saying so, not as a success.
bool replay_holds(const rc::detail::TestResult& result) {
  if (result.template is<rc::detail::SuccessResult>()) return true;
  return result.template is<rc::detail::Error>() &&
         result.template get<rc::detail::Error>().description ==
             "Reproduced result is not a failure";
}

// The test's name for a regression case: "<property>_case".
std::string case_name(const std::string& id) {
  auto slash = id.rfind('/');
  return (slash == std::string::npos ? id : id.substr(slash + 1)) + "_case";
}

}  // namespace

void check_property(const rc::detail::Property& property, SourceLocation where) {
  const auto& tc = ut::framework::current_test_case();
  rc::detail::TestMetadata metadata;
  metadata.id = tc.full_name();
  metadata.description = tc.p_name.get();
  const auto& config = quiet_configuration();
  rc::detail::TestParams params = config.testParams;
  const auto& settings = run_settings();
  if (settings.prop_seed) params.seed = *settings.prop_seed;
  if (settings.prop_max_success) params.maxSuccess = *settings.prop_max_success;
  QuietListener listener;

  auto file = saved_path(metadata.id);
  std::string replay_note;
  ReproduceMap reproduce;
  if (auto it = config.reproduce.find(metadata.id); it != config.reproduce.end()) {
    // RC_PARAMS="reproduce=..." names this property: RapidCheck's own replay wins.
    reproduce.emplace(*it);
    replay_note = "replaying the case RC_PARAMS names";
  } else if (auto saved = load_saved(file)) {
    try {
      auto map = rc::detail::stringToReproduceMap(saved->reproduce);
      if (map.size() == 1) {
        reproduce.emplace(metadata.id, map.begin()->second);
        params.seed = saved->seed;
        replay_note = "replaying the failure saved in " + file.string();
      }
    } catch (const std::exception& e) {
      std::cerr << "attest: warning: ignoring the saved property failure " << file.string() << ": "
                << e.what() << '\n';
    }
  }
  if (!replay_note.empty()) {
    note("attest: " + metadata.id + ": " + replay_note + " first");
    auto replayed = rc::detail::checkProperty(property, metadata, params, listener, reproduce);
    if (!replay_holds(replayed)) {
      report(false,
             "property failed again on the replayed case (" + replay_note + ")\n" +
                 rapidcheck_message(replayed) +
                 "\nit stays saved until it passes; forget it with --cache-clear",
             where);
      return;
    }
    std::error_code ec;
    if (fs::remove(file, ec))
      note("attest: " + metadata.id + ": the saved failure passes now; forgotten");
    params = config.testParams;
    if (settings.prop_seed) params.seed = *settings.prop_seed;
    if (settings.prop_max_success) params.maxSuccess = *settings.prop_max_success;
  }

  auto result = rc::detail::checkProperty(property, metadata, params, listener, {});
  if (result.template is<rc::detail::SuccessResult>()) {
    report(true, "property holds", where);
    return;
  }
  std::ostringstream message;
  message << "property failed: " << rapidcheck_message(result);
  if (result.template is<rc::detail::FailureResult>()) {
    const auto& failure = result.template get<rc::detail::FailureResult>();
    SavedFailure saved{rc::detail::reproduceMapToString({{metadata.id, failure.reproduce}}),
                       params.seed};
    save(file, metadata.id, saved, counterexample_of(failure));
    message << "\nseed: " << params.seed << " (search again from it: --prop-seed " << params.seed
            << ")"
            << "\nsaved: " << file.string() << " (the next run replays it first)"
            << "\nreplay with RapidCheck: RC_PARAMS=\"reproduce=" << saved.reproduce
            << "\" <binary> --test " << metadata.id
            << "\nkeep it as a test: ATTEST_PROPERTY_REPLAY(" << case_name(metadata.id) << ", "
            << tc.p_name.get() << ", \"" << saved.reproduce << "\");";
  }
  report(false, message.str(), where);
}

void replay_property(const rc::detail::Property& property, const std::string& reproduce,
                     SourceLocation where) {
  const auto& tc = ut::framework::current_test_case();
  rc::detail::TestMetadata metadata;
  metadata.id = tc.full_name();
  metadata.description = tc.p_name.get();
  ReproduceMap map;
  try {
    auto decoded = rc::detail::stringToReproduceMap(reproduce);
    if (decoded.size() != 1)
      throw std::runtime_error("it names " + std::to_string(decoded.size()) + " cases, not 1");
    map.emplace(metadata.id, decoded.begin()->second);
  } catch (const std::exception& e) {
    report(false, std::string("not a RapidCheck reproduce string: ") + e.what(), where);
    return;
  }
  QuietListener listener;
  auto result = rc::detail::checkProperty(property, metadata, quiet_configuration().testParams,
                                          listener, map);
  bool passed = replay_holds(result);
  report(
      passed,
      passed ? "the replayed case holds" : "the replayed case fails: " + rapidcheck_message(result),
      where);
}

}  // namespace attest::detail
