#define BOOST_TEST_MODULE prop_rapidcheck
#include <rapidcheck/boost_test.h>
#include <boost/test/unit_test.hpp>

#include "property.hpp"

RC_BOOST_PROP(rle_round_trips, (const std::string& s)) { RC_ASSERT(decode(encode(s)) == s); }
