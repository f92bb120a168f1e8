#include "zip_archive.hpp"

#include <attest/input_error.hpp>

#include <boost/iostreams/device/array.hpp>
#include <boost/iostreams/filter/zlib.hpp>
#include <boost/iostreams/filtering_stream.hpp>

#include <cstdint>

namespace attest::trace::detail {
namespace {

constexpr std::uint32_t kLocalHeader = 0x04034b50, kCentralHeader = 0x02014b50,
                        kEndOfDirectory = 0x06054b50;
constexpr std::size_t kMaxMember = std::size_t(512) << 20;  // a catalog, not a disk image

struct Member {
  std::string name;
  std::uint16_t method;
  std::uint32_t compressed, size, local_offset;
};

std::uint32_t le(std::string_view d, std::size_t at, int bytes) {
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(d[at + static_cast<std::size_t>(i)]);
  return v;
}

[[noreturn]] void damaged(const std::string& origin, const std::string& why) {
  throw InputError({origin}, "damaged zip archive: " + why);
}

std::vector<Member> directory(std::string_view d, const std::string& origin) {
  if (d.size() < 22) damaged(origin, "too short");
  // The end-of-directory record is in the last 64 KiB + 22 bytes (after a comment).
  std::size_t lowest = d.size() > 65557 ? d.size() - 65557 : 0, end = std::string_view::npos;
  for (std::size_t i = d.size() - 22 + 1; i-- > lowest;)
    if (le(d, i, 4) == kEndOfDirectory) {
      end = i;
      break;
    }
  if (end == std::string_view::npos) damaged(origin, "no end of central directory");
  std::size_t count = le(d, end + 10, 2), offset = le(d, end + 16, 4);
  std::vector<Member> out;
  for (std::size_t n = 0; n < count; ++n) {
    if (offset + 46 > d.size() || le(d, offset, 4) != kCentralHeader)
      damaged(origin, "bad central directory entry " + std::to_string(n + 1));
    Member m;
    m.method = static_cast<std::uint16_t>(le(d, offset + 10, 2));
    m.compressed = le(d, offset + 20, 4);
    m.size = le(d, offset + 24, 4);
    std::size_t name_len = le(d, offset + 28, 2), extra = le(d, offset + 30, 2),
                comment = le(d, offset + 32, 2);
    m.local_offset = le(d, offset + 42, 4);
    if (offset + 46 + name_len > d.size()) damaged(origin, "entry name past the end");
    m.name = std::string(d.substr(offset + 46, name_len));
    out.push_back(std::move(m));
    offset += 46 + name_len + extra + comment;
  }
  return out;
}

}  // namespace

bool is_zip(std::string_view data) { return data.size() >= 4 && le(data, 0, 4) == kLocalHeader; }

std::optional<ZipMember> zip_read_first(std::string_view d, std::string_view suffix,
                                        const std::string& origin) {
  for (const auto& m : directory(d, origin)) {
    if (!m.name.ends_with(suffix)) continue;
    const std::string& name = m.name;
    std::size_t at = m.local_offset;
    if (at + 30 > d.size() || le(d, at, 4) != kLocalHeader)
      damaged(origin, "bad header of " + name);
    std::size_t start = at + 30 + le(d, at + 26, 2) + le(d, at + 28, 2);
    if (start > d.size() || m.compressed > d.size() - start)
      damaged(origin, name + " runs past the end of the archive");
    if (m.size > kMaxMember) damaged(origin, name + " is larger than 512 MiB");
    std::string_view raw = d.substr(start, m.compressed);
    if (m.method == 0) return ZipMember{name, std::string(raw)};
    if (m.method != 8)
      damaged(origin, name + " uses compression method " + std::to_string(m.method) +
                          " (only stored and deflate are read)");
    std::string out;
    out.reserve(m.size);
    try {
      namespace io = boost::iostreams;
      io::zlib_params params;
      params.noheader = true;  // zip members are raw deflate streams
      io::filtering_istream in;
      in.push(io::zlib_decompressor(params));
      in.push(io::array_source(raw.data(), raw.size()));
      // Read no more than the directory promised: a lying size is not a reason to
      // inflate a bomb into memory.
      char buf[65536];
      while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        out.append(buf, static_cast<std::size_t>(in.gcount()));
        if (out.size() > m.size) damaged(origin, name + " inflates past its stated size");
      }
    } catch (const InputError&) {
      throw;
    } catch (const std::exception& e) {
      damaged(origin, name + " does not inflate: " + e.what());
    }
    if (out.size() != m.size) damaged(origin, name + " inflates to the wrong size");
    return ZipMember{name, std::move(out)};
  }
  return std::nullopt;
}

}  // namespace attest::trace::detail
