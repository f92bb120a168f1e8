#include "sample.hpp"

static int helper(int x) { return x % 3 == 0 ? x / 3 : x; }

int from_other_tu(int x) {
  int r = header_inline(x);
  while (r > 50) r = helper(r) - 1;
  return r;
}
