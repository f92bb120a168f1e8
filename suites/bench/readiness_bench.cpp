// Readiness detection latency: the time from a port starting to listen to the
// wait returning, attest::wait_for_tcp vs a fixed 100 ms poll (testcontainers'
// default), 200 trials each, p50/p99. Sleeping is the point here: suites/bench
// is exempt from the no-sleep check.
#include <attest/polling.hpp>
#include <attest/process.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

using Clock = std::chrono::steady_clock;

namespace {

bool connects(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// One trial: a listener appears after a random delay; returns detection latency in ms.
template <typename Wait>
double trial(std::mt19937& rng, Wait wait) {
  unsigned short port = attest::free_port();
  std::atomic<long long> listening_at{0};
  int delay_ms = std::uniform_int_distribution<int>(5, 60)(rng);
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  std::thread listener([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd, 16);
    listening_at = Clock::now().time_since_epoch().count();
  });
  wait(port);
  auto ready = Clock::now().time_since_epoch().count();
  listener.join();
  ::close(fd);
  return static_cast<double>(ready - listening_at.load()) / 1e6;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main() {
  std::mt19937 rng(42);
  const int trials = 200;
  std::vector<double> attest_ms, fixed_ms;
  for (int i = 0; i < trials; ++i) {
    attest_ms.push_back(
        trial(rng, [](unsigned short port) { attest::wait_for_tcp("127.0.0.1", port); }));
    fixed_ms.push_back(trial(rng, [](unsigned short port) {
      while (!connects(port)) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }));
  }
  std::printf(
      "| readiness detection (%d trials, listener after 5-60 ms) | p50 | p99 |\n|---|---|---|\n",
      trials);
  std::printf("| attest::wait_for_tcp (1 ms, x2, max 10 ms) | %.2f ms | %.2f ms |\n",
              percentile(attest_ms, 0.5), percentile(attest_ms, 0.99));
  std::printf("| fixed 100 ms poll (testcontainers' default) | %.2f ms | %.2f ms |\n",
              percentile(fixed_ms, 0.5), percentile(fixed_ms, 0.99));
}
