#!/usr/bin/env bash
# Drive the real `glose` in tmux, as a user at a terminal would:
# search -> open -> select -> annotate -> quit -> relaunch -> the annotation is there -> export.
# Usage: scripts/e2e-tmux.sh [GLOSE_COMMAND]   (default: glose on the PATH)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
glose=${1:-glose}
work=$(mktemp -d)
ws="$work/ws"
mkdir -p "$ws"
cp -r "$here/articles" "$ws/"
session="glose-e2e-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT

screen() { tmux capture-pane -p -t "$session"; }
wait_for() {  # wait_for TEXT [SECONDS]
  local deadline=$((SECONDS + ${2:-20}))
  until screen | grep -qF -- "$1"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "FAIL: '$1' never appeared. Screen:" >&2
      screen >&2
      exit 1
    fi
    sleep 0.2
  done
}
keys() { tmux send-keys -t "$session" "$@"; sleep 0.3; }
launch() {
  tmux respawn-pane -k -t "$session" "cd '$ws' && $glose; echo GLOSE-EXITED \$?; sleep 600"
  wait_for "5 articles"
}

tmux new-session -d -s "$session" -x 120 -y 35 "sleep 600"
tmux set-option -t "$session" window-size manual 2>/dev/null || true
tmux resize-window -t "$session" -x 120 -y 35 2>/dev/null || true
launch
keys -l "deshabiller"
wait_for "2 articles"
keys Enter
keys Enter
wait_for "2026-01-09 · 002_00db0d28d759d443.txt"
keys n v w w a
wait_for "New annotation"
keys -l "réaction/politique"
keys Enter
keys -l "La note du test"
keys C-s
wait_for "Annotations of this article"
wait_for "La note du test"
keys q
wait_for "GLOSE-EXITED 0"

launch
keys -l "deshabiller"
wait_for "2 articles"
keys Enter
keys Enter
wait_for "Annotations of this article"
wait_for "réaction/politique"
wait_for "La note du test"
keys q
wait_for "GLOSE-EXITED 0"

out=$(cd "$ws" && $glose export --format markdown)
grep -qF "réaction/politique" <<<"$out" || { echo "FAIL: the export lacks the tag" >&2; exit 1; }
grep -qF "La note du test" <<<"$out" || { echo "FAIL: the export lacks the note" >&2; exit 1; }
grep -qF "> déshabiller des" <<<"$out" || { echo "FAIL: the export lacks the quote" >&2; exit 1; }
echo "e2e ok: searched, annotated, quit, relaunched, saw the annotation, exported it"
