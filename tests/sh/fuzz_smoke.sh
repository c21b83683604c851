#!/usr/bin/env bash
# A short run of every libFuzzer harness (tests/fuzz/fuzz_*.c), seeded from
# the kept corpora: the sample and test content, the theme's templates and
# the inputs that once failed (tests/data/fuzz-crashers/). A few seconds
# each in `make test` (FUZZ_SECONDS, default 4); `make fuzz-long` runs the
# same for minutes. The harnesses are built with clang (`make fuzz`) when
# missing or out of date. A crash, leak or timeout is a "not ok" naming the
# input libFuzzer saved — copy it into tests/data/fuzz-crashers/ with the fix.
. "$(dirname "$0")/../lib.sh"
secs=${FUZZ_SECONDS:-4}
R=$VAKSAM_ROOT
if ! command -v clang >/dev/null; then
  notok "clang is installed (scripts/setup test installs it) — the fuzz harnesses need it"
  exit 0
fi
if ! make -s -C "$R" fuzz >"$TMP/make.log" 2>&1; then
  notok "the fuzz harnesses build with clang (make fuzz): $(tail -c 600 "$TMP/make.log")"
  exit 0
fi
# seeds NAME FILE… — a seed folder for one harness (copies: the kept corpora stay as they are)
seeds() {
  local d=$TMP/seeds/$1
  shift
  mkdir -p "$d"
  local f
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$d/$(printf '%s' "$f" | md5sum | cut -c1-16)"; done
  echo "$d"
}
declare -A seed
seed[fuzz_frontmatter]=$(seeds frontmatter "$R"/content/*/*.md "$R"/tests/data/mini/*/*.md)
seed[fuzz_containers]=$(seeds containers "$R"/tests/data/containers/*.md "$R"/tests/data/fuzz-crashers/*.md "$R"/content/routines/*.md)
seed[fuzz_site]=$(seeds site "$R"/content/site.yaml "$R"/tests/data/mini/site.yaml)
seed[fuzz_lock]=$(seeds lock "$R"/content/versions.lock)
seed[fuzz_mustache]=$(seeds mustache "$R"/themes/default/templates/*.mustache "$R"/tests/data/fuzz-crashers/mustache/*)
seed[fuzz_filter]=$(seeds filter "$R"/tests/data/fuzz-crashers/filter/*)
n=0
for src in "$R"/tests/fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
  bin=$R/build/fuzz/$name
  [ -n "${seed[$name]:-}" ] || seed[$name]=$(seeds "$name")
  mkdir -p "$TMP/corpus/$name" "$TMP/art/$name"
  (cd "$TMP/art/$name" && ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$secs" -timeout=20 \
    -rss_limit_mb=2048 -print_final_stats=0 "$TMP/corpus/$name" "${seed[$name]}") >"$TMP/$name.log" 2>&1
  rc=$?
  saved=$(ls "$TMP/art/$name" 2>/dev/null | head -3)
  if [ "$rc" -eq 0 ] && [ -z "$saved" ]; then
    ok "$name: ${secs} s from $(ls "${seed[$name]}" | wc -l) seeds without a crash, leak or timeout"
  else
    notok "$name: libFuzzer stopped (exit $rc; saved: ${saved:-none})"
    grep -E "ERROR|SUMMARY|==[0-9]+==" "$TMP/$name.log" | head -8 | sed 's/^/# /'
    for f in $saved; do echo "# input (base64): $(head -c 600 "$TMP/art/$name/$f" | base64 -w0)"; done
  fi
  n=$((n + 1))
done
check "every fuzz harness ran ($n)" [ "$n" -ge 6 ]
