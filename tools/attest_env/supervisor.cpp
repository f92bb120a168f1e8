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
#include <future>
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

// How a started service is reached.
struct Start {
  RunningService::Fields fields;
  unsigned short port = 0;
};

// A service's own thread: it starts the service, then holds it until told to stop.
// The thread lives as long as the service because a child's parent-death signal
// follows the thread that forked it, not the process.
class Worker {
 public:
  template <class Starter>
  explicit Worker(Starter starter) {
    ready_ = started_.get_future();
    thread_ = std::thread([this, starter] {
      Started handles;
      try {
        started_.set_value(starter(handles));
      } catch (...) {
        started_.set_exception(std::current_exception());
        return;  // whatever it had started stops here
      }
      stop_.get_future().wait();
    });
  }
  ~Worker() {
    stop_.set_value();
    thread_.join();
  }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  /// Waits until the service is ready; rethrows why it could not start.
  auto get() { return ready_.get(); }

 private:
  std::promise<Start> started_;
  std::future<Start> ready_;
  std::promise<void> stop_;
  std::thread thread_;
};

// The attest-mock installed (or built) next to this attest-env, else the one in PATH.
std::string mock_executable() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto beside = self.parent_path() / "attest-mock";
    if (::access(beside.c_str(), X_OK) == 0) return beside.string();
  }
  return "attest-mock";
}

// A declared mock: attest-mock serving its files and MockServer's REST API.
attest::LocalServiceOptions mock_service(const ServiceSpec& s) {
  attest::LocalServiceOptions o;
  o.name = s.name;
  o.executable = mock_executable();
  for (const auto& f : s.files) o.args.push_back(f.string());
  o.args.push_back("--port");
  if (s.port) {
    // A fixed port cannot move: one attempt, and a taken port is the error.
    o.args.push_back(std::to_string(s.port));
    o.ports = {};
    o.attempts = 1;
  } else {
    o.args.push_back("{port}");
  }
  o.ready = attest::Readiness::log("^attest-mock: listening on ");
  o.ready_polling.timeout = s.start_timeout;
  return o;
}

bool wanted(const ServiceSpec& s, const UpOptions& o) {
  if (o.all_markers || s.when.empty()) return true;
  return std::any_of(s.when.begin(), s.when.end(),
                     [&](const std::string& m) { return o.markers.count(m); });
}

Start start(const attest::EnvironmentSpec& spec, const ServiceSpec& s,
            const std::map<std::string, RunningService>& running, Started& h) {
  Start out;
  RunningService::Fields& r = out.fields;
  unsigned short& port = out.port;
  r.name = s.name;
  r.type = s.type;
  // PostgreSQL and Redis: a server attest starts, reached by its URL.
  auto server = [&](auto& held, auto started) {
    held = std::move(started);
    r.url = held->url();
    port = port_of(r.url);
    r.log = held->log_path();
    if (auto* p = held->process()) r.pid = p->pid();
  };
  if (s.type == "postgres") {
    server(h.postgres, s.image.empty() ? attest::PostgresServer::start_local()
                                       : attest::PostgresServer::start_container(s.image));
  } else if (s.type == "redis") {
    server(h.redis, s.image.empty() ? attest::RedisServer::start_local()
                                    : attest::RedisServer::start_container(s.image));
  } else if (s.type == "mock") {
    h.process = std::make_unique<attest::LocalService>(mock_service(s));
    port = s.port ? s.port : h.process->port();
    r.url = "http://127.0.0.1:" + std::to_string(port);
    r.log = h.process->log_path();
    r.pid = h.process->process().pid();
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
    r.listens = s.ready.kind == "tcp" || s.ready.kind == "http";
    r.ports = h.process->ports();
    port = r.ports.count("") ? r.ports.at("") : (r.ports.empty() ? 0 : r.ports.begin()->second);
    r.url = "http://127.0.0.1:" + std::to_string(port);
    r.log = h.process->log_path();
    r.pid = h.process->process().pid();
  }
  if (r.ports.empty() && port) r.ports[""] = port;
  return out;
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

  std::vector<std::unique_ptr<Worker>> started;  // in start order; stopped in reverse
  std::map<std::string, RunningService> running;
  std::map<std::string, std::string> variables{{"ATTEST_ENV", options.dir.string()}};
  std::set<std::string> skipped;
  std::vector<const ServiceSpec*> pending;
  for (const auto& s : spec.services) {
    bool needed_by_a_started_one = false;  // a dependency of a wanted service starts too
    for (const auto& other : spec.services)
      if (wanted(other, options) && std::find(other.depends_on.begin(), other.depends_on.end(),
                                              s.name) != other.depends_on.end())
        needed_by_a_started_one = true;
    if (!wanted(s, options) && !needed_by_a_started_one)
      skipped.insert(s.name);
    else
      pending.push_back(&s);
  }
  try {
    // In waves: every service whose dependencies are up starts at once, in its own thread.
    while (!pending.empty()) {
      std::vector<const ServiceSpec*> wave, later;
      for (const auto* s : pending) {
        bool ready = std::all_of(s->depends_on.begin(), s->depends_on.end(), [&](const auto& d) {
          return running.count(d) || skipped.count(d);
        });
        (ready ? wave : later).push_back(s);
      }
      std::vector<std::unique_ptr<Worker>> starting;
      for (const auto* s : wave) {
        std::cout << "attest-env: starting " << s->name << " (" << s->type << ")" << std::endl;
        // Each gets the services up before this wave: `running` grows while they start.
        starting.push_back(std::make_unique<Worker>(
            [&spec, s, up = running](Started& handles) { return start(spec, *s, up, handles); }));
      }
      std::exception_ptr failure;
      for (std::size_t i = 0; i < wave.size(); ++i) {
        try {
          Start one = starting[i]->get();
          const auto& r = one.fields;
          if (r.type == "postgres") variables.emplace("ATTEST_POSTGRES_URL", r.url);  // the first
          if (r.type == "redis") variables.emplace("ATTEST_REDIS_URL", r.url);
          std::string prefix = "ATTEST_SERVICE_" + upper(r.name) + "_";
          variables[prefix + "URL"] = r.url;
          variables[prefix + "HOST"] = r.host;
          variables[prefix + "PORT"] = std::to_string(one.port);
          running.emplace(r.name, RunningService(r));
          started.push_back(std::move(starting[i]));
        } catch (...) {
          if (!failure) failure = std::current_exception();  // the others still get joined
        }
      }
      if (failure) std::rethrow_exception(failure);
      pending = std::move(later);
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
