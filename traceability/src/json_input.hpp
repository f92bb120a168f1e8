// The JSON helpers of attest::common, seen from the traceability readers.
#pragma once

#include <attest/detail/json_input.hpp>

namespace attest::trace::detail {
using attest::detail::array_member;
using attest::detail::count_member;
using attest::detail::line_col;
using attest::detail::object_at;
using attest::detail::parse_json;
using attest::detail::string_member;
using attest::detail::strings_member;
}  // namespace attest::trace::detail
