// attest::MockHttpServer over real loopback sockets, driven by attest::HttpClient.
#include <attest/attest.hpp>
#include <attest/http_client.hpp>
#include <attest/mock_http.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <regex>
#include <set>
#include <thread>

#include "test_support.hpp"

using attest::MockRequest;
using attest::MockResponse;
using attest::Times;
using attest_test::contains;
using attest_test::error_of;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const fs::path kMocks = fs::path(ATTEST_SUITE_DIR) / "mocks";

}  // namespace

BOOST_AUTO_TEST_SUITE(mock_http, *attest::mark("integration"))

BOOST_AUTO_TEST_CASE(expectations_match_every_part_of_a_request, *attest::requirement("FR-044")) {
  attest::MockHttpServer mock;
  BOOST_TEST(mock.base_url() == "http://127.0.0.1:" + std::to_string(mock.port()));
  mock.when(MockRequest()
                .method("GET")
                .path("/api/items")
                .query("page", "2")
                .header("accept", "application/json"))
      .respond(MockResponse(200).json(R"({"items":[1,2]})").header("X-Total", "2"));
  mock.when(MockRequest().method("POST").path_regex("/api/items/[0-9]+").body_regex("name=.*"))
      .respond(MockResponse(201).body("created"));
  mock.when(MockRequest()
                .method("POST")
                .path("/api/orders")
                .body_json(R"({"customer":{"id":7},"lines":[{"sku":"A"}]})"))
      .respond(MockResponse(202));
  mock.when(MockRequest().method("PUT").path("/exact").body("exactly this"))
      .respond(MockResponse(204));

  attest::HttpClient api(mock.base_url());
  auto list = api.get("/api/items?page=2&size=10", {{"Accept", "application/json"}});
  BOOST_TEST(list.status == 200u);
  BOOST_TEST(list.body == R"({"items":[1,2]})");
  BOOST_TEST(list.header("content-type") == "application/json");
  BOOST_TEST(list.header("X-Total") == "2");
  BOOST_TEST(api.get("/api/items?page=3", {{"Accept", "application/json"}}).status == 404u);
  BOOST_TEST(api.get("/api/items?page=2").status == 404u);  // header missing

  BOOST_TEST(api.post("/api/items/42", "name=x").status == 201u);
  BOOST_TEST(api.post("/api/items/4x", "name=x").status == 404u);
  BOOST_TEST(api.post("/api/items/42", "nom=x").status == 404u);

  // A JSON subset: extra members and elements are fine, a different value is not.
  BOOST_TEST(
      api.post("/api/orders",
               R"({"customer":{"id":7.0,"name":"N"},"lines":[{"sku":"B"},{"sku":"A","n":1}]})")
          .status == 202u);
  BOOST_TEST(api.post("/api/orders", R"({"customer":{"id":8},"lines":[{"sku":"A"}]})").status ==
             404u);
  BOOST_TEST(api.post("/api/orders", "not json").status == 404u);

  auto head = api.request("HEAD", "/api/items?page=2", "", {{"Accept", "application/json"}});
  BOOST_TEST(head.status == 404u);  // the expectation says GET
  mock.when(MockRequest().method("HEAD").path("/file")).respond(MockResponse(200).body("12345"));
  head = api.request("HEAD", "/file");  // headers only: the client does not wait for a body
  BOOST_TEST(head.status == 200u);
  BOOST_TEST(head.header("Content-Length") == "5");
  BOOST_TEST(head.body.empty());
  BOOST_TEST(api.request("PUT", "/exact", "exactly this").status == 204u);
  BOOST_TEST(api.request("PUT", "/exact", "exactly this!").status == 404u);

  // Unmatched requests get a 404 saying so, and are journaled.
  auto missing = api.get("/nowhere");
  BOOST_TEST(missing.status == 404u);
  BOOST_TEST(missing.body == "attest mock: no expectation matches GET /nowhere\n");
  auto unmatched = mock.unmatched();
  BOOST_TEST(unmatched.size() == 9u);
  BOOST_TEST(unmatched.back().path == "/nowhere");
  BOOST_TEST(mock.requests().size() == 14u);

  BOOST_CHECK_THROW(MockRequest().body_json("{nope"), std::exception);
  BOOST_CHECK_THROW(MockResponse().json("[1,"), std::exception);
  BOOST_CHECK_THROW(MockRequest().path_regex("(unclosed"), std::regex_error);
}

BOOST_AUTO_TEST_CASE(priorities_and_answer_limits, *attest::requirement("FR-044")) {
  attest::MockHttpServer mock;
  mock.when(MockRequest().path("/token")).respond(MockResponse(503)).id("fallback");
  auto& first =
      mock.when(MockRequest().path("/token")).respond(MockResponse(200)).priority(10).times(2);
  attest::HttpClient api(mock.base_url());
  BOOST_TEST(api.get("/token").status == 200u);
  BOOST_TEST(api.get("/token").status == 200u);
  BOOST_TEST(api.get("/token").status == 503u);  // the limit reached: the lower priority answers
  BOOST_TEST(first.answered() == 2u);
  BOOST_TEST(mock.expectation("fallback").answered() == 1u);
  BOOST_TEST(first.id() == "expectation-2");

  // Equal priorities: the one added first answers.
  mock.when(MockRequest().path("/same")).respond(MockResponse(201));
  mock.when(MockRequest().path("/same")).respond(MockResponse(202));
  BOOST_TEST(api.get("/same").status == 201u);
  BOOST_CHECK_THROW(mock.expectation("nope"), std::out_of_range);

  mock.reset();
  BOOST_TEST(mock.requests().empty());
  BOOST_TEST(api.get("/token").status == 404u);
}

BOOST_AUTO_TEST_CASE(mockserver_json_files_load_next_to_the_tests, *attest::requirement("FR-045")) {
  attest::MockHttpServer admin, storage;
  auto loaded = admin.load(kMocks / "admin-mock.json");
  BOOST_TEST(loaded.size() == 2u);
  storage.load(kMocks / "storage-mock.json");

  attest::HttpClient a(admin.base_url()), s(storage.base_url());
  auto token = a.post("/api/auth/token", R"({"client_id":"ingester","secret":"x"})",
                      {{"Content-Type", "application/json"}});
  BOOST_TEST(token.status == 200u);
  BOOST_TEST(contains(token.body, R"("token":"t-123")"), token.body);
  BOOST_TEST(
      a.post("/api/auth/token", R"({"client_id":"other"})", {{"Content-Type", "application/json"}})
          .status == 401u);

  attest::HttpHeaders auth{{"Authorization", "Bearer t-123"}};
  BOOST_TEST(s.request("PUT", "/api/objects/a-1", "data", auth).status == 201u);
  BOOST_TEST(s.request("PUT", "/api/objects/a-1", "data").status == 404u);  // no token
  BOOST_TEST(s.request("DELETE", "/api/objects/a-1", "", auth).status == 204u);
  auto health = s.get("/health");
  BOOST_TEST(health.status == 200u);
  BOOST_TEST(health.body == "ok");
  admin.verify(admin.expectation("token"), Times::once());
  storage.verify(storage.expectation("upload"), Times::once());
}

BOOST_AUTO_TEST_CASE(bad_mock_files_say_where, *attest::requirement("FR-045")) {
  attest_test::TempDir dir;
  attest::MockHttpServer mock;
  auto load = [&](const std::string& text) {
    attest_test::write_file(dir.path / "m.json", text);
    return error_of([&] { mock.load(dir.path / "m.json"); });
  };
  std::string file = (dir.path / "m.json").string();
  BOOST_TEST(load("[\n  {\"httpRequest\": {\"path\": \"/a\"},\n   \"httpResponse\": {]\n") ==
                 file + ":3:21: malformed JSON: syntax error",
             load("[\n  {\"httpRequest\": {\"path\": \"/a\"},\n   \"httpResponse\": {]\n"));
  auto unsupported =
      load(R"([{"httpRequest": {"pathParameters": {"a": "b"}}, "httpResponse": {}}])");
  BOOST_TEST(contains(unsupported, file + ": [0].httpRequest: unsupported field 'pathParameters'"),
             unsupported);
  auto cookies = load(R"([{"httpRequest": {"cookies": {"a": "b"}}, "httpResponse": {}}])");
  BOOST_TEST(
      contains(cookies, file + ": [0].httpRequest.cookies: matching cookies is not supported"),
      cookies);
  auto status = load(R"([{"httpRequest": {}, "httpResponse": {"statusCode": "200"}}])");
  BOOST_TEST(status == file + ": [0].httpResponse.statusCode: expected an integer", status);
  auto huge = load(R"([{"httpResponse": {"statusCode": 10444444444444444440}}])");
  BOOST_TEST(huge == file + ": [0].httpResponse.statusCode: must be at most 2147483647", huge);
  auto count = load(R"([{"httpRequest": {"path": "/a{99999999}"}, "httpResponse": {}}])");
  BOOST_TEST(contains(count, "[0].httpRequest.path: not a valid regex"), count);
  auto bytes = load(R"([{"httpError": {"responseBytes": "not*base64"}}])");
  BOOST_TEST(bytes == file + ": [0].httpError.responseBytes: not base64", bytes);
  auto both = load(R"([{"httpResponse": {}, "httpError": {"dropConnection": true}}])");
  BOOST_TEST(contains(both, "needs exactly one of httpResponse and httpError"), both);
  auto regex = load(R"([{"httpRequest": {"path": "/a(b"}, "httpResponse": {}}])");
  BOOST_TEST(contains(regex, "[0].httpRequest.path: not a valid regex"), regex);
  BOOST_TEST(contains(error_of([&] { mock.load(dir.path / "absent.json"); }), "cannot read"));
  // A bad second expectation adds nothing, not even the good first one.
  load(R"([{"httpResponse": {"statusCode": 200}}, {"httpResponse": {"statusCode": 1}}])");
  BOOST_TEST(attest::HttpClient(mock.base_url()).get("/").status == 404u);
}

BOOST_AUTO_TEST_CASE(verify_counts_and_shows_the_closest_requests, *attest::requirement("FR-046")) {
  attest::MockHttpServer mock;
  auto& upload = mock.when(MockRequest()
                               .method("PUT")
                               .path_regex("/api/objects/.+")
                               .header("Authorization", "Bearer t-1"))
                     .respond(MockResponse(201))
                     .id("upload");
  attest::HttpClient api(mock.base_url());
  api.request("PUT", "/api/objects/a", "1", {{"Authorization", "Bearer t-1"}});
  api.request("PUT", "/api/objects/b", "2", {{"Authorization", "Bearer wrong"}});
  api.get("/health");

  mock.verify(upload, Times::once());
  mock.verify(upload, Times::at_least(1));
  mock.verify(upload, Times::at_most(1));
  mock.verify(MockRequest().method("PUT"), Times::exactly(2));  // by request, answered or not
  mock.verify(MockRequest().path("/missing"), Times::never());

  auto failure = error_of([&] { mock.verify(upload, Times::exactly(2)); });
  BOOST_TEST(contains(failure,
                      "expectation 'upload' (PUT /api/objects/.+ (regex), header Authorization: "
                      "Bearer t-1) should have answered exactly 2 times, it answered once"),
             failure);
  BOOST_TEST(contains(failure,
                      "3 requests received; the closest first:\n"
                      "  - PUT /api/objects/a (1 bytes) → 201 by 'upload': matches\n"
                      "  - PUT /api/objects/b (1 bytes) → 404: header Authorization is "
                      "'Bearer wrong', expected 'Bearer t-1'\n"
                      "  - GET /health → 404: method is GET, expected PUT; path /health "
                      "does not match the regex /api/objects/.+; header Authorization is "
                      "missing (expected 'Bearer t-1')"),
             failure);
  BOOST_CHECK_THROW(mock.verify(upload, Times::never()), attest::VerificationFailed);
  auto at_least = error_of([&] { mock.verify(MockRequest().path("/health"), Times::at_least(2)); });
  BOOST_TEST(contains(at_least,
                      "expected any method /health to be received at least 2 times, it was "
                      "received once"),
             at_least);

  // The journal keeps everything about each request.
  auto journal = mock.requests();
  BOOST_TEST_REQUIRE(journal.size() == 3u);
  BOOST_TEST(journal[1].header("authorization") == "Bearer wrong");
  BOOST_TEST(journal[1].body == "2");
  BOOST_TEST(journal[1].expectation == "");
  BOOST_TEST(journal[0].expectation == "upload");
  BOOST_TEST(journal[0].connection == journal[2].connection);  // one kept-alive connection

  attest::MockHttpServer quiet;
  auto nothing = error_of([&] { quiet.verify(MockRequest().path("/x"), Times::once()); });
  BOOST_TEST(contains(nothing, "no request was received at all"), nothing);
}

BOOST_AUTO_TEST_CASE(faults_and_delays, *attest::requirement("FR-047")) {
  attest::MockHttpServer mock;
  mock.when(MockRequest().path("/drop")).respond(MockResponse::drop_connection());
  mock.when(MockRequest().path("/garbage")).respond(MockResponse::malformed());
  mock.when(MockRequest().path("/slow"))
      .respond(MockResponse(200).body("late").delay(std::chrono::milliseconds(300)));
  mock.when(MockRequest().path("/fast")).respond(MockResponse(200).body("now"));

  attest::HttpClient api(mock.base_url());
  auto dropped = error_of([&] { api.get("/drop"); });
  BOOST_TEST(contains(dropped, "GET " + mock.base_url() + "/drop: "), dropped);
  auto garbage = error_of([&] { api.get("/garbage"); });
  BOOST_TEST(contains(garbage, "GET " + mock.base_url() + "/garbage: "), garbage);
  BOOST_TEST(api.get("/fast").body == "now");   // the client recovers on a new connection
  BOOST_TEST(mock.requests()[0].status == 0u);  // faults are journaled too
  // MockServer's httpError.responseBytes (base64) are sent as they are: here a valid 418.
  mock.load_json(R"([{"httpRequest": {"path": "/raw"}, "httpError": {"responseBytes":
      "SFRUUC8xLjEgNDE4IEknbSBhIHRlYXBvdA0KQ29udGVudC1MZW5ndGg6IDANCg0K"}}])");
  BOOST_TEST(attest::HttpClient(mock.base_url()).get("/raw").status == 418u);
  // Unpadded base64 (MockServer accepts it) decodes to every byte, the last two included.
  mock.load_json(R"([{"httpRequest": {"path": "/unpadded"}, "httpError": {"responseBytes":
      "SFRUUC8xLjEgNDE4IEknbSBhIHRlYXBvdA0KDQo"}}])");
  BOOST_TEST(attest::HttpClient(mock.base_url()).get("/unpadded").status == 418u);

  // A delayed answer holds its own connection only.
  double slow_ms = 0, fast_ms = 0;
  std::thread slow([&] {
    attest::HttpClient c(mock.base_url());
    auto t = Clock::now();
    BOOST_TEST(c.get("/slow").body == "late");
    slow_ms = std::chrono::duration<double, std::milli>(Clock::now() - t).count();
  });
  attest::wait_for_condition([&] { return mock.requests().size() == 6u; },
                             {.description = "the slow request to arrive"});
  auto t = Clock::now();
  BOOST_TEST(api.get("/fast").body == "now");
  fast_ms = std::chrono::duration<double, std::milli>(Clock::now() - t).count();
  slow.join();
  BOOST_TEST(slow_ms >= 300.0);
  BOOST_TEST(fast_ms < 250.0, "a fast request waited " << fast_ms << " ms behind a slow one");
}

BOOST_AUTO_TEST_CASE(concurrent_clients_with_keep_alive, *attest::requirement("FR-048")) {
  attest::MockHttpServer mock;
  mock.when(MockRequest().method("POST").path("/count")).respond(MockResponse(200)).times(500);
  mock.when(MockRequest().method("GET").path("/ping")).respond(MockResponse(200).body("pong"));
  const int clients = 8, each = 150;
  std::atomic<int> pongs{0}, counted{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i)
    threads.emplace_back([&] {
      attest::HttpClient c(mock.base_url());
      for (int j = 0; j < each; ++j) {
        if (c.get("/ping").body == "pong") ++pongs;
        auto status = c.post("/count", "1").status;
        (status == 200u ? counted : refused)++;
      }
    });
  for (auto& t : threads) t.join();
  BOOST_TEST(pongs.load() == clients * each);
  BOOST_TEST(counted.load() == 500);  // the limit holds exactly under concurrency
  BOOST_TEST(refused.load() == clients * each - 500);
  auto journal = mock.requests();
  BOOST_TEST(journal.size() == std::size_t(2 * clients * each));
  std::set<std::size_t> connections;
  for (const auto& r : journal) connections.insert(r.connection);
  BOOST_TEST(connections.size() == std::size_t(clients));  // one kept-alive connection each
}

BOOST_AUTO_TEST_SUITE_END()
