// Result files: attest results JSON or JUnit XML, told apart by content.
#include <attest/trace/formats.hpp>

namespace attest::trace {
namespace detail {
Results read_results_json(std::string_view text, const std::string& origin);
Results read_junit(std::string_view text, const std::string& origin);
}  // namespace detail

Results read_results_document(std::string_view text, const std::string& origin) {
  auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first == std::string_view::npos) throw InputError({origin}, "empty results file");
  if (text[first] == '<') return detail::read_junit(text, origin);
  return detail::read_results_json(text, origin);
}

std::vector<TestOutcome> read_results(std::string_view text, const std::string& origin) {
  return read_results_document(text, origin).tests;
}

}  // namespace attest::trace
