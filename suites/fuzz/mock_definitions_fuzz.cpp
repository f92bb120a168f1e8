// libFuzzer target for MockServer-style mock definitions and the REST API's request
// matchers: any input either parses or throws MockDefinitionError naming the source;
// never crashes. (A bad regex is the one other error, std::regex_error,
// turned into MockDefinitionError by the loader.)
#include <cstdint>
#include <cstdlib>
#include <string>

#include <boost/json/parse.hpp>

#include "mock_http_load.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto definitions = attest::detail::parse_mock_definitions(text, "fuzz/mock.json");
    for (const auto& d : definitions) {
      (void)d.request.describe();
      (void)d.request.to_json();  // what the REST API's retrieve answers with
    }
  } catch (const attest::MockDefinitionError& e) {
    if (std::string(e.what()).rfind("fuzz/mock.json", 0) != 0) std::abort();
  }
  // The REST API's request matchers (verify, retrieve, clear): the same reader, one object.
  boost::system::error_code ec;
  auto doc = boost::json::parse(text, ec);
  if (!ec) {
    try {
      auto matcher = attest::detail::parse_mock_request(doc, "PUT /mockserver/verify");
      (void)matcher.describe();
      (void)boost::json::parse(matcher.to_json());  // serialises back to valid JSON
    } catch (const attest::MockDefinitionError& e) {
      if (std::string(e.what()).rfind("PUT /mockserver/verify", 0) != 0) std::abort();
    }
  }
  return 0;
}
