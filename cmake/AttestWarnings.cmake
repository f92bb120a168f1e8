# Warnings are errors in attest's own code only: the flags are attached per
# target and never exported, so a downstream project keeps its own policy.
function(attest_strict_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
endfunction()
