// orders: a small HTTP service on Boost.Asio coroutines, written as our users write theirs —
// the code under test of the async e2e suite (orders_tests.cpp). It knows nothing of attest.
//
//   POST /orders {"sku": "A1", "qty": 2}
//     prices the order with the pricing service (GET <pricing>/prices/<sku> → {"cents": N}),
//     stores it in PostgreSQL, counts it in Redis (<prefix>orders:count), caches it
//     (<prefix>order:<id>), answers 201 {"id": N, "total_cents": N}, then records an event
//     (<prefix>events) after answering. Unknown SKU: 422; pricing failing: 502.
//   GET /orders/<id>
//     from the cache (X-Cache: hit) or PostgreSQL (X-Cache: miss, then cached); 404.
//
// libpqxx and hiredis are blocking: the service runs them on a small pool of its own.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>

namespace orders {

struct Config {
  std::string pricing_url;   // http://host:port
  std::string postgres_url;  // a libpq URI
  std::string redis_url;     // redis://[:password@]host:port
  std::string key_prefix;    // every Redis key the service writes starts with it
};

class Service {
 public:
  /// Listens on 127.0.0.1, a free port; serves on `executor` once run() is awaited.
  Service(boost::asio::any_io_executor executor, Config config);
  ~Service();

  /// Creates the orders table when it is missing.
  boost::asio::awaitable<void> migrate();
  /// Accepts and serves until stop().
  boost::asio::awaitable<void> run();
  /// Closes the listener and every open connection: run() returns.
  void stop();

  std::string base_url() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace orders
