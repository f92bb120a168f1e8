#include "supervisor.hpp"

#if ATTEST_WITH_CONTAINER
#include <attest/container.hpp>
#include <attest/image.hpp>
#endif
#include <attest/http_client.hpp>
#include <attest/local_service.hpp>
#include <attest/postgres.hpp>
#include <attest/redis.hpp>

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

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
    c = c == '-' || c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// How a container on the environment's network reaches a service: by its alias and its
// container ports (the host's 127.0.0.1 and published ports mean nothing inside a container).
struct Inside {
  std::string host;
  std::map<std::string, unsigned short> ports;  // "" is the first
  std::string url;
};
using InsideMap = std::map<std::string, Inside>;

unsigned short port_of(const std::string& url) {
  auto u = boost::urls::parse_uri(url);
  return u && u->has_port() ? u->port_number() : 0;
}

// ${svc.url}, ${svc.host}, ${svc.port}, ${svc.port:NAME}: the running services' values — as
// the host sees them, or (with `inside`) as a container on the environment's network does.
std::string resolve(const std::string& text, const std::map<std::string, RunningService>& running,
                    const InsideMap* inside = nullptr) {
  static const std::regex ref(R"(\$\{([A-Za-z0-9_.-]+?)\.(url|host|port)(?::([A-Za-z0-9_-]+))?\})");
  std::string out;
  auto begin = text.cbegin();
  for (std::sregex_iterator it(text.begin(), text.end(), ref), end; it != end; ++it) {
    const auto& m = *it;
    out.append(begin, m[0].first);
    const auto& s = running.at(m[1].str());
    std::string what = m[2].str();
    if (inside) {
      auto in = inside->find(s.name());
      if (in == inside->end())
        throw std::runtime_error(
            m.str() + ": " + s.name() +
            " runs on the host, which a container does not reach; give it an \"image\" so it "
            "joins the environment's network");
      std::string name = m[3].matched ? m[3].str() : std::string();
      auto port = in->second.ports.find(name);
      if (what != "host" && what != "url" && port == in->second.ports.end())
        throw std::out_of_range(m.str() + ": " + s.name() + " has no port \"" + name + "\"");
      out += what == "host"  ? in->second.host
             : what == "url" ? in->second.url
                             : std::to_string(port->second);
      begin = m[0].second;
      continue;
    }
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
#if ATTEST_WITH_CONTAINER
  std::vector<std::unique_ptr<attest::Volume>> volumes;  // its anonymous ones; after the container
  std::unique_ptr<attest::Container> container;
#endif
};

// How a started service is reached.
struct Start {
  RunningService::Fields fields;
  unsigned short port = 0;
  std::optional<Inside> inside;  // on the environment's network
  bool healthcheck = false;      // a container with a health check (its image's or declared)
  std::string socket;            // a PostgreSQL server's unix socket, when this machine reaches it
};

// What every service's start may use: the environment's network and named volumes.
struct Shared {
  std::string network;                         // "" without containers
  std::map<std::string, std::string> volumes;  // name in the file → the engine's name
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

#if ATTEST_WITH_CONTAINER
// How the environment's containers are polled until ready: fast at first (a health check passes
// within a second of the start), then every 100 ms (each attempt of a health check is an exec).
attest::PollingConfig container_polling(std::chrono::milliseconds timeout) {
  return {.timeout = timeout,
          .interval = std::chrono::milliseconds(5),
          .backoff = 1.5,
          .max_interval = std::chrono::milliseconds(100)};
}
// A test's service is stopped at once, not waited for long.
constexpr std::chrono::seconds kStopTimeout{3};

// Healthy when the container has a health check (its image's or declared), else `otherwise`;
// a one-shot job that already exited 0 is done (one that failed says so).
attest::Readiness healthy_if_checked(attest::Readiness otherwise) {
  auto healthy = attest::container_ready::healthy();
  return {"its health check to pass, or without one: " + otherwise.description,
          [healthy, otherwise](attest::ReadinessTarget& t, std::string& seen) {
            auto& c = dynamic_cast<attest::Container&>(t);
            // One inspect: whether it exited, and whether it has a health check.
            auto info =
                boost::json::parse(c.engine().call("GET", "/containers/" + c.id() + "/json").body);
            const auto& state = info.at("State").as_object();
            if (state.at("Status").as_string() == "exited") {
              auto code = state.at("ExitCode").to_number<int>();
              if (code == 0) return true;
              throw attest::ContainerExitedError(c.name() + " exited with code " +
                                                 std::to_string(code) +
                                                 "; last lines of its log:\n" + c.log_tail(30));
            }
            return (state.contains("Health") ? healthy : otherwise).check(t, seen);
          }};
}

attest::Readiness container_readiness(const ServiceSpec& s, bool completes) {
  if (completes) return attest::container_ready::exited(0);  // a dependent waits for its end
  const auto& r = s.ready;
  if (r.kind == "healthcheck") return attest::container_ready::healthy();
  if (r.kind == "exited") return attest::container_ready::exited(r.exit_code);
  if (r.kind.empty())
    return healthy_if_checked(s.container_ports.empty() ? attest::Readiness::started()
                                                        : attest::Readiness::tcp());
  return readiness(r);
}

attest::ImageBuild image_build(const attest::BuildSpec& b) {
  return {.context = b.context, .dockerfile = b.dockerfile, .args = b.args, .target = b.target};
}

// A server's URL as a container on the network uses it: its alias and container port.
std::string inside_url(const std::string& url, const std::string& alias, unsigned short port) {
  auto u = boost::urls::parse_uri(url);
  if (!u) return {};
  boost::urls::url v(*u);
  v.set_host(alias);
  v.set_port_number(port);
  return std::string(v.buffer());
}
// A container that follows the official postgres or redis image's conventions has a URL tests use
// as they use a server's (PostgresServer::session() through ATTEST_POSTGRES_URL): PostgreSQL when
// it publishes 5432 and has POSTGRES_PASSWORD, Redis when it publishes 6379 from a redis image.
std::string conventional_url(const ServiceSpec& s, const std::map<std::string, std::string>& env,
                             attest::Container& c) {
  auto has = [&](unsigned short p) {
    return std::find(s.container_ports.begin(), s.container_ports.end(), p) !=
           s.container_ports.end();
  };
  boost::urls::url u;
  u.set_host("127.0.0.1");
  if (has(5432) && env.count("POSTGRES_PASSWORD")) {
    auto get = [&](const char* k, const std::string& otherwise) {
      auto it = env.find(k);
      return it == env.end() || it->second.empty() ? otherwise : it->second;
    };
    std::string user = get("POSTGRES_USER", "postgres");
    u.set_scheme("postgresql");
    u.set_user(user);
    u.set_password(env.at("POSTGRES_PASSWORD"));
    u.set_port_number(c.port(5432));
    u.set_path("/" + get("POSTGRES_DB", user));
    return std::string(u.buffer());
  }
  auto image = s.image.substr(s.image.rfind('/') == std::string::npos ? 0 : s.image.rfind('/') + 1);
  if (has(6379) && image.rfind("redis", 0) == 0) {
    u.set_scheme("redis");
    u.set_port_number(c.port(6379));
    u.set_path("/0");
    return std::string(u.buffer());
  }
  return {};
}

// A "container" service (attest.json, or a Compose file's): its ContainerSpec, started.
void start_container(const attest::EnvironmentSpec& spec, const ServiceSpec& s,
                     const std::map<std::string, RunningService>& running, const InsideMap& inside,
                     const Shared& shared, Started& h, Start& out) {
  attest::ContainerSpec c;
  c.name = s.name;
  c.image = s.image;
  if (s.build) c.build = image_build(*s.build);
  for (const auto& a : s.command) c.command.push_back(resolve(a, running, &inside));
  if (s.entrypoint) {
    c.entrypoint.emplace();
    for (const auto& a : *s.entrypoint) c.entrypoint->push_back(resolve(a, running, &inside));
  }
  for (const auto& [k, v] : s.env) c.env[k] = resolve(v, running, &inside);
  c.user = s.user;
  c.workdir = s.workdir;
  c.ports = s.container_ports;
  for (const auto& v : s.volumes) {
    if (v.kind == "tmpfs") {
      c.tmpfs[v.target] = v.options;
    } else if (v.kind == "bind") {
      c.mounts.push_back({.host = v.source, .container = v.target, .read_only = v.read_only});
    } else if (v.source.empty()) {  // anonymous: its own, removed with the environment
      h.volumes.push_back(std::make_unique<attest::Volume>());
      c.volumes.push_back({h.volumes.back()->name(), v.target, v.read_only});
    } else {
      c.volumes.push_back({shared.volumes.at(v.source), v.target, v.read_only});
    }
  }
  c.network = shared.network;
  c.aliases = {s.name};
  if (s.healthcheck)
    c.healthcheck = attest::HealthCheck{.test = s.healthcheck->test,
                                        .interval = s.healthcheck->interval,
                                        .timeout = s.healthcheck->timeout,
                                        .retries = s.healthcheck->retries,
                                        .start_period = s.healthcheck->start_period};
  bool completes = false;
  for (const auto& other : spec.services) {
    auto it = other.conditions.find(s.name);
    completes |= it != other.conditions.end() && it->second == "completed";
  }
  c.ready = container_readiness(s, completes);
  c.ready_polling = container_polling(s.start_timeout);
  c.stop_timeout = kStopTimeout;
  if (auto pw = c.env.find("POSTGRES_PASSWORD"); pw != c.env.end() && !pw->second.empty())
    c.secrets.push_back(pw->second);  // masked in every log excerpt and message
  auto env = c.env;
  h.container = std::make_unique<attest::Container>(std::move(c));
  auto& r = out.fields;
  r.log = h.container->log_path();
  for (auto p : s.container_ports) r.ports[std::to_string(p)] = h.container->port(p);
  if (!s.container_ports.empty()) {
    out.port = h.container->port(s.container_ports.front());
    r.ports[""] = out.port;
  }
  r.listens = !s.container_ports.empty() && !completes && s.ready.kind != "exited";
  out.healthcheck = !h.container->health().empty();
  r.url = conventional_url(s, env, *h.container);
  r.container = h.container->id();
  Inside in{.host = s.name,
            .ports = {},
            .url = r.url.empty() ? "" : inside_url(r.url, s.name, r.url[0] == 'p' ? 5432 : 6379)};
  for (auto p : s.container_ports) in.ports[std::to_string(p)] = p;
  if (!s.container_ports.empty()) in.ports[""] = s.container_ports.front();
  out.inside = in;
}

#endif

#if ATTEST_WITH_CONTAINER
// A mock from an image of MockServer's conventions (mockserver/mockserver, or any image speaking
// its REST API on port 1080): its files loaded through that API, as attest-mock loads them.
void start_mock_container(const ServiceSpec& s, const std::string& image, const Shared& shared,
                          Started& h, Start& out) {
  constexpr unsigned short kMockServerPort = 1080;
  h.container = std::make_unique<attest::Container>(attest::ContainerSpec{
      .name = s.name,
      .image = image,
      .ports = {kMockServerPort},
      .network = shared.network,
      .aliases = {s.name},
      .ready = attest::Readiness::tcp(),
      .ready_polling = container_polling(s.start_timeout),
      .stop_timeout = kStopTimeout,
  });
  auto& r = out.fields;
  out.port = h.container->port(kMockServerPort);
  r.url = "http://127.0.0.1:" + std::to_string(out.port);
  r.log = h.container->log_path();
  r.container = h.container->id();
  r.ports[std::to_string(kMockServerPort)] = out.port;
  attest::HttpClient api(r.url);
  for (const auto& f : s.files) {
    std::ifstream in(f);
    if (!in) throw std::runtime_error(s.name + ": cannot read " + f.string());
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto answer =
        api.request("PUT", "/mockserver/expectation", body, {{"Content-Type", "application/json"}});
    if (answer.status != 201)
      throw std::runtime_error(s.name + ": " + f.string() + " was not accepted (HTTP " +
                               std::to_string(answer.status) + "): " + answer.body);
  }
  out.inside =
      Inside{.host = s.name,
             .ports = {{"", kMockServerPort}, {std::to_string(kMockServerPort), kMockServerPort}},
             .url = "http://" + s.name + ":" + std::to_string(kMockServerPort)};
}
#endif

Start start(const attest::EnvironmentSpec& spec, const ServiceSpec& s,
            const std::map<std::string, RunningService>& running, const InsideMap& inside,
            const Shared& shared, Started& h) {
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
#if ATTEST_WITH_CONTAINER
    if (auto* c = held->container()) r.container = c->id();
#endif
  };
  bool in_container = !s.image.empty() || s.build || s.type == "container";
#if ATTEST_WITH_CONTAINER
  // The image to run: as declared, or built from its Dockerfile.
  std::string image = s.build ? attest::build_image(image_build(*s.build)).tag : s.image;
#else
  if (in_container)
    throw std::runtime_error(s.name +
                             ": containers need an attest built with attest::container "
                             "(libarchive-dev)");
  const std::string& image = s.image;
#endif
  if (s.type == "postgres") {
    server(h.postgres,
           !in_container ? attest::PostgresServer::start_local()
                         : attest::PostgresServer::start_container(image, shared.network, s.name));
    out.socket = h.postgres->socket_path();
  } else if (s.type == "redis") {
    server(h.redis, !in_container
                        ? attest::RedisServer::start_local()
                        : attest::RedisServer::start_container(image, shared.network, s.name));
#if ATTEST_WITH_CONTAINER
  } else if (s.type == "container") {
    start_container(spec, s, running, inside, shared, h, out);
#endif
#if ATTEST_WITH_CONTAINER
  } else if (s.type == "mock" && in_container) {
    start_mock_container(s, image, shared, h, out);
#endif
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
#if ATTEST_WITH_CONTAINER
  if (in_container && (s.type == "postgres" || s.type == "redis")) {  // the image's own port
    unsigned short own = s.type == "postgres" ? 5432 : 6379;
    out.inside = Inside{.host = s.name,
                        .ports = {{"", own}, {std::to_string(own), own}},
                        .url = inside_url(r.url, s.name, own)};
    r.ports[std::to_string(own)] = port;
  }
#endif
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

#if ATTEST_WITH_CONTAINER
  // One network for the environment's containers (they reach each other by service name) and
  // its named volumes: made before the first service, removed after the last.
  std::unique_ptr<attest::Network> network;
  std::vector<std::unique_ptr<attest::Volume>> volumes;
#endif
  Shared shared;
  std::vector<std::unique_ptr<Worker>> started;  // in start order; stopped in reverse
  std::map<std::string, RunningService> running;
  InsideMap inside;
  std::map<std::string, bool> healthchecked;
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
#if ATTEST_WITH_CONTAINER
    bool containers = std::any_of(pending.begin(), pending.end(), [](const ServiceSpec* s) {
      return !s->image.empty() || s->build || s->type == "container";
    });
    if (containers) {
      network = std::make_unique<attest::Network>();
      shared.network = network->name();
      for (const auto& v : spec.volumes) {
        volumes.push_back(std::make_unique<attest::Volume>());
        shared.volumes[v] = volumes.back()->name();
      }
    }
#endif
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
        for (const auto& [d, condition] : s->conditions)
          if (condition == "healthy" && running.count(d) && !healthchecked[d])
            throw std::runtime_error(s->name + " depends on " + d + " being healthy, but " + d +
                                     " has no health check (declare one, or its image's)");
        std::cout << "attest-env: starting " << s->name << " (" << s->type << ")" << std::endl;
        // Each gets the services up before this wave: `running` grows while they start.
        starting.push_back(std::make_unique<Worker>(
            [&spec, s, up = running, in = inside, &shared](Started& handles) {
              return start(spec, *s, up, in, shared, handles);
            }));
      }
      std::exception_ptr failure;
      for (std::size_t i = 0; i < wave.size(); ++i) {
        try {
          Start one = starting[i]->get();
          const auto& r = one.fields;
          // The first PostgreSQL and Redis (a server, or a container of the official images'
          // conventions) are the session servers of every test process.
          if (r.type == "postgres" || r.url.rfind("postgresql://", 0) == 0) {
            // The socket with its URL: test processes on this machine open connections
            // through it (PostgresServer::connect_external), skipping TCP and the password
            // exchange — and an engine's port proxy for a container.
            if (variables.emplace("ATTEST_POSTGRES_URL", r.url).second && !one.socket.empty())
              variables.emplace("ATTEST_POSTGRES_SOCKET", one.socket);
          }
          if (r.type == "redis" || r.url.rfind("redis://", 0) == 0)
            variables.emplace("ATTEST_REDIS_URL", r.url);
          std::string prefix = "ATTEST_SERVICE_" + upper(r.name) + "_";
          if (!r.url.empty()) variables[prefix + "URL"] = r.url;  // where the type knows a scheme
          variables[prefix + "HOST"] = r.host;
          if (one.port) variables[prefix + "PORT"] = std::to_string(one.port);
          for (const auto& [name, port] : r.ports)
            if (!name.empty() && std::all_of(name.begin(), name.end(), ::isdigit))
              variables[prefix + "PORT_" + name] = std::to_string(port);
          running.emplace(r.name, RunningService(r));
          if (one.inside) inside.emplace(r.name, *one.inside);
          healthchecked[r.name] =
              one.healthcheck || r.type != "container";  // a server's readiness is a login
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
