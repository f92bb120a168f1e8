// Mock HTTP server throughput, side by side in one run: wrk (keep-alive) against
// attest::MockHttpServer answering one expectation, and against a trivial
// Boost.Beast server that answers every request with the same bytes (the
// baseline: Beast's own cost with the same threading). Both get 2 I/O threads.
#include <attest/mock_http.hpp>
#include <attest/subprocess.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdio>
#include <regex>
#include <thread>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

struct EchoSession : std::enable_shared_from_this<EchoSession> {
  explicit EchoSession(tcp::socket s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  http::request<http::string_body> req;
  http::response<http::string_body> res;
  void read() {
    req = {};
    http::async_read(
        stream, buffer, req, [self = shared_from_this()](beast::error_code ec, std::size_t) {
          if (ec) return;
          self->res = {http::status::ok, self->req.version()};
          self->res.set(http::field::content_type, "text/plain");
          self->res.keep_alive(self->req.keep_alive());
          self->res.body() = "pong";
          self->res.prepare_payload();
          http::async_write(self->stream, self->res, [self](beast::error_code ec, std::size_t) {
            if (!ec && self->res.keep_alive()) self->read();
          });
        });
  }
};

struct EchoServer {
  asio::io_context io;
  tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
  std::vector<std::thread> threads;
  EchoServer() {
    accept();
    for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
  }
  ~EchoServer() {
    io.stop();
    for (auto& t : threads) t.join();
  }
  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket s) {
      if (ec) return;
      std::make_shared<EchoSession>(std::move(s))->read();
      accept();
    });
  }
  unsigned short port() const { return acceptor.local_endpoint().port(); }
};

struct Load {
  double rps = 0, p50_ms = 0, p99_ms = 0;
};

double to_ms(const std::string& value, const std::string& unit) {
  double v = std::stod(value);
  return unit == "us" ? v / 1000 : unit == "s" ? v * 1000 : v;
}

Load wrk(unsigned short port, int seconds) {
  auto r = attest::run_command({"wrk", "-t2", "-c32", "-d" + std::to_string(seconds) + "s",
                                "--latency", "http://127.0.0.1:" + std::to_string(port) + "/ping"},
                               {{}, {}, std::chrono::seconds(seconds + 30)});
  if (r.exit_code != 0) {
    std::fprintf(stderr, "wrk failed (%s): %s\ninstall it: apt-get install wrk\n",
                 r.describe_status().c_str(), r.err.c_str());
    std::exit(1);
  }
  Load load;
  std::smatch m;
  if (std::regex_search(r.out, m, std::regex(R"(Requests/sec:\s+([0-9.]+))")))
    load.rps = std::stod(m[1]);
  if (std::regex_search(r.out, m, std::regex(R"(\n\s+50%\s+([0-9.]+)(us|ms|s))")))
    load.p50_ms = to_ms(m[1], m[2]);
  if (std::regex_search(r.out, m, std::regex(R"(\n\s+99%\s+([0-9.]+)(us|ms|s))")))
    load.p99_ms = to_ms(m[1], m[2]);
  if (std::regex_search(r.out, m, std::regex(R"(Non-2xx or 3xx responses: (\d+))"))) {
    std::fprintf(stderr, "wrk saw %s error responses\n", m[1].str().c_str());
    std::exit(1);
  }
  return load;
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = argc > 1 ? std::atoi(argv[1]) : 5;
  std::vector<Load> mock_runs, echo_runs;
  for (int round = 0; round < 3; ++round) {  // alternating, so drift hits both alike
    {
      attest::MockHttpServer mock;
      mock.when(attest::MockRequest().method("GET").path("/ping"))
          .respond(attest::MockResponse(200).body("pong"));
      mock_runs.push_back(wrk(mock.port(), seconds));
    }
    {
      EchoServer echo;
      echo_runs.push_back(wrk(echo.port(), seconds));
    }
  }
  auto median = [](std::vector<Load> v, double Load::*field) {
    std::sort(v.begin(), v.end(),
              [&](const Load& a, const Load& b) { return a.*field < b.*field; });
    return v[v.size() / 2].*field;
  };
  double mock_rps = median(mock_runs, &Load::rps), echo_rps = median(echo_runs, &Load::rps);
  std::printf(
      "| Mock HTTP figure (wrk -t2 -c32 -d%ds, keep-alive; median of 3) | attest::MockHttpServer | "
      "Beast baseline | ratio |\n|---|---|---|---|\n",
      seconds);
  std::printf("| requests/s | %.0f | %.0f | %.2f |\n", mock_rps, echo_rps, mock_rps / echo_rps);
  std::printf("| latency p50 | %.2f ms | %.2f ms | — |\n", median(mock_runs, &Load::p50_ms),
              median(echo_runs, &Load::p50_ms));
  std::printf("| latency p99 | %.2f ms | %.2f ms | — |\n", median(mock_runs, &Load::p99_ms),
              median(echo_runs, &Load::p99_ms));
}
