// attest-mock: a standalone mock HTTP server that speaks MockServer's REST API, for
// services in other processes and other languages, and for MockServer's own clients.
//   attest-mock [FILES...] [--port N] [--host 127.0.0.1] [--quiet]
// Loads MockServer-style expectation files, listens, prints
//   attest-mock: listening on http://127.0.0.1:<port> (N expectations)
// then one line per request, until SIGTERM or SIGINT. Exit codes: 0 stopped, 1 cannot
// listen (the port is taken), 2 usage or a bad expectation file (file:line:col).
#include <attest/mock_http.hpp>

#include <CLI/CLI.hpp>

#include <signal.h>

#include <iostream>
#include <mutex>

int main(int argc, char** argv) {
  CLI::App app{
      "attest-mock: a mock HTTP server speaking MockServer's REST API (PUT /mockserver/...)",
      "attest-mock"};
  std::vector<std::string> files;
  attest::MockHttpServerOptions options;
  bool quiet = false;
  app.add_option("files", files, "MockServer-style expectation files (JSON), loaded in order")
      ->check(CLI::ExistingFile);
  app.add_option("-p,--port", options.port, "port to listen on (default: a free one, printed)");
  app.add_option("--host", options.host,
                 "address to listen on (default 127.0.0.1; 0.0.0.0 only where the network is "
                 "trusted, e.g. inside a pod)");
  app.add_flag("-q,--quiet", quiet, "do not print a line per request");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  // Stop on SIGTERM/SIGINT, taken synchronously below (blocked before any thread starts).
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  ::pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  std::mutex out;
  if (!quiet)
    options.on_request = [&out](const attest::RecordedRequest& r) {
      std::lock_guard lock(out);
      std::cout << r.describe() << std::endl;
    };
  try {
    attest::MockHttpServer server(options);
    std::size_t loaded = 0;
    for (const auto& f : files) loaded += server.load(f).size();
    {
      std::lock_guard lock(out);
      std::cout << "attest-mock: listening on " << server.base_url() << " (" << loaded
                << " expectation" << (loaded == 1 ? "" : "s") << ")" << std::endl;
    }
    int sig = 0;
    ::sigwait(&stop, &sig);
  } catch (const attest::InputError& e) {
    std::cerr << "attest-mock: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "attest-mock: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
