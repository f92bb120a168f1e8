// An object's notes as a run read them, kept beside its .gcno for the next run ("x.gcno" →
// "x.gcno.attest-cache"): the next run with the same notes and the same filter reads a few megabytes instead of parsing tens of them (most of a --cov
// run's own time, for a short suite; and once per process when CTest runs each case alone).
// Anything unexpected in a cache (another attest's format, another notes file, another filter,
// a checksum or an index that does not fit) is not an error: the notes are
// read from the .gcno as without a cache, and the cache written anew.
#pragma once

#include "gcov_notes.hpp"

#include <cstdint>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>

namespace attest::coverage::gcov::internal {

/// What tells one notes file from another, as make and ccache tell it: its device, inode, size
/// and modification time (a compiler writing it anew changes the last at least).
struct FileIdentity {
  std::uint64_t device = 0, inode = 0, size = 0, mtime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

/// The identity of the file at `path`; nullopt when it cannot be asked (no such file).
std::optional<FileIdentity> identify(const std::string& path);

/// Where the cache of the notes at `gcno` is kept.
std::string cache_path(const std::string& gcno);

/// The checksum a cache ends with (8 bytes, native order) over all its bytes before: four lanes
/// of multiply-xorshift over 8-byte words (a megabyte in ~0.1 ms), there to notice a damaged
/// file, not an adversary — a cache is as trusted as the notes beside it.
std::uint64_t cache_checksum(std::string_view bytes);

/// The cache's bytes for `notes`, read from the notes file `source` with `filter`, in `bytes`
/// (what it held is replaced).
void encode_notes(const Notes& notes, const FileIdentity& source, const Filter& filter,
                  std::string& bytes);

/// The notes in `bytes` when they are a whole cache of this format (checksum, every count and
/// index within bounds) made from the notes file `source` with `filter` (its prefixes, as given);
/// nullopt otherwise. The files the filter does not keep have no name. Never throws for what
/// the bytes hold.
std::optional<Notes> decode_notes(std::string_view bytes, const FileIdentity& source,
                                  const Filter& filter, std::pmr::memory_resource* memory);

/// An object's notes: from the cache beside `gcno` when it was made from this file (`source`,
/// its identity as the caller found it) with the same `filter` and holds the notes of the build
/// stamped `stamp` (the running object's); else read from `gcno` (read_notes; InputError as
/// there) and the cache written for the next run where the directory lets it (nothing is left
/// half-written: the file appears whole or not at all). `scratch` holds the cache while it is
/// written: one string for all objects (each its own was as many fresh pages again).
Notes read_notes_cached(const std::string& gcno, const FileIdentity& source, std::uint32_t stamp,
                        const Filter& filter, Buffer& buffer, std::string& scratch,
                        std::pmr::memory_resource* memory);

}  // namespace attest::coverage::gcov::internal
