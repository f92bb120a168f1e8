#include "test_list.hpp"

#include "json_input.hpp"

namespace attest::trace::detail {

std::string read_test_list(
    std::string_view text, const std::string& origin, std::string_view version_key, int version,
    std::string_view what,
    const std::function<void(const boost::json::object&, const std::string&)>& each,
    const std::function<void(const boost::json::object&)>& rest) {
  auto root = parse_json(text, origin);
  const auto& doc = object_at(root, origin, "$");
  auto v = doc.find(version_key);
  if (v == doc.end() || !v->value().is_int64() || v->value().get_int64() != version)
    throw InputError({origin}, "not " + std::string(what) + " (expected \"" +
                                   std::string(version_key) + "\": " + std::to_string(version) +
                                   ")");
  std::string binary = string_member(doc, "binary", origin, "$");
  const auto& tests = array_member(doc, "tests", origin, "$");
  for (std::size_t i = 0; i < tests.size(); ++i) {
    std::string path = "$.tests[" + std::to_string(i) + "]";
    each(object_at(tests[i], origin, path), path);
  }
  if (rest) rest(doc);
  return binary;
}

}  // namespace attest::trace::detail
