#include <attest/trace/readers.hpp>

#include "json_input.hpp"

namespace attest::trace {

std::vector<Requirement> read_json_catalog(std::string_view text, const std::string& origin,
                                           const std::string& feature) {
  auto root = detail::parse_json(text, origin);
  const auto& doc = detail::object_at(root, origin, "$");
  const auto& list = detail::array_member(doc, "requirements", origin, "$");
  std::vector<Requirement> out;
  out.reserve(list.size());
  std::size_t searched = 0, line = 1;
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string path = "$.requirements[" + std::to_string(i) + "]";
    const auto& item = detail::object_at(list[i], origin, path);
    Requirement r;
    r.bare_id = detail::string_member(item, "id", origin, path);
    if (r.bare_id.empty()) throw InputError(origin + ": " + path + ".id: empty requirement ID");
    r.title = detail::string_member(item, "title", origin, path, false);
    r.priority = detail::string_member(item, "priority", origin, path, false);
    r.feature = feature;
    r.id = feature.empty() ? r.bare_id : feature + "/" + r.bare_id;
    // Point at the ID in the file so reports can link to it: searched from the previous
    // one onwards, counting lines as it goes (from the start each time was quadratic).
    auto pos = text.find("\"" + r.bare_id + "\"", searched);
    if (pos != std::string_view::npos) {
      for (; searched < pos; ++searched) line += text[searched] == '\n';
      r.where = {origin, line};
    } else {
      r.where = {origin, 0};
    }
    r.unclear = r.title.find("[NEEDS CLARIFICATION") != std::string::npos;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace attest::trace
