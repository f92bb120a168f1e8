# Warnings are errors in attest's own code only: the flags are attached per
# target and never exported, so a downstream project keeps its own policy.
# GCC 12 reports members skipped by C++20 designated initializers
# ({.args = ..., .name = ...}) as missing even when they have default member
# initializers; attest's option structs are meant to be used that way.
function(attest_strict_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror -Wno-missing-field-initializers)
endfunction()
