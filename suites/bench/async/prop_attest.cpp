#include <attest/attest.hpp>
#include <attest/property.hpp>

#include "property.hpp"

ATTEST_PROPERTY(rle_round_trips, (const std::string& s)) { RC_ASSERT(decode(encode(s)) == s); }
