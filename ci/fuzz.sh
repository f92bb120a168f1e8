#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each briefly.
# usage: ci/fuzz.sh [BUILD_DIR] [SECONDS_EACH]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build}/fuzz
seconds=${2:-15}
mkdir -p "$out"
flags=(-std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$root/framework/src" -I"$root/common/include" -I"$root/traceability/include"
       -I"$root/traceability/src")
common_sources=("$root"/common/src/{input_error,json_input}.cpp)
trace_sources=("${common_sources[@]}"
  "$root"/traceability/src/{model,markup,catalog_markdown,catalog_json,test_list,format_manifest,format_results_json,format_junit,results,xml_input}.cpp)

# The six builds run side by side: compiling is most of this script's time.
clang++ "${flags[@]}" "$root/suites/fuzz/expression_fuzz.cpp" "$root/framework/src/expression.cpp" \
  -o "$out/expression_fuzz" &
clang++ "${flags[@]}" "$root/suites/fuzz/config_fuzz.cpp" "$root/traceability/src/config.cpp" \
  "${common_sources[@]}" -lboost_json -o "$out/config_fuzz" &
for target in markdown trace_json junit; do
  clang++ "${flags[@]}" "$root/suites/fuzz/${target}_fuzz.cpp" "${trace_sources[@]}" -lboost_json \
    -o "$out/${target}_fuzz" &
done
clang++ "${flags[@]}" -I"$root/fixtures/mock_http/include" -I"$root/fixtures/core/include" \
  -I"$root/fixtures/mock_http/src" \
  "$root/suites/fuzz/mock_definitions_fuzz.cpp" "$root"/fixtures/mock_http/src/mock_http_{load,match,response}.cpp \
  "${common_sources[@]}" -lboost_json -o "$out/mock_definitions_fuzz" &
# One catalog target per format: the origin's extension picks the reader.
for target in reqif:c.reqif yaml:REQ001.yml; do
  origin=${target#*:}
  target=${target%%:*}
  clang++ "${flags[@]}" -DATTEST_FUZZ_ORIGIN="\"fuzz/$origin\"" "$root/suites/fuzz/catalog_fuzz.cpp" \
    "${trace_sources[@]}" \
    "$root"/traceability/src/{zip_archive,catalogs,catalog_reqif,catalog_yaml}.cpp \
    -lboost_json -lboost_iostreams -lyaml-cpp -o "$out/${target}_fuzz" &
done
for job in $(jobs -p); do wait "$job"; done

for target in expression config markdown trace_json junit mock_definitions reqif yaml; do
  corpus="$out/corpus-$target"
  mkdir -p "$corpus"
  echo "fuzz: $target for ${seconds}s"
  # Seeds are read from the committed corpus; new inputs go to the build dir.
  "$out/${target}_fuzz" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -artifact_prefix="$out/${target}-" "$corpus" "$root/suites/fuzz/corpus/$target" 2>"$out/$target.log" \
    || { tail -40 "$out/$target.log"; echo "fuzz: $target FAILED (crash input in $out)"; exit 1; }
  tail -1 "$out/$target.log"
done
