#include "calc.hpp"

int clamp_add(int a, int b, int limit) {
  int sum = a + b;
  if (sum > limit) return limit;
  return sum;
}

int sign(int x) {
  if (x < 0) return -1;
  if (x == 0) return 0;
  return 1;
}
