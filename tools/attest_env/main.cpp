// attest-env: one test environment for a whole run — the services attest.json declares,
// started once and shared by every test process.
//   attest-env up [--env-file F]...   start (or attach to) the environment, print its URLs
//   attest-env status | logs [NAME] | down
//   attest-env exec -- CMD...         up, run CMD with the environment's variables, down
//   ... -f docker-compose.test.yml [--profile P]...   a Compose file's services instead
// Exit codes: 0 done, 1 a service failed to start (or status: not running), 2 usage or
// input error; exec exits with CMD's code.
#include <attest/compose_file.hpp>
#if ATTEST_WITH_CONTAINER
#include <attest/container_engine.hpp>
#endif
#include <attest/config.hpp>
#include <attest/detail/json_input.hpp>
#include <attest/environment.hpp>
#include <attest/polling.hpp>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "supervisor.hpp"

namespace fs = std::filesystem;
using attest_env::UpOptions;

namespace {

// The runner's policy: --config, else $ATTEST_CONFIG, else the nearest attest.json above.
fs::path find_config(const std::string& flag) {
  auto config = attest::load_config(flag.empty() ? std::nullopt : std::optional<fs::path>(flag));
  if (config.source.empty())
    throw attest::InputError("attest-env: no attest.json here or above (or --config FILE)");
  return config.source;
}

// The environment's lock, held by its supervisor for as long as it runs.
struct Lock {
  int fd = -1;
  bool held_by_us = false;
  explicit Lock(const fs::path& dir) {
    fd = ::open((dir / "lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot open " + (dir / "lock").string());
    held_by_us = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
  }
  ~Lock() {
    if (fd >= 0) ::close(fd);
  }
  bool running() const { return !held_by_us; }
};

bool is_running(const fs::path& dir) {
  if (!fs::exists(dir / "lock")) return false;
  return Lock(dir).running();
}

// dotenv, or JSON for a .json name; 0600 from the start: the URLs hold passwords.
void write_env_files(const attest::Environment& env, const std::vector<std::string>& files) {
  for (const auto& f : files) {
    std::string text;
    if (f.size() > 5 && f.compare(f.size() - 5, 5, ".json") == 0) {
      boost::json::object vars;
      for (const auto& [k, v] : env.variables()) vars[k] = v;
      text = boost::json::serialize(vars) + "\n";
    } else {
      for (const auto& [k, v] : env.variables()) text += k + '=' + v + '\n';
    }
    if (!attest::detail::write_file_atomically(f, text, 0600))
      throw std::runtime_error("cannot write " + f);
  }
}

// Its process is alive (a zombie is not) or its container runs (a one-shot job: exited 0), and,
// if it listens, something answers on its port.
bool answers(const attest::RunningService& s) {
#if ATTEST_WITH_CONTAINER
  if (!s.container().empty()) {
    try {
      auto info =
          boost::json::parse(attest::ContainerEngine::shared()
                                 .call("GET", "/containers/" + s.container() + "/json", {}, 404)
                                 .body);
      const auto* state = info.is_object() ? info.as_object().if_contains("State") : nullptr;
      if (!state || !state->is_object()) return false;  // gone
      const auto& st = state->as_object();
      if (!st.at("Running").as_bool())
        return !s.listens() && st.at("ExitCode").to_number<int>() == 0;
      // The engine's port proxy accepts whatever runs inside: the state is the answer.
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }
#endif
  if (s.pid() > 0) {
    std::ifstream stat("/proc/" + std::to_string(s.pid()) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    auto close = line.rfind(')');
    if (close != std::string::npos && line.size() > close + 2 && line[close + 2] == 'Z')
      return false;
  }
  if (!s.listens()) return true;
  try {
    attest::wait_for_tcp(s.host(), s.port(), {.timeout = std::chrono::milliseconds(0)});
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// Returns how many services no longer answer on their port (a service that died).
int print(const attest::Environment& env, bool show_secrets) {
  int dead = 0;
  for (const auto& [name, s] : env.services()) {
    // Passwords stay out of terminals and CI logs: the env files and env.json hold them.
    std::string shown = show_secrets ? s.url() : s.display_url();
    if (shown.empty()) {  // a container: its published ports
      for (const auto& [port, host_port] : s.ports())
        if (!port.empty())
          shown +=
              (shown.empty() ? s.host() + " " : ", ") + port + " -> " + std::to_string(host_port);
      if (shown.empty()) shown = "(no ports)";
    }
    bool up = answers(s);
    dead += !up;
    std::cout << "  " << name << " (" << s.type() << "): " << shown
              << (up ? ""
                     : "  DOWN: not running or nothing answers on its port; see attest-env logs " +
                           name)
              << '\n';
  }
  std::cout << "  ATTEST_ENV=" << env.directory().string() << '\n';
  return dead;
}

// Starts the supervisor (unless one runs) and waits until it reports. Returns whether
// this call started it.
bool up(const attest::EnvironmentSpec& spec, const UpOptions& options, bool quiet) {
  fs::create_directories(options.dir);
  fs::permissions(options.dir, fs::perms::owner_all, fs::perm_options::replace);
  auto lock = std::make_unique<Lock>(options.dir);
  if (lock->running()) {
    // Another up may still be starting it (two racing): wait for its env.json, or its end.
    lock.reset();
    while (!fs::exists(options.dir / "env.json")) {
      if (!is_running(options.dir))
        throw std::runtime_error("the environment in " + options.dir.string() +
                                 " stopped while starting; see " +
                                 (options.dir / "supervisor.log").string());
      std::this_thread::sleep_for(std::chrono::milliseconds(
          10));  // attest: allow-sleep (another process's file: nothing to poll on)
    }
    if (!quiet)
      std::cout << "attest-env: attached to the running environment in " << options.dir.string()
                << '\n';
    return false;
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::cout.flush();
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(fds[0]);
    ::setsid();  // its own session: a terminal's ^C to the caller does not stop it
    int log = ::open((options.dir / "supervisor.log").c_str(),
                     O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
    int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    ::dup2(log, 1);
    ::dup2(log, 2);
    std::ofstream(options.dir / "supervisor.pid") << ::getpid() << '\n';
    // The lock stays with this process (the parent closes its copy below).
    std::_Exit(attest_env::supervise(spec, options, fds[1]));
  }
  ::close(fds[1]);
  lock.reset();  // the supervisor holds the lock now
  std::string reply;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    reply.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (reply.rfind("ok", 0) != 0) {
    int status;
    ::waitpid(pid, &status, 0);
    throw std::runtime_error("the environment did not start: " +
                             (reply.empty() ? std::string("the supervisor died; see ") +
                                                  (options.dir / "supervisor.log").string()
                                            : reply.substr(reply.find(':') + 2)));
  }
  if (!quiet) {
    std::cout << "attest-env: up in " << options.dir.string();
    if (reply.size() > 3 && reply[2] == ';')
      std::cout << " (" << reply.substr(4, reply.size() - 5) << ")";
    std::cout << '\n';
  }
  return true;
}

int down(const fs::path& dir, bool quiet) {
  if (!is_running(dir)) {
    if (!quiet) std::cout << "attest-env: no environment running in " << dir.string() << '\n';
    return 0;
  }
  pid_t pid = 0;
  std::ifstream(dir / "supervisor.pid") >> pid;
  if (pid > 1) ::kill(pid, SIGTERM);
  // Until its lock is free: every service stopped (60 s at most, then SIGKILL: the
  // supervisor's watchdog stops the services then).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (is_running(dir)) {
    if (std::chrono::steady_clock::now() > deadline && pid > 1) ::kill(pid, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(
        10));  // attest: allow-sleep (waiting for another process's lock: no descriptor to poll)
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (!quiet) std::cout << "attest-env: down\n";
  return 0;
}

int run_command(const std::vector<std::string>& cmd, const attest::Environment& env) {
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    for (const auto& [k, v] : env.variables()) ::setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    for (const auto& a : cmd) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    std::cerr << "attest-env: cannot run " << cmd.front() << ": " << std::strerror(errno) << '\n';
    std::_Exit(127);
  }
  // The command gets the terminal's signals; we wait for it, then stop the environment.
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGTERM, SIG_IGN);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "attest-env: the services attest.json declares, started once for every test process"};
  app.require_subcommand(1);
  std::string config_flag, dir_flag, markers;
  std::vector<std::string> env_files, exec_cmd;
  std::string logs_name;
  bool show_secrets = false;
  app.add_option("--config", config_flag,
                 "attest.json (default: $ATTEST_CONFIG, else searched upward)");
  app.add_option("--dir", dir_flag,
                 "the environment's directory (default: $ATTEST_ENV, else ./.attest-env)");
  std::string compose_flag;
  std::vector<std::string> profiles;
  app.add_option(
      "-f,--file", compose_flag,
      "a Compose file (docker-compose.test.yml): its services, instead of attest.json's");
  app.add_option("--profile", profiles, "a Compose profile to activate (repeatable)")
      ->allow_extra_args(false);  // one profile an occurrence: "--profile p -- CMD" stays CMD
  app.fallthrough();  // -f and --profile after the subcommand too, as docker compose takes them
  auto* up_cmd = app.add_subcommand(
      "up", "start the environment (or attach to the running one), print its URLs");
  up_cmd->add_option("--env-file", env_files,
                     "write the variables: dotenv, or JSON for a .json name");
  up_cmd->add_option("--markers", markers,
                     "comma-separated markers: services \"when\" others stay down");
  auto* down_cmd = app.add_subcommand("down", "stop every service and remove the environment");
  auto* status_cmd = app.add_subcommand(
      "status", "the running services and their URLs (exit 1: not running, or a service is down)");
  status_cmd->add_flag("--show-secrets", show_secrets,
                       "show passwords in URLs (masked by default)");
  auto* logs_cmd = app.add_subcommand("logs", "print the services' logs");
  logs_cmd->add_option("name", logs_name, "one service");
  auto* exec_sub = app.add_subcommand(
      "exec", "up, run CMD with the environment's variables, down; exit with CMD's code");
  exec_sub->add_option("--env-file", env_files, "also write the variables to a file");
  exec_sub->add_option("--markers", markers, "as for up");
  exec_sub->add_option("cmd", exec_cmd, "the command, after --")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  UpOptions options;
  const char* env_dir = std::getenv("ATTEST_ENV");
  options.dir = fs::absolute(!dir_flag.empty()     ? fs::path(dir_flag)
                             : env_dir && *env_dir ? fs::path(env_dir)
                                                   : fs::path(".attest-env"));
  if (!markers.empty()) {
    options.all_markers = false;
    std::istringstream list(markers);
    for (std::string m; std::getline(list, m, ',');)
      if (!m.empty()) options.markers.insert(m);
  }
  try {
    if (down_cmd->parsed()) return down(options.dir, false);
    if (status_cmd->parsed() || logs_cmd->parsed()) {
      if (!is_running(options.dir)) {
        std::cout << "attest-env: no environment running in " << options.dir.string() << '\n';
        return 1;
      }
      auto env = attest::Environment::load(options.dir);
      if (status_cmd->parsed()) {
        std::cout << "attest-env: running in " << options.dir.string() << '\n';
        return print(env, show_secrets) == 0 ? 0 : 1;
      }
      for (const auto& [name, s] : env.services()) {
        if (!logs_name.empty() && name != logs_name) continue;
        std::cout << "--- " << name << " (" << s.log().string() << ") ---\n";
        std::ifstream in(s.log());
        std::cout << in.rdbuf() << '\n';
      }
      if (!logs_name.empty()) (void)env.service(logs_name);  // an unknown name: say which exist
      return 0;
    }
    attest::EnvironmentSpec spec;
    // A running environment is attached to as it is: `attest-env exec -- CMD` after
    // `attest-env up -f FILE` needs neither the file again nor an attest.json.
    if (compose_flag.empty() && is_running(options.dir)) {
      // (up() attaches; the declarations are not read)
    } else if (!compose_flag.empty()) {
      spec = attest::read_compose_file(fs::absolute(compose_flag), profiles);
    } else {
      spec = attest::read_environment_spec(find_config(config_flag));
      if (!spec.compose.empty())  // "compose" in attest.json: the file's services too
        spec = attest::merge_environment_specs(
            spec,
            attest::read_compose_file(spec.compose, profiles.empty() ? spec.profiles : profiles));
    }
    if (spec.services.empty() && !is_running(options.dir)) {
      std::cerr << "attest-env: " << spec.config.string()
                << " declares no services (for these profiles)\n";
      return 2;
    }
    bool started = up(spec, options, exec_sub->parsed());
    auto env = attest::Environment::load(options.dir);
    write_env_files(env, env_files);
    if (up_cmd->parsed()) {
      print(env, false);
      return 0;
    }
    int code = run_command(exec_cmd, env);
    if (started) down(options.dir, true);
    return code;
  } catch (const attest::InputError& e) {
    std::cerr << e.what() << '\n';
    return 2;
  } catch (const std::out_of_range& e) {
    std::cerr << "attest-env: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "attest-env: " << e.what() << '\n';
    return 1;
  }
}
