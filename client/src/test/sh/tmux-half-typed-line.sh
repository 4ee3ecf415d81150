#!/usr/bin/env bash
# Real-terminal test of the interactive client (issue 5), under tmux:
#   1. alice runs the client in a tmux pane (120x30) and types half a line, without Enter;
#   2. bob, a piped client, says something in the same room;
#   3. the pane must show bob's message on its own line ABOVE the prompt, and the prompt line
#      must still hold alice's half-typed text, intact;
#   4. alice presses Enter: her line must reach the server (checked with a third client's /history)
#      and show once, as the server's echo (the typed line is erased);
#   5. /quit must end the client with status 0.
#
# Usage: bash client/src/test/sh/tmux-half-typed-line.sh
# Environment (all optional):
#   LOOMCHAT_PORT     use the server already listening on 127.0.0.1:PORT (else one is started
#                     with ./loomchat server on a free port, and stopped at the end)
#   LOOMCHAT_CLIENT   the command that runs the client (default: ./loomchat client)
#   TMUX_TEST_TIMEOUT seconds to wait for each step (default 30)
# Exit status 0 = pass (or "SKIP: tmux not installed"), 1 = fail. Every process it starts is
# stopped by PID; tmux runs on a private socket, so other tmux sessions are never touched.
set -euo pipefail

if ! command -v tmux >/dev/null 2>&1; then
  echo "SKIP: tmux not installed (apt-get install tmux; .ci/setup does it on CI)"
  exit 0
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
timeout=${TMUX_TEST_TIMEOUT:-30}
room='#tmux'
half='half typed line'
work=$(mktemp -d "${TMPDIR:-/tmp}/loomchat-tmux.XXXXXX")
sock="$work/tmux.sock"
server_pid=""
tmux_pid=""
pane_pid=""
alice_pid=""

tm() { tmux -S "$sock" "$@"; }

cleanup() {
  local status=$?
  [ -f "$work/alice.pid" ] && alice_pid=$(cat "$work/alice.pid")
  if [ -n "$alice_pid" ] && kill -0 "$alice_pid" 2>/dev/null; then kill "$alice_pid" 2>/dev/null || true; fi
  if [ -n "$pane_pid" ] && kill -0 "$pane_pid" 2>/dev/null; then kill "$pane_pid" 2>/dev/null || true; fi
  if [ -n "$tmux_pid" ]; then
    tm kill-server 2>/dev/null || true
    if kill -0 "$tmux_pid" 2>/dev/null; then kill "$tmux_pid" 2>/dev/null || true; fi
  fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
  echo "FAIL: $*"
  echo "--- pane ---"
  tm capture-pane -p -t chat 2>/dev/null || true
  echo "------------"
  for f in "$work"/*.out; do [ -f "$f" ] && { echo "--- $(basename "$f") ---"; cat "$f"; }; done
  exit 1
}

# Waits (polling) until the shell condition "$1" holds, or fails with "$2".
wait_for() {
  local deadline=$((SECONDS + timeout))
  until eval "$1"; do
    [ $SECONDS -lt $deadline ] || fail "$2 (after ${timeout}s)"
    sleep 0.1
  done
}

pane() { tm capture-pane -p -t chat; }
# The last non-blank line of the pane: the prompt line.
prompt_line() { pane | sed -e 's/[[:space:]]*$//' | grep -v '^$' | tail -n 1; }

# --- the client command, as a script the tmux pane and the piped clients share -------------
client_cmd=${LOOMCHAT_CLIENT:-"$root/loomchat client"}
# With PIDFILE set, the client's PID is written there (exec keeps it), so it can be stopped.
printf '#!/usr/bin/env bash\n[ -n "${PIDFILE:-}" ] && echo $$ > "$PIDFILE"\nexec %s "$@"\n' "$client_cmd" > "$work/client.sh"
# alice's pane records the exit status in a file: tmux's #{pane_dead_status} is not reliable
# when the pty closes before the process is reaped.
printf '#!/usr/bin/env bash\nPIDFILE="%s/alice.pid" "%s/client.sh" "$@"\necho $? > "%s/alice.status"\n' \
  "$work" "$work" "$work" > "$work/alice.sh"
chmod +x "$work/client.sh" "$work/alice.sh"

# --- the server ------------------------------------------------------------------------------
port=${LOOMCHAT_PORT:-}
if [ -z "$port" ]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
         || echo $((20000 + RANDOM % 20000)))
  "$root/loomchat" server --host 127.0.0.1 --port "$port" --data none > "$work/server.out" 2>&1 &
  server_pid=$!
  wait_for "(exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null" "the server did not start on port $port"
fi

# --- alice, in tmux --------------------------------------------------------------------------
cat > "$work/tmux.conf" <<CONF
set -g default-terminal screen-256color
set -g status off
set -g remain-on-exit on
CONF
tm -f "$work/tmux.conf" new-session -d -s chat -x 120 -y 30 \
  "$work/alice.sh --host 127.0.0.1 --port $port --nick alice --room '$room'"
tmux_pid=$(tm display-message -p -t chat '#{pid}')
pane_pid=$(tm display-message -p -t chat '#{pane_pid}')

wait_for '[ "$(prompt_line)" = "$room>" ]' "no prompt '$room>' in the pane"
tm send-keys -t chat -l "$half"
wait_for '[ "$(prompt_line)" = "$room> $half" ]' "the typed text did not appear on the prompt line"

# --- bob says something while alice's line is half typed ---------------------------------------
printf 'hello from bob\n' | "$work/client.sh" --host 127.0.0.1 --port "$port" --nick bob --room "$room" \
  > "$work/bob.out" 2>&1 || fail "bob's client failed"
grep -qx "message $room bob: hello from bob" "$work/bob.out" || fail "bob's message was not confirmed"

wait_for 'pane | grep -q "<bob> hello from bob"' "bob's message did not appear in alice's pane"
snapshot=$(pane | sed -e 's/[[:space:]]*$//' | grep -v '^$')
message_line=$(printf '%s\n' "$snapshot" | grep -n '<bob> hello from bob' | tail -n 1)
message_no=${message_line%%:*}
last_no=$(printf '%s\n' "$snapshot" | wc -l)
[[ "${message_line#*:}" =~ ^[0-9][0-9]:[0-9][0-9]\ $room\ \<bob\>\ hello\ from\ bob$ ]] \
  || fail "bob's message is not alone on its line: '${message_line#*:}'"
[ "$(printf '%s\n' "$snapshot" | tail -n 1)" = "$room> $half" ] \
  || fail "the prompt line is not '$room> $half' after the message"
[ "$message_no" -lt "$last_no" ] || fail "bob's message is not above the prompt"
if printf '%s\n' "$snapshot" | grep -q "bob.*$half\|$half.*bob"; then
  fail "bob's message and the half-typed line got mixed on one line"
fi
echo "ok: bob's message is above the prompt, and the half-typed line is intact:"
printf '%s\n' "$snapshot" | tail -n 3 | sed 's/^/    | /'

# --- alice finishes her line ---------------------------------------------------------------------
tm send-keys -t chat Enter
wait_for 'pane | grep -Eq "^[0-9]{2}:[0-9]{2} $room <alice> $half\$"' "alice's line was not echoed back by the server"
# Shown once, as the server echoed it: the typed line itself was erased when Enter was pressed.
[ "$(pane | grep -c "$half")" = 1 ] || fail "alice's line shows more than once (the typed line stayed above the echo)"
[ "$(prompt_line)" = "$room>" ] || fail "the prompt line is not '$room>' after sending"
echo "ok: the sent line shows once, as echoed by the server"
printf '/history 5\n' | "$work/client.sh" --host 127.0.0.1 --port "$port" --nick carol --room "$room" \
  > "$work/carol.out" 2>&1 || fail "carol's client failed"
grep -qx "replay $room alice: $half" "$work/carol.out" || fail "alice's line is not in the room's history"
echo "ok: the finished line was sent"

# --- /quit ---------------------------------------------------------------------------------------
tm send-keys -t chat -l '/quit'
tm send-keys -t chat Enter
wait_for '[ -s "$work/alice.status" ]' "the client did not exit after /quit"
[ "$(cat "$work/alice.status")" = 0 ] || fail "the client exited with status $(cat "$work/alice.status") after /quit"
echo "ok: /quit exits with status 0"
echo "PASS: tmux half-typed line"
