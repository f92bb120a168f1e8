// TESTING.md's mock HTTP server examples: compiled, run by CTest (label docs), quoted verbatim.
#include <attest/attest.hpp>
#include <attest/http_client.hpp>
#include <attest/mock_http.hpp>

// [mock-http]
using attest::MockRequest;
using attest::MockResponse;
using attest::Times;

BOOST_AUTO_TEST_CASE(client_authenticates_then_uploads,
                     *attest::requirement("FR-044", "FR-046") * attest::mark("integration")) {
  attest::MockHttpServer admin;  // in-process, 127.0.0.1, a free port
  auto& token = admin
                    .when(MockRequest()
                              .method("POST")
                              .path("/api/auth/token")
                              .body_json(R"({"client_id": "ingester"})"))
                    .respond(MockResponse(200).json(R"({"token": "t-1"})"));
  // Definitions can also live in MockServer-style files next to the tests:
  admin.load_json(R"([{"httpRequest": {"path": "/health"}, "httpResponse": {"body": "ok"}}])");

  // The code under test gets admin.base_url(); here, attest's own client.
  attest::HttpClient client(admin.base_url());
  auto r = client.post("/api/auth/token", R"({"client_id": "ingester", "v": 2})");
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(client.get("/nowhere").status == 404u);  // unmatched: 404, and journaled

  admin.verify(token, Times::once());  // fails listing the closest requests received
  admin.verify(MockRequest().path("/health"), Times::never());
  BOOST_TEST(admin.unmatched().size() == 1u);
}

BOOST_AUTO_TEST_CASE(survives_slow_and_broken_peers,
                     *attest::requirement("FR-047") * attest::mark("integration")) {
  attest::MockHttpServer storage;
  storage.when(MockRequest().method("PUT").path_regex("/objects/.+"))
      .respond(MockResponse::drop_connection())
      .times(1)       // the first upload loses its connection...
      .priority(10);  // ...ahead of the normal answer below
  storage.when(MockRequest().method("PUT").path_regex("/objects/.+"))
      .respond(MockResponse(201).delay(std::chrono::milliseconds(50)));

  attest::HttpClient client(storage.base_url());
  BOOST_CHECK_THROW(client.request("PUT", "/objects/a", "data"), attest::HttpError);
  BOOST_TEST(client.request("PUT", "/objects/a", "data").status == 201u);  // the retry
  storage.verify(MockRequest().method("PUT"), Times::exactly(2));
}
// [mock-http]
