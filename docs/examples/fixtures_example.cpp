// TESTING.md's fixture examples: compiled, run by CTest (label docs), quoted verbatim.
#include <attest/attest.hpp>
#include <attest/local_service.hpp>

#include <atomic>
#include <thread>

using namespace std::chrono_literals;

// [polling]
BOOST_AUTO_TEST_CASE(waits_instead_of_sleeping,
                     *attest::requirement("FR-027") * attest::mark("unit")) {
  std::atomic<int> processed{0};
  std::thread worker([&] {
    for (int i = 0; i < 3; ++i) ++processed;
  });
  // Polls (1 ms, doubling to 10 ms) until true; fails after 30 s by default.
  attest::wait_for_condition([&] { return processed == 3; }, {.description = "3 processed jobs"});
  worker.join();

  // wait_for returns the value once the function yields one.
  int rows = attest::wait_for(
      [&]() -> std::optional<int> {
        if (processed < 3) return std::nullopt;
        return processed * 10;
      },
      {.timeout = 5s});
  BOOST_TEST(rows == 30);
}
// [polling]

// [process]
BOOST_AUTO_TEST_CASE(starts_a_real_service,
                     *attest::requirement("FR-028") * attest::mark("integration")) {
  // {port} becomes a free loopback port; ready when GET / answers 200.
  attest::HttpService web(
      "python3",
      {.args = {"-m", "http.server", "{port}", "--bind", "127.0.0.1"}, .name = "static-files"});
  attest::wait_for_http(web.base_url() + "/", 200);

  // Any program: its output goes to <run dir>/worker.log; stopped (SIGTERM, then
  // SIGKILL) with its whole process group when `worker` goes out of scope.
  attest::Process worker(
      "sh", {.args = {"-c", "echo 'worker ready'; exec tail -f /dev/null"}, .name = "worker"});
  attest::wait_for_log(worker.log_path(), "worker ready");
}
// [process]

// [local-service]
BOOST_AUTO_TEST_CASE(starts_any_service_with_its_own_readiness,
                     *attest::requirement("FR-051") * attest::mark("integration")) {
  // The lifecycle PostgreSQL and Redis use, for any program: named ports, a
  // readiness probe, a new port if the first was taken, the log tail if it never
  // gets ready. Stopped with its process group when `api` goes out of scope.
  attest::LocalService api({
      .name = "api",
      .executable = "python3",
      .args = {"-u", "-m", "http.server", "{port}", "--bind", "{host}"},
      .env = {{"ADMIN_URL", "http://{host}:{port:admin}"}},
      .ports = {"", "admin"},  // {port} and {port:admin}
      .ready = attest::Readiness::log("Serving HTTP"),  // or tcp(), http("/health", 200),
                                                        // unix_socket(path), command({...}),
                                                        // when("...", fn)
  });
  attest::wait_for_http(api.url() + "/", 200, {.timeout = 1s});
  BOOST_TEST(api.port("admin") != api.port());
}
// [local-service]

// [integration-base]
struct OrdersTest : attest::IntegrationTestBase {
  OrdersTest() {
    require({"python3", [] { return std::system("python3 -c pass") == 0; },
             "install it: apt-get install python3"});
  }
  void setup() override {
    check_infrastructure();       // fails naming what is missing, or skips with
                                  // ATTEST_SKIP_UNAVAILABLE=1
    created.push_back(ns().sql);  // e.g. CREATE SCHEMA <ns().sql>
  }
  void teardown() override { created.clear(); }  // runs even if the body or setup throws
  std::vector<std::string> created;
};

BOOST_FIXTURE_TEST_CASE(syncs_orders, attest::Fixture<OrdersTest>,
                        *attest::requirement("FR-032", "FR-033") * attest::mark("integration")) {
  {
    attest::phase p("sync");  // [PHASE] sync started ... [PHASE] sync passed in 0.00 s
    created.push_back("orders");
  }
  attest::phase p("validate");
  BOOST_TEST(created.size() == 2u);
  BOOST_TEST(ns().dns.rfind("syncs-orders-", 0) == 0u);  // unique per test, DNS-1123 and SQL forms
}
// [integration-base]
