// Reading YAML that people write (Doorstop catalogs, Compose files) with yaml-cpp: what must
// be checked on the text before yaml-cpp sees it. Not part of attest's public API.
#pragma once

#include <attest/input_error.hpp>

#include <string>
#include <string_view>

namespace attest::detail {

/// yaml-cpp recurses once per nesting level: InputError at `origin:line` for nesting deeper
/// than 256 levels (flow brackets, block indentation, or sequences/maps opened on one line),
/// before it would run out of stack.
void check_yaml_nesting(std::string_view text, const std::string& origin);

}  // namespace attest::detail
