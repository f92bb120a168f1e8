# Per-test code coverage for attest's runner (--cov):
#
#   attest_enable_coverage(TARGETS mylib my_tests)   # these targets, instrumented
#   cmake -DATTEST_COVERAGE=ON ...                    # every target defined after find_package(attest)
#
# GCC: --coverage on the targets, and the link asks libgcov for __gcov_info_to_gcda, which
# the runner uses to read the counters in memory before and after each test (nothing else
# pulls it from libgcov.a). The .gcda files of a run stay ordinary whole-run data: gcov,
# gcovr and lcov read them as always.
# Clang: source-based coverage (-fprofile-instr-generate -fcoverage-mapping); the runner
# copies the profile runtime's counters around each test and reads the coverage mapping
# from the binary itself. The run's .profraw file (LLVM_PROFILE_FILE, default.profraw in
# the working directory) stays whole-run data for llvm-profdata and llvm-cov. Clang 13 to
# 16 (their raw profile and mapping formats).
option(ATTEST_COVERAGE "Instrument every target defined from here on for attest's --cov" OFF)

if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(_attest_coverage_compile_flags -fprofile-instr-generate -fcoverage-mapping)
  set(_attest_coverage_link_flags -fprofile-instr-generate)
else()
  set(_attest_coverage_compile_flags --coverage)
  set(_attest_coverage_link_flags --coverage "LINKER:-u,__gcov_info_to_gcda")
endif()

function(_attest_coverage_supported out)
  set(version ${CMAKE_CXX_COMPILER_VERSION})
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND version VERSION_GREATER_EQUAL 12)
    set(${out} TRUE PARENT_SCOPE)
  elseif(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND version VERSION_GREATER_EQUAL 13
         AND version VERSION_LESS 17)
    set(${out} TRUE PARENT_SCOPE)
  else()
    message(WARNING "attest: per-test coverage (--cov) needs GCC 12 or later or Clang 13 to 16; "
                    "${CMAKE_CXX_COMPILER_ID} ${version} is not supported")
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()

function(attest_enable_coverage)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "" "TARGETS")
  if(NOT arg_TARGETS)
    message(FATAL_ERROR "attest_enable_coverage: name the targets to instrument: TARGETS a b ...")
  endif()
  _attest_coverage_supported(supported)
  if(NOT supported)
    return()
  endif()
  foreach(target IN LISTS arg_TARGETS)
    if(NOT TARGET ${target})
      message(FATAL_ERROR "attest_enable_coverage: '${target}' is not a target")
    endif()
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "INTERFACE_LIBRARY")
      target_compile_options(${target} INTERFACE ${_attest_coverage_compile_flags})
      target_link_options(${target} INTERFACE ${_attest_coverage_link_flags})
    else()
      target_compile_options(${target} PRIVATE ${_attest_coverage_compile_flags})
      # PUBLIC: a static library's instrumented objects need the coverage runtime (libgcov,
      # Clang's profile runtime) in whatever links it.
      target_link_options(${target} PUBLIC ${_attest_coverage_link_flags})
    endif()
  endforeach()
endfunction()

# attest_prepare_coverage(<test target>...): after each link the test binary reads its GCC
# coverage notes once (--cov-prepare) and keeps them parsed beside each .gcno, so that the first
# --cov run after a build starts as a later run does (the notes of a large binary are tens of MB).
# attest_discover_tests() needs none: its discovery run does the same. A binary without coverage
# counters, or built by Clang (its mapping is in the binary), has nothing to prepare.
function(attest_prepare_coverage)
  foreach(target IN LISTS ARGN)
    if(NOT TARGET ${target})
      message(FATAL_ERROR "attest_prepare_coverage: '${target}' is not a target")
    endif()
    if(CMAKE_CROSSCOMPILING OR NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      continue()
    endif()
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND ${target} --cov-prepare
      COMMENT "attest: the coverage notes of ${target}, kept parsed for --cov"
      VERBATIM)
  endforeach()
endfunction()

if(ATTEST_COVERAGE)
  _attest_coverage_supported(_attest_coverage_ok)
  if(_attest_coverage_ok)
    add_compile_options(${_attest_coverage_compile_flags})
    add_link_options(${_attest_coverage_link_flags})
  endif()
endif()
