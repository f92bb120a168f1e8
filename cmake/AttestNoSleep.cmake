# attest_add_no_sleep_test(NAME <name> DIRECTORIES <dir>... [EXCLUDE <path>...])
# Registers a CTest test that fails when C/C++ sources below the directories
# sleep (sleep_for, usleep, sleep(...)) instead of polling, naming file:line.
if(NOT ATTEST_NO_SLEEP_SCRIPT)  # the installed package keeps the script beside this file
  set(ATTEST_NO_SLEEP_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/check-no-sleep.py")
endif()

function(attest_add_no_sleep_test)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME" "DIRECTORIES;EXCLUDE")
  if(NOT arg_NAME OR NOT arg_DIRECTORIES)
    message(FATAL_ERROR "attest_add_no_sleep_test: NAME and DIRECTORIES are required")
  endif()
  # Looked up here, in the caller's scope: attest may be a subdirectory of the caller.
  find_package(Python3 COMPONENTS Interpreter QUIET)
  if(NOT Python3_Interpreter_FOUND)
    message(FATAL_ERROR "attest_add_no_sleep_test: needs python3")
  endif()
  set(excludes)
  foreach(e IN LISTS arg_EXCLUDE)
    list(APPEND excludes --exclude ${e})
  endforeach()
  add_test(NAME ${arg_NAME} COMMAND ${Python3_EXECUTABLE} ${ATTEST_NO_SLEEP_SCRIPT} ${arg_DIRECTORIES} ${excludes})
endfunction()
