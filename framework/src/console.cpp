#include "console.hpp"

#include <boost/test/unit_test_parameters.hpp>

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace attest::detail {
namespace {

namespace ut = boost::unit_test;
namespace rc = boost::unit_test::runtime_config;

bool g_stderr = false;

bool is_document(ut::output_format f) { return f == ut::OF_XML || f == ut::OF_JUNIT; }

bool is_stdout(const std::string& sink) { return sink.empty() || sink == "stdout"; }

// --logger=FORMAT[,LEVEL[,SINK]]:FORMAT...: one entry per logger.
bool combined_logger_writes_a_document() {
  if (!rc::has(rc::btrt_combined_logger)) return false;
  for (const auto& spec : rc::get<std::vector<std::string>>(rc::btrt_combined_logger)) {
    std::istringstream loggers(spec);
    for (std::string logger; std::getline(loggers, logger, ':');) {
      std::vector<std::string> parts;
      std::istringstream fields(logger);
      for (std::string f; std::getline(fields, f, ',');) parts.push_back(f);
      if (parts.empty()) continue;
      bool document = parts[0] == "XML" || parts[0] == "JUNIT";
      if (document && is_stdout(parts.size() > 2 ? parts[2] : "")) return true;
    }
  }
  return false;
}

}  // namespace

std::ostream& console() { return g_stderr ? std::cerr : std::cout; }

void decide_console() {
  bool log = rc::has(rc::btrt_log_format) &&
             is_document(rc::get<ut::output_format>(rc::btrt_log_format)) &&
             is_stdout(rc::has(rc::btrt_log_sink) ? rc::get<std::string>(rc::btrt_log_sink) : "");
  // The report goes to stderr unless sent to stdout.
  bool report = rc::has(rc::btrt_report_format) &&
                is_document(rc::get<ut::output_format>(rc::btrt_report_format)) &&
                rc::has(rc::btrt_report_sink) &&
                rc::get<std::string>(rc::btrt_report_sink) == "stdout";
  g_stderr = log || report || combined_logger_writes_a_document();
}

}  // namespace attest::detail
