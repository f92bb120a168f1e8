# The exported CMake package: find_package(attest CONFIG REQUIRED) works against
# the build tree (export()) and against `cmake --install` output.
include(CMakePackageConfigHelpers)

set(ATTEST_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/attest)

install(TARGETS attest_common attest_framework attest_main attest_traceability attest_fixtures attest_postgres attest_redis EXPORT attestTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY common/include/attest framework/include/attest traceability/include/attest fixtures/include/attest
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT attestTargets NAMESPACE attest:: DESTINATION ${ATTEST_CMAKE_DIR})

configure_package_config_file(cmake/attestConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/attestConfig.cmake INSTALL_DESTINATION ${ATTEST_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/attestConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/attestConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/attestConfigVersion.cmake
              cmake/AttestNoSleep.cmake ci/check-no-sleep.py
        DESTINATION ${ATTEST_CMAKE_DIR})
# The build-tree package finds them next to its config file too.
configure_file(cmake/AttestNoSleep.cmake ${CMAKE_CURRENT_BINARY_DIR}/AttestNoSleep.cmake COPYONLY)
configure_file(ci/check-no-sleep.py ${CMAKE_CURRENT_BINARY_DIR}/check-no-sleep.py COPYONLY)

# Build-tree package: point attest_DIR at the build directory.
export(EXPORT attestTargets NAMESPACE attest:: FILE ${CMAKE_CURRENT_BINARY_DIR}/attestTargets.cmake)
