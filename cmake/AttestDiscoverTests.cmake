# Run by attest_discover_tests() (cmake -P after a build, or included by CTest): lists the
# binary's tests with --collect-only=json (and, in a GCC coverage build, keeps its notes parsed
# for --cov: --cov-prepare) and has attest-discover write CTest's script.
# Reads ATTEST_ARGS_FILE (what attest_discover_tests() recorded).
include("${ATTEST_ARGS_FILE}")
set(manifest "${ATTEST_CTEST_FILE}.manifest.json")
execute_process(
  # (--cov-prepare: a coverage build's notes are read now, not by the first --cov run)
  COMMAND "${ATTEST_EXECUTABLE}" ${ATTEST_EXTRA_ARGS} --collect-only=json --cov-prepare
  WORKING_DIRECTORY "${ATTEST_WORKING_DIRECTORY}"
  TIMEOUT ${ATTEST_TIMEOUT}
  OUTPUT_FILE "${manifest}"
  ERROR_VARIABLE errors
  RESULT_VARIABLE result)
# 5: nothing selected (EXTRA_ARGS filtered everything out) is still a valid, empty listing.
if(NOT result EQUAL 0 AND NOT result EQUAL 5)
  file(REMOVE "${ATTEST_CTEST_FILE}")
  message(FATAL_ERROR "attest_discover_tests: ${ATTEST_EXECUTABLE} --collect-only=json failed "
                      "(${result}):\n${errors}")
endif()
set(args --manifest "${manifest}" --executable "${ATTEST_EXECUTABLE}" --out "${ATTEST_CTEST_FILE}"
    --granularity "${ATTEST_GRANULARITY}" --working-directory "${ATTEST_WORKING_DIRECTORY}")
if(ATTEST_PREFIX)
  list(APPEND args --prefix "${ATTEST_PREFIX}")
endif()
if(ATTEST_SUFFIX)
  list(APPEND args --suffix "${ATTEST_SUFFIX}")
endif()
foreach(a IN LISTS ATTEST_EXTRA_ARGS)
  list(APPEND args "--extra-arg=${a}")
endforeach()
foreach(p IN LISTS ATTEST_PROPERTIES)
  string(REPLACE ";" "\\;" p "${p}")
  list(APPEND args "--property=${p}")
endforeach()
if(ATTEST_OUTPUT_DIR)
  file(MAKE_DIRECTORY "${ATTEST_OUTPUT_DIR}")
  list(APPEND args --output-dir "${ATTEST_OUTPUT_DIR}")
endif()
if(ATTEST_TEST_LIST)
  list(APPEND args --test-list "${ATTEST_TEST_LIST}")
endif()
execute_process(COMMAND "${ATTEST_DISCOVER}" ${args} RESULT_VARIABLE result ERROR_VARIABLE errors)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "attest_discover_tests: attest-discover failed (${result}):\n${errors}")
endif()
