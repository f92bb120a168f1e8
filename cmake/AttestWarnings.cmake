# Warnings are errors in attest's own code only: the flags are attached per
# target and never exported, so a downstream project keeps its own policy. When
# attest is built inside another project (add_subdirectory, FetchContent) they
# stay warnings: another compiler or build type must not break that build.
# GCC 12 reports members skipped by C++20 designated initializers
# ({.args = ..., .name = ...}) as missing even when they have default member
# initializers; attest's option structs are meant to be used that way.
option(ATTEST_WERROR "Treat warnings in attest's own code as errors" ${PROJECT_IS_TOP_LEVEL})
# GCC 12 at -O2/-O3 reports -Wrestrict and -Wstringop-overflow inside libstdc++'s own std::string
# code (char_traits.h memcpy "accessing 9223372036854775810 or more bytes"), and at -O3
# -Wmaybe-uninitialized on std::string members of aggregates built with designated initializers:
# false positives of the optimiser (GCC bugs 105329, 105651, 107138), not of the code, so every
# build type (Debug, Release, RelWithDebInfo, MinSizeRel) is warning-clean only without them on
# GCC 12.
set(attest_gcc12_false_positives
    $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict;-Wno-stringop-overflow;-Wno-maybe-uninitialized>)
function(attest_strict_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers
                                           ${attest_gcc12_false_positives}
                                           $<$<BOOL:${ATTEST_WERROR}>:-Werror>)
endfunction()
