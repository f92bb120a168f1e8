// Phases of a test, logged with timings and kept in the results JSON:
//
//   {
//     attest::phase p("sync");   // [PHASE] sync started
//     run_sync();
//   }                            // [PHASE] sync passed in 1.23 s
//
// A phase fails when it ends by an exception or when checks failed inside it.
#pragma once

#include <chrono>
#include <string>

namespace attest {

class phase {
 public:
  explicit phase(std::string name);
  ~phase();
  phase(const phase&) = delete;
  phase& operator=(const phase&) = delete;

 private:
  std::string name_;
  std::chrono::steady_clock::time_point start_;
  int exceptions_;
  unsigned long failures_at_start_;
};

}  // namespace attest
