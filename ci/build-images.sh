#!/usr/bin/env bash
# Builds attest's test images locally, each only when it is missing: there is no image registry
# here, so (a) Debian base images are made from the Debian archive (mmdebstrap | docker import),
# and (b) the test images of suites/containers/images/images.list are built FROM them.
#
# A test image is tagged attest-test/NAME:<hash12>, the hash covering its build context's files,
# its images.list line and its base image's id, and also attest-test/NAME:latest-local (the tag
# tests use). A run whose inputs did not change builds nothing: it only lists the engine's images.
# A base image is tagged attest-debian:<suite> and attest-debian:<suite>-<date built>; it is only
# rebuilt when missing (or with --rebuild-base), so test images are rebuilt rarely.
#
# usage: build-images.sh [--rebuild-base] [--list] [NAME...]   (default: every image of the list)
#   --list           print NAME and the tag each image would have, build nothing
#   --rebuild-base   make the Debian bases of the selected images again (new packages)
#   ATTEST_DEBIAN_MIRROR   the archive (default http://deb.debian.org/debian; security updates
#                          from ATTEST_DEBIAN_SECURITY_MIRROR, default .../debian-security)
# Exit: 0 when every selected image is present, 1 when a build failed, 2 for bad arguments or
# when no engine can be reached.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
images_dir=$root/suites/containers/images
list_file=$images_dir/images.list
mirror=${ATTEST_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${ATTEST_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
# Bump when the way images are made changes, so that every tag changes with it.
recipe_version=1

usage() { echo "usage: build-images.sh [--rebuild-base] [--list] [NAME...]" >&2; exit 2; }
list_only=0 rebuild_base=0 wanted=()
for arg in "$@"; do
  case $arg in
    --list) list_only=1 ;;
    --rebuild-base) rebuild_base=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) usage ;;
    *) wanted+=("$arg") ;;
  esac
done

# images.list → names, contexts, bases, build arguments, alias tags (file:line for a bad line).
declare -A context base args aliases
names=()
line_no=0
while IFS= read -r line || [ -n "$line" ]; do
  line_no=$((line_no + 1))
  line=${line%%#*}
  read -r -a fields <<<"$line"
  [ ${#fields[@]} -eq 0 ] && continue
  if [ ${#fields[@]} -lt 3 ] || [ ! -f "$images_dir/${fields[1]}/Dockerfile" ] ||
    [[ ! "${fields[2]}" =~ ^attest-debian:[a-z]+$ ]]; then
    echo "$list_file:$line_no: expected 'NAME CONTEXT attest-debian:SUITE [ARG=VALUE...]'" \
      "with a Dockerfile in $images_dir/CONTEXT" >&2
    exit 2
  fi
  names+=("${fields[0]}")
  context[${fields[0]}]=${fields[1]}
  base[${fields[0]}]=${fields[2]}
  # TAG=REPO:TAG names the image attest-test/REPO:TAG too (what a test asks for as REPO:TAG with
  # ATTEST_IMAGE_PREFIX=attest-test/, as CI asks a mirror); other ARG=VALUE are build arguments.
  args[${fields[0]}]="" aliases[${fields[0]}]=""
  for field in "${fields[@]:3}"; do
    if [[ $field == TAG=* ]]; then aliases[${fields[0]}]+=" attest-test/${field#TAG=}"
    else args[${fields[0]}]+="${args[${fields[0]}]:+ }$field"; fi
  done
done <"$list_file"
[ ${#wanted[@]} -eq 0 ] && wanted=("${names[@]}")
for name in "${wanted[@]}"; do
  [ -n "${context[$name]:-}" ] || { echo "build-images: no image '$name' in $list_file (${names[*]})" >&2; exit 2; }
done

"$root/ci/start-dockerd.sh" >&2 || exit 2

# One build at a time on a machine: CTest fixtures, make and CI may all ask at once, and the
# second caller then finds the images the first one built.
exec 9>"${TMPDIR:-/tmp}/attest-build-images.lock"
flock 9

# The engine's images, listed once: a run that builds nothing costs this one call.
declare -A image_id
refresh_images() {
  image_id=()
  local ref id
  while read -r ref id; do image_id[$ref]=$id; done < <(
    docker image ls --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}' 2>/dev/null)
}
refresh_images

now_ms() { date +%s%3N; }
seconds_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

build_base() {
  local ref=$1 suite=${1#attest-debian:} started tarball
  started=$(now_ms)
  echo "build-images: $ref: mmdebstrap --variant=minbase $suite from $mirror" >&2
  tarball=$(mktemp /var/tmp/attest-debian-XXXXXX.tar)
  # Merged /usr without the usrmerge package (and its perl); documentation and translations left
  # out as in Debian's slim images; no fsync from dpkg (eatmydata while bootstrapping, unsafe-io
  # after); no translations of package descriptions. The dpkg and apt options stay in the image,
  # so the test images' apt-get update/install get them too.
  log=$(mktemp /var/tmp/attest-debian-XXXXXX.log)
  # Debian's own python3 for mmdebstrap's per-package filter (mmtarfilter, run once per .deb):
  # a python3 shim earlier on PATH (pyenv) costs seconds per start, minutes per base.
  if ! PATH=/usr/sbin:/usr/bin:/sbin:/bin nice -n 10 mmdebstrap --variant=minbase --verbose \
    --hook-dir=/usr/share/mmdebstrap/hooks/maybe-merged-usr \
    --hook-dir=/usr/share/mmdebstrap/hooks/eatmydata --dpkgopt=force-unsafe-io \
    --aptopt='Acquire::Languages "none"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    "$suite" "$tarball" \
    "deb $mirror $suite main" "deb $mirror $suite-updates main" \
    "deb $security_mirror $suite-security main" 2>"$log"; then
    rm -f "$tarball"
    tail -n 30 "$log" >&2
    echo "build-images: $ref: mmdebstrap failed (whole log: $log)" >&2
    return 1
  fi
  rm -f "$log"
  local dated
  dated=$ref-$(date -u +%Y%m%d)
  docker import --change 'CMD ["bash"]' --change 'ENV LANG=C.UTF-8' \
    --change "LABEL org.attest.debian.suite=$suite org.attest.debian.built=$(date -u +%FT%TZ)" \
    "$tarball" "$dated" >/dev/null || { rm -f "$tarball"; return 1; }
  rm -f "$tarball"
  docker tag "$dated" "$ref"
  echo "build-images: $ref: built in $(seconds_since "$started") s (also $dated)" >&2
  remove_older "$ref-" "$dated"
}

# The content hash of an image: its context's files (names, contents, executable bits), its
# images.list line and its base's id.
image_hash() {
  local name=$1
  {
    echo "attest test image recipe $recipe_version"
    echo "$name ${context[$name]} ${base[$name]} ${args[$name]}"
    echo "${image_id[${base[$name]}]:-no-base}"
    tar -C "$images_dir/${context[$name]}" --sort=name --format=gnu --mtime=@0 --owner=0 --group=0 \
      --numeric-owner --mode='go-w' -cf - . | sha256sum
  } | sha256sum | cut -c1-12
}

build_image() {
  local name=$1 tag=$2 started build_args=() arg
  started=$(now_ms)
  for arg in ${args[$name]}; do build_args+=(--build-arg "$arg"); done
  echo "build-images: $tag: building from $images_dir/${context[$name]} on ${base[$name]}" >&2
  # The classic builder: it resolves FROM in the local image store and never asks a registry
  # (BuildKit would fetch its Dockerfile frontend).
  if ! DOCKER_BUILDKIT=0 nice -n 10 docker build --quiet --rm --force-rm \
    --build-arg "BASE=${base[$name]}" "${build_args[@]}" \
    --label "org.attest.image.hash=${tag##*:}" \
    -t "$tag" -t "attest-test/$name:latest-local" "$images_dir/${context[$name]}" >/dev/null; then
    echo "build-images: $tag: docker build failed (its output above; by hand: DOCKER_BUILDKIT=0" \
      "docker build --build-arg BASE=${base[$name]} ${build_args[*]} $images_dir/${context[$name]})" >&2
    return 1
  fi
  echo "build-images: $tag: built in $(seconds_since "$started") s" >&2
  remove_older "attest-test/$name:" "$tag" "attest-test/$name:latest-local"
}

# Earlier builds, by their names starting with PREFIX other than KEEP...: untagged, so that the
# disk does not fill up one build at a time (what a container still uses stays: the engine refuses).
remove_older() {
  local prefix=$1 ref stale=()
  shift
  for ref in "${!image_id[@]}"; do
    [[ "$ref" == "$prefix"* ]] || continue
    [[ " $* " == *" $ref "* ]] || stale+=("$ref")
  done
  [ ${#stale[@]} -eq 0 ] || docker image rm "${stale[@]}" >/dev/null 2>&1 || true
}

status=0
declare -A base_done
for name in "${wanted[@]}"; do
  ref=${base[$name]}
  if [ "$list_only" = 0 ] && [ -z "${base_done[$ref]:-}" ]; then
    base_done[$ref]=1
    if [ -z "${image_id[$ref]:-}" ] || [ "$rebuild_base" = 1 ]; then
      build_base "$ref" || { status=1; continue; }
      refresh_images
    fi
  fi
  tag=attest-test/$name:$(image_hash "$name")
  if [ "$list_only" = 1 ]; then
    echo "$name $tag"
  elif [ -n "${image_id[$tag]:-}" ]; then
    # Present: only make sure the alias names this build (it may name an older one).
    [ "${image_id[attest-test/$name:latest-local]:-}" = "${image_id[$tag]}" ] ||
      docker tag "$tag" "attest-test/$name:latest-local"
    echo "build-images: $tag: present" >&2
  else
    build_image "$name" "$tag" || status=1
  fi
  if [ "$list_only" = 0 ]; then
    for alias in ${aliases[$name]}; do docker tag "attest-test/$name:latest-local" "$alias" || status=1; done
  fi
done
exit "$status"
