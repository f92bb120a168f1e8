#include <attest/detail/json_output.hpp>

#include <charconv>
#include <cstring>

namespace attest::detail {
namespace {

// Whether any of eight bytes needs an escape (below 0x20, '"' or '\\'): the bit tricks of
// "Bit Twiddling Hacks" (haszero/hasless), exact about whether one does. Ids, paths and
// messages rarely hold one: most of a string is then copied eight bytes per step.
bool needs_escape(std::uint64_t word) {
  constexpr std::uint64_t ones = 0x0101010101010101, high = 0x8080808080808080;
  auto zero_byte = [&](std::uint64_t x) { return (x - ones) & ~x & high; };
  return (((word - ones * 0x20) & ~word & high) | zero_byte(word ^ (ones * '"')) |
          zero_byte(word ^ (ones * '\\'))) != 0;
}

}  // namespace

void write_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0, i = 0;
  while (i < text.size()) {
    if (i + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      if (!needs_escape(word)) {
        i += 8;
        continue;
      }
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out.append(text.data() + plain, i - plain);
    plain = ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xf];
    }
  }
  out.append(text.data() + plain, text.size() - plain);
  out += '"';
}

void write_json_number(std::string& out, std::uint64_t value) {
  char buffer[24];
  out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
}

void write_json_strings(std::string& out, const std::vector<std::string>& list) {
  out += '[';
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out += ',';
    write_json_string(out, list[i]);
  }
  out += ']';
}

}  // namespace attest::detail
