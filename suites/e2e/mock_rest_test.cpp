// The mock server as another process sees it: MockServer's REST API under /mockserver/,
// driven with plain HTTP and with MockServer's own JavaScript client (npm
// mockserver-client, run by Debian's node), and attest-mock on the command line.
#include <attest/attest.hpp>
#include <attest/local_service.hpp>
#include <attest/mock_http.hpp>
#include <attest/process.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>

#include <regex>

#include "test_support.hpp"

using attest_test::contains;
using attest_test::TempDir;
using attest_test::write_file;
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

attest::HttpResponse put(attest::HttpClient& c, const std::string& target,
                         const std::string& body = {}) {
  return c.request("PUT", target, body, {{"Content-Type", "application/json"}});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mock_rest, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(expectations_verify_retrieve_clear_over_http, *attest::requirement("FR-093")) {
  attest::MockHttpServer mock;
  attest::HttpClient admin(mock.base_url()), app(mock.base_url());

  // MockServer's shapes as its clients send them: empty parts, array multimaps, microseconds.
  auto created = put(admin, "/mockserver/expectation", R"({
    "id": "orders", "httpRequest": {"method": "", "path": "/orders", "body": "", "cookies": [],
      "headers": [{"name": "X-Tenant", "values": ["acme"]}], "queryStringParameters": []},
    "httpResponse": {"statusCode": 201, "body": {"type": "JSON", "json": {"id": 7}},
      "delay": {"timeUnit": "MICROSECONDS", "value": 0}},
    "times": {"remainingTimes": 2, "unlimited": false},
    "timeToLive": {"unlimited": true}})");
  BOOST_TEST(created.status == 201u, created.body);
  BOOST_TEST(json::parse(created.body).at(0).at("id").as_string() == "orders");

  BOOST_TEST(app.post("/orders", "{}", {{"X-Tenant", "acme"}}).status == 201u);
  BOOST_TEST(app.post("/orders", "{}", {{"X-Tenant", "other"}}).status == 404u);
  BOOST_TEST(app.get("/orders?page=2", {{"X-Tenant", "acme"}}).status == 201u);
  BOOST_TEST(app.get("/orders", {{"X-Tenant", "acme"}}).status == 404u);  // used up

  // The control requests themselves are not in the journal.
  BOOST_TEST(mock.requests().size() == 4u);

  auto holds = put(admin, "/mockserver/verify",
                   R"({"httpRequest": {"path": "/orders"}, "times": {"atLeast": 4, "atMost": 4}})");
  BOOST_TEST(holds.status == 202u, holds.body);
  auto fails = put(admin, "/mockserver/verify",
                   R"({"httpRequest": {"method": "DELETE", "path": "/orders"}})");
  BOOST_TEST(fails.status == 406u);
  BOOST_TEST(contains(fails.body, "Request not found at least once"), fails.body);
  BOOST_TEST(contains(fails.body, "method is POST, expected DELETE"), fails.body);
  auto by_id = put(admin, "/mockserver/verify",
                   R"({"expectationId": {"id": "orders"}, "times": {"atLeast": 3, "atMost": 3}})");
  BOOST_TEST(by_id.status == 202u, by_id.body);  // the acme requests its matcher matches, 404 too

  auto sequence = put(admin, "/mockserver/verifySequence",
                      R"({"httpRequests": [{"method": "POST"}, {"method": "GET"}]})");
  BOOST_TEST(sequence.status == 202u, sequence.body);
  auto reversed = put(admin, "/mockserver/verifySequence",
                      R"({"httpRequests": [{"method": "GET"}, {"method": "POST"}]})");
  BOOST_TEST(reversed.status == 406u);
  BOOST_TEST(contains(reversed.body, "Request sequence not found"), reversed.body);

  auto requests = json::parse(
      put(admin, "/mockserver/retrieve?type=REQUESTS&format=JSON", R"({"method": "GET"})").body);
  BOOST_TEST_REQUIRE(requests.as_array().size() == 2u);
  BOOST_TEST(requests.at(0).at("queryStringParameters").at("page").at(0).as_string() == "2");
  auto active = json::parse(put(admin, "/mockserver/retrieve?type=active_expectations").body);
  BOOST_TEST(active.as_array().empty(), active);  // its two answers are used up

  BOOST_TEST(put(admin, "/mockserver/clear?type=LOG", R"({"path": "/orders"})").status == 200u);
  BOOST_TEST(mock.requests().empty());
  BOOST_TEST(json::parse(put(admin, "/mockserver/status").body).at("ports").at(0).as_int64() ==
             mock.port());

  // A body it cannot read: 400 with the reason, and nothing added.
  auto bad = put(admin, "/mockserver/expectation", R"({"httpResponse": {"statusCode": "x"}})");
  BOOST_TEST(bad.status == 400u);
  BOOST_TEST(contains(bad.body, "httpResponse.statusCode: expected an integer"), bad.body);
  BOOST_TEST(put(admin, "/mockserver/expectation", "{").status == 400u);
  BOOST_TEST(put(admin, "/mockserver/nope").status == 404u);

  // What the C++ API added, the REST API sees, and reset removes it for both.
  mock.when(attest::MockRequest().path("/health")).respond(attest::MockResponse(204));
  auto listed = json::parse(put(admin, "/mockserver/retrieve?type=ACTIVE_EXPECTATIONS").body);
  BOOST_TEST(listed.at(0).at("httpRequest").at("path").as_string() == "/health");
  BOOST_TEST(put(admin, "/mockserver/reset").status == 200u);
  BOOST_TEST(app.get("/health").status == 404u);
}

BOOST_AUTO_TEST_CASE(mockservers_javascript_client_drives_attest_mock,
                     *attest::requirement("FR-093", "FR-094")) {
  attest::LocalService mock({.name = "attest-mock",
                             .executable = ATTEST_MOCK_BIN,
                             .args = {"--port", "{port}"},
                             .ready = attest::Readiness::log("^attest-mock: listening on ")});
  auto node = attest_test::run_command(
      std::vector<std::string>{"node", ATTEST_CLIENT_SCRIPT, std::to_string(mock.port())}, {},
      {{"NODE_PATH", ATTEST_NODE_MODULES}});
  // One TAP line per check of the script; every one must pass.
  std::smatch plan;
  BOOST_TEST_REQUIRE(std::regex_search(node.out, plan, std::regex(R"(\n1\.\.(\d+)\n)")),
                     node.out + node.err);
  BOOST_TEST(std::stoi(plan[1]) >= 14);
  BOOST_TEST(!contains(node.out, "not ok"), node.out);
  BOOST_TEST(node.exit_code == 0, node.out + node.err);
  // attest-mock printed each request the client's checks made.
  BOOST_TEST(contains(attest_test::read_file(mock.log_path()), "→ 200 by 'token'"));
}

BOOST_AUTO_TEST_CASE(attest_mock_on_the_command_line, *attest::requirement("FR-094")) {
  TempDir dir;
  write_file(dir.path / "auth.json", R"([{"id": "token", "httpRequest": {"path": "/token"},
                                         "httpResponse": {"statusCode": 200, "body": "t-1"}}])");
  write_file(dir.path / "bad.json",
             "[\n  {\"httpRequest\": {\"path\": \"/a\"},\n   \"httpResponse\": {]\n");
  attest::LocalService mock({.name = "attest-mock",
                             .executable = ATTEST_MOCK_BIN,
                             .args = {(dir.path / "auth.json").string(), "--port", "{port}"},
                             .ready = attest::Readiness::log("^attest-mock: listening on ")});
  BOOST_TEST(contains(attest_test::read_file(mock.log_path()), "(1 expectation)"));
  attest::HttpClient client(mock.url());
  BOOST_TEST(client.get("/token").body == "t-1");

  // The port taken: exit 1, naming it.
  auto taken = attest_test::run_command(
      std::vector<std::string>{ATTEST_MOCK_BIN, "--port", std::to_string(mock.port())});
  BOOST_TEST(taken.exit_code == 1);
  BOOST_TEST(contains(taken.err, "cannot listen on 127.0.0.1:" + std::to_string(mock.port()) +
                                     ": Address already in use"),
             taken.err);
  // A bad file: exit 2 at file:line:col; a missing one: exit 2 naming it.
  auto bad = attest_test::run_command(
      std::vector<std::string>{ATTEST_MOCK_BIN, (dir.path / "bad.json").string()});
  BOOST_TEST(bad.exit_code == 2);
  BOOST_TEST(contains(bad.err, (dir.path / "bad.json").string() + ":3:21: malformed JSON"),
             bad.err);
  auto missing = attest_test::run_command(
      std::vector<std::string>{ATTEST_MOCK_BIN, (dir.path / "absent.json").string()});
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(contains(missing.err, "absent.json"), missing.err);

  // SIGTERM stops it, exit 0.
  mock.stop();
  BOOST_TEST(contains(mock.process().exit_status(), "exit code 0"), mock.process().exit_status());
}

BOOST_AUTO_TEST_SUITE_END()
