// The path beyond one machine, checked as far as this machine allows (no cluster, no container
// engine): the manifests against the official schemas and each other, the CI workflow against
// the repository, and the Indexed Job simulated — the Job container's own script, N indexes at
// once against one shared environment — giving the same trace as an unsharded run.
#include <attest/attest.hpp>

#include <boost/json.hpp>

#include <regex>
#include <set>

#include "test_support.hpp"

using attest_test::contains;
using attest_test::read_file;
using attest_test::run_command;
using attest_test::TempDir;
using attest_test::write_file;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const fs::path kRoot = ATTEST_SOURCE_DIR;
const fs::path kManifests = kRoot / "ci" / "k8s" / "manifests";

attest_test::CommandResult validate(const fs::path& dir) {
  return run_command({"python3", std::string(ATTEST_K8S_SCHEMAS) + "/validate.py", "--strict",
                      "--schema-dir", ATTEST_K8S_SCHEMAS, dir.string()});
}

attest_test::CommandResult cross_check(const fs::path& dir) {
  return run_command({"python3", (kRoot / "ci/k8s/check-manifests.py").string(), dir.string()});
}

// A copy of the manifests with `from` replaced by `to` in `file`.
fs::path broken(const TempDir& tmp, const std::string& name, const std::string& file,
                const std::string& from, const std::string& to) {
  fs::path dir = tmp.path / name;
  fs::copy(kManifests, dir, fs::copy_options::recursive);
  auto text = read_file(dir / file);
  auto at = text.find(from);
  BOOST_TEST_REQUIRE(at != std::string::npos, file << " has no '" << from << "'");
  write_file(dir / file, text.replace(at, from.size(), to));
  return dir;
}

// The tests of trace-check's JSON, with their outcomes: "id=outcome", sorted.
std::vector<std::string> outcomes(const std::string& trace_json) {
  std::set<std::string> out;
  auto doc = json::parse(trace_json);
  for (const auto& r : doc.at("requirements").as_array())
    for (const auto& t : r.at("tests").as_array())
      out.insert(std::string(t.at("id").as_string()) + "=" +
                 std::string(t.at("outcome").as_string()));
  return {out.begin(), out.end()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(kubernetes, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(manifests_validate_against_the_schemas_and_each_other,
                     *attest::requirement("FR-100")) {
  auto v = validate(kManifests);
  BOOST_TEST(v.exit_code == 0, v.out + v.err);
  for (const auto* kind :
       {"Namespace/attest", "Secret/attest-credentials", "StatefulSet/postgres", "Service/postgres",
        "Deployment/redis", "Service/redis", "Job/attest-tests"})
    BOOST_TEST(contains(v.out, std::string(" ") + kind), kind << "\n" << v.out);
  auto c = cross_check(kManifests);
  BOOST_TEST(c.exit_code == 0, c.out + c.err);

  TempDir tmp;
  // An unknown field: the strict schema refuses it.
  auto typo =
      validate(broken(tmp, "typo", "test-runner-job.yaml", "completionMode:", "completionsMode:"));
  BOOST_TEST(typo.exit_code == 1);
  BOOST_TEST(contains(typo.out, "INVALID"), typo.out);
  BOOST_TEST(contains(typo.out, "completionsMode"), typo.out);
  // What no schema sees, the cross-check does.
  auto selector = cross_check(broken(tmp, "selector", "redis.yaml",
                                     "  selector:\n    app.kubernetes.io/name: redis",
                                     "  selector:\n    app.kubernetes.io/name: rediss"));
  BOOST_TEST(selector.exit_code == 1);
  BOOST_TEST(contains(selector.out,
                      "Service/redis: selector {'app.kubernetes.io/name': 'rediss'} "
                      "matches no pod template"),
             selector.out);
  auto key = cross_check(broken(tmp, "key", "secret.yaml", "redis-password:", "redis-passwd:"));
  BOOST_TEST(key.exit_code == 1);
  BOOST_TEST(contains(key.out, "secret 'attest-credentials' has no key 'redis-password'"), key.out);
  auto shards = cross_check(
      broken(tmp, "shards", "test-runner-job.yaml", "parallelism: 4", "parallelism: 3"));
  BOOST_TEST(shards.exit_code == 1);
  BOOST_TEST(contains(shards.out,
                      "completions (4), parallelism (3) and ATTEST_TOTAL_SHARDS (4) must be equal"),
             shards.out);
  auto url = cross_check(
      broken(tmp, "url", "test-runner-job.yaml", "@redis.attest.svc", "@cache.attest.svc"));
  BOOST_TEST(url.exit_code == 1);
  BOOST_TEST(contains(url.out,
                      "ATTEST_REDIS_URL points at 'cache.attest.svc.cluster.local', not a Service"),
             url.out);
}

BOOST_AUTO_TEST_CASE(the_workflow_calls_only_what_exists, *attest::requirement("FR-101")) {
  auto ok = run_command({"python3", (kRoot / "ci/check-workflows.py").string(),
                         (kRoot / ".github/workflows").string()});
  BOOST_TEST(ok.exit_code == 0, ok.out + ok.err);
  TempDir tmp;
  auto text = read_file(kRoot / ".github/workflows/ci.yml");
  text = std::regex_replace(text, std::regex("bash ci/test-e2e.sh"), "bash ci/test-e3e.sh");
  text = std::regex_replace(text, std::regex("needs: \\[build, integration, e2e\\]"),
                            "needs: [build, integration, e2e, lint]");
  text = std::regex_replace(text, std::regex("inputs.shards \\|\\| '4' \\}\\}\n    outputs"),
                            "inputs.shard_count }}\n    outputs");
  write_file(tmp.path / "ci.yml", text + "\n# inputs.shard_count\n");
  auto bad =
      run_command({"python3", (kRoot / "ci/check-workflows.py").string(), tmp.path.string()});
  BOOST_TEST(bad.exit_code == 1);
  BOOST_TEST(contains(bad.out, "e2e: runs ci/test-e3e.sh, which does not exist"), bad.out);
  BOOST_TEST(contains(bad.out, "merge: needs 'lint', which is not a job"), bad.out);
  BOOST_TEST(contains(bad.out, "inputs.shard_count is not a workflow_dispatch input"), bad.out);

  // Without the tools, the kind targets say which to install.
  TempDir bin;
  fs::create_symlink("/usr/bin/dirname", bin.path / "dirname");
  auto up = run_command({"/bin/bash", (kRoot / "ci/k8s/kind.sh").string(), "up"}, kRoot,
                        {{"PATH", bin.path.string()}});
  BOOST_TEST(up.exit_code == 2);
  BOOST_TEST(contains(up.err, "kind.sh: docker kind kubectl not found. Install them"), up.err);
}

BOOST_AUTO_TEST_CASE(the_job_simulated_equals_an_unsharded_run,
                     *attest::requirement("FR-102") * attest::mark("slow")) {
  TempDir tmp;
  fs::permissions(tmp.path, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  const fs::path suite = ATTEST_DBLAYER_DIR;
  write_file(tmp.path / "env.json", R"({"services": {"db": {"type": "postgres"}}})");
  std::map<std::string, std::string> env{{"DBLAYER_MIGRATIONS", (suite / "migrations").string()},
                                         {"ATTEST_SUITES", ATTEST_DBLAYER_BIN},
                                         {"ATTEST_CONFIG", (suite / "attest.json").string()},
                                         {"ATTEST_RUN_DIR", tmp.path.string()}};
  auto in_environment = [&](std::vector<std::string> command,
                            std::map<std::string, std::string> more) {
    command.insert(command.begin(), {ATTEST_ENV_BIN, "--config", (tmp.path / "env.json").string(),
                                     "--dir", (tmp.path / "env").string(), "exec", "--"});
    for (const auto& kv : env) more.insert(kv);
    return run_command(command, suite, more);
  };
  // 3 indexes; the first attempt of index 1 is killed (as an evicted pod): retried once.
  auto job = in_environment(
      {(kRoot / "ci/k8s/simulate-job.sh").string(), "3", "1"},
      {{"ATTEST_RESULTS_DIR", (tmp.path / "sharded").string()}, {"ATTEST_SIMULATE_KILL", "1"}});
  BOOST_TEST_REQUIRE(job.exit_code == 0, job.out + job.err);
  BOOST_TEST(contains(job.out, "simulate-job: index 1 attempt 1: exit 137"), job.out);
  BOOST_TEST(contains(job.out, "simulate-job: index 1 attempt 2: exit 0"), job.out);
  BOOST_TEST(contains(job.out, "simulate-job: 3 of 3 indexes succeeded"), job.out);
  for (const auto* i : {"0", "1", "2"})
    BOOST_TEST(
        fs::exists(tmp.path / "sharded" / (std::string("index-") + i) / "dblayer_tests.json"));
  // The same suite unsharded, by the same script (one index of one).
  auto whole = in_environment({(kRoot / "ci/k8s/simulate-job.sh").string(), "1"},
                              {{"ATTEST_RESULTS_DIR", (tmp.path / "whole").string()}});
  BOOST_TEST_REQUIRE(whole.exit_code == 0, whole.out + whole.err);

  auto trace = [&](const std::string& results) {
    auto r = run_command({ATTEST_TRACE_CHECK, "--config", (suite / "attest.json").string(),
                          "--collect", ATTEST_DBLAYER_BIN, "--results", results, "--threshold",
                          "100", "--require-passing", "--format", "json"},
                         suite);
    BOOST_TEST(r.exit_code == 0, r.out + r.err);
    return r.out;
  };
  auto sharded = trace((tmp.path / "sharded").string());
  auto unsharded = trace((tmp.path / "whole").string());
  auto a = outcomes(sharded), b = outcomes(unsharded);
  BOOST_TEST(a.size() >= 60u);
  BOOST_TEST((a == b));  // same tests, same outcomes
  BOOST_TEST(json::parse(sharded).at("coverage").to_number<double>() == 100.0);

  // An index whose tests fail is failed at once (FailIndex), not retried.
  auto failing = run_command({(kRoot / "ci/k8s/simulate-job.sh").string(), "2", "3"}, {},
                             {{"ATTEST_SUITES", ATTEST_SAMPLE_BIN},
                              {"ATTEST_CONFIG", std::string(ATTEST_SAMPLE_DIR) + "/attest.json"},
                              {"ATTEST_ARGS", "-m failing"},
                              {"ATTEST_RESULTS_DIR", (tmp.path / "failing").string()}});
  BOOST_TEST(failing.exit_code == 1, failing.out);
  BOOST_TEST(contains(failing.out, "failed (FailIndex: the tests' verdict)"), failing.out);
  BOOST_TEST(!contains(failing.out, "attempt 2"), failing.out);
}

BOOST_AUTO_TEST_SUITE_END()
