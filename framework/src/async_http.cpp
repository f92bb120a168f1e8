// attest::AsyncHttpClient: the blocking HttpClient's protocol (keep-alive, one retry on a
// connection the server closed meanwhile), awaited on the test's executor.
#include <attest/async.hpp>
#include <attest/async_http.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include <optional>

namespace attest {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct AsyncHttpClient::Impl {
  std::optional<beast::tcp_stream> stream;  // made on the first request's executor
  beast::flat_buffer buffer;
  std::string host, port, prefix, base_url;

  asio::awaitable<void> connect() {
    auto ex = co_await asio::this_coro::executor;
    tcp::resolver resolver(ex);
    auto endpoints = co_await resolver.async_resolve(host, port, asio::use_awaitable);
    stream.emplace(ex);
    co_await stream->async_connect(endpoints, asio::use_awaitable);
    buffer.clear();
  }

  void close() {
    if (!stream) return;
    beast::error_code ignored;
    stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream->close();
    stream.reset();
  }

  asio::awaitable<HttpResponse> exchange(http::request<http::string_body>& req) {
    co_await http::async_write(*stream, req, asio::use_awaitable);
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);
    parser.skip(req.method() == http::verb::head);  // a HEAD response has no body to wait for
    co_await http::async_read(*stream, buffer, parser, asio::use_awaitable);
    auto res = parser.release();
    HttpResponse out;
    out.status = res.result_int();
    for (const auto& f : res) out.headers.emplace_back(f.name_string(), f.value());
    out.body = std::move(res.body());
    if (!res.keep_alive()) close();
    co_return out;
  }
};

AsyncHttpClient::AsyncHttpClient(const std::string& base_url) : impl_(std::make_unique<Impl>()) {
  auto u = boost::urls::parse_uri(base_url);
  if (!u || u->scheme() != "http" || u->host().empty())
    throw HttpError("not an http://host:port URL: " + base_url);
  impl_->host = std::string(u->host());
  impl_->port = u->has_port() ? std::string(u->port()) : "80";
  impl_->prefix = std::string(u->path());
  if (!impl_->prefix.empty() && impl_->prefix.back() == '/') impl_->prefix.pop_back();
  impl_->base_url = base_url;
}

AsyncHttpClient::~AsyncHttpClient() = default;
AsyncHttpClient::AsyncHttpClient(AsyncHttpClient&&) noexcept = default;
AsyncHttpClient& AsyncHttpClient::operator=(AsyncHttpClient&&) noexcept = default;

asio::awaitable<HttpResponse> AsyncHttpClient::request(std::string method, std::string target,
                                                       std::string body, HttpHeaders headers,
                                                       SourceLocation where) {
  detail::WaitMark mark(where, method + " " + impl_->base_url + target);
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(impl_->prefix + target);
  req.version(11);
  req.set(http::field::host, impl_->host + ":" + impl_->port);
  req.set(http::field::user_agent, "attest");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
    req.prepare_payload();
  req.keep_alive(true);

  for (int attempt = 1;; ++attempt) {
    bool reused = impl_->stream.has_value();
    boost::system::error_code failed;
    try {
      if (!impl_->stream) co_await impl_->connect();
      co_return co_await impl_->exchange(req);
    } catch (const boost::system::system_error& e) {
      failed = e.code();
    }
    impl_->close();
    // A timeout's cancellation is not the server's fault: let it end the test as such.
    if (failed == asio::error::operation_aborted) throw boost::system::system_error(failed);
    // A kept connection the server has closed meanwhile fails at once: once more, afresh.
    if (reused && attempt == 1 &&
        (failed == http::error::end_of_stream || failed == asio::error::eof ||
         failed == asio::error::connection_reset || failed == asio::error::broken_pipe))
      continue;
    throw Failure(method + " " + impl_->base_url + target + ": " + failed.message(), where);
  }
}

}  // namespace attest
