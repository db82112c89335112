#!/usr/bin/env bash
# What the tests talk to, brought up where this machine allows it, checked before anything runs:
#   dovecot (IMAP)   installed with apt when missing, if we are root and apt-get exists
#   Chromium         /usr/bin/chromium, installed with apt the same way (playwright-core drives it)
#   PostgreSQL       127.0.0.1:5432 (or RAPPORT_TEST_PG_URL); started with pg_ctlcluster when installed but down
#   Redis            127.0.0.1:6379 (or RAPPORT_TEST_REDIS_URL); started with redis-server when installed but down
# Anything still missing gets one line saying how to get it, and the script exits 1 so that
# `npm test` stops before running anything. RAPPORT_TEST_NO_INSTALL=1 only checks.
set -u

missing=()
may_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ -z "${RAPPORT_TEST_NO_INSTALL:-}" ]; }
apt_updated=''
apt_install() {
  if [ -z "$apt_updated" ]; then
    apt-get update -qq >/dev/null 2>&1 || true
    apt_updated=1
  fi
  echo "prerequisites: installing $* with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

# host and port of a URL like postgres://user@host:port/db or redis://host:port
url_host() { local hp="${1#*://}"; hp="${hp#*@}"; hp="${hp%%/*}"; echo "${hp%%:*}"; }
url_port() { local hp="${1#*://}"; hp="${hp#*@}"; hp="${hp%%/*}"; [ "$hp" != "${hp#*:}" ] && echo "${hp#*:}" || echo "$2"; }
# A TCP connect alone proves little (a proxy may accept anything): ask the service itself.
pg_up() {
  if command -v pg_isready >/dev/null 2>&1; then pg_isready -h "$1" -p "$2" -q -t 3; else (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; fi
}
redis_up() {
  (
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf 'PING\r\n' >&3
    IFS= read -r -t 3 reply <&3 || exit 1
    [[ "$reply" == +PONG* || "$reply" == -NOAUTH* ]]
  ) 2>/dev/null
}
wait_until() {
  for _ in $(seq 1 30); do "$@" && return 0; sleep 1; done
  return 1
}

# dovecot: every mail test starts its own throwaway server (test/helpers/dovecot.ts).
if ! command -v dovecot >/dev/null 2>&1 && ! [ -x /usr/sbin/dovecot ]; then
  may_install && apt_install dovecot-imapd
  command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] ||
    missing+=("dovecot: not installed — apt-get install dovecot-imapd (the mail tests start their own server)")
fi

# Chromium: the console's browser tests drive Debian's Chromium (no browser download).
if [ ! -x /usr/bin/chromium ]; then
  may_install && apt_install chromium
  [ -x /usr/bin/chromium ] || missing+=("chromium: /usr/bin/chromium not found — apt-get install chromium (the console's browser tests drive it)")
fi

# PostgreSQL: the postgres project creates one database per test file on this server.
pg_url="${RAPPORT_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_host="$(url_host "$pg_url")"
pg_port="$(url_port "$pg_url" 5432)"
if ! pg_up "$pg_host" "$pg_port"; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ] && [ "$pg_host" = 127.0.0.1 ]; then
    started=''
    for version in /etc/postgresql/*/; do
      version="$(basename "$version")"
      [ -d "/etc/postgresql/$version/main" ] || continue
      pg_ctlcluster "$version" main status >/dev/null 2>&1 && continue
      echo "prerequisites: starting PostgreSQL $version (pg_ctlcluster)" >&2
      pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 && started=1
    done
    [ -n "$started" ] && { wait_until pg_up "$pg_host" "$pg_port" || true; }
  fi
  pg_up "$pg_host" "$pg_port" ||
    missing+=("postgresql: no PostgreSQL answers on $pg_host:$pg_port — apt-get install postgresql, then pg_ctlcluster <version> main start (trust auth for user postgres), or set RAPPORT_TEST_PG_URL")
fi

# Redis: tests talk to a real server.
redis_url="${RAPPORT_TEST_REDIS_URL:-redis://127.0.0.1:6379}"
redis_host="$(url_host "$redis_url")"
redis_port="$(url_port "$redis_url" 6379)"
if ! redis_up "$redis_host" "$redis_port"; then
  if command -v redis-server >/dev/null 2>&1 && [ "$redis_host" = 127.0.0.1 ]; then
    echo "prerequisites: starting redis-server on $redis_host:$redis_port" >&2
    redis-server --bind 127.0.0.1 --port "$redis_port" --daemonize yes --save '' --appendonly no >/dev/null 2>&1 &&
      { wait_until redis_up "$redis_host" "$redis_port" || true; }
  fi
  redis_up "$redis_host" "$redis_port" ||
    missing+=("redis: no Redis answers on $redis_host:$redis_port — apt-get install redis-server and start it (redis-server --daemonize yes), or set RAPPORT_TEST_REDIS_URL")
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "prerequisites: the tests need these and they are missing; nothing was run:" >&2
  for m in "${missing[@]}"; do echo "  $m" >&2; done
  exit 1
fi
