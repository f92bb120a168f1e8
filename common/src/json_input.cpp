#include <attest/detail/json_input.hpp>

#include <boost/json/stream_parser.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <fstream>

namespace attest::detail {

std::pair<std::size_t, std::size_t> line_col(std::string_view text, std::size_t offset) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

InputLocation locate_key(std::string_view text, const std::string& origin, std::string_view key) {
  std::string quoted = "\"" + std::string(key) + "\"";
  auto pos = text.find(quoted);
  auto [line, col] = line_col(text, pos == std::string_view::npos ? 0 : pos);
  return {origin, line, col};
}

boost::json::value parse_json(std::string_view text, const std::string& origin) {
  boost::json::stream_parser parser;
  boost::system::error_code ec;
  std::size_t consumed = parser.write_some(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    auto [line, col] = line_col(text, consumed);
    throw InputError({origin, line, col}, "malformed JSON: " + ec.message());
  }
  return parser.release();
}

std::string read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw InputError({path.string()}, "no such file (cannot read it)");
  // read(2) into a string sized from fstat: a stream's rdbuf copy goes through a stringbuf that
  // grows by doubling (a third of the time --cov spends reading ~150 .gcno files). The size is
  // a hint only: the file is read to its end, whatever it has grown or shrunk to meanwhile.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError({path.string()}, "cannot read");
  struct stat st {};
  std::string text;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) text.resize(static_cast<std::size_t>(st.st_size));
  std::size_t used = 0;
  for (;;) {
    if (used == text.size()) text.resize(std::max<std::size_t>(2 * text.size(), 1 << 12));
    auto n = ::read(fd, text.data() + used, text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      throw InputError({path.string()}, "cannot read");
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  ::close(fd);
  text.resize(used);
  return text;
}

bool write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write, unsigned mode) {
  auto tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  // Created with its mode first: the stream then opens a file nobody else could read.
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return false;
  ::close(fd);
  bool ok = false;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (out) {
      try {
        write(out);
      } catch (...) {  // the writer's error is the caller's; the half-written file is ours
        out.close();
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        throw;
      }
      out.close();
      ok = !out.fail();
    }
  }
  std::error_code ec;
  if (ok) std::filesystem::rename(tmp, path, ec);
  if (!ok || ec) std::filesystem::remove(tmp, ec);
  return ok && !ec;
}

bool write_file_atomically(const std::filesystem::path& path, std::string_view text,
                           unsigned mode) {
  return write_file_atomically(
      path,
      [&](std::ostream& out) { out.write(text.data(), static_cast<std::streamsize>(text.size())); },
      mode);
}

const boost::json::object& object_at(const boost::json::value& v, const std::string& origin,
                                     const std::string& path) {
  if (!v.is_object()) throw InputError({origin}, path + ": expected an object");
  return v.get_object();
}

const boost::json::array& array_member(const boost::json::object& o, std::string_view key,
                                       const std::string& origin, const std::string& path) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_array())
    throw InputError({origin}, path + "." + std::string(key) + ": expected an array");
  return it->value().get_array();
}

std::string string_member(const boost::json::object& o, std::string_view key,
                          const std::string& origin, const std::string& path, bool required) {
  auto it = o.find(key);
  if (it == o.end() && !required) return {};
  if (it == o.end() || !it->value().is_string())
    throw InputError({origin}, path + "." + std::string(key) + ": expected a string");
  return std::string(it->value().get_string());
}

std::vector<std::string> strings_member(const boost::json::object& o, std::string_view key,
                                        const std::string& origin, const std::string& path) {
  std::vector<std::string> out;
  auto it = o.find(key);
  if (it == o.end()) return out;
  auto fail = [&] {
    throw InputError({origin}, path + "." + std::string(key) + ": expected an array of strings");
  };
  if (!it->value().is_array()) fail();
  for (const auto& v : it->value().get_array()) {
    if (!v.is_string()) fail();
    out.emplace_back(v.get_string());
  }
  return out;
}

std::size_t count_member(const boost::json::object& o, std::string_view key,
                         const std::string& origin, const std::string& path, std::size_t fallback) {
  auto it = o.find(key);
  if (it == o.end()) return fallback;
  const auto& v = it->value();
  if ((v.is_int64() && v.get_int64() >= 0) || v.is_uint64())
    return static_cast<std::size_t>(v.to_number<std::uint64_t>());
  throw InputError({origin}, path + "." + std::string(key) + ": expected a whole number");
}

}  // namespace attest::detail
