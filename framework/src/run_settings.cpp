#include <attest/detail/run_settings.hpp>

#include <utility>

namespace attest::detail {
namespace {
RunSettings& settings() {
  static RunSettings s;
  return s;
}
}  // namespace

const RunSettings& run_settings() { return settings(); }
void set_run_settings(RunSettings s) { settings() = std::move(s); }

}  // namespace attest::detail
