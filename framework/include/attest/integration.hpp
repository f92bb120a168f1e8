// attest::IntegrationTestBase: the fixture base of integration tests.
//
//   struct OrdersTest : attest::IntegrationTestBase {
//     OrdersTest() {
//       require({"orders-api", [&] { return api_up(); }, "start it with `make run-api`"});
//     }
//     void setup() override { check_infrastructure(); ... }
//     void teardown() override { ... }
//   };
//
//   BOOST_FIXTURE_TEST_CASE(creates_order, attest::Fixture<OrdersTest>,
//                           *attest::mark("integration")) {
//     ... ns() ...
//   }
//
// attest::Fixture<T> runs T::setup() before the body and T::teardown() after it,
// also when the body or setup throws (Boost.Test skips teardown then).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <attest/namespace.hpp>
#include <attest/service.hpp>

namespace attest {

/// Marks the running test as skipped (reported as skipped, never as passed) and ends it.
[[noreturn]] void skip(const std::string& reason);

class IntegrationTestBase {
 public:
  IntegrationTestBase();
  virtual ~IntegrationTestBase() = default;

  /// Hooks around the test body; override them.
  virtual void setup() {}
  virtual void teardown() {}

  /// This test's unique namespace (DNS-1123 in .dns, SQL identifier in .sql).
  const UniqueNamespace& ns() const { return ns_; }

 protected:
  /// Declares a service the test needs.
  void require(Service service);

  /// Fails the test naming every missing service and how to provide it; with
  /// ATTEST_SKIP_UNAVAILABLE=1 in the environment, skips it instead.
  void check_infrastructure() const;

 private:
  UniqueNamespace ns_;
  std::vector<Service> services_;
};

/// Wraps a fixture so its teardown() is guaranteed: this class's destructor runs
/// before the fixture's members are destroyed, so it can still call teardown().
template <typename T>
class Fixture : public T {
 public:
  void setup() override {
    setup_started_ = true;
    T::setup();
  }
  void teardown() override {
    if (torn_down_) return;
    torn_down_ = true;
    T::teardown();
  }
  ~Fixture() override {
    if (setup_started_ && !torn_down_) {
      torn_down_ = true;
      try {
        T::teardown();
      } catch (...) {
        // An exception is already propagating: teardown's own must not terminate.
      }
    }
  }

 private:
  bool setup_started_ = false;
  bool torn_down_ = false;
};

}  // namespace attest
