// spec-kit Markdown catalogs. A requirement is a line of the form
//   - **FR-001**: System MUST ...      (bold ID, optional bullet)
//   - FR-002: System MUST ...          (plain ID, bullet required, so prose is not taken)
// whose ID matches the pattern. Indented lines that follow belong to its text
// (for [NEEDS CLARIFICATION: ...]); fenced code blocks are skipped.
#include <attest/trace/readers.hpp>

namespace attest::trace {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool strip_bullet(std::string_view& s) {
  if (s.size() >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ') {
    s = trim(s.substr(2));
    return true;
  }
  return false;
}

// Splits "ID: title" / "**ID**: title" / "**ID:** title"; false when the line is not one.
bool split_requirement(std::string_view line, std::string_view& id, std::string_view& title) {
  std::string_view s = trim(line);
  bool bullet = strip_bullet(s);
  if (s.substr(0, 2) == "**") {
    s.remove_prefix(2);
    auto close = s.find("**");
    if (close == std::string_view::npos) return false;
    id = s.substr(0, close);
    std::string_view rest = s.substr(close + 2);
    if (!id.empty() && id.back() == ':') {  // **FR-001:** title
      id.remove_suffix(1);
    } else {
      rest = trim(rest);
      if (rest.empty() || rest.front() != ':') return false;
      rest.remove_prefix(1);
    }
    title = trim(rest);
    return !id.empty();
  }
  if (!bullet) return false;
  auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  id = s.substr(0, colon);
  title = trim(s.substr(colon + 1));
  return true;
}

bool needs_clarification(std::string_view text) {
  return text.find("[NEEDS CLARIFICATION") != std::string_view::npos;
}

}  // namespace

std::vector<Requirement> read_markdown_catalog(std::string_view text, const std::string& origin,
                                               const std::regex& id_pattern,
                                               const std::string& feature) {
  std::vector<Requirement> out;
  bool in_fence = false;
  Requirement* last = nullptr;  // the requirement whose continuation lines we may be reading
  std::size_t line_no = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;

    std::string_view t = trim(line);
    if (t.substr(0, 3) == "```" || t.substr(0, 3) == "~~~") {
      in_fence = !in_fence;
      last = nullptr;
      continue;
    }
    if (in_fence) continue;

    std::string_view id, title;
    if (split_requirement(line, id, title) && std::regex_match(id.begin(), id.end(), id_pattern)) {
      Requirement r;
      r.bare_id = std::string(id);
      r.feature = feature;
      r.id = feature.empty() ? r.bare_id : feature + "/" + r.bare_id;
      r.title = std::string(title);
      r.where = {origin, line_no};
      r.unclear = needs_clarification(title);
      out.push_back(std::move(r));
      last = &out.back();
      continue;
    }
    // Continuation: indented, non-empty, not a new bullet item.
    bool indented = !line.empty() && (line.front() == ' ' || line.front() == '\t');
    if (last && indented && !t.empty()) {
      if (needs_clarification(t)) last->unclear = true;
    } else {
      last = nullptr;
    }
  }
  return out;
}

}  // namespace attest::trace
