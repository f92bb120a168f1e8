// Reading one member of a zip archive (.reqifz): the central directory, then the
// member, stored or deflated (Boost.Iostreams' zlib filter). Sizes are checked
// against the archive before anything is allocated.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace attest::trace::detail {

/// True when `data` starts like a zip archive.
bool is_zip(std::string_view data);

struct ZipMember {
  std::string name, contents;
};

/// The first member whose name ends with `suffix`, read; nullopt when there is none.
/// InputError (at `origin`) for a damaged archive.
std::optional<ZipMember> zip_read_first(std::string_view data, std::string_view suffix,
                                        const std::string& origin);

}  // namespace attest::trace::detail
