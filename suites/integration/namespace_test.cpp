#include <attest/attest.hpp>
#include <attest/namespace.hpp>

#include <thread>
#include <unordered_set>

namespace {

bool valid_dns1123(const std::string& s) {
  if (s.empty() || s.size() > 63 || !std::islower(static_cast<unsigned char>(s.front())) ||
      s.back() == '-')
    return false;
  for (char c : s)
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-'))
      return false;
  return true;
}

bool valid_sql(const std::string& s) {
  if (s.empty() || s.size() > 63 || !std::islower(static_cast<unsigned char>(s.front())))
    return false;
  for (char c : s)
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(namespaces, *attest::mark("unit"))

BOOST_AUTO_TEST_CASE(prefix_is_cleaned_into_both_forms, *attest::requirement("FR-029")) {
  auto ns = attest::generate_unique_namespace("Orders Sync/v2");
  BOOST_TEST(ns.dns.rfind("orders-sync-v2-", 0) == 0, ns.dns);
  BOOST_TEST(ns.sql.rfind("orders_sync_v2_", 0) == 0, ns.sql);
  BOOST_TEST(valid_dns1123(ns.dns));
  BOOST_TEST(valid_sql(ns.sql));
  for (const char* odd :
       {"", "123", "---", "Ünïcode", "a_very_long_prefix_that_goes_on_and_on_and_on_forever"}) {
    auto n = attest::generate_unique_namespace(odd);
    BOOST_TEST(valid_dns1123(n.dns), n.dns);
    BOOST_TEST(valid_sql(n.sql), n.sql);
  }
}

BOOST_AUTO_TEST_CASE(a_million_names_no_collision_none_invalid,
                     *attest::requirement("FR-029") * attest::mark("slow")) {
  // Four threads at once, 250k names each: unique across threads, valid everywhere.
  std::vector<std::vector<std::string>> per_thread(4);
  std::vector<std::thread> threads;
  for (auto& names : per_thread)
    threads.emplace_back([&names] {
      names.reserve(250000);
      for (int i = 0; i < 250000; ++i)
        names.push_back(attest::generate_unique_namespace("load").dns);
    });
  for (auto& t : threads) t.join();
  std::unordered_set<std::string> seen;
  seen.reserve(1000000);
  std::size_t invalid = 0;
  for (const auto& names : per_thread)
    for (const auto& n : names) {
      invalid += !valid_dns1123(n);
      seen.insert(n);
    }
  BOOST_TEST(invalid == 0u);
  BOOST_TEST(seen.size() == 1000000u);
}

BOOST_AUTO_TEST_SUITE_END()
