#!/usr/bin/env bash
# Publishing survives kill -9 at every rename (issue 18, item 12): an
# LD_PRELOAD shim (tests/tools/killshim.c) kills the build just before and
# just after each rename of the output folder — the exchange, or both
# renames of the fallback — and the output is then always the complete old
# or the complete new tree (the fallback's one gap between its renames is
# repaired by the next build, even a failing one). A second build into the
# same output while one runs exits 2 naming the lock (outlock.h).
# The release binary: the shim is not built with the sanitizers.
. "$(dirname "$0")/../lib.sh"
BIN=$VAKSAM_ROOT/build/release/vaksam
SHIM=$VAKSAM_ROOT/build/tests/killshim.so
if [ ! -x "$BIN" ] || [ ! -f "$SHIM" ]; then
  notok "build/release/vaksam and build/tests/killshim.so are built (make test builds them)"
  exit 0
fi
# sums DIR — "path sha256" of every file, sorted: what a reader of the tree sees.
sums() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
old=$(fresh_content old)
new=$(fresh_content new)
sed -i 's/Behåll lugnet/Behåll alltid lugnet/' "$new/routines/hot-i-telefon.md"
bad=$(fresh_content bad)
sed -i '/^version:/d' "$bad/routines/hot-i-telefon.md"
"$BIN" build --content "$old" --theme "$THEME" -o "$TMP/ref-old" -q
"$BIN" build --content "$new" --theme "$THEME" -o "$TMP/ref-new" -q
sums "$TMP/ref-old" >"$TMP/old.sums"
sums "$TMP/ref-new" >"$TMP/new.sums"
check "the old and the new content give different trees" bash -c "! cmp -s '$TMP/old.sums' '$TMP/new.sums'"

# state — "old", "new", "missing" or "broken": what is at $TMP/o now.
state() {
  [ -e "$TMP/o" ] || { echo missing; return; }
  sums "$TMP/o" >"$TMP/o.sums"
  if cmp -s "$TMP/o.sums" "$TMP/old.sums"; then echo old
  elif cmp -s "$TMP/o.sums" "$TMP/new.sums"; then echo new
  else echo broken; fi
}
leftovers() { compgen -G "$TMP/o.tmp-*" >/dev/null || compgen -G "$TMP/o.old-*" >/dev/null; }

# kill_at MODE POINT ALLOWED — MODE exchange|fallback; ALLOWED: the states the output may be in.
kill_at() {
  local mode=$1 point=$2 allowed=$3 s
  rm -rf "$TMP"/o "$TMP"/o.*
  "$BIN" build --content "$old" --theme "$THEME" -o "$TMP/o" -q
  local env=(LD_PRELOAD="$SHIM" KILLSHIM_OUT="$TMP/o" KILLSHIM_AT="$point")
  [ "$mode" = fallback ] && env+=(VAKSAM_TEST_NO_EXCHANGE=1)
  env "${env[@]}" "$BIN" build --content "$new" --theme "$THEME" -o "$TMP/o" -q 2>/dev/null
  local rc=$?
  check "$mode, killed $point: the build died of SIGKILL (exit $rc)" [ "$rc" -eq 137 ]
  s=$(state)
  check "$mode, killed $point: the output is $allowed (it is $s)" bash -c "[[ ' $allowed ' == *' $s '* ]]"
  # the next build repairs what the killed one left, even when it fails itself
  "$BIN" build --content "$bad" --theme "$THEME" -o "$TMP/o" -q 2>/dev/null
  s=$(state)
  check "$mode, killed $point: a failing build after it leaves a complete tree (it is $s)" \
    bash -c "[ '$s' = old ] || [ '$s' = new ]"
  if leftovers; then notok "$mode, killed $point: no staging or old folder is left after the next build ($(ls -d "$TMP"/o.*))"
  else ok "$mode, killed $point: no staging or old folder is left after the next build"; fi
  "$BIN" build --content "$new" --theme "$THEME" -o "$TMP/o" -q 2>/dev/null
  check "$mode, killed $point: the next good build publishes the new tree" [ "$(state)" = new ]
}
kill_at exchange before:1 "old"
kill_at exchange after:1 "new"
kill_at fallback before:1 "old"
kill_at fallback after:1 "missing"
kill_at fallback before:2 "missing"
kill_at fallback after:2 "new"

# ---- one build at a time ------------------------------------------------------
rm -rf "$TMP"/o "$TMP"/o.*
"$BIN" build --content "$old" --theme "$THEME" -o "$TMP/o" -q
# another process holds the lock (a POSIX record lock, as vaksam takes it)
coproc HOLD { exec python3 -c 'import fcntl, sys
f = open(sys.argv[1], "a"); fcntl.lockf(f, fcntl.LOCK_EX); print("locked", flush=True); sys.stdin.read()' "$TMP/o.lock"; }
read -r -u "${HOLD[0]}" said
if [ "$said" = locked ]; then
  "$BIN" build --content "$new" --theme "$THEME" -o "$TMP/o" -q 2>"$TMP/lock.err"
  rc=$?
  check "a second build while the output is locked exits 2 (exit $rc)" [ "$rc" -eq 2 ]
  check "… saying another build (with its pid) writes there: $(head -c 300 "$TMP/lock.err")" \
    grep -q "o.lock: error: another build (pid $HOLD_PID) is writing into" "$TMP/lock.err"
  check "… and leaves the output as it was" [ "$(state)" = old ]
  pid=$HOLD_PID
  exec {HOLD[1]}>&-
  wait "$pid"
  "$BIN" build --content "$new" --theme "$THEME" -o "$TMP/o" -q
  check "once the lock is free the build publishes (exit $?)" [ "$(state)" = new ]
else
  notok "the test can take the lock file itself (python3 fcntl.lockf)"
fi
"$BIN" build --content "$old" --theme "$THEME" -o "$TMP/deep/er/o" -q
check "a build into a folder whose parents do not exist yet makes them (exit $?)" [ -d "$TMP/deep/er/o/site" ]
