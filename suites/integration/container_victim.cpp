// A process that starts a network and a container on it, says so, and waits to be killed:
// the container suite SIGKILLs it (no handler, no destructor runs) and checks that the run's
// watchdog removes both from the engine.
#include <attest/container.hpp>
#include <attest/run_dir.hpp>

#include <unistd.h>

#include <exception>
#include <iostream>

int main() try {
  attest::Network network;
  attest::Container container({.name = "victim",
                               .image = "attest-debian:bookworm",
                               .pull = attest::PullPolicy::never,
                               .command = {"sleep", "300"},
                               .network = network.name()});
  std::cout << "container=" << container.id() << " network=" << network.id()
            << " rundir=" << attest::RunDir::current().path().string() << std::endl;
  ::pause();  // until a signal ends this process
} catch (const std::exception& e) {
  std::cerr << "container_victim: " << e.what() << std::endl;
  return 1;
}
