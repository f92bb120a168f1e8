# The exported CMake package: find_package(attest CONFIG REQUIRED [COMPONENTS
# postgres redis]) works against the build tree (export()) and against
# `cmake --install` output. The core (common, traceability, fixtures, framework,
# main, trace-check) needs Boost only; each service library is a component in
# an export set of its own, so its dependency is looked up only when asked for.
include(CMakePackageConfigHelpers)

set(ATTEST_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/attest)

set(attest_core_targets attest_common attest_framework attest_main attest_traceability attest_fixtures attest_core
    attest_mock_http attest_environment attest_coverage)
install(TARGETS ${attest_core_targets} EXPORT attestTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT attestTargets NAMESPACE attest:: DESTINATION ${ATTEST_CMAKE_DIR})
export(EXPORT attestTargets NAMESPACE attest:: FILE ${CMAKE_CURRENT_BINARY_DIR}/attestTargets.cmake)

set(ATTEST_COMPONENTS)
# container first: postgres and redis link it (their servers may be containers).
foreach(component container postgres redis catalogs property)
  if(TARGET attest_${component})
    install(TARGETS attest_${component} EXPORT attest_${component}Targets
            ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
            LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
    install(EXPORT attest_${component}Targets NAMESPACE attest:: DESTINATION ${ATTEST_CMAKE_DIR})
    export(EXPORT attest_${component}Targets NAMESPACE attest::
           FILE ${CMAKE_CURRENT_BINARY_DIR}/attest_${component}Targets.cmake)
    list(APPEND ATTEST_COMPONENTS ${component})
  endif()
endforeach()

# Every folder's public headers land in one include/attest/ (fixtures/*/include/attest included).
file(GLOB attest_fixtures_include_dirs LIST_DIRECTORIES true ${PROJECT_SOURCE_DIR}/fixtures/*/include/attest)
install(DIRECTORY common/include/attest framework/include/attest traceability/include/attest
                  coverage/include/attest
                  ${attest_fixtures_include_dirs}
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

configure_package_config_file(cmake/attestConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/attestConfig.cmake INSTALL_DESTINATION ${ATTEST_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/attestConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/attestConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/attestConfigVersion.cmake
              cmake/AttestNoSleep.cmake cmake/AttestEnvironment.cmake cmake/AttestDiscovery.cmake
              cmake/AttestDiscoverTests.cmake cmake/AttestCoverage.cmake ci/check-no-sleep.py
        DESTINATION ${ATTEST_CMAKE_DIR})
# The build-tree package finds them next to its config file too.
configure_file(cmake/AttestNoSleep.cmake ${CMAKE_CURRENT_BINARY_DIR}/AttestNoSleep.cmake COPYONLY)
configure_file(cmake/AttestEnvironment.cmake ${CMAKE_CURRENT_BINARY_DIR}/AttestEnvironment.cmake COPYONLY)
configure_file(cmake/AttestDiscovery.cmake ${CMAKE_CURRENT_BINARY_DIR}/AttestDiscovery.cmake COPYONLY)
configure_file(cmake/AttestDiscoverTests.cmake ${CMAKE_CURRENT_BINARY_DIR}/AttestDiscoverTests.cmake COPYONLY)
configure_file(cmake/AttestCoverage.cmake ${CMAKE_CURRENT_BINARY_DIR}/AttestCoverage.cmake COPYONLY)
configure_file(ci/check-no-sleep.py ${CMAKE_CURRENT_BINARY_DIR}/check-no-sleep.py COPYONLY)
