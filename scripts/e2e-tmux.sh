#!/usr/bin/env bash
# Drive the real `glose` in tmux, as a coder at a terminal would, the README scenario:
# find "déshabiller" -> two articles side by side -> select the UK government's statement ->
# tag it with a note -> where else finds the other article -> quit -> relaunch (the articles
# come back) -> jump to the annotation from the list (its text on screen) -> export it.
# Usage: scripts/e2e-tmux.sh [GLOSE_COMMAND] [COLUMNS] [LINES]   (default: glose, 120 35)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
glose=${1:-glose}
cols=${2:-120}
rows=${3:-35}
work=$(mktemp -d)
ws="$work/ws"
mkdir -p "$ws"
cp -r "$here/articles" "$ws/"
export XDG_STATE_HOME="$work/state"  # the session (open articles) of this run only
session="glose-e2e-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT

screen() { tmux capture-pane -p -t "$session"; }
# The readers' part of the screen: what is right of the sidebar's edge (the first ▊ of a line).
readers() { screen | python3 2>/dev/null -c 'import sys
for line in sys.stdin: print(line.partition("\u258a")[2].rstrip())'; }
fail() {
  echo "FAIL: $1. Screen:" >&2
  screen >&2
  echo "Pane: $(tmux display-message -p -t "$session" '#{pane_width}x#{pane_height}')" >&2
  echo "Session kept: $(cat "$XDG_STATE_HOME"/glose/sessions/*.json 2>/dev/null | head -c 400)" >&2
  local pid
  for pid in $(pgrep -f "$glose" || true); do  # a hung reader, or one that cannot read its size
    ps -o pid=,stat=,wchan:20=,etime=,args= -p "$pid" >&2 || true
    ls -l "/proc/$pid/fd/0" "/proc/$pid/fd/1" "/proc/$pid/fd/2" >&2 2>/dev/null || true
    tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -E '^(COLUMNS|LINES|TERM|TMUX)=' >&2 || true
    stty -F "$(readlink "/proc/$pid/fd/0")" size >&2 2>/dev/null || true
  done
  exit 1
}
wait_for() {  # wait_for TEXT [SECONDS]
  local deadline=$((SECONDS + ${2:-20}))
  until screen | grep -qF -- "$1"; do
    [ "$SECONDS" -ge "$deadline" ] && fail "'$1' never appeared"
    sleep 0.2
  done
}
wait_readers() {  # wait_readers TEXT [WHEN]: TEXT in the readers' part of the screen
  local deadline=$((SECONDS + 20))
  until readers | grep -- "$1" >/dev/null; do
    [ "$SECONDS" -ge "$deadline" ] && fail "'$1' never appeared in the readers${2:+ $2}"
    sleep 0.2
  done
}
keys() { tmux send-keys -t "$session" "$@"; sleep 0.3; }
keys_slow() { tmux send-keys -t "$session" "$@"; sleep 1; }
escape() { tmux send-keys -t "$session" Escape; sleep 0.8; }  # alone: ESC + a key is alt+key
launch() {
  tmux respawn-pane -k -t "$session" "cd '$ws' && XDG_STATE_HOME='$XDG_STATE_HOME' $glose; echo GLOSE-EXITED \$?; sleep 600"
  wait_for "5 articles"
  fit
}
# The reader must draw at the pane's size, whatever COLUMNS and LINES the environment holds
# (CI's had 80 and 24, and the reader followed them instead of the terminal).
fit() {
  local deadline=$((SECONDS + 10))
  until [ "$(screen | grep -n "\^q Quit" | cut -d: -f1)" = "$rows" ]; do
    [ "$SECONDS" -ge "$deadline" ] && fail "the reader is not drawn at the pane's size ($cols×$rows)"
    sleep 0.2
  done
}

tmux new-session -d -s "$session" -x "$cols" -y "$rows" "sleep 600"
tmux set-option -t "$session" window-size manual 2>/dev/null || true
tmux resize-window -t "$session" -x "$cols" -y "$rows" 2>/dev/null || true
launch
keys -l "deshabiller"
wait_for "2 articles"
keys Enter                                  # enter in the box opens the first result
wait_readers "002_00db"
keys /                                      # back to the box; down to the results
keys Down
keys Down
keys o                                      # the second result in the other reader
wait_readers "L'art de monétiser"
keys /                                      # search the statement's words...
keys -l "service premium"
wait_for "4 articles"
escape                                      # ...to the results, the list, the reader just opened
keys Tab                                    # (the right one, 000), then the left reader (002)
keys Tab
keys Tab
keys n                                      # the hit, inside the UK statement
keys "("                                    # its sentence...
keys v
keys ")"                                    # ...selected
keys a
wait_for "New annotation"
keys -l "réaction/politique"
keys Enter
keys -l "La note du test"
keys C-s
wait_for "La note du test"
keys W                                      # where else: 004 quotes it too
wait_for "004_82fd22c8"  
escape
keys q
wait_for "GLOSE-EXITED 0"

launch                                      # the articles that were open came back, the
wait_readers "002_00db" "after a relaunch"  # one that had the keys first (in a narrow window one
# at a time): one tab shows the other reader and the next brings the first back. The session is
# put back before the first key is taken, so nothing undoes them. (Not "whichever shows first":
# the new reader's first frames, its articles still loading, can show neither.)
keys Tab
wait_readers "Mediapart · 000_7525" "after a first tab"
keys Tab
wait_readers "002_00db" "after a second tab"
keys A                                      # every annotation; enter jumps to it
wait_for "All annotations (1)"
keys Enter
wait_for "La note du test"
readers | grep -F "aux victimes de" >/dev/null || fail "the annotation's text is not in the reader after the jump"
keys q
wait_for "GLOSE-EXITED 0"

out=$(cd "$ws" && $glose export --format markdown)
grep -qF "réaction/politique" <<<"$out" || { echo "FAIL: the export lacks the tag" >&2; exit 1; }
grep -qF "La note du test" <<<"$out" || { echo "FAIL: the export lacks the note" >&2; exit 1; }
grep -qF "> Cette mesure \"transforme simplement" <<<"$out" || { echo "FAIL: the export lacks the quote" >&2; exit 1; }
echo "e2e ok ($cols×$rows): searched, side by side, annotated, where else, quit, relaunched, jumped, exported"
