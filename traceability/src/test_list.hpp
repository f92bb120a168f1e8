// The shape the manifest and results JSON share: a versioned document with a
// binary and a list of tests.
#pragma once

#include <boost/json/object.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace attest::trace::detail {

/// Reads `{"<version_key>": version, "binary": "...", "tests": [...]}`, calling
/// `each(test, path)` for every entry, then `rest(document)` if given. `what`
/// names the kind in errors. Returns the binary.
std::string read_test_list(std::string_view text, const std::string& origin,
                        std::string_view version_key, int version, std::string_view what,
                        const std::function<void(const boost::json::object&, const std::string&)>& each,
                        const std::function<void(const boost::json::object&)>& rest = {});

}  // namespace attest::trace::detail
