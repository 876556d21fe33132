#!/usr/bin/env bash
# smoke.sh - run the smoke load test against a built tmux-orc jar; exit non-zero when it fails.
#
#   loadtest/smoke.sh [JAR] [LoadTest options...]     e.g.  loadtest/smoke.sh target/tmux-orc.jar
#
# Builds nothing. Runs the monitor through the launcher beside the jar when there is one. Starts a private tmux server (tmux -L lt-smoke-...), 10 fake agents and the monitor, runs
# for 30 s and checks 0 missed / 0 wrong detections (loadtest/scenarios/smoke.conf). The report goes to
# loadtest/results/smoke-<date>/ (or --out DIR). Needs java 17+, tmux and bash 5 on PATH.
set -euo pipefail

jar=${1:-target/tmux-orc.jar}
[[ $# -gt 0 ]] && shift
[[ -f $jar ]] || { echo "smoke.sh: no jar at $jar (build it first: mvn -B package)" >&2; exit 2; }
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
command -v tmux >/dev/null || { echo "smoke.sh: tmux is not installed" >&2; exit 2; }
command -v java >/dev/null || { echo "smoke.sh: java is not installed" >&2; exit 2; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# Run the monitor as users do, through the launcher built beside the jar (target/tmux-orc/bin/tmux-orc), when
# there is one.
launcher=$(dirname "$jar")/tmux-orc/bin/tmux-orc
if [[ -x $launcher ]]; then
  exec java -cp "$jar" loadtest/LoadTest.java smoke --jar "$jar" --launcher "$launcher" "$@"
fi
exec java -cp "$jar" loadtest/LoadTest.java smoke --jar "$jar" "$@"
