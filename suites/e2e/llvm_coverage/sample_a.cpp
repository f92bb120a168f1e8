#include "sample.hpp"

int classify(int x) {
  if (x < 0)
    return -1;
  else if (x == 0)
    return 0;
  return header_inline(x) + CLAMP_POSITIVE(x - 5);
}

int sum_switch(int kind, int n) {
  int total = 0;
  switch (kind) {
    case 0:
      for (int i = 0; i < n; ++i) total += i;
      break;
    case 1:
      total = n * n;
      break;
    default:
      total = -n;
  }
  return total;
}

int never_called(int x) {
  int y = x * 3;
  if (y > 7) return y;
  return 0;
}

double use_templates(int n) { return scaled<int>(n, 3) + scaled<double>(1.5, n); }
