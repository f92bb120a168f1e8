#include "json_input.hpp"

namespace attest::trace::detail {

std::pair<std::size_t, std::size_t> line_col(std::string_view text, std::size_t offset) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

boost::json::value parse_json(std::string_view text, const std::string& origin) {
  boost::json::stream_parser parser;
  boost::system::error_code ec;
  std::size_t consumed = parser.write_some(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    auto [line, col] = line_col(text, consumed);
    throw InputError(origin + ":" + std::to_string(line) + ":" + std::to_string(col) +
                     ": malformed JSON: " + ec.message());
  }
  return parser.release();
}

const boost::json::object& object_at(const boost::json::value& v, const std::string& origin,
                                     const std::string& path) {
  if (!v.is_object()) throw InputError(origin + ": " + path + ": expected an object");
  return v.get_object();
}

const boost::json::array& array_member(const boost::json::object& o, std::string_view key,
                                       const std::string& origin, const std::string& path) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_array())
    throw InputError(origin + ": " + path + "." + std::string(key) + ": expected an array");
  return it->value().get_array();
}

std::string string_member(const boost::json::object& o, std::string_view key,
                          const std::string& origin, const std::string& path, bool required) {
  auto it = o.find(key);
  if (it == o.end() && !required) return {};
  if (it == o.end() || !it->value().is_string())
    throw InputError(origin + ": " + path + "." + std::string(key) + ": expected a string");
  return std::string(it->value().get_string());
}

std::vector<std::string> strings_member(const boost::json::object& o, std::string_view key,
                                        const std::string& origin, const std::string& path) {
  std::vector<std::string> out;
  auto it = o.find(key);
  if (it == o.end()) return out;
  if (!it->value().is_array())
    throw InputError(origin + ": " + path + "." + std::string(key) +
                     ": expected an array of strings");
  for (const auto& v : it->value().get_array()) {
    if (!v.is_string())
      throw InputError(origin + ": " + path + "." + std::string(key) +
                       ": expected an array of strings");
    out.emplace_back(v.get_string());
  }
  return out;
}

std::string read_test_list(
    std::string_view text, const std::string& origin, std::string_view version_key,
    std::string_view what,
    const std::function<void(const boost::json::object&, const std::string&)>& each) {
  auto root = parse_json(text, origin);
  const auto& doc = object_at(root, origin, "$");
  auto version = doc.find(version_key);
  if (version == doc.end() || !version->value().is_int64() || version->value().get_int64() != 1)
    throw InputError(origin + ": not " + std::string(what) + " (expected \"" +
                     std::string(version_key) + "\": 1)");
  std::string binary = string_member(doc, "binary", origin, "$");
  const auto& tests = array_member(doc, "tests", origin, "$");
  for (std::size_t i = 0; i < tests.size(); ++i) {
    std::string path = "$.tests[" + std::to_string(i) + "]";
    each(object_at(tests[i], origin, path), path);
  }
  return binary;
}

}  // namespace attest::trace::detail
