#!/usr/bin/env bash
# The browser's JS stemmer (themes/default/assets/search.js) gives the same
# stems as libstemmer at build time, on the words of the sample content.
. "$(dirname "$0")/../lib.sh"
src=$VAKSAM_ROOT/content
[ -d "$src" ] || src=$VAKSAM_ROOT/tests/data/mini
cat $(find "$src" "$VAKSAM_ROOT/tests/data/mini" -name '*.md') | tr 'A-ZÅÄÖ' 'a-zåäö' | grep -oE "[a-zåäöéü]{2,}" | sort -u >"$TMP/words"
n=$(wc -l <"$TMP/words")
check "enough words to compare ($n)" [ "$n" -ge 100 ]
"$VAKSAM_ROOT/build/asan/tests/test_search" --stem <"$TMP/words" >"$TMP/c.txt"
node -e '
const { stem, words } = require(process.argv[1]);
const lines = require("fs").readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean);
for (const w of lines) { const ws = words(w); console.log(w + "\t" + ws.map(stem).join(" ")); }
' "$VAKSAM_ROOT/themes/default/assets/search.js" "$TMP/words" >"$TMP/js.txt"
if diff "$TMP/c.txt" "$TMP/js.txt" >"$TMP/diff"; then
  ok "JS and libstemmer agree on all $n words"
else
  notok "JS and libstemmer differ: $(grep '^[<>]' "$TMP/diff" | head -20 | tr '\n' ' ')"
fi
