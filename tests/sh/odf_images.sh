#!/usr/bin/env bash
# Images: a local image is embedded in the handout (Pictures/, manifest
# entry with its media type, a draw:frame sized from the file's header and
# fitted to the text width, alt text as svg:desc), the handout stays strict
# ODF 1.3, the site copies it to site/bilder/ and points <img> there; remote
# images stay links; a missing image fails check and build at file:line:col
# and leaves the previous output alone. The pack zip carries the images its
# offline slide view shows (bilder/ beside bildspel.html).
. "$(dirname "$0")/../lib.sh"
validate=$VAKSAM_ROOT/tests/data/odf/odf-validate
c=$(fresh_content img)
mkdir -p "$c/images"
# 1547×302 px at 144 dpi (pHYs): 27.3 cm wide, so it is shrunk to 16.6 cm
cp "$VAKSAM_ROOT/content/images/rapporteringskedjan.png" "$c/images/kedja.png"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="48"><rect width="96" height="48" fill="#a11d1d"/></svg>\n' >"$c/images/varning.svg"
cat >>"$c/routines/hot-i-telefon.md" <<'EOF'

![Kedjan: du rapporterar, chefen utreder.](../images/kedja.png "Kedjan")

En ikon ![varning](/images/varning.svg) i texten och en bild på webben ![extern bild](https://example.org/x.png).

| Bild | Text |
|---|---|
| ![i tabell](../images/kedja.png) | En cell |
EOF
# packs hold cases in full: the handouts embed the image, the slides give it a slide
sed -i 's|^En handläggare får ett samtal från en missnöjd person.$|&\n\n![Kedjan: du rapporterar, chefen utreder.](../images/kedja.png "Så går en rapport")|' "$c/cases/samtalet.md"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/d" -q
check "content with images builds" [ "$RC" -eq 0 ]
h=$TMP/d/site/kommunen/medarbetare/dokument/hot-i-telefon.odt
unzip -p "$h" content.xml >"$TMP/c.xml"
unzip -p "$h" META-INF/manifest.xml >"$TMP/m.xml"
check "the PNG is in the package under Pictures/" bash -c "zipinfo -1 '$h' | grep -qx 'Pictures/images-kedja.png'"
check "the embedded PNG is the file itself" bash -c "unzip -p '$h' Pictures/images-kedja.png | cmp -s - '$c/images/kedja.png'"
check "the manifest lists the PNG as image/png" grep -q 'manifest:full-path="Pictures/images-kedja.png" manifest:media-type="image/png"' "$TMP/m.xml"
check "the manifest lists the SVG as image/svg+xml" grep -q 'manifest:full-path="Pictures/images-varning.svg" manifest:media-type="image/svg+xml"' "$TMP/m.xml"
check "content.xml draws the PNG in a frame" grep -q '<draw:image xlink:type="simple" xlink:href="Pictures/images-kedja.png" xlink:show="embed"' "$TMP/c.xml"
check "a wide image is fitted to the text width, aspect kept (16.60 × 3.24 cm)" grep -q 'svg:width="16.60cm" svg:height="3.24cm"' "$TMP/c.xml"
check "an image in a table cell fits its column (8.00 cm of 16.6 / 2)" grep -q 'svg:width="8.00cm" svg:height="1.56cm"' "$TMP/c.xml"
check "an SVG keeps its own size (96 × 48 px = 2.54 × 1.27 cm)" grep -q 'svg:width="2.54cm" svg:height="1.27cm"' "$TMP/c.xml"
check "title and alt text are svg:title and svg:desc" grep -q '<svg:title>Kedjan</svg:title><svg:desc>Kedjan: du rapporterar, chefen utreder.</svg:desc>' "$TMP/c.xml"
check "an image alone in its paragraph is a centred figure" grep -q '<text:p text:style-name="P_Figure"><draw:frame' "$TMP/c.xml"
check "a remote image is not fetched: its alt text links to it" bash -c "grep -q '<text:a xlink:type=\"simple\" xlink:href=\"https://example.org/x.png\"[^>]*><text:span text:style-name=\"Emphasis\">extern bild</text:span></text:a>' '$TMP/c.xml' && [ \$(zipinfo -1 '$h' | grep -c '^Pictures/') -eq 2 ]"
p=$TMP/d/site/kommunen/chef/apt/hot-pa-jobbet/deltagare.odt
check "the pack's participant handout embeds the case's image" bash -c "zipinfo -1 '$p' | grep -qx 'Pictures/images-kedja.png'"
b=$TMP/d/site/kommunen/chef/apt/hot-pa-jobbet/bildspel.odp
unzip -p "$b" content.xml >"$TMP/b.xml"
check "the slide pack embeds the case's image with a manifest entry" bash -c "zipinfo -1 '$b' | grep -qx 'Pictures/images-kedja.png' && unzip -p '$b' META-INF/manifest.xml | grep -q 'manifest:full-path=\"Pictures/images-kedja.png\" manifest:media-type=\"image/png\"'"
check "the image gets a slide titled by its title, fitted to the slide width (24.80 × 4.84 cm) and centred" bash -c "grep -q '<text:p text:style-name=\"P_Title\">Så går en rapport</text:p></draw:text-box></draw:frame><draw:frame draw:style-name=\"gr_image\" draw:name=\"Figur [0-9]*\" svg:x=\"1.60cm\" svg:y=\"6.38cm\" svg:width=\"24.80cm\" svg:height=\"4.84cm\"><draw:image xlink:type=\"simple\" xlink:href=\"Pictures/images-kedja.png\"' '$TMP/b.xml'"
check "the alt text is the frame's description, not slide text" bash -c "grep -q '<svg:desc>Kedjan: du rapporterar, chefen utreder.</svg:desc>' '$TMP/b.xml' && ! grep -q 'P_Body\">Kedjan: du rapporterar' '$TMP/b.xml'"
if [ -x "$validate" ]; then
  "$validate" --strict "$h" "$p" "$b" >"$TMP/v" 2>&1
  check "handouts and slides with images are strict ODF 1.3" [ "$(grep -c '^OK ' "$TMP/v")" -eq 3 ]
  grep -v '^OK ' "$TMP/v" | head -5 | sed 's/^/# /'
else
  notok "odf-validate found at $validate"
fi
page=$TMP/d/site/kommunen/medarbetare/rutiner/hot-i-telefon.html
check "the site page points <img> at the copy in site/bilder/" grep -q '<img src="../../../bilder/images/kedja.png" alt="Kedjan: du rapporterar, chefen utreder." title="Kedjan">' "$page"
check "the copy is there and identical" cmp -s "$TMP/d/site/bilder/images/kedja.png" "$c/images/kedja.png"
broken=0
while IFS= read -r f; do
  for src in $(grep -o '<img src="[^"]*"' "$f" | sed 's/<img src="//; s/"$//' | grep -v '^https:'); do
    [ -f "$(dirname "$f")/$src" ] || { broken=$((broken + 1)); echo "# $f: $src"; }
  done
done < <(grep -rl '<img src=' "$TMP/d/site" | sort)
check "every local <img> on every page (documents, pack pages, slide view) finds its file" bash -c "[ $broken -eq 0 ] && grep -q 'bilder/images/kedja.png' '$TMP/d/site/kommunen/chef/apt/hot-pa-jobbet/bildspel/index.html'"
check "the site keeps remote images as written" grep -q '<img src="https://example.org/x.png"' "$page"

# the pack zip works offline: its slide view (bildspel.html) shows the
# case's image from bilder/ inside the zip, and its slide pack embeds it
zip=$TMP/d/site/kommunen/chef/apt/hot-pa-jobbet/hot-pa-jobbet.zip
rm -rf "$TMP/unz" && mkdir -p "$TMP/unz" && unzip -q "$zip" -d "$TMP/unz"
check "the pack zip holds the slide view's image as bilder/images/kedja.png, the file itself" \
  bash -c "zipinfo -1 '$zip' | grep -qx 'bilder/images/kedja.png' && cmp -s '$TMP/unz/bilder/images/kedja.png' '$c/images/kedja.png'"
srcs=$(grep -o '<img src="[^"]*"' "$TMP/unz/bildspel.html" | sed 's/<img src="//; s/"$//' | sort -u)
missing=0
for src in $srcs; do
  [ -f "$TMP/unz/$src" ] || { missing=$((missing + 1)); echo "# zip: $src"; }
done
check "every <img src> of the zip's bildspel.html resolves inside the unzipped zip ($(echo $srcs))" \
  bash -c "[ -n '$srcs' ] && [ $missing -eq 0 ] && grep -qx 'bilder/images/kedja.png' <<<'$srcs'"
check "the zip's images are only the ones the slide view shows (one here)" \
  [ "$(zipinfo -1 "$zip" | grep -c '^bilder/')" -eq 1 ]
check "the zip's slide pack embeds the image" bash -c "zipinfo -1 '$TMP/unz/bildspel.odp' | grep -qx 'Pictures/images-kedja.png'"
check "the site does not get a second copy beside the pack" [ ! -e "$TMP/d/site/kommunen/chef/apt/hot-pa-jobbet/bilder" ]
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/d2" -q -j 1
check "same bytes with -j 1" bash -c "cmp -s '$h' '$TMP/d2/site/kommunen/medarbetare/dokument/hot-i-telefon.odt' && cmp -s '$TMP/d/site/bilder/images/kedja.png' '$TMP/d2/site/bilder/images/kedja.png'"

# a missing image: check and build fail at the image, the old output stays
line=$(($(wc -l <"$c/routines/hot-i-telefon.md") + 2))
printf '\nText och ![saknas](saknas.png).\n' >>"$c/routines/hot-i-telefon.md"
pat="routines/hot-i-telefon.md:$line:10: error: image 'saknas.png' not found — put the file at .*routines/saknas.png"
expect_fail "check reports a missing image at file:line:col" 1 "$pat" check --content "$c"
cp "$h" "$TMP/before.odt"
expect_fail "build fails on a missing image at file:line:col" 1 "$pat" build --content "$c" --theme "$THEME" -o "$TMP/d" -q
check "the failed build leaves the previous output intact" cmp -s "$h" "$TMP/before.odt"
c2=$(fresh_content outside)
printf '\n![ut](../../../etc/passwd)\n' >>"$c2/routines/hot-i-telefon.md"
expect_fail "an image outside the content folder is an error" 1 "hot-i-telefon.md:[0-9]+:1: error: image '../../../etc/passwd' is outside the content folder" check --content "$c2"
printf 'inte en bild\n' >"$c2/routines/fel.png"
printf '\n![fel](fel.png)\n' >>"$c2/routines/hot-i-telefon.md"
expect_fail "a file that is not an image is an error" 1 "error: image 'fel.png' is not a PNG, JPEG, GIF or SVG image" check --content "$c2"
printf '\n![logga]({{incident_system}}.png)\n' >>"$c2/routines/hot-i-telefon.md"
expect_fail "an image path with a variable is an error" 1 "error: image '\\{\\{incident_system\\}\\}.png': image paths cannot use \\{\\{variables\\}\\}" check --content "$c2"
