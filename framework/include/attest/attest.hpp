// attest — pytest-like integration testing for C++ on Boost.Test.
// The umbrella header: include this in test sources and link attest::main.
#pragma once

#include <boost/test/unit_test.hpp>

#include <attest/markers.hpp>
#include <attest/runner.hpp>
