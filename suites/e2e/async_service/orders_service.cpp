#include "orders_service.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <hiredis/hiredis.h>
#include <pqxx/pqxx>

#include <cstdlib>
#include <list>
#include <optional>
#include <stdexcept>

namespace orders {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

namespace {

// One blocking Redis command on a fresh connection (the pool's threads share nothing).
std::string redis(const std::string& url, const std::vector<std::string>& argv) {
  auto u = boost::urls::parse_uri(url);
  if (!u) throw std::runtime_error("bad Redis URL");
  std::string host(u->host());
  int port = u->has_port() ? std::atoi(std::string(u->port()).c_str()) : 6379;
  std::unique_ptr<redisContext, void (*)(redisContext*)> c(redisConnect(host.c_str(), port),
                                                           &redisFree);
  if (!c || c->err) throw std::runtime_error("Redis: cannot connect");
  auto call = [&](const std::vector<std::string>& words) {
    std::vector<const char*> args;
    std::vector<std::size_t> lengths;
    for (const auto& w : words) {
      args.push_back(w.data());
      lengths.push_back(w.size());
    }
    std::unique_ptr<redisReply, void (*)(void*)> r(
        static_cast<redisReply*>(
            redisCommandArgv(c.get(), static_cast<int>(args.size()), args.data(), lengths.data())),
        &freeReplyObject);
    if (!r || r->type == REDIS_REPLY_ERROR)
      throw std::runtime_error("Redis: " + (r ? std::string(r->str, r->len) : "no reply"));
    return r->type == REDIS_REPLY_STRING ? std::string(r->str, r->len) : std::string();
  };
  if (u->has_password()) call({"AUTH", std::string(u->password())});
  return call(argv);
}

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

Response reply(const Request& req, http::status status, const json::value& body) {
  Response res(status, req.version());
  res.set(http::field::content_type, "application/json");
  res.body() = json::serialize(body);
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  return res;
}

}  // namespace

struct Service::Impl : std::enable_shared_from_this<Impl> {
  asio::any_io_executor executor;
  Config config;
  tcp::acceptor acceptor;
  asio::thread_pool pool{2};
  std::list<tcp::socket*> connections;
  bool stopped = false;

  Impl(asio::any_io_executor ex, Config c)
      : executor(ex),
        config(std::move(c)),
        acceptor(ex, {asio::ip::make_address("127.0.0.1"), 0}) {}

  // A blocking call on the pool; the coroutine resumes on its own executor. `fn` by
  // reference: GCC 12 destroys a closure that owns strings twice when it is a temporary
  // inside a co_await, so callers name such closures first.
  template <typename Fn>
  asio::awaitable<std::invoke_result_t<const Fn&>> blocking(const Fn& fn) {
    co_return co_await asio::co_spawn(
        pool, [&fn]() -> asio::awaitable<std::invoke_result_t<const Fn&>> { co_return fn(); },
        asio::use_awaitable);
  }

  // GET <pricing>/prices/<sku>: the price in cents, nullopt for an unknown SKU.
  asio::awaitable<std::optional<long>> price(const std::string& sku) {
    auto u = boost::urls::parse_uri(config.pricing_url);
    if (!u) throw std::runtime_error("bad pricing URL");
    tcp::resolver resolver(executor);
    beast::tcp_stream stream(executor);
    auto endpoints = co_await resolver.async_resolve(std::string(u->host()), std::string(u->port()),
                                                     asio::use_awaitable);
    co_await stream.async_connect(endpoints, asio::use_awaitable);
    Request req(http::verb::get, "/prices/" + sku, 11);
    req.set(http::field::host, std::string(u->host()));
    co_await http::async_write(stream, req, asio::use_awaitable);
    beast::flat_buffer buffer;
    Response res;
    co_await http::async_read(stream, buffer, res, asio::use_awaitable);
    if (res.result() == http::status::not_found) co_return std::nullopt;
    if (res.result() != http::status::ok)
      throw std::runtime_error("pricing answered " + std::to_string(res.result_int()));
    co_return json::parse(res.body()).at("cents").to_number<long>();
  }

  asio::awaitable<Response> create(const Request& req) {
    std::string sku;
    long qty = 0;
    try {
      auto body = json::parse(req.body()).as_object();
      sku = std::string(body.at("sku").as_string());
      qty = body.at("qty").to_number<long>();
    } catch (const std::exception&) {
      co_return reply(req, http::status::bad_request, {{"error", "expected {\"sku\", \"qty\"}"}});
    }
    if (qty <= 0) co_return reply(req, http::status::bad_request, {{"error", "qty must be > 0"}});
    std::optional<long> cents;
    bool pricing_failed = false;
    try {
      cents = co_await price(sku);
    } catch (const std::exception&) {
      pricing_failed = true;
    }
    if (pricing_failed)
      co_return reply(req, http::status::bad_gateway, {{"error", "pricing failed"}});
    if (!cents)
      co_return reply(req, http::status::unprocessable_entity, {{"error", "unknown sku"}});
    long total = *cents * qty;
    long id = co_await blocking([&] {
      pqxx::connection c(config.postgres_url);
      pqxx::work tx(c);
      auto row = tx.exec_params1(
          "INSERT INTO orders (sku, qty, total_cents) VALUES ($1, $2, $3) RETURNING id", sku, qty,
          total);
      tx.commit();
      return row[0].as<long>();
    });
    json::object order{{"id", id}, {"sku", sku}, {"qty", qty}, {"total_cents", total}};
    co_await blocking([&] {
      redis(config.redis_url, {"INCR", config.key_prefix + "orders:count"});
      redis(config.redis_url, {"SET", config.key_prefix + "order:" + std::to_string(id),
                               json::serialize(order), "EX", "60"});
      return 0;
    });
    // The event is recorded after the answer: callers must wait for it, not sleep.
    asio::post(pool, [url = config.redis_url, key = config.key_prefix + "events", id] {
      try {
        redis(url, {"RPUSH", key, "created " + std::to_string(id)});
      } catch (const std::exception&) {
      }
    });
    co_return reply(req, http::status::created, {{"id", id}, {"total_cents", total}});
  }

  asio::awaitable<Response> read(const Request& req, const std::string& id_text) {
    long id = 0;
    try {
      id = std::stol(id_text);
    } catch (const std::exception&) {
      co_return reply(req, http::status::not_found, {{"error", "no such order"}});
    }
    std::string key = config.key_prefix + "order:" + std::to_string(id);
    std::string cached = co_await blocking([&] { return redis(config.redis_url, {"GET", key}); });
    if (!cached.empty()) {
      auto res = reply(req, http::status::ok, json::parse(cached));
      res.set("X-Cache", "hit");
      co_return res;
    }
    std::optional<json::object> order = co_await blocking([&]() -> std::optional<json::object> {
      pqxx::connection c(config.postgres_url);
      pqxx::work tx(c);
      auto rows = tx.exec_params("SELECT sku, qty, total_cents FROM orders WHERE id = $1", id);
      if (rows.empty()) return std::nullopt;
      return json::object{{"id", id},
                          {"sku", rows[0][0].as<std::string>()},
                          {"qty", rows[0][1].as<long>()},
                          {"total_cents", rows[0][2].as<long>()}};
    });
    if (!order) co_return reply(req, http::status::not_found, {{"error", "no such order"}});
    co_await blocking([&] {
      return redis(config.redis_url, {"SET", key, json::serialize(*order), "EX", "60"});
    });
    auto res = reply(req, http::status::ok, *order);
    res.set("X-Cache", "miss");
    co_return res;
  }

  asio::awaitable<Response> route(const Request& req) {
    std::string target(req.target());
    if (req.method() == http::verb::post && target == "/orders") co_return co_await create(req);
    if (req.method() == http::verb::get && target.rfind("/orders/", 0) == 0)
      co_return co_await read(req, target.substr(8));
    co_return reply(req, http::status::not_found, {{"error", "no route"}});
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    auto self = shared_from_this();
    auto registered = connections.insert(connections.end(), &socket);
    beast::flat_buffer buffer;
    for (;;) {
      Request req;
      auto [ec, n] =
          co_await http::async_read(socket, buffer, req, asio::as_tuple(asio::use_awaitable));
      if (ec) break;
      Response res;
      try {
        res = co_await route(req);
      } catch (const std::exception& e) {
        res = reply(req, http::status::internal_server_error, {{"error", e.what()}});
      }
      bool keep = res.keep_alive();
      auto [wec, m] = co_await http::async_write(socket, res, asio::as_tuple(asio::use_awaitable));
      if (wec || !keep) break;
    }
    connections.erase(registered);
  }
};

Service::Service(asio::any_io_executor executor, Config config)
    : impl_(std::make_shared<Impl>(executor, std::move(config))) {}

Service::~Service() {
  stop();
  impl_->pool.join();
}

asio::awaitable<void> Service::migrate() {
  const auto create_table = [url = impl_->config.postgres_url] {
    pqxx::connection c(url);
    pqxx::work tx(c);
    tx.exec0(
        "CREATE TABLE IF NOT EXISTS orders (id bigserial PRIMARY KEY, sku text NOT NULL, "
        "qty bigint NOT NULL CHECK (qty > 0), total_cents bigint NOT NULL)");
    tx.commit();
    return 0;
  };
  co_await impl_->blocking(create_table);
}

asio::awaitable<void> Service::run() {
  auto impl = impl_;
  while (!impl->stopped) {
    auto [ec, socket] = co_await impl->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) break;
    asio::co_spawn(impl->executor, impl->serve(std::move(socket)), asio::detached);
  }
}

void Service::stop() {
  impl_->stopped = true;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  for (auto* socket : impl_->connections) socket->close(ignored);
}

std::string Service::base_url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port());
}

}  // namespace orders
