// The property both binaries check: run-length encoding round-trips (a few allocations and a
// loop per case, as a real property would have).
#pragma once
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

inline std::vector<std::pair<char, std::size_t>> encode(const std::string& s) {
  std::vector<std::pair<char, std::size_t>> runs;
  for (char c : s) {
    if (!runs.empty() && runs.back().first == c)
      ++runs.back().second;
    else
      runs.emplace_back(c, 1);
  }
  return runs;
}

inline std::string decode(const std::vector<std::pair<char, std::size_t>>& runs) {
  std::string s;
  for (const auto& [c, n] : runs) s.append(n, c);
  return s;
}
