// What the suites that run containers share: the engine and the images a test needs, else a
// skip naming what is missing (a failure under CI=true: a CI machine without them is broken).
// Header-only: only suites that link attest::container include it.
#pragma once

#include <attest/container.hpp>
#include <attest/failure.hpp>

#include <cstdlib>
#include <initializer_list>
#include <stdexcept>
#include <string>

namespace attest_test {

/// The shared engine, with every one of `images` on it (ci/build-images.sh builds them).
inline attest::ContainerEngine& need_images(std::initializer_list<std::string> images) {
  auto& engine = attest::require_container_engine();
  for (const auto& image : images)
    if (engine.call("GET", "/images/" + image + "/json", {}, 404).status == 404) {
      std::string why = "image " + image + " is not on the engine (bash ci/build-images.sh)";
      const char* ci = std::getenv("CI");
      if (ci && std::string(ci) == "true") throw std::runtime_error(why);
      throw attest::SkipTest(why);
    }
  return engine;
}

}  // namespace attest_test
