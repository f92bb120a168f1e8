#include "supervisor.hpp"

#include <attest/local_service.hpp>
#include <attest/postgres.hpp>
#include <attest/redis.hpp>

#include <boost/url/parse.hpp>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <memory>
#include <regex>

namespace attest_env {
namespace {

using attest::RunningService;
using attest::ServiceSpec;

std::string upper(std::string s) {
  for (auto& c : s)
    c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

unsigned short port_of(const std::string& url) {
  auto u = boost::urls::parse_uri(url);
  return u && u->has_port() ? u->port_number() : 0;
}

// ${svc.url}, ${svc.host}, ${svc.port}, ${svc.port:NAME}: the running services' values.
std::string resolve(const std::string& text, const std::map<std::string, RunningService>& running) {
  static const std::regex ref(R"(\$\{([A-Za-z0-9_.-]+?)\.(url|host|port)(?::([A-Za-z0-9_-]+))?\})");
  std::string out;
  auto begin = text.cbegin();
  for (std::sregex_iterator it(text.begin(), text.end(), ref), end; it != end; ++it) {
    const auto& m = *it;
    out.append(begin, m[0].first);
    const auto& s = running.at(m[1].str());
    std::string what = m[2].str();
    if (what == "url")
      out += s.url();
    else if (what == "host")
      out += s.host();
    else
      out += std::to_string(s.port(m[3].matched ? m[3].str() : std::string()));
    begin = m[0].second;
  }
  out.append(begin, text.cend());
  return out;
}

attest::Readiness readiness(const attest::ReadinessSpec& r) {
  if (r.kind == "http") return attest::Readiness::http(r.value, r.status, r.port);
  if (r.kind == "log") return attest::Readiness::log(r.value);
  if (r.kind == "unix") return attest::Readiness::unix_socket(r.value);
  if (r.kind == "command") return attest::Readiness::command(r.command);
  if (r.kind == "started") return attest::Readiness::started();
  return attest::Readiness::tcp(r.port);
}

// What one started service holds on to; destroyed (stopped) in reverse start order.
struct Started {
  std::unique_ptr<attest::PostgresServer> postgres;
  std::unique_ptr<attest::RedisServer> redis;
  std::unique_ptr<attest::LocalService> process;
};

bool wanted(const ServiceSpec& s, const UpOptions& o) {
  if (o.all_markers || s.when.empty()) return true;
  return std::any_of(s.when.begin(), s.when.end(),
                     [&](const std::string& m) { return o.markers.count(m); });
}

}  // namespace

int supervise(const attest::EnvironmentSpec& spec, const UpOptions& options, int report_fd) {
  auto report = [&](const std::string& line) {
    std::string text = line + "\n";
    (void)!::write(report_fd, text.data(), text.size());
  };
  // down is SIGTERM; a terminal's ^C or hang-up reaches us only when asked to stop.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGHUP);
  ::sigprocmask(SIG_BLOCK, &stop, nullptr);

  std::vector<Started> started;
  std::map<std::string, RunningService> running;
  std::map<std::string, std::string> variables{{"ATTEST_ENV", options.dir.string()}};
  std::set<std::string> skipped;
  try {
    for (const auto& s : spec.services) {
      bool needed_by_a_started_one = false;  // a dependency of a wanted service starts too
      for (const auto& other : spec.services)
        if (wanted(other, options) && std::find(other.depends_on.begin(), other.depends_on.end(),
                                                s.name) != other.depends_on.end())
          needed_by_a_started_one = true;
      if (!wanted(s, options) && !needed_by_a_started_one) {
        skipped.insert(s.name);
        continue;
      }
      std::cout << "attest-env: starting " << s.name << " (" << s.type << ")" << std::endl;
      Started h;
      RunningService::Fields r;
      unsigned short port = 0;
      r.name = s.name;
      r.type = s.type;
      if (s.type == "postgres") {
        h.postgres = attest::PostgresServer::start_local();
        r.url = h.postgres->url();
        port = port_of(r.url);
        if (auto* p = h.postgres->process()) {
          r.log = p->log_path();
          r.pid = p->pid();
        }
        variables.emplace("ATTEST_POSTGRES_URL", r.url);  // the first one declared
      } else if (s.type == "redis") {
        h.redis = attest::RedisServer::start_local();
        r.url = h.redis->url();
        port = port_of(r.url);
        if (auto* p = h.redis->process()) {
          r.log = p->log_path();
          r.pid = p->pid();
        }
        variables.emplace("ATTEST_REDIS_URL", r.url);
      } else {
        attest::LocalServiceOptions o;
        o.name = s.name;
        o.executable = resolve(s.command.front(), running);
        for (auto a = s.command.begin() + 1; a != s.command.end(); ++a)
          o.args.push_back(resolve(*a, running));
        for (const auto& [k, v] : s.env) o.env[k] = resolve(v, running);
        o.cwd = s.cwd.empty() ? spec.config.parent_path() : s.cwd;
        o.ports = s.ports;
        o.ready = readiness(s.ready);
        o.ready_polling.timeout = s.start_timeout;
        h.process = std::make_unique<attest::LocalService>(o);
        r.ports = h.process->ports();
        port = r.ports.count("") ? r.ports.at("") : (r.ports.empty() ? 0 : r.ports.begin()->second);
        r.url = "http://127.0.0.1:" + std::to_string(port);
        r.log = h.process->log_path();
        r.pid = h.process->process().pid();
      }
      if (r.ports.empty() && port) r.ports[""] = port;
      std::string prefix = "ATTEST_SERVICE_" + upper(s.name) + "_";
      variables[prefix + "URL"] = r.url;
      variables[prefix + "HOST"] = r.host;
      variables[prefix + "PORT"] = std::to_string(port);
      running.emplace(s.name, RunningService(r));
      started.push_back(std::move(h));
    }
    attest::Environment::save(options.dir, running, variables);
  } catch (const std::exception& e) {
    report(std::string("error: ") + e.what());
    while (!started.empty()) started.pop_back();
    return 1;
  }
  std::string names;
  for (const auto& n : skipped) names += " " + n;
  report(skipped.empty() ? "ok" : "ok; not needed for these markers:" + names);
  ::close(report_fd);

  int sig = 0;
  ::sigwait(&stop, &sig);
  std::cout << "attest-env: stopping (signal " << sig << ")" << std::endl;
  std::error_code ec;
  std::filesystem::remove(options.dir / "env.json", ec);
  while (!started.empty()) started.pop_back();  // dependents first
  return 0;
}

}  // namespace attest_env
