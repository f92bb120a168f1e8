// Reading JSON that people write (attest.json, catalogs, mock definitions) and
// that tools write (manifests, results): parse errors at `origin:line:col`,
// typed member access whose errors name the JSON path of the offending value.
// Shared by every layer; not part of attest's public API.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <attest/input_error.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace attest::detail {

/// 1-based line and column of `offset` in `text`.
std::pair<std::size_t, std::size_t> line_col(std::string_view text, std::size_t offset);

/// The location of the first `"key"` in `text` (line 1, column 1 when absent): good
/// enough to point at an offending member without a position-tracking parser.
InputLocation locate_key(std::string_view text, const std::string& origin, std::string_view key);

/// Parses JSON; malformed input throws InputError at `origin:line:col`.
boost::json::value parse_json(std::string_view text, const std::string& origin);

/// The whole file; InputError "path: no such file" / "path: cannot read" otherwise.
std::string read_file(const std::filesystem::path& path);

/// Writes `text` to a file beside `path` created with `mode`, then renames it over `path`:
/// a reader (another process) never sees half a file, and a secret never sits in a file
/// others may read, not even for a moment. Returns false when it could not.
bool write_file_atomically(const std::filesystem::path& path, std::string_view text,
                           unsigned mode = 0644);

/// The same, for a document written as it is produced (a 10,000-test report is never held
/// whole in memory): `write` fills the stream; false when it or the file failed.
bool write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write, unsigned mode = 0644);

/// Typed access for documents read by path ("$.tests[3]"): InputError
/// "origin: path.key: expected ..." when a value is not of the expected kind.
const boost::json::object& object_at(const boost::json::value& v, const std::string& origin,
                                     const std::string& path);
const boost::json::array& array_member(const boost::json::object& o, std::string_view key,
                                       const std::string& origin, const std::string& path);
std::string string_member(const boost::json::object& o, std::string_view key,
                          const std::string& origin, const std::string& path, bool required = true);
std::vector<std::string> strings_member(const boost::json::object& o, std::string_view key,
                                        const std::string& origin, const std::string& path);
/// A whole number member; `fallback` when absent.
std::size_t count_member(const boost::json::object& o, std::string_view key,
                         const std::string& origin, const std::string& path,
                         std::size_t fallback = 0);

}  // namespace attest::detail
