// The code under test of the ingester scenario: a small service in the seed
// plans' spirit. It authenticates against an admin service, stores each item
// in a storage service, and counts what it stored (and what failed) in Redis.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace ingester {

struct Config {
  std::string admin_url, storage_url, redis_url;
  std::string key_prefix;  // every Redis key it writes starts with this
  std::string client_id = "ingester";
};

struct Item {
  std::string id, data;
};

struct Result {
  int stored = 0, failed = 0;
};

/// Authentication was refused: nothing was stored.
class AuthFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Stores `items`; a connection failure is retried once per item.
Result ingest(const Config& config, const std::vector<Item>& items);

}  // namespace ingester
