#include <attest/trace/readers.hpp>

#include "json_input.hpp"

namespace attest::trace {

std::vector<TestCase> read_manifest(std::string_view text, const std::string& origin) {
  auto root = detail::parse_json(text, origin);
  const auto& doc = detail::object_at(root, origin, "$");
  auto version = doc.find("attest_manifest");
  if (version == doc.end() || !version->value().is_int64() || version->value().get_int64() != 1)
    throw InputError(origin + ": not an attest manifest (expected \"attest_manifest\": 1)");
  std::string binary = detail::string_member(doc, "binary", origin, "$");
  const auto& tests = detail::array_member(doc, "tests", origin, "$");
  std::vector<TestCase> out;
  out.reserve(tests.size());
  for (std::size_t i = 0; i < tests.size(); ++i) {
    std::string path = "$.tests[" + std::to_string(i) + "]";
    const auto& t = detail::object_at(tests[i], origin, path);
    TestCase tc;
    tc.binary = binary;
    tc.id = detail::string_member(t, "id", origin, path);
    tc.where.file = detail::string_member(t, "file", origin, path, false);
    if (auto line = t.find("line"); line != t.end()) {
      if (!line->value().is_int64() && !line->value().is_uint64())
        throw InputError(origin + ": " + path + ".line: expected a whole number");
      tc.where.line = static_cast<std::size_t>(line->value().to_number<std::int64_t>());
    }
    tc.markers = detail::strings_member(t, "markers", origin, path);
    tc.requirements = detail::strings_member(t, "requirements", origin, path);
    if (auto en = t.find("enabled"); en != t.end() && en->value().is_bool()) tc.enabled = en->value().get_bool();
    out.push_back(std::move(tc));
  }
  return out;
}

}  // namespace attest::trace
