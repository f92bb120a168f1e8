// The environment's supervisor: the process that starts the declared services, in
// dependency order, describes them in <dir>/env.json and keeps them until `down`
// (SIGTERM). It owns a run directory like any attest process, so its watchdog
// stops the services if the supervisor itself is killed.
#pragma once

#include <attest/environment.hpp>

#include <filesystem>
#include <set>
#include <string>

namespace attest_env {

struct UpOptions {
  std::filesystem::path dir;
  std::set<std::string> markers;  // --markers: services whose "when" names none of them stay down
  bool all_markers = true;        // no --markers: every service starts
};

/// Runs in the forked supervisor: starts the services, writes env.json, reports "ok" or
/// "error: ..." on `report_fd`, then waits for SIGTERM/SIGINT/SIGHUP and stops everything.
/// Returns the process's exit code.
int supervise(const attest::EnvironmentSpec& spec, const UpOptions& options, int report_fd);

}  // namespace attest_env
