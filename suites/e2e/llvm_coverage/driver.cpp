// The check's driver: runs the sample's "tests" under attest::coverage::llvm (counters
// read before and after each), builds the record and prints it for check.sh to compare
// with llvm-cov. `driver solo NAME` runs test NAME alone, without attest, so llvm-cov can
// report what that test alone executes. Built with clang++, not instrumented itself.
#include <attest/coverage/llvm.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sample.hpp"

namespace {

volatile double sink;

const std::vector<std::pair<std::string, std::function<void()>>> tests = {
    {"classify", [] { sink = classify(-3) + classify(0) + classify(7); }},
    {"switch", [] { sink = sum_switch(0, 4) + sum_switch(1, 3) + sum_switch(2, 1); }},
    {"templates", [] { sink = use_templates(2) + from_other_tu(120); }},
};

std::string set(const attest::coverage::TestSet& s) {
  std::string out;
  for (auto t : s) out += (out.empty() ? "" : ",") + tests[t].first;
  return out.empty() ? "-" : out;
}

}  // namespace

int main(int argc, char** argv) {
  namespace llvm = attest::coverage::llvm;
  if (argc == 3 && std::strcmp(argv[1], "solo") == 0) {
    for (const auto& [name, run] : tests)
      if (name == argv[2]) run();
    return 0;
  }
  std::string why;
  auto layout = llvm::process_layout(why);
  if (!layout) {
    std::fprintf(stderr, "no layout: %s\n", why.c_str());
    return 1;
  }
  sink = from_other_tu(7);  // outside any test: counts in the totals only
  std::vector<std::uint64_t> before, after;
  std::vector<attest::coverage::gcov::Delta> deltas;
  std::vector<attest::coverage::TestContext> contexts;
  for (const auto& [name, run] : tests) {
    llvm::read_counters(*layout, before);
    run();
    llvm::read_counters(*layout, after);
    deltas.push_back(attest::coverage::gcov::difference(before, after));
    contexts.push_back({"driver", name, {}});
  }
  attest::coverage::gcov::Filter filter;
  auto start = std::chrono::steady_clock::now();
  auto record = llvm::build_record(*layout, after, contexts, deltas, filter);
  auto took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  std::printf("LAYOUT functions=%zu counters=%zu\n", layout->functions.size(), layout->size);
  for (const auto& [path, file] : record.files) {
    auto t = attest::coverage::totals(file);
    std::printf("FILE %s %zu %zu %zu %zu\n", path.c_str(), t.lines, t.lines_hit, t.branches,
                t.branches_taken);
    for (const auto& [line, l] : file.lines)
      std::printf("LINE %s %u %llu %s\n", path.c_str(), line,
                  static_cast<unsigned long long>(l.hits), set(l.tests).c_str());
    for (const auto& [key, b] : file.branches)
      std::printf("BRANCH %s %u %u %llu %s\n", path.c_str(), key.first, key.second,
                  static_cast<unsigned long long>(b.taken), set(b.tests).c_str());
    for (const auto& [first, last] : file.functions)
      std::printf("FUNCTION %s %u %u\n", path.c_str(), first, last);
  }
  auto t = attest::coverage::totals(record);
  std::printf("TOTAL %zu %zu %zu %zu\n", t.lines, t.lines_hit, t.branches, t.branches_taken);
  for (const auto& [name, run] : tests) std::printf("TEST %s\n", name.c_str());
  std::printf("TIME build_record %.3f ms\n", took.count());
  return 0;
}
