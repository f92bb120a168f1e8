// attest::InputError: the one error type for bad input that a person wrote or a
// tool produced — attest.json, a requirements catalog, a manifest or results
// file, a mock definitions file. It carries where the problem is, and what()
// starts with that location (`file[:line[:col]]: message`) so that editors and
// CI annotations can jump to it.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace attest {

/// A place in an input: a file, and a 1-based line and column when known (0: unknown).
struct InputLocation {
  std::string file;
  std::size_t line = 0;
  std::size_t column = 0;

  /// "file", "file:12" or "file:12:3".
  std::string str() const;
};

class InputError : public std::runtime_error {
 public:
  /// what() is "<where>: <message>".
  InputError(InputLocation where, const std::string& message);
  /// A message that already names its origin (or has none to name).
  explicit InputError(const std::string& located_message);

  /// Where the problem is; `file` is empty when the message had no structured location.
  const InputLocation& where() const noexcept { return where_; }
  /// what() without the location.
  const std::string& message() const noexcept { return message_; }

 private:
  InputLocation where_;
  std::string message_;
};

}  // namespace attest
