#!/usr/bin/env bash
# Makes DIST/lib/tmux-orc.jsa, a class-data-sharing archive of the classes a monitor loads, from a training run:
# `tmux-orc demo` (a private tmux server of simulated agents, with the HTTP API and the journal) started through
# DIST/bin/tmux-orc with -XX:ArchiveClassesAtExit, asked every API route, then stopped. The launcher passes the
# archive to the JVM when it exists, which roughly halves the monitor's start-up CPU (docs/benchmarks.md).
#
#   src/build/cds-archive.sh DIST JAVA_HOME      (the package phase runs it: pom.xml, exec-maven-plugin)
#
# Never fails the build: without tmux, or when the training goes wrong, it says so and leaves no archive, and the
# launcher then starts as before. The archive is only for the JDK that made it and this very jar (the JVM checks
# both, and the launcher silences its complaint if they differ: it then runs without the archive).
set -u

dist=$1
export JAVA_HOME=$2
lib=$(cd "$dist/lib" && pwd)
archive=$lib/tmux-orc.jsa
rm -f "$archive"

say() { echo "cds-archive: $*"; }

if ! command -v tmux >/dev/null 2>&1; then
  say "no tmux on the PATH: no archive made (the launcher starts without one)"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tmux-orc-cds.XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# One request on a fresh connection with bash's /dev/tcp (curl may be missing); prints at most 2 s of the answer.
get() {
  local port=$1 path=$2
  if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
    timeout 2 cat <&3 2>/dev/null
    exec 3<&- 3>&-
  fi
}

# The demo's own base directory and journal: nothing of the user's is touched.
TMUX_ORCHESTRATOR_BASE_DIR=$work/base JAVA_OPTS="-XX:ArchiveClassesAtExit=$archive" \
  "$dist/bin/tmux-orc" demo --agents 4 --http-port 0 >"$work/out" 2>&1 </dev/null &
pid=$!

port=""
for _ in $(seq 1 600); do
  port=$(sed -n 's|.*API: *http://127\.0\.0\.1:\([0-9]*\)/api/agents.*|\1|p' "$work/out" | head -n 1)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then
  say "the training run did not serve its API: no archive made (the launcher starts without one)"
  sed 's/^/  /' "$work/out" | tail -n 20
  exit 0
fi

for _ in $(seq 1 100); do
  get "$port" /health/ready | grep -q '"ready"' && break
  sleep 0.1
done
sleep 3 # a few cycles and state changes, journalled
for path in /health/live /health/ready /api/status /api/agents '/api/agents?state=idle' /api/sessions /metrics \
    /api/events?since=0 /api/agents/%251 /api/agents/%251/screen /api/nothing '/api/journal?newest=true' / \
    /vendor/uplot/uPlot.min.css; do
  get "$port" "$path" >/dev/null
done
sleep 1

kill -TERM "$pid"
for _ in $(seq 1 300); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
wait "$pid" 2>/dev/null
pid=""
if [ -s "$archive" ]; then
  say "made $archive ($(du -m "$archive" | cut -f1) MB)"
else
  say "the training run left no archive (the launcher starts without one)"
  sed 's/^/  /' "$work/out" | tail -n 20
fi
exit 0
