// Writing JSON as text, field by field, where building a boost::json tree first cost more than
// the data it holds (the results document of every run, the coverage record). Read back by
// boost::json like any JSON. Shared by every layer; not part of attest's public API.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attest::detail {

/// Appends `text` as a JSON string, quoted and escaped.
void write_json_string(std::string& out, std::string_view text);

/// Appends a whole number.
void write_json_number(std::string& out, std::uint64_t value);

/// Appends `["a","b"]`.
void write_json_strings(std::string& out, const std::vector<std::string>& list);

}  // namespace attest::detail
