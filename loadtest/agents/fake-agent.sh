#!/usr/bin/env bash
# fake-agent.sh - a light fake Claude Code for tmux-orc demos, load tests and benchmarks.
#
# Draws Claude-Code-like screens (see shared/fixtures/screens) into its terminal and moves
# between agent states on a schedule, a seeded random walk, or holds one state.
# Cheap by design: pure bash builtins after start-up (no fork per frame, no sleep process);
# waits are `read -t` on a pipe that never delivers. See README.md beside this file.
set -u

usage() {
  printf '%s\n' \
'usage: fake-agent.sh [options]' \
'' \
'behaviour (one of; default: --schedule "starting:3,working:8,idle:5,waiting:6,working:6,unsubmitted:4,working:5,idle:6")' \
'  --schedule LIST     state:seconds,... cycled forever (see --once)' \
'  --once              run the schedule once, then hold its last item forever' \
'  --random            seeded random walk (starting, then weighted working/idle/waiting/...)' \
'  --seed N            seed for --random (RANDOM=N) and for the screen texts (default: pid)' \
'  --min S / --max S   state duration range for --random (default 3 / 15)' \
'  --state S           hold one state forever' \
'states: starting working idle waiting unsubmitted rate_limited error' \
'faults: crash (exit summary + fake shell prompt, then sleeps forever)' \
'        exit[:CODE] (exits with CODE, default 1: dead pane with remain-on-exit on)' \
'        flood:SECS (prints --flood-rate lines/s for SECS), scrollback:N (prints N thousand lines once)' \
'' \
'other options' \
'  --name NAME         agent name written to the log (default agent-PID)' \
'  --log FILE          append "<epoch-millis> <name> <state> [fault]" after each screen change' \
'  --style box|rules   input style: box "│ > │" + esc to interrupt (default), or ─── rules + ❯ + ctrl+c to interrupt' \
'  --layout bottom|top bottom: screen filled with transcript, live region on the last rows (default);' \
'                      top: short screen drawn from the top, like the fixtures' \
'  --size WxH          screen size (default: the terminal size, else $COLUMNS x $LINES, else 100x30)' \
'  --interactive       react to keys: typing -> unsubmitted, Enter -> working, 1/2/y/Enter in a dialog ->' \
'                      working, 3/Esc in a dialog or Esc while working -> idle' \
'  --react S           seconds a key-triggered state lasts before the behaviour resumes (default 6)' \
'  --flood-rate N      lines per second for flood (default 2000)' \
'  --argv0 NAME        re-exec bash with argv[0]=NAME (e.g. claude) so tmux shows NAME as pane_current_command' \
'' \
'hooks (a Claude Code with tmux-orc hooks installed)' \
'  --hook-url URL      after each state change, POST the matching Claude Code hook event (SessionStart, UserPromptSubmit,' \
'                      PostToolUse, Stop, PermissionRequest / Notification permission_prompt, StopFailure) with' \
'                      X-Tmux-Pane: $TMUX_PANE to URL (http://HOST:PORT/api/hooks/claude); unsubmitted has no hook.' \
'                      Posted from bash itself (/dev/tcp, no fork), like an http-form hook; --random then walks only' \
'                      the transitions Claude Code makes (unsubmitted after a turn ended, waiting -> working, ...)' \
'  --hook-curl         post with curl as `hooks install --form curl` writes it (a fork + exec per event)' \
'  --hook-log FILE     append "<epoch-micros> <name> <event> <http-status> <round-trip-micros>" per hook event' \
'  --screen S          normal (default) | ambiguous: every state but starting (the welcome) draws the same transcript,' \
'                      no prompt, spinner or dialog: only the hooks tell the state (no unsubmitted in --random)' \
'  --help              this text'
}

# ---------------------------------------------------------------- options
orig_args=("$@")
name="agent-$$" log="" schedule="" once=0 mode="" seed="" min=3 max=15 hold=""
style=box layout=bottom size="" interactive=0 react=6 flood_rate=2000 argv0=""
hook_url="" hook_curl=0 hook_log="" screen=normal
die() { printf 'fake-agent: %s\n' "$*" >&2; exit 2; }
while (( $# )); do
  opt=$1
  case $opt in
    --help|-h) usage; exit 0 ;;
    --once) once=1; shift; continue ;;
    --random) mode=random; shift; continue ;;
    --interactive) interactive=1; shift; continue ;;
    --hook-curl) hook_curl=1; shift; continue ;;
    --schedule|--seed|--min|--max|--state|--name|--log|--style|--layout|--size|--react|--flood-rate|--argv0) ;;
    --hook-url|--hook-log|--screen) ;;
    *) die "unknown option $opt (try --help)" ;;
  esac
  (( $# >= 2 )) || die "option $opt needs a value (try --help)"
  val=$2; shift 2
  case $opt in
    --schedule) schedule=$val; mode=schedule ;;
    --seed) seed=$val ;;
    --min) min=$val ;;
    --max) max=$val ;;
    --state) hold=$val; mode=state ;;
    --name) name=$val ;;
    --log) log=$val ;;
    --style) style=$val ;;
    --layout) layout=$val ;;
    --size) size=$val ;;
    --react) react=$val ;;
    --flood-rate) flood_rate=$val ;;
    --argv0) argv0=$val ;;
    --hook-url) hook_url=$val ;;
    --hook-log) hook_log=$val ;;
    --screen) screen=$val ;;
    *) die "unknown option $opt (try --help)" ;;
  esac
done
if [[ -n $argv0 && -z ${FAKE_AGENT_ARGV0-} ]]; then
  export FAKE_AGENT_ARGV0=1
  exec -a "$argv0" "$BASH" "$0" "${orig_args[@]}"
fi
[[ $style == box || $style == rules ]] || die "--style must be box or rules"
[[ $layout == bottom || $layout == top ]] || die "--layout must be bottom or top"
[[ $screen == normal || $screen == ambiguous ]] || die "--screen must be normal or ambiguous"
hook_host="" hook_port="" hook_path=""
if [[ -n $hook_url ]]; then
  [[ $hook_url =~ ^http://([^/:]+):([0-9]+)(/.*)$ ]] || die "--hook-url must be http://HOST:PORT/PATH"
  hook_host=${BASH_REMATCH[1]} hook_port=${BASH_REMATCH[2]} hook_path=${BASH_REMATCH[3]}
fi
isnum() { [[ $1 =~ ^[0-9]+$ ]]; }
for v in "$min" "$max" "$react" "$flood_rate"; do isnum "$v" || die "not a number: $v"; done
(( max >= min && min >= 1 )) || die "need 1 <= --min <= --max"
[[ -z $seed ]] || isnum "$seed" || die "--seed must be a number"
[[ -n $mode ]] || { mode=schedule; schedule="starting:3,working:8,idle:5,waiting:6,working:6,unsubmitted:4,working:5,idle:6"; }

STATES=" starting working idle waiting unsubmitted rate_limited error crash exit flood scrollback "
SCHED_S=() SCHED_D=()
add_item() { # "state[:number]"
  local s=${1%%:*} d=""
  [[ $1 == *:* ]] && d=${1#*:}
  [[ $STATES == *" $s "* ]] || die "unknown state: $s"
  [[ -z $d ]] || isnum "$d" || die "bad number in: $1"
  if [[ -z $d ]]; then case $s in exit) d=1 ;; scrollback) d=5 ;; *) d=5 ;; esac; fi
  SCHED_S+=("$s"); SCHED_D+=("$d")
}
if [[ $mode == schedule ]]; then
  IFS=, read -r -a items <<< "$schedule"
  for it in "${items[@]}"; do [[ -n $it ]] && add_item "$it"; done
  (( ${#SCHED_S[@]} )) || die "empty --schedule"
elif [[ $mode == state ]]; then
  add_item "$hold"
fi

# ---------------------------------------------------------------- environment
{ LC_ALL=C.UTF-8; } 2>/dev/null                 # ${#s} and ${s:i:n} must count characters
[[ $LC_ALL == C.UTF-8 ]] || { LC_ALL=en_US.UTF-8; } 2>/dev/null
exec 3<> <(:)                                     # a pipe that never delivers: read -t 3 = sleep
if [[ -n $log ]]; then exec 4>>"$log" || die "cannot open log $log"; fi
if [[ -n $hook_log ]]; then exec 6>>"$hook_log" || die "cannot open hook log $hook_log"; fi

cols="" rows=""
if [[ -n $size ]]; then
  [[ $size =~ ^([0-9]+)x([0-9]+)$ ]] || die "--size must be WxH"
  cols=${BASH_REMATCH[1]} rows=${BASH_REMATCH[2]}
fi
env_cols=${COLUMNS-} env_rows=${LINES-}
get_size() {   # one fork (a subshell, no exec): bash refreshes COLUMNS/LINES after a child exits
  [[ -n $size ]] && return
  cols="" rows=""
  if [[ -t 1 ]]; then shopt -s checkwinsize; unset COLUMNS LINES; (:); cols=${COLUMNS-} rows=${LINES-}; fi
  [[ -n $cols && -n $rows ]] || { cols=$env_cols; rows=$env_rows; }
  isnum "${cols:-x}" || cols=100; isnum "${rows:-x}" || rows=30
  (( cols < 40 )) && cols=40; (( rows < 8 )) && rows=8
  return 0
}
get_size
resized=0
trap 'resized=1' WINCH

if [[ -n ${EPOCHREALTIME-} ]]; then
  now_us() { REPLY=${EPOCHREALTIME/[.,]/}; }
else
  now_us() { REPLY=$(date +%s%6N); }
fi
logstate() {   # state [fault]  -- after the frame is drawn
  [[ -n $log ]] || return 0
  now_us
  printf '%s %s %s%s\n' "${REPLY%???}" "$name" "$1" "${2:+ $2}" >&4
}

# ---------------------------------------------------------------- hooks (--hook-url)
hook_session="fake-$name-${seed:-$$}" hook_n=0 prev_state=""
post_hook() {   # event-name [extra JSON fields] -- one POST, like Claude Code's hook handler
  local body="{\"hook_event_name\":\"$1\",\"session_id\":\"$hook_session\",\"cwd\":\"/home/dev/projects/demo\"${2:+,$2}}"
  local t0 code=000 line
  now_us; t0=$REPLY
  if (( hook_curl )); then
    code=$(curl -s -m 0.5 -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      -H "X-Tmux-Pane: ${TMUX_PANE-}" --data-binary "$body" "$hook_url" 2>/dev/null) || code=${code:-000}
  elif { exec 5<>"/dev/tcp/$hook_host/$hook_port"; } 2>/dev/null; then
    printf 'POST %s HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/json\r\nX-Tmux-Pane: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
      "$hook_path" "$hook_host" "$hook_port" "${TMUX_PANE-}" "${#body}" "$body" >&5 2>/dev/null
    if read -r -t 1 -u 5 line; then code=${line#* }; code=${code%% *}; fi
    exec 5>&-
  fi
  [[ -n $hook_log ]] || return 0
  now_us; printf '%s %s %s %s %s\n' "$t0" "$name" "$1" "${code:-000}" "$(( REPLY - t0 ))" >&6
}
hook_for() {   # new state (prev_state = the one before): posts the event Claude Code sends for it
  [[ -n $hook_url ]] || return 0
  case $1 in
    starting) post_hook SessionStart '"source":"startup"' ;;
    working)
      if [[ $prev_state == waiting ]]; then post_hook PostToolUse '"tool_name":"Bash"'
      else post_hook UserPromptSubmit; fi ;;
    idle) post_hook Stop ;;
    waiting)
      if (( hook_n++ % 2 )); then post_hook Notification '"notification_type":"permission_prompt"'
      else post_hook PermissionRequest '"tool_name":"Bash"'; fi ;;
    rate_limited) post_hook StopFailure '"error_type":"rate_limit"' ;;
    error) post_hook StopFailure '"error_type":"server_error"' ;;
    exit) post_hook SessionEnd '"reason":"other"' ;;
  esac     # unsubmitted (typing), crash, flood, scrollback: no hook event
}
# the transitions Claude Code makes, for --random with hooks: a new state must be allowed after the last
hook_allows() {   # prev next
  [[ -n $hook_url ]] || return 0
  [[ $screen == ambiguous && $2 == unsubmitted ]] && return 1   # nothing would tell it
  case $1 in
    starting|idle|unsubmitted|error|rate_limited) [[ $2 == working || $2 == unsubmitted ]] ;;
    working) [[ $2 != unsubmitted ]] ;;   # typing comes after the turn ended (idle first)
    waiting) [[ $2 == working ]] ;;       # the permission answered: the tool runs
    *) return 0 ;;
  esac
}

# texts vary per agent: a small LCG seeded from --seed (or the pid), independent of RANDOM
cr=$(( ${seed:-$$} * 7919 + 17 ))
crand() { cr=$(( (cr * 1103515245 + 12345) & 0x7fffffff )); REPLY=$(( (cr >> 8) % $1 )); }

# ---------------------------------------------------------------- screen pieces
precompute() {
  local p; printf -v p '%*s' "$cols" ''
  RULE=${p// /─}
  BOX_TOP="╭${RULE:0:cols-2}╮"; BOX_BOT="╰${RULE:0:cols-2}╯"; BOX_EMPTY="│${p:0:cols-2}│"
  SP=$p
}
precompute
pad() { # text width -> REPLY (character-padded / cut)
  local s=$1 n=$(( $2 - ${#1} ))
  if (( n < 0 )); then REPLY=${s:0:$2}; else REPLY=$s${SP:0:n}; fi
}
boxl() { pad "$1" $((cols - 4)); F+=("│ $REPLY │"); }

GERUNDS=(Pondering Compiling Thinking Cogitating Brewing Crafting Percolating Reticulating
         Synthesizing Noodling Musing Churning Wrangling Schlepping Finagling Spelunking Simmering)
GLYPHS=('·' '✢' '✳' '✶' '✻' '✽')

# scenes: prompt | intro | tool1 | result1 | tool2 | result2 | answer1 | answer2 | perm intro | cmd | desc | kind | typed
SCENES=(
'Add input validation to the signup form and cover it with tests|I'"'"'ll start by reading the current form handler.|Read(src/forms/signup.ts)|Read 84 lines (ctrl+r to expand)|Update(src/forms/signup.ts)|Updated src/forms/signup.ts with 12 additions|All 42 tests pass. The validation now rejects empty e-mails and passwords|shorter than 12 characters, and the error messages are shown inline.|I need to remove the stale build directory before rebuilding.|rm -rf build/ \&\& ./gradlew assemble|Remove stale build output and rebuild|rm|please run the migration against the staging database now'
'Fix the flaky retry test in the API client|Let me look at the test and the retry helper first.|Read(src/api/client.test.ts)|Read 212 lines (ctrl+r to expand)|Bash(npm test -- client)|Running…|Done. I pushed the branch `fix/retry-backoff` and opened the summary in|NOTES.md.|I'"'"'ll start the test database and run the integration suite.|docker compose up -d db \&\& npm run test:int|Start the test database and run integration tests|docker|Now update the README to describe the new --dry-run flag'
'Migrate the users table to the new schema|I'"'"'ll check the current schema and the existing migrations.|Search(pattern: "CREATE TABLE users", path: "db")|Found 3 files|Write(db/migrations/0042_users_v2.sql)|Wrote 37 lines to db/migrations/0042_users_v2.sql|The migration is written. Tell me when you want me to run it.||I want to check the migration against a scratch database.|psql -d scratch -f db/migrations/0042_users_v2.sql|Apply the migration to the scratch database|psql|ok, also add a rollback script and a test for it'
'Speed up the CSV export, it takes minutes for large accounts|I'"'"'ll profile the export path before changing anything.|Bash(cargo build --release)|Finished `release` profile [optimized] target(s) in 48.12s|Update(src/export/csv.rs)|Updated src/export/csv.rs with 21 additions and 9 removals|Refactor complete; 9 files changed. The export now streams rows instead|of building the whole file in memory (4.1 s -> 0.6 s on the sample).|I'"'"'d like to run the export benchmark to confirm the speed-up.|cargo bench --bench export|Run the CSV export benchmark|cargo|looks good, open a PR with a short summary'
'Add a /healthz endpoint to the server|I'"'"'ll find where the routes are registered.|Read(cmd/server/main.go)|Read 96 lines (ctrl+r to expand)|Update(internal/http/routes.go)|Updated internal/http/routes.go with 18 additions|Added GET /healthz returning 200 with the build version; covered by|TestHealthz in internal/http/routes_test.go.|I need to run the package tests to make sure nothing else broke.|go test ./internal/...|Run the internal package tests|go|also expose the git commit in the response'
)
HISTORY=(
'> Add a retry with backoff to the webhook sender'
''
'⏺ I'"'"'ll look at how webhooks are sent today.'
''
'⏺ Read(src/webhooks/sender.ts)'
'  ⎿  Read 140 lines (ctrl+r to expand)'
''
'⏺ Update(src/webhooks/sender.ts)'
'  ⎿  Updated src/webhooks/sender.ts with 26 additions and 4 removals'
''
'⏺ Bash(npm test)'
'  ⎿  FAIL src/api/client.test.ts'
'     Tests: 3 failed, 57 passed, 60 total'
'     Build failed: see above'
''
'⏺ Three tests failed because the mock server was killed before the retries'
'  finished. I fixed the teardown order; the suite is green again.'
''
'> now make the retry backoff configurable'
''
'⏺ Search(pattern: "backoff", path: "src")'
'  ⎿  Found 6 files'
''
'⏺ Read(src/net/retry.ts)'
'  ⎿  Read 132 lines (ctrl+r to expand)'
''
'⏺ Update(src/net/retry.ts)'
'  ⎿  Updated src/net/retry.ts with 9 additions and 3 removals'
''
'⏺ Bash(git diff --stat)'
'  ⎿   src/net/retry.ts   | 12 +++++++++---'
'      src/config.ts      |  4 ++++'
'      2 files changed, 13 insertions(+), 3 deletions(-)'
''
'⏺ Done. Backoff base and cap are now read from `retry.backoff` in config.yml,'
'  with the old values as defaults.'
''
)
load_scene() { crand ${#SCENES[@]}; IFS='|' read -r -a SC <<< "${SCENES[REPLY]}"; }
load_scene
typed=""          # text typed by a user (--interactive)
user_prompt=""    # the prompt that started the current work (--interactive)

# prompt block (box or rules) holding $1; $2 = placeholder instead of text
prompt_block() {
  if [[ $style == box ]]; then
    F+=("$BOX_TOP"); prompt_i=${#F[@]}
    if [[ -n $1 ]]; then boxl "> $1"; prompt_col=$(( 5 + ${#1} ))
    elif [[ -n ${2-} ]]; then boxl "> $2"; prompt_col=5
    else boxl ">"; prompt_col=5; fi
    F+=("$BOX_BOT" "  ? for shortcuts")
  else
    F+=("$RULE"); prompt_i=${#F[@]}
    if [[ -n $1 ]]; then F+=("❯ $1"); prompt_col=$(( 3 + ${#1} ))
    elif [[ -n ${2-} ]]; then F+=("❯ $2"); prompt_col=3
    else F+=("❯ "); prompt_col=3; fi
    F+=("$RULE" "  ⏵⏵ accept edits on (shift+tab to cycle)")
  fi
}
tool() { F+=("⏺ $1" "  ⎿  $2"); }

compose() {  # state -> F (lines), spin_i, prompt_i, prompt_col, fill (use history above)
  F=(); spin_i=-1; prompt_i=-1; prompt_col=1; fill=1
  if [[ $screen == ambiguous && $1 != starting ]]; then   # the same transcript: no prompt, spinner, dialog
    F+=("⏺ ${SC[6]}"); [[ -n ${SC[7]} ]] && F+=("  ${SC[7]}"); F+=('')
    user_prompt=""; return 0
  fi
  case $1 in
    starting)
      fill=0
      if [[ $style == box ]]; then
        F+=('╭───────────────────────────────────────────────────╮'
            '│ ✻ Welcome to Claude Code!                         │'
            '│                                                   │'
            '│   /help for help, /status for your current setup  │'
            '│                                                   │'
            '│   cwd: /home/dev/projects/demo                    │'
            '╰───────────────────────────────────────────────────╯' ''
            ' Tips for getting started:' ''
            ' 1. Run /init to create a CLAUDE.md file with instructions for Claude'
            ' 2. Use Claude to help with file analysis, editing, bash commands and git'
            ' 3. Be as specific as you would with another engineer for the best results' '')
        prompt_block "" 'Try "help" for more information'
      else
        F+=(' ▐▛███▜▌   Claude Code v2.0.14' '▝▜█████▛▘  Sonnet 4.5 · Claude Pro' '  ▘▘ ▝▝    /home/dev/projects/demo' '')
        prompt_block "" 'Try "refactor <filepath>"'
      fi ;;
    working)
      F+=("> ${user_prompt:-${SC[0]}}" '' "⏺ ${SC[1]}" '')
      tool "${SC[2]}" "${SC[3]}"; F+=('')
      [[ -n $user_prompt ]] || { tool "${SC[4]}" "${SC[5]}"; F+=(''); }
      spin_i=${#F[@]}; spin_text "${e:-0}"; F+=("$REPLY" '')
      prompt_block "$typed" ;;
    idle)
      if [[ -n ${interrupted-} ]]; then F+=("> ${user_prompt:-${SC[0]}}" '  ⎿  Interrupted by user' '')
      else F+=("⏺ ${SC[6]}"); [[ -n ${SC[7]} ]] && F+=("  ${SC[7]}"); F+=(''); fi
      prompt_block "" ;;
    unsubmitted)
      F+=("⏺ ${SC[6]}"); [[ -n ${SC[7]} ]] && F+=("  ${SC[7]}"); F+=('')
      prompt_block "${typed:-${SC[12]}}" ;;
    waiting)
      F+=("⏺ ${SC[8]}" '' "$BOX_TOP")
      boxl "Bash command"; F+=("$BOX_EMPTY"); boxl "  ${SC[9]//\\&/&}"; boxl "  ${SC[10]}"; F+=("$BOX_EMPTY")
      boxl "Do you want to proceed?"; boxl "❯ 1. Yes"
      boxl "  2. Yes, and don't ask again for ${SC[11]} commands in /home/dev/projects/demo"
      boxl "  3. No, and tell Claude what to do differently (esc)"
      F+=("$BOX_BOT") ;;
    rate_limited)
      local h h12 ap; now_us; h=$(( (REPLY / 3600000000 + 2) % 24 ))   # UTC hour, 1-2 h ahead
      h12=$(( h % 12 )); (( h12 == 0 )) && h12=12; ap=am; (( h >= 12 )) && ap=pm
      tool "${SC[4]}" "${SC[5]/Running…/Done}"; F+=('')
      if [[ $style == box ]]; then
        F+=("  ⎿  Claude usage limit reached. Your limit will reset at ${h12}${ap} (UTC)." ''
            '      • /upgrade to increase your usage limit.' '')
      else
        F+=("  ⎿  You've hit your limit · resets ${h12}${ap} (UTC)" '     /upgrade to increase your usage limit.' '')
      fi
      prompt_block "" ;;
    error)
      tool "${SC[2]}" "${SC[3]}"
      F+=('  ⎿  API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' '')
      prompt_block "" ;;
  esac
  [[ $1 == working ]] || user_prompt=""
}

hoff=0
render() {   # draws F as one full screen; sets spin_row, prompt_row
  local i n=${#F[@]} used=0 r skip=0 row=1 out need h
  local -a R=()
  for ((i = 0; i < n; i++)); do
    r=${#F[i]}; (( r = r > 0 ? (r + cols - 1) / cols : 1 )); R[i]=$r; (( used += r ))
  done
  while (( used > rows && skip < n - 1 )); do (( used -= R[skip], skip++ )); done
  out=$'\033[H\033[2J'
  if (( fill && used < rows )) && [[ $layout == bottom ]]; then
    need=$(( rows - used )); crand ${#HISTORY[@]}; hoff=$REPLY
    for ((i = 0; i < need - 1; i++)); do
      h=${HISTORY[(hoff + i) % ${#HISTORY[@]}]}; out+=${h:0:cols}$'\n'; (( row++ ))
    done
    out+=$'\n'; (( row++ ))   # blank line between the old transcript and the current turn
  fi
  spin_row=0 prompt_row=0
  for ((i = skip; i < n; i++)); do
    (( i == spin_i )) && spin_row=$row
    (( i == prompt_i )) && prompt_row=$row
    out+=${F[i]}; (( i < n - 1 )) && out+=$'\n'
    (( row += R[i] ))
  done
  last_row=$(( row - 1 ))
  (( prompt_row )) && out+=$'\033['"$prompt_row;${prompt_col}H"
  printf '%s' "$out"
}

# ---------------------------------------------------------------- working spinner
[[ $style == box ]] && intr=esc || intr=ctrl+c
spin_text() {   # elapsed seconds -> REPLY
  local e=$1 t tok
  (( e < 60 )) && t="${e}s" || t="$(( e / 60 ))m $(( e % 60 ))s"
  (( tokens < 1000 )) && tok=$tokens || tok="$(( tokens / 1000 )).$(( tokens % 1000 / 100 ))k"
  REPLY="${GLYPHS[e % ${#GLYPHS[@]}]} $gerund… ($t · $arrow $tok tokens · $intr to interrupt)"
}
spin_line() {   # elapsed seconds -> redraws only the spinner line, cursor back into the prompt
  spin_text "$1"
  printf '\033[%d;1H\033[2K%s\033[%d;%dH' "$spin_row" "$REPLY" "$prompt_row" "$prompt_col"
}

# ---------------------------------------------------------------- keys (--interactive)
NS="" ND=0
on_key() {   # key in $1; may set NS/ND (state switch) and return 1
  local k=$1 k2 line
  if [[ $k == $'\e' ]]; then           # lone Esc, or an escape sequence (arrows...) to swallow
    if read -r -s -N 1 -t 0.02 k2; then [[ $k2 == '[' || $k2 == O ]] && read -r -s -N 1 -t 0.02 k2; return 0; fi
  fi
  case $cur in
    working) [[ $k == $'\e' ]] && { interrupted=1; NS=idle; ND=$react; return 1; } ;;
    waiting)
      case $k in
        1|2|y|Y|$'\n'|$'\r') NS=working; ND=$react; return 1 ;;
        3|n|N|$'\e') interrupted=1; NS=idle; ND=$react; return 1 ;;
      esac ;;
    starting|idle|unsubmitted|error)
      case $k in
        $'\n'|$'\r')
          [[ -n $typed ]] || return 0
          user_prompt=$typed; typed=""; NS=working; ND=$react; return 1 ;;
        $'\x7f'|$'\b') typed=${typed%?} ;;
        *) [[ $k == [[:print:]] ]] || return 0; typed+=$k ;;
      esac
      if [[ $cur != unsubmitted ]]; then NS=unsubmitted; ND=$react; return 1; fi
      if [[ $style == box ]]; then pad "> $typed" $((cols - 4)); line="│ $REPLY │"; prompt_col=$(( 5 + ${#typed} ))
      else line="❯ $typed"; prompt_col=$(( 3 + ${#typed} )); fi
      (( prompt_col > cols )) && prompt_col=$cols
      printf '\033[%d;1H\033[2K%s\033[%d;%dH' "$prompt_row" "$line" "$prompt_row" "$prompt_col" ;;
  esac
  return 0
}

# wait until absolute time $1 (µs; 0 = forever), in steps of at most 1 s.
# returns 0 at the time, 1 after a key-made switch (NS/ND), 2 after a terminal resize
wait_until() {
  local end=$1 left t k
  while :; do
    now_us
    if (( end )); then left=$(( end - REPLY )); (( left <= 0 )) && return 0; (( left > 1000000 )) && left=1000000
    else left=1000000; fi
    printf -v t '%d.%06d' $(( left / 1000000 )) $(( left % 1000000 ))
    if (( interactive )); then
      if read -r -s -N 1 -t "$t" k; then on_key "$k" || return 1; fi
    else
      read -t "$t" -u 3 k
    fi
    if (( resized )); then resized=0; get_size; precompute; return 2; fi
  done
}

# ---------------------------------------------------------------- states
last_row=1
run_state() {   # state number [hold] -> 0 done, 1 switched by a key (NS/ND set)
  local st=$1 d=$2 hold=${3-} start end next e rc i c arr per base
  cur=$st
  case $st in
    crash)
      printf '\033[%d;1H\n\nTotal cost:            $1.42\nTotal duration (API):  6m 3.2s\nTotal duration (wall): 41m 12.5s\nTotal code changes:    212 lines added, 38 lines removed\ndev@buildbox:~/projects/demo$ ' "$last_row"
      logstate crashed crash
      while :; do read -u 3 k; done ;;
    exit)
      logstate crashed exit; hook_for exit; exit "$d" ;;
    flood)   # batches every 50 ms; d seconds (forever when held)
      per=$(( flood_rate / 20 )) base=0; (( per < 1 )) && per=1
      printf '\033[%d;1H\n' "$last_row"
      now_us; start=$REPLY; end=$(( start + d * 1000000 )); next=$start; i=0
      while :; do
        arr=(); for ((e = 0; e < per; e++)); do arr+=($(( base + e ))); done; (( base += per ))
        printf '     [build] compiling src/modules/mod_%06d.ts ... ok (12 ms)\n' "${arr[@]}"
        (( i++ == 0 )) && logstate working flood
        (( next += 50000 )); [[ -z $hold ]] && (( next >= end )) && break
        wait_until "$next"
      done
      last_row=$rows; return 0 ;;
    scrollback)   # d thousand lines, once
      printf '\033[%d;1H\n' "$last_row"
      for ((c = 0; c < d; c++)); do
        arr=(); for ((e = 1; e <= 1000; e++)); do arr+=($(( c * 1000 + e ))); done
        printf '  ⎿  line %07d of a very long tool output that fills the scrollback history\n' "${arr[@]}"
      done
      logstate working scrollback; last_row=$rows
      [[ -n $hold ]] && while :; do read -u 3 k; done
      return 0 ;;
  esac
  [[ $st == idle || $st == working ]] || interrupted=""
  load_scene
  if [[ $st == working ]]; then
    crand ${#GERUNDS[@]}; gerund=${GERUNDS[REPLY]}; crand 500; tokens=$(( REPLY + 20 ))
    crand 5; (( REPLY )) && arrow='↓' || arrow='↑'
  fi
  compose "$st"; render
  logstate "$st"
  hook_for "$st"; prev_state=$st
  interrupted=""
  now_us; start=$REPLY
  [[ -n $hold ]] && end=0 || end=$(( start + d * 1000000 ))
  e=0
  while :; do
    if [[ $st == working ]]; then next=$(( start + (e + 1) * 1000000 )); (( end && next > end )) && next=$end
    else next=$end; fi
    wait_until "$next"; rc=$?
    (( rc == 1 )) && return 1
    now_us; (( end && REPLY >= end )) && return 0
    if [[ $st == working ]]; then
      e=$(( (REPLY - start) / 1000000 )); crand 120; (( tokens += REPLY + 15 ))
      (( rc == 2 )) && { compose "$st"; render; }
      (( spin_row )) && spin_line "$e"
    elif (( rc == 2 )); then compose "$st"; render
    fi
  done
}

enter() {   # state number [hold]; key-made switches run in its place, then the behaviour resumes
  local s=$1 d=$2 h=${3-}
  while ! run_state "$s" "$d" "$h"; do s=$NS d=$ND h=""; done
}

[[ -t 0 ]] || interactive=0
cleanup() { stty "$saved_stty" 2>/dev/null; }
if (( interactive )); then
  saved_stty=$(stty -g); stty -echo -icanon min 1 time 0; trap cleanup EXIT
fi

if [[ $mode == random ]]; then
  RANDOM=${seed:-$$}
  WS=(working idle waiting unsubmitted error rate_limited) WW=(42 28 12 8 5 5)
  span=$(( max - min + 1 ))
  enter starting $(( min + RANDOM % span ))
  prev=starting
  while :; do
    while :; do
      r=$(( RANDOM % 100 )) j=0
      while (( r >= WW[j] )); do (( r -= WW[j], j++ )); done
      [[ ${WS[j]} != "$prev" ]] && hook_allows "$prev" "${WS[j]}" && break
    done
    prev=${WS[j]}
    enter "$prev" $(( min + RANDOM % span ))
  done
else
  n=${#SCHED_S[@]}
  while :; do
    for ((k = 0; k < n; k++)); do
      if [[ $mode == state ]] || (( once && k == n - 1 )); then
        enter "${SCHED_S[k]}" "${SCHED_D[k]}" hold      # the last item is held forever
      else
        enter "${SCHED_S[k]}" "${SCHED_D[k]}"
      fi
    done
  done
fi
