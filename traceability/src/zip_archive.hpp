// Reading one member of a zip archive (.reqifz): the central directory, then the
// member, stored or deflated (Boost.Iostreams' zlib filter). Sizes are checked
// against the archive before anything is allocated.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace attest::trace::detail {

/// True when `data` starts like a zip archive.
bool is_zip(std::string_view data);

/// The names of the archive's members; InputError (at `origin`) for a damaged archive.
std::vector<std::string> zip_members(std::string_view data, const std::string& origin);

/// The contents of member `name`.
std::string zip_read(std::string_view data, const std::string& name, const std::string& origin);

}  // namespace attest::trace::detail
