#!/usr/bin/env bash
# Makes DIST/lib/tmux-orc.jsa, a class-data-sharing archive of the classes tmux-orc loads, from a training run:
# `tmux-orc demo` (a private tmux server of simulated agents, with the HTTP API and the journal) started through
# DIST/bin/tmux-orc, asked every API route and a few commands, then stopped. Each JVM of the training writes the
# classes it loaded (-XX:DumpLoadedClassList); the JDK then dumps them, parsed and verified, into one static
# archive (-Xshare:dump), which the launcher passes to every tmux-orc JVM: it roughly halves the monitor's start-up
# CPU (docs/benchmarks.md).
#
# A static archive, not a dynamic one (-XX:ArchiveClassesAtExit): JDK 17 leaves classes of Java 5's class file
# format out of a dynamic archive, and picocli's are (every command parses its arguments with it); a static dump
# takes them (docs/benchmarks.md, Run 10).
#
#   src/build/cds-archive.sh DIST JAVA_HOME      (the package phase runs it: pom.xml, exec-maven-plugin)
#
# Never fails the build: without tmux, or when the training or the dump goes wrong, it says so and leaves no
# archive, and the launcher then starts without one. The archive is only for the JDK that made it and this very
# jar at this very path: DIST/lib/tmux-orc.jsa.stamp records them, and the launcher passes the archive on only
# when they match (else the JDK's own archive applies).
set -u

dist=$1
export JAVA_HOME=$2
lib=$(cd "$dist/lib" && pwd)
archive=$lib/tmux-orc.jsa
rm -f "$archive" "$archive.stamp"

say() { echo "cds-archive: $*"; }

# What an archive is made for: the JDK's exact version and the jar (path, size, modification time). The launcher
# (src/main/dist/bin/tmux-orc) computes the same line the same way.
stamp() {
  local release=$1/release jar=$2
  printf '%s %s %s\n' "$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$release" 2>/dev/null)" "$jar" \
    "$(stat -c '%s %Y' "$jar")"
}

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
export TMUX_ORCHESTRATOR_BASE_DIR=$work/base
JAVA_OPTS="-XX:DumpLoadedClassList=$work/demo.classes" \
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
# A few commands, each JVM writing its own list: their parsing, the configuration, a scan. Those that read tmux
# read the demo's private server (-L, and no $TMUX to fall back on): never the server of whoever builds.
socket=$(sed -n 's|.*tmux -L \([^ ]*\) attach.*|\1|p' "$work/out" | head -n 1)
commands=("--version" "monitor status --json" "config check" "monitor start --help")
if [ -n "$socket" ]; then
  commands+=("status --json -L $socket" "health -L $socket")
fi
n=0
for command in "${commands[@]}"; do
  n=$((n + 1))
  # shellcheck disable=SC2086 # each command is several words
  env -u TMUX JAVA_OPTS="-XX:DumpLoadedClassList=$work/command-$n.classes" "$dist/bin/tmux-orc" $command \
    >/dev/null 2>&1 </dev/null
done
sleep 1

kill -TERM "$pid"
for _ in $(seq 1 300); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
wait "$pid" 2>/dev/null
pid=""
if [ ! -s "$work/demo.classes" ]; then
  say "the training run listed no classes (the launcher starts without an archive)"
  sed 's/^/  /' "$work/out" | tail -n 20
  exit 0
fi
# One list, each class once, in the order first loaded. (JDK 17 lists bare names; a later JDK's lists may number
# their classes per JVM, which a merged list would repeat: then the demo's list alone is dumped.)
cat "$work/demo.classes" "$work"/command-*.classes 2>/dev/null | awk '!seen[$0]++' >"$work/all.classes"
# The class path as the launcher's -jar and the daemon's -cp name it: the jar's absolute path.
dump() {
  "$JAVA_HOME/bin/java" -Xshare:dump -XX:+UseSerialGC -XX:SharedClassListFile="$1" \
    -XX:SharedArchiveFile="$archive" -cp "$lib/tmux-orc.jar" >"$work/dump" 2>&1 && [ -s "$archive" ]
}
if dump "$work/all.classes" || dump "$work/demo.classes"; then
  # What the archive was made for, which the launcher compares before it passes it on: with another JDK or jar
  # the JVM would refuse it and run without sharing any class at all, not even the JDK's own archive's.
  stamp "$JAVA_HOME" "$lib/tmux-orc.jar" >"$archive.stamp"
  say "made $archive ($(du -m "$archive" | cut -f1) MB, $(wc -l <"$work/all.classes") classes listed)"
else
  rm -f "$archive" "$archive.stamp"
  say "the JDK could not dump the archive (the launcher starts without one)"
  grep -v -e 'Preload Warning' -e 'Skipping' "$work/dump" | sed 's/^/  /' | tail -n 20
fi
exit 0
