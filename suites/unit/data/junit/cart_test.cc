#include <gtest/gtest.h>
TEST(Cart, Sums) { RecordProperty("verifies", "FR-001"); EXPECT_EQ(1 + 2, 3); }
TEST(Cart, Empty) { RecordProperty("verifies", "FR-002"); EXPECT_EQ(0, 0); }
TEST(Cart, Unmarked) { EXPECT_TRUE(true); }
