#!/usr/bin/env bash
# Front-matter errors at the culprit: an unclosed `[`, `{` or quote is
# reported on its own line (not where YAML finally gives up), and one broken
# document causes no knock-on errors in the files that name or link it.
. "$(dirname "$0")/../lib.sh"
f=routines/hot-i-telefon.md

c=$(fresh_content bracket)
sed -i 's/^related: \[hot\]/related: [hot/' "$c/$f"
expect_fail "unclosed [ is reported on its own line and column" 1 \
  "$f:12:10: error: malformed YAML: this list's \`\\[\` opened here is never closed" check --content "$c" --theme "$THEME"
check "… and only there (one error)" grep -q "vaksam: 1 error" "$TMP/err"

c=$(fresh_content dquote)
sed -i 's/^summary: Så gör du/summary: "Så gör du/' "$c/$f"
expect_fail "unclosed double quote is reported on its own line" 1 \
  "$f:4:10: error: malformed YAML: this quote opened here is never closed — end it with \`\"\`" check --content "$c" --theme "$THEME"

c=$(fresh_content squote)
sed -i "s/^owner: HR-avdelningen/owner: 'HR-avdelningen/" "$c/$f"
expect_fail "unclosed single quote is reported on its own line, not at the end" 1 \
  "$f:10:8: error: malformed YAML: this quote opened here is never closed — end it with \`'\`" check --content "$c" --theme "$THEME"

c=$(fresh_content brace)
sed -i 's/text: Förtydligat steg 3}/text: Förtydligat steg 3/' "$c/$f"
expect_fail "unclosed { in a list item is reported on its line" 1 \
  "$f:14:5: error: malformed YAML: this map's \`\\{\` opened here is never closed" check --content "$c" --theme "$THEME"

c=$(fresh_content apostrophe)
sed -i "s/^summary: Så gör du när någon hotar dig i telefon./summary: Ring 112 – it's akut./" "$c/$f"
sed -i "s/^related: \[hot\]/related: [hot]\ntags: [\"hot's\", a'b]/" "$c/$f"
run_vaksam check --content "$c" --theme "$THEME"
check "apostrophes inside plain text and quoted text are not unclosed quotes" [ "$RC" -eq 0 ]

# One broken document: the others that name it (related:, agenda) or link
# to it are not reported as well.
c=$(fresh_content knockon)
sed -i 's/^title: Hot$/title: [Hot/' "$c/definitions/hot.md"
run_vaksam check --content "$c" --theme "$THEME"
check "a broken definition exits 1" [ "$RC" -eq 1 ]
check "its error is at its own line" grep -Eq "definitions/hot.md:3:8: error: malformed YAML" "$TMP/err"
check "no knock-on 'related' error in the routine naming it" bash -c "! grep -q \"'related' names 'hot'\" '$TMP/err'"
check "no knock-on agenda error in the pack naming it" bash -c "! grep -q \"'agenda' names 'hot'\" '$TMP/err'"
check "no knock-on link error in the routine linking it" bash -c "! grep -q \"link to '../definitions/hot.md'\" '$TMP/err'"
check "exactly one error" grep -q "vaksam: 1 error" "$TMP/err"

c=$(fresh_content noid)
sed -i '/^id: hot$/d; s/^title: Hot$/title: "Hot/' "$c/definitions/hot.md"
run_vaksam check --content "$c" --theme "$THEME"
check "without a readable id the file name stands for it (no knock-on)" grep -q "vaksam: 1 error" "$TMP/err"

c=$(fresh_content realmiss)
sed -i 's/^related: \[hot\]/related: [hot, finns-inte]/' "$c/$f"
expect_fail "a reference to a document that does not exist is still reported" 1 \
  "'related' names 'finns-inte', but no document has that id" check --content "$c" --theme "$THEME"
