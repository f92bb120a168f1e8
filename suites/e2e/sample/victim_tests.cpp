// A test binary that launches a service and then waits to be killed: the
// reaper e2e test (reaper_test.cpp) kills it with SIGKILL, SIGTERM or SIGINT
// and checks that nothing it started survives the next run.
#include <attest/attest.hpp>
#include <attest/postgres.hpp>
#include <attest/process.hpp>
#include <attest/run_dir.hpp>

#include <unistd.h>

#include <iostream>

BOOST_AUTO_TEST_CASE(launches_a_service_and_blocks, *attest::mark("integration")) {
  // sh is the service; its background child is a grandchild of this process,
  // which PR_SET_PDEATHSIG does not reach: only the process-group kill does.
  attest::Process service(
      "sh", {.args = {"-c", "tail -f /dev/null & echo grandchild=$!; wait"}, .name = "service"});
  auto line = attest::wait_for_log(service.log_path(), "grandchild=[0-9]+");
  std::cout << "service=" << service.pid() << ' ' << line
            << " rundir=" << attest::RunDir::current().path().string() << std::endl;
  ::pause();  // until a signal ends the runner
}

BOOST_AUTO_TEST_CASE(quick, *attest::mark("integration")) {
  attest::Process service("sh", {.args = {"-c", "exec tail -f /dev/null"}, .name = "service"});
  BOOST_TEST(service.running());
}

BOOST_AUTO_TEST_CASE(launches_postgres_and_blocks, *attest::mark("integration")) {
  auto& server = attest::PostgresServer::session();
  attest::PostgresDatabase db(server, "victim");
  db.connection();  // a backend process too
  std::cout << "postgres=" << server.process()->pid()
            << " rundir=" << attest::RunDir::current().path().string() << std::endl;
  ::pause();
}
