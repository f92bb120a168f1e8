// The code under test for the LLVM coverage check: a template instantiated twice, a
// header inline function used from two translation units, a macro with a branch.
#pragma once

#define CLAMP_POSITIVE(x) ((x) < 0 ? 0 : (x))

template <typename T>
T scaled(T value, int times) {
  T result = value;
  for (int i = 1; i < times; ++i) result = result + value;
  if (times == 0) return T{};
  return result;
}

inline int header_inline(int x) {
  if (x > 10 && x < 100) return x * 2;
  return x;
}

int classify(int x);
int sum_switch(int kind, int n);
int never_called(int x);
double use_templates(int n);
int from_other_tu(int x);
