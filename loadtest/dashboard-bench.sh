#!/usr/bin/env bash
# The dashboard at 1,000 agents in headless Chromium: see the top of loadtest/DashboardBench.java.
# Needs the built tool (mvn -B -q -DskipTests package), its test classes and Debian's chromium + chromium-driver.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x target/tmux-orc/bin/tmux-orc ] && [ -d target/test-classes ] || mvn -B -q -DskipTests package test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -cp "target/tmux-orc.jar:target/test-classes:$(cat target/test-classpath.txt)" loadtest/DashboardBench.java "$@"
