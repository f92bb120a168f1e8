#!/usr/bin/env bash
# The postgres test image's entrypoint: the part of the official postgres image's
# docker-entrypoint.sh that tests rely on, written for Debian's packages.
#
#   POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_USER (default
#   postgres), POSTGRES_DB (default POSTGRES_USER), POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD,
#   each also as NAME_FILE (Docker secrets); PGDATA; *.sh, *.sql, *.sql.gz files in
#   /docker-entrypoint-initdb.d run once, after initdb.
#
# Differences, for tests: initdb runs with --no-sync (the data is disposable), and the temporary
# socket-only server the official image starts after initdb is only started when there is
# something to do with it (a database to create, init files to run), which saves a second
# start-up. Arguments starting with '-' go to postgres; any other command runs as given.
set -Eeo pipefail

# NAME from NAME or from the file NAME_FILE names (not both).
file_env() {
  local var=$1 file_var=${1}_FILE default=${2:-}
  if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
    echo "error: both $var and $file_var are set (but are exclusive)" >&2
    exit 1
  fi
  local value=$default
  if [ -n "${!var:-}" ]; then
    value=${!var}
  elif [ -n "${!file_var:-}" ]; then
    value=$(<"${!file_var}")
  fi
  export "$var"="$value"
  unset "$file_var"
}

setup_env() {
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  : "${POSTGRES_HOST_AUTH_METHOD:=}"
  database_exists=""
  [ -s "$PGDATA/PG_VERSION" ] && database_exists=yes
  return 0
}

# As root: the directories, owned by postgres (a volume may arrive owned by root).
create_directories() {
  mkdir -p "$PGDATA"
  chmod 00700 "$PGDATA" || :
  mkdir -p /var/run/postgresql || :
  chmod 03775 /var/run/postgresql || :
  if [ "$(id -u)" = 0 ]; then
    find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
    find /var/run/postgresql \! -user postgres -exec chown postgres '{}' +
  fi
}

verify_minimum_env() {
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    cat >&2 <<'EOF'
Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".
       (Or POSTGRES_HOST_AUTH_METHOD=trust to allow every connection without one.)
EOF
    exit 1
  fi
}

init_database_dir() {
  # --pwfile refuses a properly empty file, hence the newline.
  eval 'initdb --username="$POSTGRES_USER" --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD") --no-sync '"$POSTGRES_INITDB_ARGS"
}

# Connections from other hosts: the server's own password_encryption (scram-sha-256 since 14)
# unless POSTGRES_HOST_AUTH_METHOD says otherwise.
setup_hba_conf() {
  [ "${1:-}" = postgres ] && shift
  local auth
  auth=$(postgres -C password_encryption "$@")
  : "${POSTGRES_HOST_AUTH_METHOD:=$auth}"
  printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"
}

process_sql() {
  local runner=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
  [ -n "$POSTGRES_DB" ] && runner+=(--dbname "$POSTGRES_DB")
  PGHOST='' PGHOSTADDR='' "${runner[@]}" "$@"
}

process_init_files() {
  local f
  for f; do
    case $f in
      *.sh)
        if [ -x "$f" ]; then echo "$0: running $f"; "$f"; else echo "$0: sourcing $f"; . "$f"; fi ;;
      *.sql) echo "$0: running $f"; process_sql -f "$f" ;;
      *.sql.gz) echo "$0: running $f"; gunzip -c "$f" | process_sql ;;
      *) echo "$0: ignoring $f" ;;
    esac
  done
}

# A server on the unix socket only, for setting up: nothing outside sees it before it is ready.
with_temporary_server() {
  [ "${1:-}" = postgres ] && shift
  PGUSER=$POSTGRES_USER pg_ctl -D "$PGDATA" -o "$(printf '%q ' "$@" -c listen_addresses='' -p "${PGPORT:-5432}")" \
    -w start
  if [ "$POSTGRES_DB" != postgres ]; then
    # CREATE DATABASE cannot take a parameter: psql's :"db" quotes it as an identifier.
    POSTGRES_DB='' process_sql --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
  process_init_files "${init_files[@]}"
  PGUSER=$POSTGRES_USER pg_ctl -D "$PGDATA" -m fast -w stop
}

wants_help() {
  local arg
  for arg; do
    case $arg in -'?' | --help | --describe-config | -V | --version) return 0 ;; esac
  done
  return 1
}

main() {
  [ "${1:0:1}" = - ] && set -- postgres "$@"
  if [ "$1" = postgres ] && ! wants_help "$@"; then
    setup_env
    create_directories
    if [ "$(id -u)" = 0 ]; then
      exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
    fi
    if [ -z "$database_exists" ]; then
      verify_minimum_env
      shopt -s nullglob
      init_files=(/docker-entrypoint-initdb.d/*)
      shopt -u nullglob
      init_database_dir
      setup_hba_conf "$@"
      if [ "$POSTGRES_DB" != postgres ] || [ ${#init_files[@]} -gt 0 ]; then
        export PGPASSWORD=${PGPASSWORD:-$POSTGRES_PASSWORD}
        with_temporary_server "$@"
        unset PGPASSWORD
      fi
      echo
      echo 'PostgreSQL init process complete; ready for start up.'
      echo
    else
      echo 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
    fi
  fi
  exec "$@"
}

main "$@"
