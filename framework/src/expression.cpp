#include "expression.hpp"

#include <cctype>

namespace attest::detail {

ExpressionError::ExpressionError(std::size_t column, const std::string& message)
    : std::runtime_error("column " + std::to_string(column) + ": " + message),
      column_(column),
      message_(message) {}

namespace {

enum class Tok { lparen, rparen, or_, and_, not_, ident, eof };

struct Token {
  Tok kind;
  std::string_view text;
  std::size_t column;  // 1-based
};

const char* describe(Tok kind) {
  switch (kind) {
    case Tok::lparen:
      return "left parenthesis";
    case Tok::rparen:
      return "right parenthesis";
    case Tok::or_:
      return "or";
    case Tok::and_:
      return "and";
    case Tok::not_:
      return "not";
    case Tok::ident:
      return "identifier";
    case Tok::eof:
      return "end of input";
  }
  return "?";
}

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':' || c == '+' ||
         c == '-' || c == '.' || c == '[' || c == ']' || c == '\\' || c == '/' ||
         // C++ test names: templates (my_test<int>), operators, data-case suffixes
         c == '<' || c == '>' || c == '*' || c == '&' || c == '=' || c == '#' || c == '@' ||
         c == '~' || c == '!' || c == '%' || c == '?' || c == '{' || c == '}' || c == '|' ||
         static_cast<unsigned char>(c) >= 0x80;  // UTF-8 continues \w as Python's does
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t') {
      ++i;
    } else if (c == '(') {
      tokens.push_back({Tok::lparen, text.substr(i, 1), i + 1});
      ++i;
    } else if (c == ')') {
      tokens.push_back({Tok::rparen, text.substr(i, 1), i + 1});
      ++i;
    } else if (is_ident_char(c)) {
      std::size_t start = i;
      // Inside a template argument list a space belongs to the name: my_test<unsigned char>.
      int angle = 0;
      while (i < text.size() && (is_ident_char(text[i]) || (angle > 0 && text[i] == ' '))) {
        angle += text[i] == '<' ? 1 : text[i] == '>' ? -1 : 0;
        ++i;
      }
      auto word = text.substr(start, i - start);
      Tok kind = word == "or"    ? Tok::or_
                 : word == "and" ? Tok::and_
                 : word == "not" ? Tok::not_
                                 : Tok::ident;
      tokens.push_back({kind, word, start + 1});
    } else {
      throw ExpressionError(i + 1, std::string("unexpected character \"") + c + "\"");
    }
  }
  tokens.push_back({Tok::eof, {}, text.size() + 1});
  return tokens;
}

}  // namespace

// Recursive descent over the token list, building the node array bottom-up.
class ExpressionParser {
 public:
  explicit ExpressionParser(std::string_view text) : tokens_(tokenize(text)) {}

  Expression parse() {
    if (peek().kind == Tok::eof) return std::move(expr_);
    expr_.root_ = parse_or();
    expect(Tok::eof, "end of input");
    return std::move(expr_);
  }

 private:
  const Token& peek() const { return tokens_[pos_]; }

  bool accept(Tok kind) {
    if (peek().kind != kind) return false;
    ++pos_;
    return true;
  }

  [[noreturn]] void fail(const char* expected) const {
    throw ExpressionError(peek().column,
                          std::string("expected ") + expected + "; got " + describe(peek().kind));
  }

  void expect(Tok kind, const char* expected) {
    if (!accept(kind)) fail(expected);
  }

  std::uint32_t add(Expression::Node node) {
    expr_.nodes_.push_back(std::move(node));
    return static_cast<std::uint32_t>(expr_.nodes_.size() - 1);
  }

  std::uint32_t parse_or() {
    auto lhs = parse_and();
    while (accept(Tok::or_)) lhs = add({Expression::Op::or_, lhs, parse_and(), {}, 0});
    return lhs;
  }

  std::uint32_t parse_and() {
    auto lhs = parse_not();
    while (accept(Tok::and_)) lhs = add({Expression::Op::and_, lhs, parse_not(), {}, 0});
    return lhs;
  }

  std::uint32_t parse_not() {
    if (++depth_ > 200) throw ExpressionError(peek().column, "expression nested too deeply");
    std::uint32_t result;
    if (accept(Tok::not_)) {
      result = add({Expression::Op::not_, parse_not(), 0, {}, 0});
    } else if (accept(Tok::lparen)) {
      result = parse_or();
      expect(Tok::rparen, "right parenthesis");
    } else if (peek().kind == Tok::ident) {
      const Token& t = peek();
      ++pos_;
      result = add({Expression::Op::ident, 0, 0, std::string(t.text), t.column});
    } else {
      fail("not, left parenthesis or identifier");
    }
    --depth_;
    return result;
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  Expression expr_;
};

Expression Expression::compile(std::string_view text) { return ExpressionParser(text).parse(); }

bool Expression::evaluate(const std::function<bool(std::string_view)>& matches) const {
  return nodes_.empty() || eval(root_, matches);
}

bool Expression::eval(std::uint32_t index,
                      const std::function<bool(std::string_view)>& matches) const {
  const Node& n = nodes_[index];
  switch (n.op) {
    case Op::ident:
      return matches(n.ident);
    case Op::not_:
      return !eval(n.lhs, matches);
    case Op::and_:
      return eval(n.lhs, matches) && eval(n.rhs, matches);
    case Op::or_:
      return eval(n.lhs, matches) || eval(n.rhs, matches);
  }
  return false;
}

std::vector<Expression::Identifier> Expression::identifiers() const {
  std::vector<Identifier> out;
  // Nodes are appended as parsed, so identifier nodes are in source order.
  for (const auto& n : nodes_)
    if (n.op == Op::ident) out.push_back({n.ident, n.column});
  return out;
}

}  // namespace attest::detail
