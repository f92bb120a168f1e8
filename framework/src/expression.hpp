// Boolean expressions for -m and -k, with pytest's grammar:
//
//   expression: expr? EOF
//   expr:       and_expr ('or' and_expr)*
//   and_expr:   not_expr ('and' not_expr)*
//   not_expr:   'not' not_expr | '(' expr ')' | ident
//   ident:      (\w|:|\+|-|\.|\[|\]|\\|/)+
//
// An identifier's meaning is the caller's: a marker name for -m, a
// case-insensitive substring of the test id for -k. The empty expression
// matches everything (as pytest's empty -m does).
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace attest::detail {

class ExpressionError : public std::runtime_error {
 public:
  ExpressionError(std::size_t column, const std::string& message);
  std::size_t column() const { return column_; }  // 1-based
  const std::string& message() const { return message_; }

 private:
  std::size_t column_;
  std::string message_;
};

class Expression {
 public:
  /// Parses `text`; throws ExpressionError with the 1-based column of the problem.
  static Expression compile(std::string_view text);

  /// Evaluates with `matches(identifier)` deciding each identifier.
  bool evaluate(const std::function<bool(std::string_view)>& matches) const;

  struct Identifier {
    std::string name;
    std::size_t column;  // 1-based
  };
  /// Every identifier, in source order (for checking -m names against the registry).
  std::vector<Identifier> identifiers() const;

  bool empty() const { return nodes_.empty(); }

 private:
  enum class Op : std::uint8_t { ident, not_, and_, or_ };
  struct Node {
    Op op;
    std::uint32_t lhs = 0, rhs = 0;  // child node indices
    std::string ident;
    std::size_t column = 0;
  };
  friend class ExpressionParser;

  bool eval(std::uint32_t node, const std::function<bool(std::string_view)>& matches) const;

  std::vector<Node> nodes_;
  std::uint32_t root_ = 0;
};

}  // namespace attest::detail
