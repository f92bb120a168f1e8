#include <attest/attest.hpp>

#include <set>
#include <string>

#include "expression.hpp"

using attest::detail::Expression;
using attest::detail::ExpressionError;

namespace {

// Evaluates `text` with the identifiers in `truths` true and every other false.
bool eval(const std::string& text, std::set<std::string> truths) {
  return Expression::compile(text).evaluate(
      [&](std::string_view id) { return truths.count(std::string(id)) != 0; });
}

std::size_t error_column(const std::string& text) {
  try {
    Expression::compile(text);
  } catch (const ExpressionError& e) {
    return e.column();
  }
  return 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(expression, *attest::mark("unit"))

BOOST_AUTO_TEST_CASE(single_identifier, *attest::requirement("FR-007")) {
  BOOST_TEST(eval("slow", {"slow"}));
  BOOST_TEST(!eval("slow", {"integration"}));
}

BOOST_AUTO_TEST_CASE(and_binds_tighter_than_or, *attest::requirement("FR-007")) {
  // a or b and c  ==  a or (b and c)
  BOOST_TEST(eval("a or b and c", {"a"}));
  BOOST_TEST(!eval("a or b and c", {"b"}));
  BOOST_TEST(eval("a or b and c", {"b", "c"}));
  BOOST_TEST(!eval("(a or b) and c", {"a"}));
}

BOOST_AUTO_TEST_CASE(not_and_parentheses, *attest::requirement("FR-007")) {
  BOOST_TEST(eval("integration and not slow", {"integration"}));
  BOOST_TEST(!eval("integration and not slow", {"integration", "slow"}));
  BOOST_TEST(eval("not not a", {"a"}));
  BOOST_TEST(eval("not (a or b)", {}));
  BOOST_TEST(!eval("not (a or b)", {"b"}));
}

BOOST_AUTO_TEST_CASE(pytest_identifier_characters, *attest::requirement("FR-007", "FR-008")) {
  BOOST_TEST(eval("db/full_sync", {"db/full_sync"}));
  BOOST_TEST(eval("squares[1]", {"squares[1]"}));
  BOOST_TEST(eval("a.b:c+d-e", {"a.b:c+d-e"}));
  // Keywords only as whole words: "order" and "notable" are identifiers.
  BOOST_TEST(eval("order and notable", {"order", "notable"}));
}

BOOST_AUTO_TEST_CASE(empty_expression_matches_everything, *attest::requirement("FR-007")) {
  BOOST_TEST(Expression::compile("").empty());
  BOOST_TEST(eval("   ", {}));
}

BOOST_AUTO_TEST_CASE(identifiers_with_columns, *attest::requirement("FR-007")) {
  auto ids = Expression::compile("unit and not (slow or db)").identifiers();
  BOOST_REQUIRE_EQUAL(ids.size(), 3u);
  BOOST_TEST(ids[0].name == "unit");
  BOOST_TEST(ids[0].column == 1u);
  BOOST_TEST(ids[1].name == "slow");
  BOOST_TEST(ids[1].column == 15u);
  BOOST_TEST(ids[2].name == "db");
  BOOST_TEST(ids[2].column == 23u);
}

BOOST_AUTO_TEST_CASE(errors_name_their_column, *attest::requirement("FR-011")) {
  BOOST_TEST(error_column("unit and") == 9u);     // missing operand at end
  BOOST_TEST(error_column("(unit") == 6u);        // unclosed parenthesis
  BOOST_TEST(error_column("unit slow") == 6u);    // two identifiers in a row
  BOOST_TEST(error_column("unit & slow") == 6u);  // not a grammar character
  BOOST_TEST(error_column("and") == 1u);          // operator without operands
  BOOST_TEST(error_column("unit)") == 5u);        // stray right parenthesis
  BOOST_CHECK_EXCEPTION(Expression::compile("a or"), ExpressionError, [](const ExpressionError& e) {
    return std::string(e.what()) ==
           "column 5: expected not, left parenthesis or identifier; got end of input";
  });
}

BOOST_AUTO_TEST_CASE(deep_nesting_is_an_error_not_a_crash, *attest::requirement("FR-011")) {
  std::string deep(100000, '(');
  BOOST_TEST(error_column(deep) > 0u);
  std::string nots;
  for (int i = 0; i < 100000; ++i) nots += "not ";
  BOOST_TEST(error_column(nots + "a") > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
