#include "inline_markdown.hpp"

#include <attest/trace/markup.hpp>

namespace attest::trace::detail {
namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// The closing `marker` for an opening at `from`: not right after whitespace, and for
// `_`, not inside a word (snake_case stays as it is).
std::size_t closing(std::string_view text, std::size_t from, std::string_view marker) {
  for (std::size_t i = from; (i = text.find(marker, i)) != std::string_view::npos; ++i) {
    if (i == from || text[i - 1] == ' ') continue;
    if (marker[0] == '_' && i + marker.size() < text.size() && word_char(text[i + marker.size()]))
      continue;
    return i;
  }
  return std::string_view::npos;
}

std::string render(std::string_view text, int depth) {
  std::string out;
  std::size_t plain = 0;  // start of the text not yet written
  auto flush = [&](std::size_t end) { out += escape_markup(text.substr(plain, end - plain)); };
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '`') {
      std::size_t end = text.find('`', i + 1);
      if (end != std::string_view::npos && end > i + 1) {
        flush(i);
        out += "<code>" + escape_markup(text.substr(i + 1, end - i - 1)) + "</code>";
        i = plain = end + 1;
        continue;
      }
    } else if ((c == '*' || c == '_') && depth < 4 && i + 1 < text.size()) {
      bool strong = text[i + 1] == c;
      std::string_view marker = strong ? text.substr(i, 2) : text.substr(i, 1);
      std::size_t open_end = i + marker.size();
      bool opens = open_end < text.size() && text[open_end] != ' ' &&
                   !(c == '_' && i > 0 && word_char(text[i - 1]));
      std::size_t end = opens ? closing(text, open_end, marker) : std::string_view::npos;
      if (end != std::string_view::npos) {
        flush(i);
        const char* tag = strong ? "strong" : "em";
        out += std::string("<") + tag + ">" +
               render(text.substr(open_end, end - open_end), depth + 1) + "</" + tag + ">";
        i = plain = end + marker.size();
        continue;
      }
      i += marker.size();
      continue;
    }
    ++i;
  }
  flush(text.size());
  return out;
}

}  // namespace

std::string inline_markdown_html(std::string_view text) { return render(text, 0); }

}  // namespace attest::trace::detail
