# One CTest test per attest test case, discovered from the binary's --collect-only=json
# (never from its sources), as gtest_discover_tests and catch_discover_tests do:
#
#   attest_discover_tests(<target>
#     [EXTRA_ARGS <arg>...]               passed to every test (--config FILE overrides the
#                                         attest.json at or above the calling CMakeLists.txt)
#     [WORKING_DIRECTORY <dir>]
#     [TEST_PREFIX <prefix>] [TEST_SUFFIX <suffix>]
#     [PROPERTIES <name> <value>...]      set on every test (LABELS are added to, not replaced)
#     [TEST_LIST <var>]                   set to the tests' names when CTest reads them
#     [DISCOVERY_TIMEOUT <seconds>]       for --collect-only (default 60)
#     [DISCOVERY_MODE POST_BUILD|PRE_TEST]  list after each build (default), or when CTest runs
#     [OUTPUT_DIR <dir>]                  each test writes its results JSON and JUnit here
#     [GRANULARITY case|suite]            a process per case (default), or per suite
#     [ENVIRONMENT <name>])               every test requires attest_add_environment(<name>)
#
# Each test gets LABELS = its markers and requirement IDs (ctest -L integration, ctest -L FR-012),
# DISABLED for disabled cases, and is reported skipped (not passed) when attest skipped it.
if(NOT ATTEST_DISCOVER_SCRIPT)  # the installed package keeps the script beside this file
  set(ATTEST_DISCOVER_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/AttestDiscoverTests.cmake")
endif()

# The nearest attest.json at or above `dir`, or "" (the runner's own search, from the source side).
function(_attest_project_config out dir)
  get_filename_component(dir "${dir}" ABSOLUTE)
  while(TRUE)
    if(EXISTS "${dir}/attest.json")
      set(${out} "${dir}/attest.json" PARENT_SCOPE)
      return()
    endif()
    get_filename_component(parent "${dir}" DIRECTORY)
    if(parent STREQUAL dir)
      set(${out} "" PARENT_SCOPE)
      return()
    endif()
    set(dir "${parent}")
  endwhile()
endfunction()

function(attest_discover_tests target)
  cmake_parse_arguments(PARSE_ARGV 1 arg ""
    "WORKING_DIRECTORY;TEST_PREFIX;TEST_SUFFIX;TEST_LIST;DISCOVERY_TIMEOUT;DISCOVERY_MODE;OUTPUT_DIR;GRANULARITY;ENVIRONMENT"
    "EXTRA_ARGS;PROPERTIES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "attest_discover_tests: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "attest_discover_tests: '${target}' is not a target")
  endif()
  if(NOT TARGET attest::attest-discover)
    message(FATAL_ERROR "attest_discover_tests: the attest::attest-discover program is not known "
                        "(find_package(attest) or add_subdirectory(attest) first)")
  endif()
  if(NOT arg_DISCOVERY_MODE)
    set(arg_DISCOVERY_MODE POST_BUILD)
  endif()
  if(NOT arg_DISCOVERY_MODE MATCHES "^(POST_BUILD|PRE_TEST)$")
    message(FATAL_ERROR "attest_discover_tests: DISCOVERY_MODE is POST_BUILD or PRE_TEST, "
                        "not '${arg_DISCOVERY_MODE}'")
  endif()
  if(NOT arg_GRANULARITY)
    set(arg_GRANULARITY case)
  endif()
  if(NOT arg_GRANULARITY MATCHES "^(case|suite)$")
    message(FATAL_ERROR "attest_discover_tests: GRANULARITY is case or suite, not '${arg_GRANULARITY}'")
  endif()
  if(NOT arg_DISCOVERY_TIMEOUT)
    set(arg_DISCOVERY_TIMEOUT 60)
  endif()
  if(NOT arg_WORKING_DIRECTORY)
    set(arg_WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  # The project's configuration is the attest.json at or above the calling CMakeLists.txt, wherever
  # the build directory is (the binary's own upward search starts in the build tree, which a sibling
  # build directory, `cmake -S app -B build-app`, is not under). EXTRA_ARGS' own --config wins.
  if(NOT "${arg_EXTRA_ARGS}" MATCHES "(^|;)--config($|;|=)")
    _attest_project_config(project_config "${CMAKE_CURRENT_SOURCE_DIR}")
    if(project_config)
      list(PREPEND arg_EXTRA_ARGS --config "${project_config}")
    endif()
  endif()
  if(arg_ENVIRONMENT)
    get_property(env_dir GLOBAL PROPERTY attest_environment_${arg_ENVIRONMENT})
    if(NOT env_dir)
      message(FATAL_ERROR "attest_discover_tests: no environment '${arg_ENVIRONMENT}' "
                          "(attest_add_environment first)")
    endif()
    list(APPEND arg_PROPERTIES FIXTURES_REQUIRED ${arg_ENVIRONMENT} ENVIRONMENT "ATTEST_ENV=${env_dir}")
  endif()

  # Several calls for one target get files of their own.
  get_property(count TARGET ${target} PROPERTY attest_discovery_count)
  if(NOT count)
    set(count 0)
  endif()
  math(EXPR count "${count} + 1")
  set_property(TARGET ${target} PROPERTY attest_discovery_count ${count})
  set(base "${CMAKE_CURRENT_BINARY_DIR}/${target}[${count}]")
  set(ctest_file "${base}_tests.cmake")
  set(include_file "${base}_include.cmake")

  # NAME=VALUE pairs for the generator (a value may be a list).
  set(properties)
  list(LENGTH arg_PROPERTIES n)
  if(n GREATER 0)
    math(EXPR last "${n} - 1")
    foreach(i RANGE 0 ${last} 2)
      math(EXPR j "${i} + 1")
      list(GET arg_PROPERTIES ${i} name)
      list(GET arg_PROPERTIES ${j} value)
      string(REPLACE ";" "\\;" value "${value}")
      list(APPEND properties "${name}=${value}")
    endforeach()
  endif()

  # What the discovery script needs, written where it reads it (generator expressions resolved).
  set(args_file "${base}_discovery.cmake")
  set(content
"set(ATTEST_EXECUTABLE [==[$<TARGET_FILE:${target}>]==])
set(ATTEST_DISCOVER [==[$<TARGET_FILE:attest::attest-discover>]==])
set(ATTEST_EXTRA_ARGS [==[${arg_EXTRA_ARGS}]==])
set(ATTEST_WORKING_DIRECTORY [==[${arg_WORKING_DIRECTORY}]==])
set(ATTEST_PREFIX [==[${arg_TEST_PREFIX}]==])
set(ATTEST_SUFFIX [==[${arg_TEST_SUFFIX}]==])
set(ATTEST_PROPERTIES [==[${properties}]==])
set(ATTEST_TEST_LIST [==[${arg_TEST_LIST}]==])
set(ATTEST_TIMEOUT [==[${arg_DISCOVERY_TIMEOUT}]==])
set(ATTEST_OUTPUT_DIR [==[${arg_OUTPUT_DIR}]==])
set(ATTEST_GRANULARITY [==[${arg_GRANULARITY}]==])
set(ATTEST_CTEST_FILE [==[${ctest_file}]==])
")
  file(GENERATE OUTPUT "${args_file}" CONTENT "${content}")

  # attest's source in this build (add_subdirectory, FetchContent): attest-discover is built
  # for this target, not for every build of the parent project.
  if(TARGET attest-discover)
    add_dependencies(${target} attest-discover)
  endif()
  if(arg_DISCOVERY_MODE STREQUAL "POST_BUILD")
    add_custom_command(TARGET ${target} POST_BUILD BYPRODUCTS "${ctest_file}"
      COMMAND "${CMAKE_COMMAND}" -D "ATTEST_ARGS_FILE=${args_file}" -P "${ATTEST_DISCOVER_SCRIPT}"
      VERBATIM)
    file(WRITE "${include_file}"
"if(EXISTS [==[${ctest_file}]==])
  include([==[${ctest_file}]==])
else()
  add_test([==[${target}_NOT_BUILT]==] [==[${target}_NOT_BUILT]==])
endif()
")
  else()
    # PRE_TEST: discovered when CTest reads the tests, again whenever the binary is newer.
    file(WRITE "${include_file}"
"include([==[${args_file}]==])
if(NOT EXISTS \"\${ATTEST_EXECUTABLE}\")
  add_test([==[${target}_NOT_BUILT]==] [==[${target}_NOT_BUILT]==])
else()
  if(NOT EXISTS [==[${ctest_file}]==] OR \"\${ATTEST_EXECUTABLE}\" IS_NEWER_THAN [==[${ctest_file}]==])
    set(ATTEST_ARGS_FILE [==[${args_file}]==])
    include([==[${ATTEST_DISCOVER_SCRIPT}]==])
  endif()
  include([==[${ctest_file}]==])
endif()
")
  endif()
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()
