# Warnings are errors in attest's own code only: the flags are attached per
# target and never exported, so a downstream project keeps its own policy. When
# attest is built inside another project (add_subdirectory, FetchContent) they
# stay warnings: another compiler or build type must not break that build.
# GCC 12 reports members skipped by C++20 designated initializers
# ({.args = ..., .name = ...}) as missing even when they have default member
# initializers; attest's option structs are meant to be used that way.
option(ATTEST_WERROR "Treat warnings in attest's own code as errors" ${PROJECT_IS_TOP_LEVEL})
function(attest_strict_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers
                                           $<$<BOOL:${ATTEST_WERROR}>:-Werror>)
endfunction()
