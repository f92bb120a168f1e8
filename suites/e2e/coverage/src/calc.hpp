#pragma once

int clamp_add(int a, int b, int limit);
int sign(int x);
