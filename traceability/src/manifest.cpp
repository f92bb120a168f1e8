#include <attest/trace/readers.hpp>

#include "json_input.hpp"

namespace attest::trace {

std::vector<TestCase> read_manifest(std::string_view text, const std::string& origin) {
  std::vector<TestCase> out;
  std::string binary = detail::read_test_list(
      text, origin, "attest_manifest", "an attest manifest",
      [&](const boost::json::object& t, const std::string& path) {
        TestCase tc;
        tc.id = detail::string_member(t, "id", origin, path);
        tc.where.file = detail::string_member(t, "file", origin, path, false);
        if (auto line = t.find("line"); line != t.end()) {
          if (!line->value().is_int64() && !line->value().is_uint64())
            throw InputError(origin + ": " + path + ".line: expected a whole number");
          tc.where.line = static_cast<std::size_t>(line->value().to_number<std::int64_t>());
        }
        tc.markers = detail::strings_member(t, "markers", origin, path);
        tc.requirements = detail::strings_member(t, "requirements", origin, path);
        if (auto en = t.find("enabled"); en != t.end() && en->value().is_bool())
          tc.enabled = en->value().get_bool();
        out.push_back(std::move(tc));
      });
  for (auto& tc : out) tc.binary = binary;
  return out;
}

}  // namespace attest::trace
