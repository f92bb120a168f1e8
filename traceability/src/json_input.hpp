// Shared by the JSON readers: parse with a located error, and typed member access
// whose errors name the path of the offending value.
#pragma once

#include <boost/json.hpp>

#include <functional>
#include <string>
#include <string_view>

#include <attest/trace/model.hpp>

namespace attest::trace::detail {

/// 1-based line and column of `offset` in `text`.
std::pair<std::size_t, std::size_t> line_col(std::string_view text, std::size_t offset);

/// Parses JSON; malformed input throws InputError at `origin:line:col`.
boost::json::value parse_json(std::string_view text, const std::string& origin);

/// A member of the expected kind, or InputError "origin: path: expected ...".
const boost::json::object& object_at(const boost::json::value& v, const std::string& origin,
                                     const std::string& path);
const boost::json::array& array_member(const boost::json::object& o, std::string_view key,
                                       const std::string& origin, const std::string& path);
std::string string_member(const boost::json::object& o, std::string_view key,
                          const std::string& origin, const std::string& path, bool required = true);
std::vector<std::string> strings_member(const boost::json::object& o, std::string_view key,
                                        const std::string& origin, const std::string& path);

/// Reads a versioned attest document (`{"<version_key>": 1, "binary": "...", "tests": [...]}`),
/// calling `each(test, path)` for every entry; returns the binary. `what` names the kind in errors.
std::string read_test_list(
    std::string_view text, const std::string& origin, std::string_view version_key,
    std::string_view what,
    const std::function<void(const boost::json::object&, const std::string&)>& each);

}  // namespace attest::trace::detail
