#!/usr/bin/env bash
# Every ODT and ODP vaksam writes is strict ODF 1.3 (OASIS schema, jing):
# the stress document of all CommonMark/GFM examples, a table inside a list,
# a slide pack, and every handout and pack file of the sample site.
. "$(dirname "$0")/../lib.sh"
validate=${SHARED:-$VAKSAM_ROOT/../shared}/odf/odf-validate
if [ ! -x "$validate" ]; then
  notok "odf-validate found at $validate (set SHARED)"
  exit 0
fi
mkdir -p "$TMP/stress"
"$VAKSAM_ROOT/build/asan/tests/test_odt" --out "$TMP/stress" >/dev/null
content=$VAKSAM_ROOT/content
[ -f "$content/site.yaml" ] || content=$VAKSAM_ROOT/tests/data/mini
run_vaksam build --content "$content" --theme "$THEME" -o "$TMP/d" --format odt,odp -q
check "sample documents build" [ "$RC" -eq 0 ]
find "$TMP/stress" "$TMP/d" -type f \( -name '*.odt' -o -name '*.odp' \) | sort >"$TMP/files"
n=$(wc -l <"$TMP/files")
check "there are documents to validate ($n)" [ "$n" -ge 3 ]
# jing starts a JVM per file: two at a time, 25 files per call.
xargs -P 2 -n 25 "$validate" --strict <"$TMP/files" >"$TMP/results" 2>&1
okn=$(grep -c '^OK ' "$TMP/results")
if [ "$okn" -eq "$n" ]; then
  ok "all $n documents are strict ODF 1.3"
else
  notok "$((n - okn)) of $n documents fail the schema: $(grep -A3 '^FAIL' "$TMP/results" | head -20)"
fi
for f in stress.odt tabell-i-lista.odt bildspel.odp; do
  check "$f validates" grep -q "^OK .*/$f " "$TMP/results"
done
