// attest — pytest-like integration testing for C++ on Boost.Test.
// The umbrella header: include this in test sources and link attest::main.
#pragma once

#include <boost/test/unit_test.hpp>

#include <attest/integration.hpp>
#include <attest/markers.hpp>
#include <attest/phase.hpp>
#include <attest/polling.hpp>
#include <attest/process.hpp>
#include <attest/runner.hpp>
#include <attest/scope.hpp>
