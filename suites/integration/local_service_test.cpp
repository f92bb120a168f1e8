// LocalService: the one lifecycle under PostgreSQL, Redis, HttpService and
// declared services — every readiness probe against a real program, named
// ports, retries on a taken port, and the log tail of a service never ready.
#include <attest/attest.hpp>
#include <attest/http_client.hpp>
#include <attest/local_service.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test_support.hpp"

using namespace std::chrono_literals;
using attest_test::contains;

namespace {

// A small HTTP server in another language, as users declare them.
attest::LocalServiceOptions python_http(attest::Readiness ready) {
  return {.name = "pyhttp",
          .executable = "python3",
          .args = {"-u", "-m", "http.server", "{port}", "--bind", "127.0.0.1"},
          .ready = std::move(ready),
          .ready_polling = {.timeout = 20s}};
}

// Takes a loopback port (bound and listening) as another process would.
struct PortTaker {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  explicit PortTaker(unsigned short port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    BOOST_TEST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    ::listen(fd, 1);
  }
  ~PortTaker() { ::close(fd); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(local_service, *attest::mark("integration"))

BOOST_AUTO_TEST_CASE(ready_by_http_tcp_log_and_command, *attest::requirement("FR-051")) {
  {
    attest::LocalService http(python_http(attest::Readiness::http("/", 200)));
    BOOST_TEST(attest::HttpClient(http.url()).get("/").status == 200u);
  }
  {
    attest::LocalService tcp(python_http(attest::Readiness::tcp()));
    attest::wait_for_tcp("127.0.0.1", tcp.port());
  }
  {
    attest::LocalService log(python_http(attest::Readiness::log("Serving HTTP on")));
    BOOST_TEST(contains(log.log_tail(), "Serving HTTP on 127.0.0.1 port " +
                                            std::to_string(log.port())));
  }
  {
    attest::LocalService cmd(python_http(attest::Readiness::command(
        {"python3", "-c",
         "import socket; socket.create_connection(('127.0.0.1', {port}), 1).close()"})));
    attest::wait_for_tcp("127.0.0.1", cmd.port(), {.timeout = 100ms});
  }
}

BOOST_AUTO_TEST_CASE(named_ports_dir_and_unix_socket, *attest::requirement("FR-051")) {
  attest_test::TempDir dir;
  attest::LocalService s({
      .name = "twoports",
      .executable = "python3",
      .args = {"-c",
               "import socket, sys, os\n"
               "a = socket.socket(); a.bind(('127.0.0.1', int(sys.argv[1]))); a.listen()\n"
               "b = socket.socket(); b.bind(('127.0.0.1', int(sys.argv[2]))); b.listen()\n"
               "u = socket.socket(socket.AF_UNIX); u.bind(sys.argv[3]); u.listen()\n"
               "print(os.environ['ADMIN'], flush=True)\n"
               "import time\n"
               "while True: a.accept()[0].close()\n",
               "{port}", "{port:admin}", "{dir}/svc.sock"},
      .env = {{"ADMIN", "admin on {host}:{port:admin}"}},
      .dir = dir.path,
      .ports = {"", "admin"},
      .ready = attest::Readiness::unix_socket("{dir}/svc.sock"),
  });
  BOOST_TEST(s.port() != s.port("admin"));
  attest::wait_for_tcp("127.0.0.1", s.port("admin"), {.timeout = 1s});
  attest::wait_for_log(s.log_path(), "admin on 127.0.0.1:" + std::to_string(s.port("admin")),
                       {.timeout = 5s});
  BOOST_CHECK_THROW(s.port("metrics"), std::out_of_range);
  BOOST_CHECK_THROW(s.expand("{port:metrics}"), std::invalid_argument);
  BOOST_TEST(s.expand("{\"json\": {port}}") ==
             "{\"json\": " + std::to_string(s.port()) + "}");  // other braces stay
}

BOOST_AUTO_TEST_CASE(a_taken_port_is_retried_on_another, *attest::requirement("FR-051")) {
  // Another process takes the first port between choosing and binding it: the
  // service exits, and the next try gets a new port.
  std::unique_ptr<PortTaker> taker;
  std::vector<unsigned short> tried;
  attest::LocalService s({
      .name = "retry",
      .executable = "python3",
      .args = {"-c",
               "import socket, sys; s = socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1])));"
               " s.listen(); print('listening', flush=True)\nwhile True: s.accept()[0].close()",
               "{port}"},
      // Its own word, not a TCP probe: the taker listens on the first port too.
      .ready = attest::Readiness::log("^listening"),
      .before_start =
          [&](attest::LocalService& svc) {
            tried.push_back(svc.port());
            if (tried.size() == 1) taker = std::make_unique<PortTaker>(svc.port());
          },
  });
  BOOST_REQUIRE_EQUAL(tried.size(), 2u);
  BOOST_TEST(s.port() == tried[1]);
  BOOST_TEST(s.port() != tried[0]);
}

BOOST_AUTO_TEST_CASE(never_ready_says_why_with_the_log, *attest::requirement("FR-051")) {
  try {
    attest::LocalService s({
        .name = "sleepy",
        .executable = "sh",
        .args = {"-c", "echo 'warming up forever'; exec tail -f /dev/null"},
        .ready = attest::Readiness::tcp(),
        .ready_polling = {.timeout = 300ms},
    });
    BOOST_FAIL("a service that never listens must not start");
  } catch (const attest::TimeoutError& e) {
    BOOST_TEST(contains(e.what(), "sleepy to be ready (a TCP listener on 127.0.0.1:"), e.what());
    BOOST_TEST(contains(e.what(), "warming up forever"), e.what());
  }
  // It exits: the error comes at once, with the exit status and the log.
  auto start = std::chrono::steady_clock::now();
  BOOST_CHECK_EXCEPTION(
      attest::LocalService({.name = "crasher",
                            .executable = "sh",
                            .args = {"-c", "echo 'FATAL: bad config' >&2; exit 3"},
                            .attempts = 1}),
      attest::ProcessExitedError, [](const attest::ProcessExitedError& e) {
        return contains(e.what(), "exit code 3") && contains(e.what(), "FATAL: bad config");
      });
  BOOST_TEST((std::chrono::steady_clock::now() - start < 5s));
}

BOOST_AUTO_TEST_SUITE_END()
