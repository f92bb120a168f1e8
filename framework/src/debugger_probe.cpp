// Boost.Test's debugger probe, asked once per run instead of before every test case.
//
// Before each test case Boost's execution_monitor::execute asks debug::under_debugger() whether
// a debugger runs the process (to stop catching system errors when one does). On Linux the
// answer walks the process's ancestors through /proc — open, read, readlink and close for each,
// up to init — every time: for 10,000 trivial tests that walk is three quarters of Boost.Test's
// own run time (0.27 s -> 0.07 s, docs/benchmarks.md; Boost's source asks "could/should we
// cache the result somehow?"). A debugger that attaches later still sees the process's signals
// before its handlers do, so one answer per run loses nothing.
//
// This definition takes the place of the shared library's for the whole process: the library
// calls its own under_debugger() through the PLT, which resolves to the executable's definition
// first; that definition asks the library's (the next in lookup order) for the answer. attest
// links Boost.Test's shared library (BOOST_TEST_DYN_LINK); the definition is weak so that one
// compiled into the binary itself (header-only Boost.Test) keeps its place. It caches only
// once attest's runner has said so (keep_debugger_answer(), at the start of a run), and never
// with ATTEST_BOOST_DEBUGGER_PROBE=each-test, which keeps Boost's behaviour.
#include <boost/test/debug.hpp>

#include <dlfcn.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

#include "debugger_probe.hpp"

namespace {

std::atomic<bool> g_keep{false};

bool ask_boost() {
  using Probe = bool (*)();
  static const auto boost_probe =
      reinterpret_cast<Probe>(::dlsym(RTLD_NEXT, "_ZN5boost5debug14under_debuggerEv"));
  return boost_probe ? boost_probe() : false;
}

}  // namespace

namespace boost::debug {

__attribute__((weak)) bool under_debugger() {
  if (!g_keep.load(std::memory_order_relaxed)) return ask_boost();
  static const bool answer = ask_boost();
  return answer;
}

}  // namespace boost::debug

namespace attest::detail {

void keep_debugger_answer() {
  const char* probe = std::getenv("ATTEST_BOOST_DEBUGGER_PROBE");
  g_keep = !(probe && std::strcmp(probe, "each-test") == 0);
}

}  // namespace attest::detail
