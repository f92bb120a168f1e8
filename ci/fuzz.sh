#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each briefly.
# usage: ci/fuzz.sh [BUILD_DIR] [SECONDS_EACH]
# Each source is compiled once (the targets share most of theirs) and only when it changed,
# as many at a time as there are cores; the fuzzers then run as many at a time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build}/fuzz
seconds=${2:-15}
# (libFuzzer takes 0 to mean for ever)
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: SECONDS_EACH must be a positive integer, not '$seconds'" >&2; exit 2; }
jobs=$(nproc)
mkdir -p "$out/obj"
flags=(-std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$root/framework/src" -I"$root/common/include" -I"$root/traceability/include"
       -I"$root/traceability/src" -I"$root/fixtures/mock_http/include"
       -I"$root/fixtures/core/include" -I"$root/fixtures/mock_http/src"
       -I"$root/fixtures/environment/include" -I"$root/fixtures/environment/src"
       -I"$root/coverage/include" -I"$root/coverage/src")
common=(common/src/{input_error,json_input,yaml_input,markup,json_output}.cpp)
trace=("${common[@]}"
  traceability/src/{model,catalog_markdown,catalog_json,test_list,format_manifest,format_results_json,format_junit,results,xml_input}.cpp)
catalog=("${trace[@]}" traceability/src/{zip_archive,catalogs,catalog_reqif,catalog_yaml}.cpp)

# target : its sources (relative to the root) : libraries. A catalog target per format: the
# origin's extension picks the reader (catalog_fuzz.cpp is compiled once per origin).
declare -A sources libs
sources[expression]="suites/fuzz/expression_fuzz.cpp framework/src/expression.cpp"
sources[config]="suites/fuzz/config_fuzz.cpp traceability/src/config.cpp ${common[*]}"
for t in markdown trace_json junit; do sources[$t]="suites/fuzz/${t}_fuzz.cpp ${trace[*]}"; done
sources[mock_definitions]="suites/fuzz/mock_definitions_fuzz.cpp $(echo fixtures/mock_http/src/mock_http_{load,match,response}.cpp) ${common[*]}"
sources[reqif]="suites/fuzz/catalog_fuzz.cpp@reqif ${catalog[*]}"
sources[yaml]="suites/fuzz/catalog_fuzz.cpp@yaml ${catalog[*]}"
environment=(fixtures/environment/src/{environment_spec,service_parts,compose_file}.cpp "${common[@]}")
sources[compose]="suites/fuzz/compose_fuzz.cpp ${environment[*]}"
sources[environment_spec]="suites/fuzz/environment_spec_fuzz.cpp ${environment[*]}"
sources[coverage]="suites/fuzz/coverage_fuzz.cpp coverage/src/record.cpp coverage/src/affected.cpp ${common[*]}"
sources[llvm_mapping]="suites/fuzz/llvm_mapping_fuzz.cpp coverage/src/llvm.cpp coverage/src/record.cpp coverage/src/gcov.cpp coverage/src/gcov_notes.cpp coverage/src/notes_cache.cpp coverage/src/huge_pages.cpp ${common[*]}"
sources[gcov]="suites/fuzz/gcov_fuzz.cpp coverage/src/gcov.cpp coverage/src/gcov_notes.cpp coverage/src/notes_cache.cpp coverage/src/huge_pages.cpp coverage/src/record.cpp ${common[*]}"
sources[notes_cache]="suites/fuzz/notes_cache_fuzz.cpp coverage/src/notes_cache.cpp coverage/src/gcov_notes.cpp coverage/src/gcov.cpp coverage/src/record.cpp coverage/src/huge_pages.cpp ${common[*]}"
for t in config markdown trace_json junit mock_definitions reqif yaml compose environment_spec coverage llvm_mapping gcov notes_cache; do
  libs[$t]="-lboost_json"
done
libs[reqif]+=" -lboost_iostreams -lyaml-cpp"; libs[yaml]+=" -lboost_iostreams -lyaml-cpp"
libs[compose]+=" -lyaml-cpp"; libs[environment_spec]+=" -lyaml-cpp"; libs[llvm_mapping]+=" -lz"
targets=(expression config markdown trace_json junit mock_definitions reqif yaml compose environment_spec coverage llvm_mapping gcov notes_cache)

object() { local s=${1%@*} v=; [[ $1 == *@* ]] && v=-${1#*@}; echo "$out/obj/${s//\//_}$v.o"; }
compile() {  # one source (path@variant), skipped when its object is newer than it
  local src=${1%@*} obj; obj=$(object "$1")
  local origin=(); case $1 in *@reqif) origin=(-DATTEST_FUZZ_ORIGIN='"fuzz/c.reqif"');;
                              *@yaml) origin=(-DATTEST_FUZZ_ORIGIN='"fuzz/REQ001.yml"');; esac
  if [ "$obj" -nt "$root/$src" ] && [ "$obj" -nt "$script" ]; then return; fi
  clang++ "${flags[@]}" "${origin[@]}" -MMD -c "$root/$src" -o "$obj"
}
script=$(realpath "$0")
export -f compile object; export root out script
all=$(for t in "${targets[@]}"; do tr ' ' '\n' <<<"${sources[$t]}"; done | sort -u)
# Headers change too: an object older than any header it read is rebuilt.
for src in $all; do
  obj=$(object "$src"); d=${obj%.o}.d
  if [ -f "$d" ] && [ -n "$(find $(sed 's/\\$//; s/^[^:]*://' "$d") -newer "$obj" 2>/dev/null | head -1)" ]; then
    rm -f "$obj"
  fi
done
# (an array cannot be exported: each compile gets flags declared anew)
printf '%s\n' $all | xargs -P "$jobs" -I{} bash -c "$(declare -p flags); compile {}"

for t in "${targets[@]}"; do
  objs=(); for s in ${sources[$t]}; do objs+=("$(object "$s")"); done
  clang++ "${flags[@]}" "${objs[@]}" ${libs[$t]:-} -o "$out/${t}_fuzz" &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
done
wait

run() {  # one target for the given seconds; its log's last line, or the crash
  local target=$1 corpus="$out/corpus-$1"
  mkdir -p "$corpus"
  # Seeds are read from the committed corpus; new inputs go to the build dir.
  if "$out/${target}_fuzz" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
      -artifact_prefix="$out/${target}-" "$corpus" "$root/suites/fuzz/corpus/$target" 2>"$out/$target.log"; then
    echo "fuzz: $target for ${seconds}s: $(tail -1 "$out/$target.log")"
  else
    tail -40 "$out/$target.log"; echo "fuzz: $target FAILED (crash input in $out)"
    touch "$out/$target.failed"
  fi
}
rm -f "$out"/*.failed
for t in "${targets[@]}"; do
  run "$t" &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
done
wait
! ls "$out"/*.failed >/dev/null 2>&1
