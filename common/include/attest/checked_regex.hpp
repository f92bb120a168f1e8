// std::regex for patterns from input attest does not control (attest.json,
// trace-check's --id-pattern, mock definition files). libstdc++'s regex
// compiler overflows a signed integer on huge counts ("a{99999999999}", undefined
// behaviour, found by the config fuzzer) and recurses once per nesting level;
// such patterns are refused with std::regex_error before it sees them.
#pragma once

#include <cctype>
#include <regex>
#include <string>

namespace attest {

inline std::regex checked_regex(const std::string& pattern,
                                std::regex::flag_type flags = std::regex::ECMAScript) {
  using std::regex_constants::error_badbrace;
  using std::regex_constants::error_badrepeat;
  using std::regex_constants::error_complexity;
  if (pattern.size() > 4096) throw std::regex_error(error_complexity);
  int depth = 0;
  bool in_class = false, in_braces = false;
  // After a quantifier only one `?` (lazy) may follow: ECMAScript refuses "a**" ("nothing
  // to repeat"), libstdc++ accepts it and then backtracks exponentially (the fuzzer's
  // ",****.****" took minutes to match "FR-001").
  bool after_quantifier = false, lazy_taken = false;
  auto digits_from = [&](std::size_t i) {
    std::size_t n = 0;
    while (i + n < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[i + n]))) ++n;
    return n;
  };
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    bool quantifier = !in_class && !in_braces &&
                      (c == '*' || c == '+' || c == '?' || (c == '{' && digits_from(i + 1) > 0));
    if (quantifier && after_quantifier) {
      if (c != '?' || lazy_taken) throw std::regex_error(error_badrepeat);
      lazy_taken = true;
      continue;
    }
    if (!in_braces) {
      after_quantifier = quantifier && c != '{';
      lazy_taken = false;
    }
    if (c == '\\') {
      if (digits_from(i + 1) > 4)
        throw std::regex_error(error_badbrace);  // \123456: a back-reference
      ++i;
    } else if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
    } else if (c == '(') {
      if (++depth > 64) throw std::regex_error(error_complexity);
    } else if (c == ')') {
      --depth;
    } else if (c == '{') {
      in_braces = true;
    } else if (c == '}') {
      if (in_braces) after_quantifier = true;
      in_braces = false;
    } else if (in_braces && digits_from(i) > 4) {
      throw std::regex_error(error_badbrace);  // a count of 100000 or more
    }
  }
  return std::regex(pattern, flags);
}

}  // namespace attest
