#include "ingester.hpp"

#include <attest/http_client.hpp>
#include <attest/redis.hpp>

#include <boost/json.hpp>

namespace ingester {

namespace {

std::string token(const Config& config) {
  attest::HttpClient admin(config.admin_url);
  boost::json::object request{{"client_id", config.client_id}};
  auto r = admin.post("/api/auth/token", boost::json::serialize(request),
                      {{"Content-Type", "application/json"}});
  if (r.status != 200) throw AuthFailed("auth failed: " + std::to_string(r.status) + " " + r.body);
  return std::string(boost::json::parse(r.body).at("token").as_string());
}

}  // namespace

Result ingest(const Config& config, const std::vector<Item>& items) {
  std::string bearer = "Bearer " + token(config);
  attest::HttpClient storage(config.storage_url);
  attest::RedisClient redis(config.redis_url);
  Result result;
  for (const auto& item : items) {
    unsigned status = 0;
    for (int attempt = 1; attempt <= 2 && status == 0; ++attempt) {
      try {
        status =
            storage
                .request("PUT", "/api/objects/" + item.id, item.data, {{"Authorization", bearer}})
                .status;
      } catch (const attest::HttpError&) {
        // connection dropped: once more
      }
    }
    if (status == 201) {
      ++result.stored;
      redis.command("INCR", config.key_prefix + "ingested");
      redis.command("SADD", config.key_prefix + "objects", item.id);
    } else {
      ++result.failed;
      redis.command("INCR", config.key_prefix + "failed");
    }
  }
  return result;
}

}  // namespace ingester
