#include "console.hpp"

#include <boost/test/results_reporter.hpp>
#include <boost/test/unit_test_log.hpp>
#include <boost/test/unit_test_parameters.hpp>

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
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

// --logger=FORMAT[,LEVEL[,SINK]]:FORMAT...: each logger's format and sink ("" when none given).
struct LoggerSpec {
  std::string format, sink;
};
std::vector<LoggerSpec> combined_loggers() {
  std::vector<LoggerSpec> out;
  if (!rc::has(rc::btrt_combined_logger)) return out;
  for (const auto& spec : rc::get<std::vector<std::string>>(rc::btrt_combined_logger)) {
    std::istringstream loggers(spec);
    for (std::string logger; std::getline(loggers, logger, ':');) {
      std::vector<std::string> parts;
      std::istringstream fields(logger);
      for (std::string f; std::getline(fields, f, ',');) parts.push_back(f);
      if (!parts.empty()) out.push_back({parts[0], parts.size() > 2 ? parts[2] : ""});
    }
  }
  return out;
}

bool combined_logger_writes_a_document() {
  for (const auto& l : combined_loggers())
    if ((l.format == "XML" || l.format == "JUNIT") && is_stdout(l.sink)) return true;
  return false;
}

}  // namespace

std::ostream& console() { return g_stderr ? std::cerr : std::cout; }

namespace {
std::function<void(const std::string&)>& note_sink() {
  static std::function<void(const std::string&)> sink;
  return sink;
}
}  // namespace

void set_note_sink(std::function<void(const std::string&)> sink) { note_sink() = std::move(sink); }

void note(const std::string& line) {
  if (note_sink())
    note_sink()(line);
  else
    console() << line << std::endl;
}

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

namespace {

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v && *v;
}

bool to_console(const std::string& sink) { return is_stdout(sink) || sink == "stderr"; }

}  // namespace

BoostOutput boost_output_requested(const std::vector<std::string>& args) {
  BoostOutput asked;
  bool sink_to_file = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "--") break;  // the module's own arguments
    for (auto flag : {"--log_level", "--log_format", "--output_format", "--logger", "--log_sink"})
      if (starts_with(a, flag)) asked.log = true;
    for (auto flag : {"-l", "-f", "-o"})
      if (a == flag) asked.log = true;
    for (auto flag : {"--report_level", "--report_format", "--report_sink"})
      if (starts_with(a, flag)) asked.report = true;
    for (auto flag : {"-r", "-e"})
      if (a == flag) asked.report = true;
    if (starts_with(a, "--show_progress") || a == "-p") asked.progress = true;
  }
  for (auto var : {"BOOST_TEST_LOG_LEVEL", "BOOST_TEST_LOG_FORMAT", "BOOST_TEST_OUTPUT_FORMAT",
                   "BOOST_TEST_LOGGER"})
    asked.log = asked.log || env_set(var);
  for (auto var : {"BOOST_TEST_REPORT_LEVEL", "BOOST_TEST_REPORT_FORMAT", "BOOST_TEST_REPORT_SINK"})
    asked.report = asked.report || env_set(var);
  asked.progress = asked.progress || env_set("BOOST_TEST_SHOW_PROGRESS");
  if (asked.log) {
    // Where the log goes: --log_sink, or each --logger's third field.
    if (rc::has(rc::btrt_log_sink))
      sink_to_file = !to_console(rc::get<std::string>(rc::btrt_log_sink));
    if (auto loggers = combined_loggers(); !loggers.empty())
      sink_to_file = std::none_of(loggers.begin(), loggers.end(),
                                  [](const LoggerSpec& l) { return to_console(l.sink); });
    asked.log_on_console = !sink_to_file;
  }
  return asked;
}

void silence_boost_console(const BoostOutput& asked) {
  if (!asked.log) ut::unit_test_log.set_threshold_level(ut::OF_CLF, ut::log_nothing);
  if (!asked.report) ut::results_reporter::set_level(ut::NO_REPORT);
}

bool use_color(int mode) {
  if (mode == 1) return true;
  if (mode == 2) return false;
  if (env_set("NO_COLOR")) return false;
  if (env_set("FORCE_COLOR")) return true;
  if (const char* term = std::getenv("TERM"); term && std::string(term) == "dumb") return false;
  return console_is_terminal();
}

bool console_is_terminal() { return ::isatty(g_stderr ? STDERR_FILENO : STDOUT_FILENO) == 1; }

unsigned console_width() {
  if (const char* columns = std::getenv("COLUMNS")) {
    int n = std::atoi(columns);
    if (n >= 40 && n <= 1000) return static_cast<unsigned>(n);
  }
  winsize ws{};
  if (::ioctl(g_stderr ? STDERR_FILENO : STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
    return ws.ws_col;
  return 80;
}

}  // namespace attest::detail
