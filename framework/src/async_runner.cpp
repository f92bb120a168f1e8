// Runs coroutine tests (<attest/async.hpp>) inside the Boost.Test case that registered
// them: picks the io_context (per test, per suite, per run), drives it until the body and
// its tracked tasks finish, enforces the test's timeout by cancelling them, and turns what
// they ended with into what Boost.Test reports.
#include <attest/async.hpp>
#include <attest/scope.hpp>

#include "test_events.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/core/demangle.hpp>
#include <boost/test/execution_monitor.hpp>
#include <boost/test/framework.hpp>
#include <boost/test/tree/test_unit.hpp>
#include <boost/test/unit_test_monitor.hpp>

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <list>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <vector>

namespace attest {
namespace ut = boost::unit_test;
namespace asio = boost::asio;

namespace {

struct ContextSpec {
  io_scope scope = io_scope::test;
  unsigned threads = 1;
};

std::unordered_map<ut::test_unit_id, ContextSpec>& context_specs() {
  static std::unordered_map<ut::test_unit_id, ContextSpec> specs;
  return specs;
}

// The nearest async_context decorator: on the test, else on its closest suite.
ContextSpec spec_for(ut::test_unit_id id) {
  const auto& specs = context_specs();
  if (specs.empty()) return {};
  while (id != ut::INV_TEST_UNIT_ID) {
    if (auto it = specs.find(id); it != specs.end()) return it->second;
    id = ut::framework::get(id, ut::TUT_ANY).p_parent_id;
  }
  return {};
}

// An io_context shared by the tests of a suite or of the run (attest's fixture scopes
// destroy it when that scope ends).
struct SharedContext {
  std::shared_ptr<asio::io_context> context = std::make_shared<asio::io_context>(1);
};

// The test that runs now (Boost.Test runs one at a time).
struct TestRun {
  std::shared_ptr<asio::io_context> context;
  asio::any_io_executor executor;
  std::atomic<std::size_t> outstanding{0};
  // Tasks the body spawned (not set-up: a server it started runs until the tear-down).
  std::atomic<std::size_t> body_outstanding{0};
  std::atomic<bool> in_body{false};
  std::mutex mutex;
  std::exception_ptr failure;
  std::list<asio::cancellation_signal> signals;  // the body's and each tracked task's

  bool own_context = false;  // a per-test context: stopped once the test's work is done
  void finished(std::exception_ptr e) {
    if (e) {
      std::lock_guard lock(mutex);
      if (!failure) failure = e;
    }
    // The last piece may finish on another of the context's threads while the test's thread
    // waits in run_one() for work that will never come (an idle socket is not work done):
    // stopping the context wakes it.
    if (outstanding.fetch_sub(1) == 1 && own_context) context->stop();
  }
  asio::cancellation_signal& new_signal() {
    std::lock_guard lock(mutex);
    return signals.emplace_back();
  }
  void cancel_all() {
    std::lock_guard lock(mutex);
    for (auto& s : signals) s.emit(asio::cancellation_type::terminal);
  }
};
TestRun* g_run = nullptr;

// The context TestContextHold made for the test about to run.
std::shared_ptr<asio::io_context> g_prepared;

// Boost keeps the message as a non-owning string while it logs it: it lives here.
thread_local std::string t_message;

[[noreturn]] void fail_timeout(const std::string& message, SourceLocation at) {
  detail::TestEvents::instance().timeouts_described.insert(ut::framework::current_test_case().p_id);
  t_message = message;
  throw boost::execution_exception(
      boost::execution_exception::timeout_error, t_message,
      boost::execution_exception::location(at.file_name(), at.line_number(), nullptr));
}

asio::awaitable<void> marked(asio::awaitable<void> task, SourceLocation where) {
  detail::WaitMark mark(where, "spawned task");
  co_await std::move(task);
}

}  // namespace

void async_context::apply(ut::test_unit& tu) { context_specs()[tu.p_id] = {scope_, threads_}; }

ut::decorator::base_ptr async_context::clone() const {
  return ut::decorator::base_ptr(new async_context(scope_, threads_));
}

namespace detail {

std::shared_ptr<void> hold_test_context() {
  return g_run ? std::shared_ptr<void>(g_run->context) : nullptr;
}

asio::any_io_executor offload_executor() {
  static asio::thread_pool pool([] {
    const char* env = std::getenv("ATTEST_OFFLOAD_THREADS");
    int n = env ? std::atoi(env) : 0;
    return static_cast<std::size_t>(n > 0 ? n : 2);
  }());
  return pool.get_executor();
}

void spawn_tracked(asio::any_io_executor ex, asio::awaitable<void> task, SourceLocation where) {
  if (!g_run) {
    asio::co_spawn(ex, marked(std::move(task), where), asio::detached);
    return;
  }
  TestRun* run = g_run;
  run->outstanding.fetch_add(1);
  bool from_body = run->in_body.load();
  if (from_body) run->body_outstanding.fetch_add(1);
  auto& signal = run->new_signal();
  asio::co_spawn(
      ex, marked(std::move(task), where),
      asio::bind_cancellation_slot(signal.slot(), [run, from_body](std::exception_ptr e) {
        if (from_body) run->body_outstanding.fetch_sub(1);
        run->finished(e);
      }));
}

void body_phase(bool in_body) {
  if (g_run) g_run->in_body = in_body;
}

asio::awaitable<void> body_tasks_done() {
  if (!g_run || g_run->body_outstanding.load() == 0) co_return;
  TestRun* run = g_run;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  WaitMark mark(SourceLocation::current(), "the tasks the test body spawned");
  while (run->body_outstanding.load() > 0) {
    timer.expires_after(std::chrono::milliseconds(1));
    co_await timer.async_wait(asio::use_awaitable);
  }
}

TestContextHold::TestContextHold() {
  ContextSpec spec = spec_for(ut::framework::current_test_case().p_id);
  if (spec.scope == io_scope::test)
    g_prepared = std::make_shared<asio::io_context>(static_cast<int>(spec.threads));
  context_ = g_prepared;
}

TestContextHold::~TestContextHold() {
  if (g_prepared == context_) g_prepared.reset();
}

void run_async_test(const std::function<asio::awaitable<void>()>& body, SourceLocation test) {
  using clock = std::chrono::steady_clock;
  const auto& tc = ut::framework::current_test_case();
  ContextSpec spec = spec_for(tc.p_id);

  TestRun run;
  if (spec.scope == io_scope::test) {
    run.context = g_prepared ? g_prepared
                             : std::make_shared<asio::io_context>(static_cast<int>(spec.threads));
    run.own_context = true;
  } else {
    auto& shared = spec.scope == io_scope::suite ? suite_scoped<SharedContext>()
                                                 : session_scoped<SharedContext>();
    run.context = shared.context;
    spec.threads = 1;  // a shared context runs on the test's thread only, while a test runs
    run.context->restart();
  }
  auto& context = *run.context;
  run.executor = spec.threads > 1 ? asio::any_io_executor(asio::make_strand(context))
                                  : asio::any_io_executor(context.get_executor());

  // The timeout: Boost's own (an alarm that longjmps out of the test) gives way to
  // cancelling the coroutine; it stays armed, later, as a backstop for a handler that
  // blocks its thread.
  unsigned long timeout_us = ut::unit_test_monitor.p_timeout.get();
  std::optional<clock::time_point> deadline;
  const auto grace = std::chrono::seconds(1);
  if (timeout_us > 0) {
    deadline = clock::now() + std::chrono::microseconds(timeout_us);
    ::alarm(static_cast<unsigned>(std::ceil(timeout_us / 1e6)) + 2);
  }

  struct Current {
    TestRun* previous;
    explicit Current(TestRun* run) : previous(std::exchange(g_run, run)) {}
    ~Current() { g_run = previous; }
  } current(&run);

  run.outstanding = 1;
  auto& body_signal = run.new_signal();
  asio::co_spawn(run.executor, body(),
                 asio::bind_cancellation_slot(body_signal.slot(),
                                              [&run](std::exception_ptr e) { run.finished(e); }));

  std::vector<std::thread> threads;
  for (unsigned i = 1; i < spec.threads; ++i) threads.emplace_back([&context] { context.run(); });
  struct Join {
    std::vector<std::thread>& threads;
    asio::io_context& context;
    ~Join() {
      context.stop();
      for (auto& t : threads) t.join();
    }
  };

  // Runs until the test's work — the body and what it spawned with attest::spawn — is done
  // (true) or `until` passes (false). Other work on the context (a server's connections,
  // a client's idle socket) does not keep the test running: it is destroyed with the context.
  auto drive = [&](std::optional<clock::time_point> until) {
    while (run.outstanding.load() > 0) {
      std::size_t ran = until ? context.run_one_until(*until) : context.run_one();
      if (ran == 0) {
        if (until && clock::now() >= *until) return false;
        if (context.stopped()) context.restart();
      }
    }
    return true;
  };

  bool timed_out = false;
  std::string waits;
  SourceLocation at = test;
  {
    Join join{threads, context};
    if (!drive(deadline)) {
      timed_out = true;
      waits = describe_waits(at);
      // Cancelling runs the coroutines' unwinding (destructors, catch blocks) before the
      // failure is reported.
      if (spec.threads > 1)
        asio::post(run.executor, [&run] { run.cancel_all(); });
      else
        run.cancel_all();
      drive(clock::now() + grace);
    }
  }
  if (timeout_us > 0) ::alarm(0);

  if (timed_out) {
    std::ostringstream msg;
    msg << "timeout: the coroutine test did not finish within " << timeout_us / 1e6 << " s; ";
    if (waits.empty())
      msg << "no attest awaitable was pending (pass attest::here() as the completion token to "
             "name a wait)";
    else
      msg << "waiting at " << waits;
    fail_timeout(msg.str(), at);
  }
  if (run.failure) {
    // An exception that came out of an attest awaitable fails the test at that line (Boost
    // would say "unknown location"): offload's pool thread, a server's error reply.
    if (auto site = escape_site(run.failure)) {
      try {
        std::rethrow_exception(run.failure);
      } catch (const Failure&) {
        throw;
      } catch (const std::exception& e) {
        t_message = boost::core::demangle(typeid(e).name()) + ": " + e.what();
      } catch (...) {
        t_message = "unknown exception";
      }
      throw boost::execution_exception(
          boost::execution_exception::cpp_exception_error, t_message,
          boost::execution_exception::location(site->file_name(), site->line_number(), nullptr));
    }
    std::rethrow_exception(run.failure);
  }
}

}  // namespace detail
}  // namespace attest
