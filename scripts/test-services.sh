#!/usr/bin/env bash
# Brings up what `npm test` needs (run as its pretest step): Redis answering on 127.0.0.1:6379
# (started, and installed from Debian if missing) and Chromium at /usr/bin/chromium or
# $CHROMIUM_PATH (installed from Debian if missing) for the browser tests in test/web.
set -euo pipefail

redis_answers() {
  (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q PONG) 2>/dev/null
}

apt_install() {
  if [ "$(id -u)" != "0" ] && ! command -v sudo >/dev/null 2>&1; then
    echo "test services: $1 is missing; install Debian's $1 (apt-get install -y $1)" >&2
    exit 1
  fi
  local sudo=""
  [ "$(id -u)" = "0" ] || sudo="sudo"
  echo "test services: installing $1 from Debian"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "$1" >/dev/null
}

if ! redis_answers; then
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  echo "test services: starting redis-server on 127.0.0.1:6379"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 50); do redis_answers && break; sleep 0.1; done
  redis_answers || { echo "test services: redis did not start" >&2; exit 1; }
fi

if [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then
  apt_install chromium
fi
