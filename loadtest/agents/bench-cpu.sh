#!/usr/bin/env bash
# bench-cpu.sh - CPU cost of N fake agents in a private tmux server.
# usage: bench-cpu.sh [N=200] [SECONDS=30] [-- fake-agent options...]
#   default agent options: --random --seed <i> (a mix of states, ~40% working)
# Starts N panes (N/10 sessions x 10 windows, each 120x40, each running fake-agent.sh directly,
# named "claude" via --argv0), waits 5 s, then samples utime+stime of every agent process
# (plus reaped children) and of the tmux server from /proc over SECONDS, prints the totals and
# kills the private server.
set -u
N=${1:-200}; SECS=${2:-30}; shift $(( $# >= 2 ? 2 : $# ))
[[ ${1-} == -- ]] && shift
here=$(cd "$(dirname "$0")" && pwd)
agent=$here/fake-agent.sh
sock=fa-bench-$$
T=(tmux -L "$sock" -f /dev/null)
cmds=$(mktemp)
trap '"${T[@]}" kill-server 2>/dev/null; rm -f "$cmds"' EXIT

q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
for ((i = 0; i < N; i++)); do
  s=$(( i / 10 )) w=$(( i % 10 ))
  if (( $# )); then args=("$@"); else args=(--random --seed "$((i + 1))"); fi
  line="$(q "$agent") --argv0 claude --name a$i"
  for a in "${args[@]}"; do line+=" $(q "$a")"; done
  if (( w == 0 )); then
    echo "new-session -d -s s$s -x 120 -y 40 -n w0 $(q "$line")"
  else
    echo "new-window -d -t s$s: -n w$w $(q "$line")"
  fi
done > "$cmds"
"${T[@]}" start-server \; source-file "$cmds"
sleep 5
mapfile -t pids < <("${T[@]}" list-panes -a -F '#{pane_pid}')
spid=$("${T[@]}" display -p '#{pid}')
tck=$(getconf CLK_TCK)
sample() {  # sum of utime+stime+cutime+cstime (ticks) of the given pids
  local p sum=0 f
  for p in "$@"; do
    [[ -r /proc/$p/stat ]] || continue
    read -r -a f < "/proc/$p/stat"
    # fields after "(comm)": index 13..16 = utime stime cutime cstime (comm has no spaces here)
    (( sum += f[13] + f[14] + f[15] + f[16] ))
  done
  echo "$sum"
}
a0=$(sample "${pids[@]}"); s0=$(sample "$spid"); t0=$EPOCHREALTIME
sleep "$SECS"
a1=$(sample "${pids[@]}"); s1=$(sample "$spid"); t1=$EPOCHREALTIME
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
awk -v n="${#pids[@]}" -v da=$((a1 - a0)) -v ds=$((s1 - s0)) -v hz="$tck" -v w="$wall" 'BEGIN{
  printf "agents=%d wall=%.1fs agents_cpu=%.2f%% of one core (%.3f%% each) tmux_server_cpu=%.2f%%\n",
         n, w, 100*da/hz/w, 100*da/hz/w/n, 100*ds/hz/w }'
echo "nproc=$(nproc) date=$(date -u +%Y-%m-%dT%H:%MZ) load=$(cut -d' ' -f1-3 /proc/loadavg)"
for p in "${pids[@]}"; do awk '$1=="Pss:"{print $2}' "/proc/$p/smaps_rollup" 2>/dev/null; done |
  awk '{s+=$1} END{printf "agents_pss_total=%.0f MB (proportional set size: shared bash pages split)\n", s/1024}'
