// The manifest (`--collect-only=json`), written and read here only.
#include <attest/trace/formats.hpp>

#include <boost/json.hpp>

#include <ostream>

#include "json_input.hpp"
#include "test_list.hpp"

namespace attest::trace {

void write_manifest(std::ostream& out, const Manifest& manifest) {
  boost::json::array list;
  list.reserve(manifest.tests.size());
  for (const auto& t : manifest.tests)
    list.push_back(boost::json::object{
        {"id", t.id},
        {"file", t.where.file},
        {"line", t.where.line},
        {"markers", boost::json::array(t.markers.begin(), t.markers.end())},
        {"requirements", boost::json::array(t.requirements.begin(), t.requirements.end())},
        {"description", t.description},
        {"enabled", t.enabled},
        {"path", boost::json::array(t.path.begin(), t.path.end())}});
  boost::json::object doc{{manifest_version_key, manifest_version},
                          {"binary", manifest.binary},
                          {"tests", std::move(list)}};
  if (manifest.shard)
    doc["shard"] =
        boost::json::object{{"index", manifest.shard->index}, {"total", manifest.shard->total}};
  out << boost::json::serialize(doc) << '\n';
}

Manifest read_manifest_document(std::string_view text, const std::string& origin) {
  Manifest m;
  m.binary = detail::read_test_list(
      text, origin, manifest_version_key, manifest_version, "an attest manifest",
      [&](const boost::json::object& t, const std::string& path) {
        TestCase tc;
        tc.id = detail::string_member(t, "id", origin, path);
        tc.where.file = detail::string_member(t, "file", origin, path, false);
        tc.where.line = detail::count_member(t, "line", origin, path);
        tc.markers = detail::strings_member(t, "markers", origin, path);
        tc.requirements = detail::strings_member(t, "requirements", origin, path);
        tc.description = detail::string_member(t, "description", origin, path, false);
        if (auto en = t.find("enabled"); en != t.end() && en->value().is_bool())
          tc.enabled = en->value().get_bool();
        if (t.contains("path")) tc.path = detail::strings_member(t, "path", origin, path);
        m.tests.push_back(std::move(tc));
      },
      [&](const boost::json::object& doc) {
        // Which shard the listing is of, when it is one (informative: a malformed one is
        // left out rather than failing the read).
        const auto* shard = doc.if_contains("shard");
        if (!shard || !shard->is_object()) return;
        const auto* index = shard->as_object().if_contains("index");
        const auto* total = shard->as_object().if_contains("total");
        if (!index || !total) return;
        boost::system::error_code ec_index, ec_total;
        auto i = index->to_number<std::size_t>(ec_index);
        auto n = total->to_number<std::size_t>(ec_total);
        if (!ec_index && !ec_total && i < n) m.shard = ShardOf{i, n};
      });
  for (auto& tc : m.tests) tc.binary = m.binary;
  return m;
}

std::vector<TestCase> read_manifest(std::string_view text, const std::string& origin) {
  return read_manifest_document(text, origin).tests;
}

}  // namespace attest::trace
