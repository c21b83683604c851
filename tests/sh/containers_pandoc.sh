#!/usr/bin/env bash
# Containers against pandoc's fenced_divs: for every case in
# tests/data/containers/, the block structure vaksam parses (printed by
# build/asan/tests/dumptree) equals the one pandoc parses
# (pandoc -f markdown+fenced_divs -t json, normalised by
# tests/tools/pandoc-tree.js): block types and nesting, Div classes, id and
# key=value attributes, heading levels, paragraph text, and the links that
# reference definitions resolve to — also across fences.
#
# The cases exercise containers, not the places where pandoc's Markdown is
# not CommonMark: every opening fence follows a blank line (vaksam, like
# CommonMark blocks, also lets a fence end a paragraph; pandoc needs the
# blank line), there are no bare URLs (GFM autolinks) and no raw HTML, and
# pandoc runs without its 'smart' extension (curly quotes, dashes).
. "$(dirname "$0")/../lib.sh"

DUMP=${DUMPTREE:-$VAKSAM_ROOT/build/asan/tests/dumptree}
if ! command -v pandoc >/dev/null || ! command -v node >/dev/null; then
  notok "pandoc and node are installed (scripts/setup test installs them)"
  exit 0
fi
n=0
for f in "$VAKSAM_ROOT"/tests/data/containers/*.md; do
  name=$(basename "$f")
  pandoc -f markdown-smart+fenced_divs -t json "$f" | node "$VAKSAM_ROOT/tests/tools/pandoc-tree.js" >"$TMP/pandoc" ||
    notok "$name: pandoc's tree could not be read"
  "$DUMP" "$f" >"$TMP/vaksam" 2>"$TMP/err"
  check "$name: parses without errors" [ $? -eq 0 ]
  if diff -u "$TMP/pandoc" "$TMP/vaksam" >"$TMP/diff"; then
    ok "$name: the same block structure as pandoc"
  else
    notok "$name: the block structure differs from pandoc's (- pandoc, + vaksam)"
    sed 's/^/# /' "$TMP/diff"
  fi
  n=$((n + 1))
done
check "at least 12 container cases ($n)" [ "$n" -ge 12 ]
