// Coroutine tests on Boost.Asio: the body is a coroutine returning
// boost::asio::awaitable<void>, registered as an ordinary Boost.Test case (so markers,
// requirements, selection, reruns, --lf, shards and reports treat it as any test).
//
//   ATTEST_ASYNC_TEST_CASE(answers_health, *attest::mark("integration")) {
//     attest::AsyncHttpClient http(service.base_url());
//     auto response = co_await http.get("/health");
//     BOOST_TEST(response.status == 200);
//   }
//
//   struct Service { boost::asio::awaitable<void> async_setup(); ... async_teardown(); };
//   ATTEST_ASYNC_FIXTURE_TEST_CASE(stores_order, Service, *attest::mark("integration")) { ... }
//
// Each test runs on an io_context of its own (by default; `attest::async_context` on a
// test or a suite shares one per suite or per run, or runs handlers on several threads)
// and ends when its body and everything it spawned on that context finished. A timeout
// (--timeout, boost::unit_test::timeout) cancels the coroutine, and the failure names
// the lines where it was waiting: attest's awaitables record them, and any Asio
// operation does when given `attest::here()` as its completion token.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/consign.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/tree/decorator.hpp>
#include <boost/test/unit_test_suite.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include <attest/failure.hpp>
#include <attest/polling.hpp>
#include <attest/wait_mark.hpp>

// GCC 12 destroys an aggregate temporary with a destructor (PollingConfig holds a
// std::string) twice when it is built in a co_await full-expression, as in
// `co_await async_wait_for(fn, {.timeout = 5s})` (and a lambda capturing such a value
// there: GCC 12 corrupts the heap either way). The polling awaitables therefore take no
// PollingConfig temporary on GCC 12: that overload fails to compile, saying what to write.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#define ATTEST_GCC_BREAKS_AGGREGATE_TEMPORARIES_IN_CO_AWAIT 1
#else
#define ATTEST_GCC_BREAKS_AGGREGATE_TEMPORARIES_IN_CO_AWAIT 0
#endif
#define ATTEST_NAME_THE_POLLING_CONFIG                                                 \
  "GCC 12 miscompiles a PollingConfig temporary inside co_await (it is freed twice): " \
  "name it first, `const attest::PollingConfig slow{.timeout = 5s};`, and pass `slow`"
// The same bug frees a closure that owns values (captures a std::string or a shared_ptr by
// copy) twice when it is a temporary inside co_await: the awaitables taking a callable
// accept such a closure only named (an lvalue) on GCC 12; a temporary one fails to compile,
// saying what to write. Closures capturing by reference, or nothing, are fine as they are.
#define ATTEST_NAME_THE_CLOSURE                                                               \
  "GCC 12 frees a closure that owns values (captures a std::string or a shared_ptr by copy) " \
  "twice when it is a temporary inside co_await: name it first, "                             \
  "`const auto ready = [url] { ... };`, and pass `ready`"

namespace attest {

namespace detail {
/// Whether a callable argument of type F (as a forwarding reference deduces it) is safe
/// inside co_await: see ATTEST_NAME_THE_CLOSURE.
template <typename F>
inline constexpr bool closure_argument_is_safe =
    !ATTEST_GCC_BREAKS_AGGREGATE_TEMPORARIES_IN_CO_AWAIT || std::is_lvalue_reference_v<F> ||
    std::is_trivially_destructible_v<std::remove_reference_t<F>>;
}  // namespace detail

/// Which io_context a coroutine test runs on.
enum class io_scope {
  test,   ///< a fresh one per test (the default): nothing leaks from one test to the next
  suite,  ///< one per suite, destroyed when the suite ends; runs only while its tests run
  run     ///< one for the whole run
};

/// Decorator: `* attest::async_context(attest::io_scope::suite)` on a suite or a test;
/// `threads` > 1 runs the handlers of a per-test context on that many threads (the test's
/// own coroutines stay serialised on a strand, so BOOST_TEST in them is safe).
class async_context final : public boost::unit_test::decorator::base {
 public:
  explicit async_context(io_scope scope, unsigned threads = 1) noexcept
      : scope_(scope), threads_(threads == 0 ? 1 : threads) {}
  io_scope scope() const { return scope_; }
  unsigned threads() const { return threads_; }

 private:
  void apply(boost::unit_test::test_unit& tu) override;
  boost::unit_test::decorator::base_ptr clone() const override;

  io_scope scope_;
  unsigned threads_;
};

namespace detail {

// Where the running test waits (<attest/wait_mark.hpp>): a timeout names it.
using WaitMark = attest::WaitMark;

/// The running test's io_context, made before its fixture and released after it: the
/// fixture's members (clients, servers, timers made on the test's executor) are destroyed
/// while their context still exists.
class TestContextHold {
 public:
  TestContextHold();
  ~TestContextHold();
  TestContextHold(const TestContextHold&) = delete;
  TestContextHold& operator=(const TestContextHold&) = delete;

 private:
  std::shared_ptr<void> context_;
};

/// Runs a coroutine test: `body` builds the awaitable (set-up, body, tear-down).
/// Throws what the test should fail with (Boost.Test reports it).
void run_async_test(const std::function<boost::asio::awaitable<void>()>& body, SourceLocation test);

/// Counts work the running test handed to another thread (offload): its context lives
/// until that work is back, even after a timeout.
std::shared_ptr<void> hold_test_context();

/// The executor of the small pool attest::offload runs blocking calls on.
boost::asio::any_io_executor offload_executor();

/// Spawns `task` on the running test's context, tracked: the test waits for it, a timeout
/// cancels it, and its exception fails the test.
void spawn_tracked(boost::asio::any_io_executor ex, boost::asio::awaitable<void> task,
                   SourceLocation where);

/// Marks whether the running test's body (not its set-up) is running: what it spawns then is
/// awaited by body_tasks_done().
void body_phase(bool in_body);
/// Completes when every task the body spawned has ended: a fixture's tear-down runs after
/// them (a server its set-up spawned keeps running until the tear-down stops it).
boost::asio::awaitable<void> body_tasks_done();

template <typename T>
concept AsyncSetUp = requires(T& t) {
  { t.async_setup() } -> std::same_as<boost::asio::awaitable<void>>;
};
template <typename T>
concept AsyncTearDown = requires(T& t) {
  { t.async_teardown() } -> std::same_as<boost::asio::awaitable<void>>;
};

// Set-up, body and tear-down as one coroutine; tear-down runs also after a failure, and after
// the tasks the body spawned.
template <typename Test>
boost::asio::awaitable<void> fixture_lifecycle(Test& test) {
  if constexpr (AsyncSetUp<Test>) co_await test.async_setup();
  std::exception_ptr failure;
  body_phase(true);
  try {
    co_await test.test_method();
  } catch (...) {
    failure = std::current_exception();
  }
  body_phase(false);
  try {
    co_await body_tasks_done();
  } catch (...) {
    if (!failure) failure = std::current_exception();
  }
  if constexpr (AsyncTearDown<Test>) {
    try {
      co_await test.async_teardown();
    } catch (...) {
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
}

template <typename Test>
void invoke_async_test(SourceLocation where) {
  TestContextHold context;
  Test test;
  boost::unit_test::setup_conditional(test);
  run_async_test([&test] { return fixture_lifecycle(test); }, where);
  boost::unit_test::teardown_conditional(test);
}

template <typename T>
struct unwrap_optional {};
template <typename T>
struct unwrap_optional<std::optional<T>> {
  using type = T;
};
template <typename T>
struct unwrap_awaitable {
  using type = T;
};
template <typename T>
struct unwrap_awaitable<boost::asio::awaitable<T>> {
  using type = T;
};
// fn() may return std::optional<T> or awaitable<std::optional<T>>.
template <typename Fn>
using poll_result_t = typename unwrap_awaitable<std::invoke_result_t<Fn&>>::type;

}  // namespace detail

/// A completion token for any Asio operation: `co_await timer.async_wait(attest::here())`
/// awaits like boost::asio::use_awaitable and, while it waits, a timeout names this line.
struct here_t {
  SourceLocation where;
};
inline here_t here(SourceLocation where = SourceLocation::current()) { return {where}; }

/// Spawns a task the test waits for (and cancels on timeout); its exception fails the test.
inline boost::asio::awaitable<void> spawn(boost::asio::awaitable<void> task,
                                          SourceLocation where = SourceLocation::current()) {
  detail::spawn_tracked(co_await boost::asio::this_coro::executor, std::move(task), where);
}

/// Polls `fn` (returning std::optional<T>, or an awaitable of one) without blocking the
/// context, until it yields a value, which it returns; on timeout throws TimeoutError at
/// the caller's line. Exceptions from `fn` are retried, except WaitAborted.
namespace detail {
// The public functions are plain functions, not coroutines: they hand the configuration
// over on the heap, so no PollingConfig is ever a coroutine's parameter (see above).
template <typename Fn>
boost::asio::awaitable<typename detail::poll_result_t<Fn>::value_type> async_wait_for_impl(
    Fn fn, PollingConfig* owned_config, SourceLocation where) {
  // Owned from here: a by-value PollingConfig parameter is freed twice by GCC 12.
  std::unique_ptr<PollingConfig> config_holder(owned_config);
  const PollingConfig& config = *config_holder;
  detail::WaitMark mark(where, config.description);
  auto ex = co_await boost::asio::this_coro::executor;
  boost::asio::steady_timer timer(ex);
  auto start = std::chrono::steady_clock::now();
  auto pause = config.interval;
  std::size_t attempts = 0;
  std::string observation = "no attempt finished";
  for (;;) {
    ++attempts;
    detail::poll_result_t<Fn> value;
    std::exception_ptr error;
    // No co_await nor co_return inside try: GCC 12 miscompiles coroutines that do.
    if constexpr (std::is_same_v<detail::poll_result_t<Fn>, std::invoke_result_t<Fn&>>) {
      try {
        value = fn();
      } catch (...) {
        error = std::current_exception();
      }
    } else {
      auto pending = fn();
      value = co_await std::move(pending);
    }
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const WaitAborted&) {
        throw;
      } catch (const std::exception& e) {
        observation = std::string("threw: ") + e.what();
      }
    } else if (value) {
      co_return std::move(*value);
    } else {
      observation = "no value yet";
    }
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    if (elapsed >= config.timeout)
      throw TimeoutError(config.description, elapsed, attempts, observation, where);
    timer.expires_after(std::min(pause, config.timeout - elapsed));
    co_await timer.async_wait(boost::asio::use_awaitable);
    pause = std::min(std::chrono::duration_cast<std::chrono::milliseconds>(pause * config.backoff),
                     config.max_interval);
    if (pause.count() == 0) pause = std::chrono::milliseconds(1);
  }
}
}  // namespace detail

template <typename Fn>
boost::asio::awaitable<typename detail::poll_result_t<std::decay_t<Fn>>::value_type> async_wait_for(
    Fn&& fn, SourceLocation where = SourceLocation::current()) {
  static_assert(detail::closure_argument_is_safe<Fn>, ATTEST_NAME_THE_CLOSURE);
  return detail::async_wait_for_impl(std::decay_t<Fn>(std::forward<Fn>(fn)), new PollingConfig(),
                                     where);
}

/// With a named configuration: `const attest::PollingConfig slow{.timeout = 5s};`.
template <typename Fn>
boost::asio::awaitable<typename detail::poll_result_t<std::decay_t<Fn>>::value_type> async_wait_for(
    Fn&& fn, const PollingConfig& config, SourceLocation where = SourceLocation::current()) {
  static_assert(detail::closure_argument_is_safe<Fn>, ATTEST_NAME_THE_CLOSURE);
  return detail::async_wait_for_impl(std::decay_t<Fn>(std::forward<Fn>(fn)),
                                     new PollingConfig(config), where);
}

#if ATTEST_GCC_BREAKS_AGGREGATE_TEMPORARIES_IN_CO_AWAIT
template <typename Fn, bool Dependent = false>
boost::asio::awaitable<typename detail::poll_result_t<std::decay_t<Fn>>::value_type> async_wait_for(
    Fn&&, PollingConfig&&, SourceLocation = SourceLocation::current()) {
  static_assert(Dependent, ATTEST_NAME_THE_POLLING_CONFIG);
  co_return {};
}
#endif

/// Polls `pred` (returning bool, or an awaitable of bool) until it holds.
namespace detail {
template <typename Pred>
boost::asio::awaitable<void> async_wait_for_condition_impl(Pred pred, PollingConfig* owned_config,
                                                           SourceLocation where) {
  PollingConfig config = *owned_config;
  delete owned_config;
  if constexpr (std::is_same_v<std::invoke_result_t<Pred&>, bool>) {
    co_await async_wait_for_impl(
        [&]() -> std::optional<bool> { return pred() ? std::optional<bool>(true) : std::nullopt; },
        new PollingConfig(config), where);
  } else {
    co_await async_wait_for_impl(
        [&]() -> boost::asio::awaitable<std::optional<bool>> {
          co_return (co_await pred()) ? std::optional<bool>(true) : std::nullopt;
        },
        new PollingConfig(config), where);
  }
}
}  // namespace detail

template <typename Pred>
boost::asio::awaitable<void> async_wait_for_condition(
    Pred&& pred, SourceLocation where = SourceLocation::current()) {
  static_assert(detail::closure_argument_is_safe<Pred>, ATTEST_NAME_THE_CLOSURE);
  return detail::async_wait_for_condition_impl(std::decay_t<Pred>(std::forward<Pred>(pred)),
                                               new PollingConfig(), where);
}

template <typename Pred>
boost::asio::awaitable<void> async_wait_for_condition(
    Pred&& pred, const PollingConfig& config, SourceLocation where = SourceLocation::current()) {
  static_assert(detail::closure_argument_is_safe<Pred>, ATTEST_NAME_THE_CLOSURE);
  return detail::async_wait_for_condition_impl(std::decay_t<Pred>(std::forward<Pred>(pred)),
                                               new PollingConfig(config), where);
}

#if ATTEST_GCC_BREAKS_AGGREGATE_TEMPORARIES_IN_CO_AWAIT
template <typename Pred, bool Dependent = false>
boost::asio::awaitable<void> async_wait_for_condition(Pred&&, PollingConfig&&,
                                                      SourceLocation = SourceLocation::current()) {
  static_assert(Dependent, ATTEST_NAME_THE_POLLING_CONFIG);
  co_return;
}
#endif

/// Runs a blocking call (libpqxx, a file system walk) on attest's small thread pool and
/// resumes the coroutine on its own executor with the result; an exception from `fn` is
/// rethrown at the caller's line. The call itself cannot be interrupted: a timed-out
/// test's context lives until it returns. On GCC 12 a closure that owns values (captures
/// a std::string by copy) must be named first and passed as it is — GCC 12 destroys such a
/// temporary twice inside a co_await — a compile error says so.
namespace detail {
template <typename Fn>
boost::asio::awaitable<std::invoke_result_t<Fn&>> offload_impl(Fn& fn, SourceLocation where) {
  using R = std::invoke_result_t<Fn&>;
  using Stored = std::conditional_t<std::is_void_v<R>, bool, std::optional<R>>;
  detail::WaitMark mark(where, "offload");
  auto keep = detail::hold_test_context();
  // The pool calls `fn` where it lives (the caller's frame, which awaits the result).
  auto initiation = [&fn, keep](auto handler) mutable {
    auto work = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler));
    boost::asio::post(detail::offload_executor(), [&fn, keep, handler = std::move(handler),
                                                   work = std::move(work)]() mutable {
      std::exception_ptr error;
      Stored result{};
      try {
        if constexpr (std::is_void_v<R>)
          fn();
        else
          result.emplace(fn());
      } catch (...) {
        error = std::current_exception();
      }
      // Everything that refers to the test's context leaves this thread with the completion:
      // the test may end, and its context go, as soon as the completion has run there — a
      // work guard destroyed here afterwards touched a destroyed io_context (a rare SIGSEGV
      // at the end of a run).
      auto ex = work.get_executor();
      boost::asio::post(ex, [handler = std::move(handler), error, result = std::move(result),
                             keep = std::move(keep), work = std::move(work)]() mutable {
        std::move(handler)(error, std::move(result));
      });
    });
  };
  auto token = boost::asio::as_tuple(boost::asio::use_awaitable);
  auto [error, result] =
      co_await boost::asio::async_initiate<decltype(token), void(std::exception_ptr, Stored)>(
          std::move(initiation), token);
  if (error) {
    note_escape(error, where);  // an uncaught one fails the test at this line
    std::rethrow_exception(error);
  }
  if constexpr (!std::is_void_v<R>) co_return std::move(*result);
}
}  // namespace detail

template <typename Fn>
boost::asio::awaitable<std::invoke_result_t<std::remove_reference_t<Fn>&>> offload(
    Fn&& fn, SourceLocation where = SourceLocation::current()) {
  static_assert(detail::closure_argument_is_safe<Fn>, ATTEST_NAME_THE_CLOSURE);
  if constexpr (std::is_lvalue_reference_v<Fn>) {
    return detail::offload_impl(fn, where);
  } else {
    // A temporary that owns nothing: a copy in the coroutine's frame outlives the call.
    return [](std::remove_reference_t<Fn> own, SourceLocation at)
               -> boost::asio::awaitable<std::invoke_result_t<std::remove_reference_t<Fn>&>> {
      co_return co_await detail::offload_impl(own, at);
    }(std::move(fn), where);
  }
}

}  // namespace attest

// attest::here(): use_awaitable, plus a wait mark held by the handler until it completes.
template <typename... Signatures>
struct boost::asio::async_result<attest::here_t, Signatures...> {
  template <typename Initiation, typename... Args>
  static auto initiate(Initiation&& initiation, attest::here_t token, Args&&... args) {
    auto consigned = boost::asio::consign(
        boost::asio::use_awaitable,
        std::shared_ptr<void>(std::make_shared<attest::detail::WaitMark>(token.where)));
    return boost::asio::async_initiate<decltype(consigned), Signatures...>(
        std::forward<Initiation>(initiation), consigned, std::forward<Args>(args)...);
  }
};

/// A coroutine test case in a fixture `F` (constructed per test; its `async_setup()` and
/// `async_teardown()` coroutines run around the body, when it has them).
#define ATTEST_ASYNC_FIXTURE_TEST_CASE(test_name, F, ...)                                 \
  struct test_name : public F {                                                           \
    ::boost::asio::awaitable<void> test_method();                                         \
  };                                                                                      \
  static void test_name##_attest_async_invoker() {                                        \
    ::attest::detail::invoke_async_test<test_name>(                                       \
        ::attest::SourceLocation::current(__FILE__, __LINE__, #test_name));               \
  }                                                                                       \
  BOOST_AUTO_TU_REGISTRAR(test_name)                                                      \
  (boost::unit_test::make_test_case(&test_name##_attest_async_invoker,                    \
                                    BOOST_TEST_STRINGIZE(test_name), __FILE__, __LINE__), \
   boost::unit_test::decorator::collector_t::instance() __VA_OPT__(__VA_ARGS__));         \
  ::boost::asio::awaitable<void> test_name::test_method()

/// A coroutine test case (in the enclosing suite's fixture, as BOOST_AUTO_TEST_CASE).
#define ATTEST_ASYNC_TEST_CASE(test_name, ...) \
  ATTEST_ASYNC_FIXTURE_TEST_CASE(test_name, BOOST_AUTO_TEST_CASE_FIXTURE, __VA_ARGS__)
