// An HTTP/1.1 client for coroutine tests (Boost.Beast, plain http://), for mocks and
// services under test. Each request is awaited on the test's own executor; a failure
// (refused, reset, not HTTP) throws HttpError at the caller's line.
//
//   attest::AsyncHttpClient api(mock.base_url());
//   attest::HttpResponse r = co_await api.get("/users/7");
//   BOOST_TEST(r.status == 200);
#pragma once

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>

#include <attest/failure.hpp>
#include <attest/http_client.hpp>

namespace attest {

class AsyncHttpClient {
 public:
  /// `base_url`: http://host:port, optionally with a path prefix.
  explicit AsyncHttpClient(const std::string& base_url);
  ~AsyncHttpClient();
  AsyncHttpClient(AsyncHttpClient&&) noexcept;
  AsyncHttpClient& operator=(AsyncHttpClient&&) noexcept;

  /// Sends `method target` on the kept connection (reconnecting once when the server
  /// closed it meanwhile) and reads the whole response.
  boost::asio::awaitable<HttpResponse> request(std::string method, std::string target,
                                               std::string body = {}, HttpHeaders headers = {},
                                               SourceLocation where = SourceLocation::current());
  boost::asio::awaitable<HttpResponse> get(std::string target, HttpHeaders headers = {},
                                           SourceLocation where = SourceLocation::current()) {
    return request("GET", std::move(target), {}, std::move(headers), where);
  }
  boost::asio::awaitable<HttpResponse> post(std::string target, std::string body,
                                            HttpHeaders headers = {},
                                            SourceLocation where = SourceLocation::current()) {
    return request("POST", std::move(target), std::move(body), std::move(headers), where);
  }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace attest
