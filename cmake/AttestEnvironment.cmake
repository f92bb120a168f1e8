# One test environment per CTest run (attest-env; the services attest.json declares):
#
#   attest_add_environment(NAME <name> [CONFIG <attest.json>] [DIR <dir>] [MARKERS <marker>...])
#     registers <name>_up (FIXTURES_SETUP) and <name>_down (FIXTURES_CLEANUP): `ctest -j`
#     brings the environment up once before the first test that needs it and down after
#     the last; `ctest -R one_test` still brings it up and down around that one test.
#     DIR defaults to <current binary dir>/attest-env/<name>; MARKERS start only the
#     services whose "when" names one of them (and what they depend on).
#   attest_use_environment(NAME <name> TESTS <test>...)
#     makes the tests require it, with ATTEST_ENV pointing at it: PostgresServer::session()
#     and RedisServer::session() are then the environment's servers, and
#     attest::env().service("api") finds a declared process.
function(attest_add_environment)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME;CONFIG;DIR" "MARKERS")
  if(NOT arg_NAME)
    message(FATAL_ERROR "attest_add_environment: NAME is required")
  endif()
  if(NOT TARGET attest::attest-env)
    message(FATAL_ERROR "attest_add_environment: the attest::attest-env program is not known "
                        "(find_package(attest) or add_subdirectory(attest) first)")
  endif()
  if(NOT arg_DIR)
    set(arg_DIR "${CMAKE_CURRENT_BINARY_DIR}/attest-env/${arg_NAME}")
  endif()
  set(config)
  if(arg_CONFIG)
    set(config --config "${arg_CONFIG}")
  endif()
  set(markers)
  if(arg_MARKERS)
    string(REPLACE ";" "," list "${arg_MARKERS}")
    set(markers --markers "${list}")
  endif()
  # attest's source in this build: attest-env (outside `all` in a subproject) is built with it.
  if(TARGET attest-env AND NOT TARGET ${arg_NAME}_attest_env)
    add_custom_target(${arg_NAME}_attest_env ALL)
    add_dependencies(${arg_NAME}_attest_env attest-env)
  endif()
  add_test(NAME ${arg_NAME}_up
           COMMAND $<TARGET_FILE:attest::attest-env> ${config} --dir "${arg_DIR}" up ${markers}
           WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}")
  add_test(NAME ${arg_NAME}_down COMMAND $<TARGET_FILE:attest::attest-env> --dir "${arg_DIR}" down)
  set_tests_properties(${arg_NAME}_up PROPERTIES FIXTURES_SETUP ${arg_NAME} LABELS attest-env)
  set_tests_properties(${arg_NAME}_down PROPERTIES FIXTURES_CLEANUP ${arg_NAME} LABELS attest-env)
  set_property(GLOBAL PROPERTY attest_environment_${arg_NAME} "${arg_DIR}")
endfunction()

function(attest_use_environment)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME" "TESTS")
  get_property(dir GLOBAL PROPERTY attest_environment_${arg_NAME})
  if(NOT dir)
    message(FATAL_ERROR "attest_use_environment: no environment '${arg_NAME}' (attest_add_environment first)")
  endif()
  foreach(test IN LISTS arg_TESTS)
    set_property(TEST ${test} APPEND PROPERTY FIXTURES_REQUIRED ${arg_NAME})
    set_property(TEST ${test} APPEND PROPERTY ENVIRONMENT "ATTEST_ENV=${dir}")
  endforeach()
endfunction()
