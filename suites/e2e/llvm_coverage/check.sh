#!/usr/bin/env bash
# attest::coverage::llvm against llvm-cov on the same runs of a small sample.
#   bash suites/e2e/llvm_coverage/check.sh BUILD_DIR
# BUILD_DIR: an attest build (g++) holding coverage/libattest_coverage.a and
# common/libattest_common.a. Needs clang++-14, llvm-profdata, llvm-cov, libboost-json-dev,
# zlib1g-dev. Fails unless, for the whole run, attest's line and branch totals (per file
# and overall) equal llvm-cov's summary, every line attest reports has llvm-cov's
# execution count (lcov DA), and, for each test, the lines and the branch-bearing lines it
# executed are exactly those llvm-cov reports for a run of that test alone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=$(cd "${1:?usage: check.sh BUILD_DIR}" && pwd)
CXX=${CXX:-clang++-14}
PROFDATA=${PROFDATA:-llvm-profdata}
COV=${COV:-llvm-cov}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$out"

instr=(-fprofile-instr-generate -fcoverage-mapping)
"$CXX" -std=c++20 -O0 "${instr[@]}" -c "$here/sample_a.cpp" -o sample_a.o
"$CXX" -std=c++20 -O0 "${instr[@]}" -c "$here/sample_b.cpp" -o sample_b.o
"$CXX" -std=c++20 -O0 -I"$root/coverage/include" -I"$root/common/include" -I"$here" \
  -c "$here/driver.cpp" -o driver.o
"$CXX" -fprofile-instr-generate driver.o sample_a.o sample_b.o \
  "$build/coverage/libattest_coverage.a" "$build/common/libattest_common.a" -lboost_json -lz -o driver

LLVM_PROFILE_FILE="$out/all.profraw" ./driver > attest.txt
"$PROFDATA" merge -o all.profdata all.profraw
"$COV" export -summary-only ./driver -instr-profile=all.profdata > summary.json
"$COV" export -format=lcov ./driver -instr-profile=all.profdata > all.lcov
for t in $(sed -n 's/^TEST //p' attest.txt); do
  LLVM_PROFILE_FILE="$out/$t.profraw" ./driver solo "$t"
  "$PROFDATA" merge -o "$t.profdata" "$t.profraw"
  "$COV" export -format=lcov ./driver -instr-profile="$t.profdata" > "$t.lcov"
  "$COV" export -summary-only ./driver -instr-profile="$t.profdata" > "$t.json"
done

python3 - "$out" <<'PY'
import collections, json, sys, os
out = sys.argv[1]
def lcov(path):
    da, br = collections.defaultdict(dict), collections.defaultdict(lambda: collections.defaultdict(list))
    f = None
    for line in open(path):
        line = line.strip()
        if line.startswith('SF:'): f = os.path.normpath(line[3:])
        elif line.startswith('DA:'):
            n, c = line[3:].split(',')[:2]; da[f][int(n)] = int(c)
        elif line.startswith('BRDA:'):
            n, _, _, c = line[5:].split(','); br[f][int(n)].append(0 if c == '-' else int(c))
    return da, br
def summary(path):
    d = json.load(open(path))['data'][0]
    files = {os.path.normpath(f['filename']): f['summary'] for f in d['files']}
    return files, d['totals']

files, lines, branches, tests, totals = {}, collections.defaultdict(dict), collections.defaultdict(lambda: collections.defaultdict(list)), [], None
for row in open(os.path.join(out, 'attest.txt')):
    p = row.split()
    if p[0] == 'FILE': files[p[1]] = tuple(map(int, p[2:6]))
    elif p[0] == 'LINE': lines[p[1]][int(p[2])] = (int(p[3]), set() if p[4] == '-' else set(p[4].split(',')))
    elif p[0] == 'BRANCH': branches[p[1]][int(p[2])].append((int(p[4]), set() if p[5] == '-' else set(p[5].split(','))))
    elif p[0] == 'TOTAL': totals = tuple(map(int, p[1:5]))
    elif p[0] == 'TEST': tests.append(p[1])
    elif p[0] == 'TIME': print('attest', row.strip())

failures = []
def expect(what, ours, theirs):
    status = 'ok  ' if ours == theirs else 'FAIL'
    print(f'{status} {what}: attest {ours}  llvm-cov {theirs}')
    if ours != theirs: failures.append(what)

def is_macro_definition(path, n):
    text = open(path).read().split('\n')
    k = n - 1
    while k > 0 and text[k - 1].rstrip().endswith('\\'): k -= 1
    return text[k].lstrip().startswith('#define')

sfiles, stotals = summary(os.path.join(out, 'summary.json'))
expect('totals (lines, covered, branches, covered)', totals,
       (stotals['lines']['count'], stotals['lines']['covered'], stotals['branches']['count'], stotals['branches']['covered']))
for f, s in sorted(sfiles.items()):
    theirs = (s['lines']['count'], s['lines']['covered'], s['branches']['count'], s['branches']['covered'])
    expect(f'{os.path.basename(f)} totals', files.get(f, (0, 0, 0, 0)), theirs)

da, br = lcov(os.path.join(out, 'all.lcov'))
for f in sorted(set(da) | set(lines)):
    name = os.path.basename(f)
    ours = {n: h for n, (h, _) in lines[f].items()}
    theirs = {n: c for n, c in da[f].items() if n in ours}
    expect(f'{name} line hits', ours, theirs)
    extra = sorted(n for n in da[f] if n not in ours)
    macro = [n for n in extra if is_macro_definition(f, n)]
    expect(f'{name} lcov lines attest leaves out that are not macro definitions', [n for n in extra if n not in macro], [])
    if macro: print(f'     ({name}: lcov also lists macro definition lines {macro}, which llvm-cov\'s summary does not count)')
    expect(f'{name} branch taken counts summed per line', {n: sum(t for t, _ in b) for n, b in branches[f].items()},
           {n: sum(c) for n, c in br[f].items()})

for t in tests:
    tda, tbr = lcov(os.path.join(out, t + '.lcov'))
    tsum, ttot = summary(os.path.join(out, t + '.json'))
    for f in sorted(set(lines) | set(tda)):
        name = os.path.basename(f)
        ours = sorted(n for n, (_, ts) in lines[f].items() if t in ts)
        theirs = sorted(n for n, c in tda[f].items() if c > 0 and n in lines[f])
        expect(f'test {t}: {name} lines executed', ours, theirs)
        ours = sorted(n for n, b in branches[f].items() if any(t in ts for _, ts in b))
        theirs = sorted(n for n, c in tbr[f].items() if any(c))
        expect(f'test {t}: {name} lines with a branch taken', ours, theirs)
    covered = sum(1 for f in lines for _, ts in lines[f].values() if t in ts)
    taken = sum(1 for f in branches for b in branches[f].values() for _, ts in b if t in ts)
    expect(f'test {t}: lines and branches covered', (covered, taken), (ttot['lines']['covered'], ttot['branches']['covered']))

print('FAILED: ' + '; '.join(failures) if failures else 'all checks passed')
sys.exit(1 if failures else 0)
PY
