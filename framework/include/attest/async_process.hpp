// Processes in coroutine tests: wait for a process to exit or to become ready without
// blocking the test's io_context (polling, as attest::Process::wait_ready does).
//
//   attest::Process worker("./worker", {.args = {"--once"}});
//   co_await attest::async_wait_ready(worker, [&] { return port_open(); });
//   std::string status = co_await attest::async_wait_exit(worker);  // "exit code 0"
#pragma once

#include <attest/async.hpp>
#include <attest/process.hpp>

namespace attest {

namespace detail {
inline std::optional<std::string> exit_status_if_exited(Process& process) {
  if (process.running()) return std::nullopt;
  return process.exit_status();
}
template <typename Ready>
boost::asio::awaitable<void> async_wait_ready_impl(Process& process, Ready ready,
                                                   PollingConfig* config, SourceLocation where);
}  // namespace detail

/// Waits until `process` exits; returns its exit status ("exit code 0", "killed by signal 9").
inline boost::asio::awaitable<std::string> async_wait_exit(
    Process& process, const PollingConfig& config,
    SourceLocation where = SourceLocation::current()) {
  // Not coroutines themselves: see ATTEST_GCC_BREAKS_AGGREGATE_TEMPORARIES_IN_CO_AWAIT.
  return detail::async_wait_for_impl([&process] { return detail::exit_status_if_exited(process); },
                                     new PollingConfig(config), where);
}

inline boost::asio::awaitable<std::string> async_wait_exit(
    Process& process, SourceLocation where = SourceLocation::current()) {
  const PollingConfig config{.description = "process exit"};
  return async_wait_exit(process, config, where);
}

/// Polls `ready` (bool, or an awaitable of bool) until it holds; fails at once with
/// ProcessExitedError (its exit status and log tail) when the process exits first.
template <typename Ready>
boost::asio::awaitable<void> async_wait_ready(Process& process, Ready&& ready,
                                              const PollingConfig& config,
                                              SourceLocation where = SourceLocation::current()) {
  static_assert(detail::closure_argument_is_safe<Ready>, ATTEST_NAME_THE_CLOSURE);
  return detail::async_wait_ready_impl(process, std::decay_t<Ready>(std::forward<Ready>(ready)),
                                       new PollingConfig(config), where);
}

template <typename Ready>
boost::asio::awaitable<void> async_wait_ready(Process& process, Ready&& ready,
                                              SourceLocation where = SourceLocation::current()) {
  const PollingConfig config{.description = "process ready"};
  return async_wait_ready(process, std::forward<Ready>(ready), config, where);
}

#if ATTEST_GCC_BREAKS_AGGREGATE_TEMPORARIES_IN_CO_AWAIT
template <bool Dependent = false>
boost::asio::awaitable<std::string> async_wait_exit(Process&, PollingConfig&&,
                                                    SourceLocation = SourceLocation::current()) {
  static_assert(Dependent, ATTEST_NAME_THE_POLLING_CONFIG);
  co_return std::string();
}
template <typename Ready, bool Dependent = false>
boost::asio::awaitable<void> async_wait_ready(Process&, Ready&&, PollingConfig&&,
                                              SourceLocation = SourceLocation::current()) {
  static_assert(Dependent, ATTEST_NAME_THE_POLLING_CONFIG);
  co_return;
}
#endif

template <typename Ready>
boost::asio::awaitable<void> detail::async_wait_ready_impl(Process& process, Ready ready,
                                                           PollingConfig* owned_config,
                                                           SourceLocation where) {
  PollingConfig config = *owned_config;  // owned: see async_wait_for_impl
  delete owned_config;
  auto check_alive = [&process] {
    if (!process.running())
      throw ProcessExitedError(process.name() + " exited (" + process.exit_status() +
                               ") before it was ready; its log ends:\n" + process.log_tail(20));
  };
  if constexpr (std::is_same_v<std::invoke_result_t<Ready&>, bool>) {
    co_await async_wait_for_condition(
        [&] {
          check_alive();
          return ready();
        },
        config, where);
  } else {
    co_await async_wait_for_condition(
        [&]() -> boost::asio::awaitable<bool> {
          check_alive();
          co_return co_await ready();
        },
        config, where);
  }
}

}  // namespace attest
