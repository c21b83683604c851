#!/usr/bin/env bash
# Nothing from outside the content folder (or the theme folder) is read as
# content, whatever way its path comes in (issue 18, items 4–6; safepath.h):
# a symlinked image, a symlinked Markdown file or folder, an image a filter
# makes with ../ in its path, a filter named with ../ or linked out, and a
# theme file linked out. Each is an error at the file (and line) with the
# document, and the outside file's text is in no output.
. "$(dirname "$0")/../lib.sh"
# A file outside every content folder, with a sentinel and a real PNG.
mkdir -p "$TMP/outside"
printf -- '---\nid: utanfor\ntitle: OUTSIDE-SENTINEL\nsummary: x\nversion: "1.0"\nstatus: approved\napproved: 2026-01-15\napproved_by: X\nowner: X\nreview_interval: 12\n---\n\nOUTSIDE-SENTINEL text.\n' >"$TMP/outside/secret.md"
cp "$VAKSAM_ROOT/content/images/rapporteringskedjan.png" "$TMP/outside/secret.png"
printf 'OUTSIDE-SENTINEL' >>"$TMP/outside/secret.png" # still a PNG, with a sentinel at the end
printf '.x { content: "OUTSIDE-SENTINEL" }\n' >"$TMP/outside/secret.css"
no_sentinel() { # DIR DESC
  if [ -e "$1" ] && grep -rqa OUTSIDE-SENTINEL "$1"; then notok "$2"; else ok "$2"; fi
}

# 4. an image that is a symlink to a file outside content/
c=$(fresh_content img)
mkdir -p "$c/images"
ln -s "$TMP/outside/secret.png" "$c/images/bild.png"
printf '\n![En bild](../images/bild.png)\n' >>"$c/routines/hot-i-telefon.md"
line=$(grep -n 'bild.png' "$c/routines/hot-i-telefon.md" | cut -d: -f1)
expect_fail "a symlinked image to outside the content folder is an error at file:line:col" 1 \
  "routines/hot-i-telefon\.md:$line:[0-9]+: error: image '\.\./images/bild\.png' is a link to a file outside the content folder" \
  build --content "$c" --theme "$THEME" -o "$TMP/o-img" -q
no_sentinel "$TMP/o-img" "the symlinked image is copied and embedded nowhere"
# a link that stays inside the content folder is fine
rm "$c/images/bild.png"
cp "$VAKSAM_ROOT/content/images/rapporteringskedjan.png" "$c/images/riktig.png"
ln -s riktig.png "$c/images/bild.png"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/o-img2" -q
check "a symlinked image to a file inside the content folder builds (exit $RC: $(head -c 300 "$TMP/err"))" [ "$RC" -eq 0 ]

# 5. a Markdown file (or a kind's folder) that is a symlink to outside content/
c=$(fresh_content md)
ln -s "$TMP/outside/secret.md" "$c/routines/utanfor.md"
expect_fail "a symlinked Markdown file to outside the content folder is an error naming it" 1 \
  "routines/utanfor\.md: error: this Markdown file is a link to a file outside the content folder" \
  build --content "$c" --theme "$THEME" -o "$TMP/o-md" -q
no_sentinel "$TMP/o-md" "the symlinked Markdown file is published nowhere"
c=$(fresh_content mddir)
mkdir -p "$TMP/outside/cases"
cp "$TMP/outside/secret.md" "$TMP/outside/cases/secret.md"
sed -i '/^review_interval/d; /^approved/d; /^status/d; /^owner/d' "$TMP/outside/cases/secret.md"
rm -rf "$c/cases" && ln -s "$TMP/outside/cases" "$c/cases"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/o-mddir" -q
check "a kind's folder linked to outside the content folder is an error (exit $RC)" [ "$RC" -eq 1 ]
check "… naming the file" grep -q "cases/secret\.md: error: this Markdown file is a link to a file outside" "$TMP/err"
no_sentinel "$TMP/o-mddir" "the linked folder's files are published nowhere"

# 6. an image a filter makes with ../ in its path, or to a link out
c=$(fresh_content filt)
mkdir -p "$c/filters" "$c/images"
depth=$(printf '%s' "$c" | tr -cd / | wc -c)
up=$(printf '../%.0s' $(seq 1 $((depth + 2))))
cat >"$c/filters/bild.lua" <<LUA
return { Para = function(p)
  return { p, vaksam.Para({ vaksam.Image({ vaksam.Str("a") }, "${up}${TMP#/}/outside/secret.png", "t") }) }
end }
LUA
sed -i '1a filters: [bild.lua]' "$c/site.yaml"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/o-filt" -q
check "an image a filter makes outside the content folder: exit 1 (exit $RC)" [ "$RC" -eq 1 ]
check "… an error at the document's file:line naming the document and variant ($(head -c 300 "$TMP/err"))" \
  grep -Eq "routines/hot-i-telefon\.md:[0-9]+:[0-9]+: error: a filter made an image '.*secret\.png' that is outside the content folder \(document hot-i-telefon, variant [a-z]+/[a-z]+\)" "$TMP/err"
no_sentinel "$TMP/o-filt" "the filter's outside image is embedded and copied nowhere"
ln -s "$TMP/outside/secret.png" "$c/images/lank.png"
sed -i "s#\"${up}${TMP#/}/outside/secret.png\"#\"images/lank.png\"#" "$c/filters/bild.lua"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/o-filt2" -q
check "an image a filter makes that is a link out: exit 1 (exit $RC)" [ "$RC" -eq 1 ]
no_sentinel "$TMP/o-filt2" "… embedded nowhere"
cp "$VAKSAM_ROOT/content/images/rapporteringskedjan.png" "$c/images/ok.png"
sed -i 's#"images/lank.png"#"images/ok.png"#' "$c/filters/bild.lua"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/o-filt3" -q
check "an image a filter makes inside the content folder builds (exit $RC: $(head -c 300 "$TMP/err"))" [ "$RC" -eq 0 ]
check "… and is embedded in the handout" bash -c "unzip -Z1 '$TMP/o-filt3/site/kommunen/chef/dokument/hot-i-telefon.odt' | grep -q '^Pictures/images-ok.png'"

# filter files from site.yaml: ../ in the name, or a link out
c=$(fresh_content fname)
mkdir -p "$c/filters"
printf 'return {}\n' >"$TMP/outside/f.lua"
sed -i '1a filters: [../../outside/f.lua]' "$c/site.yaml"
expect_fail "a filter named with ../ out of the content folder is an error" 1 \
  "site\.yaml:2:[0-9]+: error: a filter must be a file name under content/filters/" \
  check --content "$c" --theme "$THEME"
c=$(fresh_content flink)
mkdir -p "$c/filters"
ln -s "$TMP/outside/f.lua" "$c/filters/f.lua"
sed -i '1a filters: [f.lua]' "$c/site.yaml"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/o-flink" -q
check "a filter file linked out of the content folder is an error (exit $RC)" [ "$RC" -eq 1 ]
check "… naming it" grep -q "filters/f\.lua: error: the filter named in site\.yaml is outside the content folder" "$TMP/err"

# theme files linked out of the theme folder
th="$TMP/theme"
cp -R "$THEME" "$th"
ln -sf "$TMP/outside/secret.css" "$th/assets/extra.css"
run_vaksam build --content "$VAKSAM_ROOT/tests/data/mini" --theme "$th" -o "$TMP/o-theme" -q
check "a theme asset linked out of the theme folder: exit 1 or 2 (exit $RC)" [ "$RC" -ne 0 ]
check "… naming it" grep -q "assets/extra\.css: error: this theme file is a link to a file outside the theme folder" "$TMP/err"
no_sentinel "$TMP/o-theme" "… and it is copied nowhere"
