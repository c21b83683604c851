# tests/lib.sh — helpers for shell tests (sourced, not run).
# Each check prints "ok - …" or "not ok - …"; tests/run counts them.
: "${VAKSAM:?run through tests/run}"
: "${VAKSAM_ROOT:?run through tests/run}"
THEME=$VAKSAM_ROOT/themes/default
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
check() { # description, command...
  local d=$1
  shift
  if "$@"; then ok "$d"; else notok "$d"; fi
}

poll() { # SECONDS COMMAND… — until the command succeeds
  local end=$((SECONDS + $1))
  shift
  while [ $SECONDS -le $end ]; do
    "$@" && return 0
    sleep 0.1
  done
  return 1
}

# run_vaksam ARGS… — runs the binary, keeps stdout/stderr/exit in OUT/ERR/RC.
run_vaksam() {
  "$VAKSAM" "$@" >"$TMP/out" 2>"$TMP/err"
  RC=$?
  OUT=$(cat "$TMP/out")
  ERR=$(cat "$TMP/err")
}

# expect_fail DESC EXIT PATTERN ARGS… — exit code and a stderr line matching PATTERN.
expect_fail() {
  local d=$1 want=$2 pat=$3
  shift 3
  run_vaksam "$@"
  if [ "$RC" -eq "$want" ] && grep -Eq -- "$pat" "$TMP/err"; then
    ok "$d"
  else
    notok "$d (exit $RC, want $want; stderr: $(head -c 600 "$TMP/err"))"
  fi
}

# fresh_content NAME — a copy of tests/data/mini to break on purpose.
fresh_content() {
  rm -rf "$TMP/$1"
  cp -R "$VAKSAM_ROOT/tests/data/mini" "$TMP/$1"
  echo "$TMP/$1"
}

# with_filter NAME LUA — a fresh_content copy whose site runs filters/x.lua.
with_filter() {
  local c
  c=$(fresh_content "$1")
  mkdir -p "$c/filters"
  printf '%s\n' "$2" >"$c/filters/x.lua"
  sed -i '1i filters: [x.lua]' "$c/site.yaml"
  echo "$c"
}
