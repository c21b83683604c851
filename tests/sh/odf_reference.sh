#!/usr/bin/env bash
# Reference documents: the default theme ships reference.odt/.odp that vaksam
# reads its styles from (the output is the same as from the built-in
# styles); a reference.odt changed and saved by LibreOffice restyles the
# handouts; one saved from a blank document still gets vaksam's own styles;
# a changed reference.odp restyles the slide packs. All stays strict ODF 1.3.
. "$(dirname "$0")/../lib.sh"
validate=$VAKSAM_ROOT/tests/data/odf/odf-validate
soffice=$(command -v soffice || command -v libreoffice)
c=$VAKSAM_ROOT/tests/data/mini
check "the default theme ships reference.odt and reference.odp" [ -f "$THEME/reference.odt" -a -f "$THEME/reference.odp" ]
cp -R "$THEME" "$TMP/bare"
rm -f "$TMP/bare/reference.odt" "$TMP/bare/reference.odp"
run_vaksam build --content "$c" --theme "$TMP/bare" -o "$TMP/d0" --format odt,odp -q
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/d1" --format odt,odp -q
h=site/kommunen/chef/dokument/hot-i-telefon.odt
s=site/kommunen/chef/apt/hot-pa-jobbet/bildspel.odp
check "the shipped reference.odt gives the built-in styles byte for byte" bash -c "cmp -s <(unzip -p '$TMP/d0/$h' styles.xml) <(unzip -p '$TMP/d1/$h' styles.xml)"
check "the shipped reference.odp gives the built-in slide styles byte for byte" bash -c "cmp -s <(unzip -p '$TMP/d0/$s' styles.xml) <(unzip -p '$TMP/d1/$s' styles.xml) && cmp -s <(unzip -p '$TMP/d0/$s' content.xml) <(unzip -p '$TMP/d1/$s' content.xml)"

# restyle_zip IN OUT PYTHON-EXPR-ON-styles.xml — rewrites styles.xml, mimetype first and stored
restyle_zip() {
  python3 - "$1" "$2" "$3" <<'PY'
import re, sys, zipfile
src, dst, expr = sys.argv[1:]
zin = zipfile.ZipFile(src)
with zipfile.ZipFile(dst, "w") as zout:
    zout.writestr(zipfile.ZipInfo("mimetype"), zin.read("mimetype"), compress_type=zipfile.ZIP_STORED)
    for i in zin.infolist():
        if i.filename == "mimetype":
            continue
        data = zin.read(i.filename)
        if i.filename == "styles.xml":
            s = data.decode()
            s = eval(expr)
            data = s.encode()
        zout.writestr(i.filename, data, compress_type=zipfile.ZIP_DEFLATED)
PY
}

# A municipality changes Heading 1 to dark red DejaVu Serif and saves with LibreOffice.
cp -R "$THEME" "$TMP/t"
restyle_zip "$THEME/reference.odt" "$TMP/edited.odt" \
  's.replace("style:default-outline-level=\"1\"><style:text-properties fo:font-size=\"17pt\" fo:font-weight=\"bold\" fo:color=\"#00457c\"", "style:default-outline-level=\"1\"><style:text-properties style:font-name=\"DejaVu Serif\" fo:font-size=\"17pt\" fo:font-weight=\"bold\" fo:color=\"#8b0000\"").replace("</office:font-face-decls>", "<style:font-face style:name=\"DejaVu Serif\" svg:font-family=\"&apos;DejaVu Serif&apos;\" style:font-family-generic=\"roman\" style:font-pitch=\"variable\"/></office:font-face-decls>")'
if [ -n "$soffice" ]; then
  mkdir -p "$TMP/lo-out"
  timeout 180 "$soffice" -env:UserInstallation=file://$TMP/lo --headless --convert-to odt --outdir "$TMP/lo-out" "$TMP/edited.odt" >"$TMP/lo.log" 2>&1
  cp "$TMP/lo-out/edited.odt" "$TMP/t/reference.odt"
  check "LibreOffice saved the edited reference.odt" bash -c "unzip -p '$TMP/t/reference.odt' styles.xml | grep -q '8b0000'"
else
  notok "LibreOffice is installed (scripts/setup test)"
  cp "$TMP/edited.odt" "$TMP/t/reference.odt"
fi
run_vaksam build --content "$c" --theme "$TMP/t" -o "$TMP/d2" --format odt,odp -q
check "a LibreOffice-saved reference.odt builds" [ "$RC" -eq 0 ]
unzip -p "$TMP/d2/$h" styles.xml >"$TMP/s2.xml"
check "its Heading 1 colour reaches the handout's styles.xml" bash -c "grep -o '<style:style style:name=\"Heading_20_1\"[^>]*>.\{0,600\}' '$TMP/s2.xml' | grep -q 'fo:color=\"#8b0000\"'"
check "its Heading 1 font reaches the handout's styles.xml" bash -c "grep -o '<style:style style:name=\"Heading_20_1\"[^>]*>.\{0,600\}' '$TMP/s2.xml' | grep -q 'style:font-name=\"DejaVu Serif\"' && grep -q 'style:font-face style:name=\"DejaVu Serif\"' '$TMP/s2.xml'"
check "LibreOffice's own extensions are left out" bash -c "! grep -q 'loext:' '$TMP/s2.xml'"

# A reference saved from a blank LibreOffice document lacks vaksam's styles: they are added.
if [ -n "$soffice" ]; then
  printf 'Tom\n' >"$TMP/blank.txt"
  timeout 180 "$soffice" -env:UserInstallation=file://$TMP/lo --headless --convert-to odt --outdir "$TMP/lo-out" "$TMP/blank.txt" >>"$TMP/lo.log" 2>&1
  cp -R "$THEME" "$TMP/tb"
  cp "$TMP/lo-out/blank.odt" "$TMP/tb/reference.odt"
  run_vaksam build --content "$c" --theme "$TMP/tb" -o "$TMP/d3" --format odt -q
  check "a blank LibreOffice reference.odt builds" [ "$RC" -eq 0 ]
  [ "$RC" -eq 0 ] || { ls "$TMP/lo-out" | sed "s/^/# lo-out: /"; sed "s/^/# /" "$TMP/lo.log" "$TMP/err" | tail -n 8; }
  check "vaksam's own styles are added to it" bash -c "unzip -p '$TMP/d3/$h' styles.xml | grep -q 'style:name=\"Box_20_Label\"' && unzip -p '$TMP/d3/$h' styles.xml | grep -q 'style:name=\"Note_20_Line\"'"
fi

# reference.odp: the master page's bar colour and the title colour come from it.
# (Impress: View ▸ Master Slide, the bar's fill and the Title presentation style)
restyle_zip "$THEME/reference.odp" "$TMP/t/reference.odp" 's.replace("draw:fill-color=\"#00457c\"", "draw:fill-color=\"#2e7d32\"", 1).replace("<style:style style:name=\"Vaksam-title\" style:family=\"presentation\"><style:text-properties style:font-name=\"Liberation Sans\" fo:font-size=\"30pt\" fo:font-weight=\"bold\" fo:color=\"#00457c\"", "<style:style style:name=\"Vaksam-title\" style:family=\"presentation\"><style:text-properties style:font-name=\"Liberation Serif\" fo:font-size=\"30pt\" fo:font-weight=\"bold\" fo:color=\"#6a1b9a\"").replace("</office:font-face-decls>", "<style:font-face style:name=\"Liberation Serif\" svg:font-family=\"&apos;Liberation Serif&apos;\" style:font-family-generic=\"roman\" style:font-pitch=\"variable\"/></office:font-face-decls>")'
run_vaksam build --content "$c" --theme "$TMP/t" -o "$TMP/d4" --format odp -q
check "a changed reference.odp builds" [ "$RC" -eq 0 ]
check "its master page (bar colour) reaches bildspel.odp" bash -c "unzip -p '$TMP/d4/$s' styles.xml | grep -q 'draw:fill-color=\"#2e7d32\"'"
check "its title style's colour and font reach the slide titles" bash -c "unzip -p '$TMP/d4/$s' content.xml | grep -q '<style:style style:name=\"P_Title\" style:family=\"paragraph\"><style:paragraph-properties[^>]*/><style:text-properties style:font-name=\"Liberation Serif\" fo:font-size=\"30pt\" fo:font-weight=\"bold\" fo:color=\"#6a1b9a\"'"
check "slides use the reference's master page and the pack's footer" bash -c "unzip -p '$TMP/d4/$s' content.xml | grep -q 'draw:master-page-name=\"Vaksam\" presentation:use-footer-name=\"ftr1\"' && unzip -p '$TMP/d4/$s' content.xml | grep -q '<presentation:footer-decl presentation:name=\"ftr1\">Testkommunen · Hot på jobbet</presentation:footer-decl>'"
# a reference.odp of another slide size is used, with a warning
restyle_zip "$THEME/reference.odp" "$TMP/t/reference.odp" 's.replace("fo:page-width=\"28.00cm\" fo:page-height=\"15.75cm\"", "fo:page-width=\"25.40cm\" fo:page-height=\"19.05cm\"")'
run_vaksam build --content "$c" --theme "$TMP/t" -o "$TMP/d5" --format odp
check "a 4:3 reference.odp is reported as a warning" bash -c "[ $RC -eq 0 ] && grep -q 'reference.odp: warning: the master slide is 25.40 × 19.05 cm' '$TMP/err'"

# reference.odp saved by LibreOffice Impress (its own styles, renamed fonts, loext) still works
if [ -n "$soffice" ]; then
  cp "$THEME/reference.odp" "$TMP/impress.odp"
  timeout 180 "$soffice" -env:UserInstallation=file://$TMP/lo --headless --convert-to odp --outdir "$TMP/lo-out" "$TMP/impress.odp" >>"$TMP/lo.log" 2>&1
  cp -R "$THEME" "$TMP/ti"
  cp "$TMP/lo-out/impress.odp" "$TMP/ti/reference.odp"
  run_vaksam build --content "$c" --theme "$TMP/ti" -o "$TMP/d6" --format odp -q
  check "a reference.odp saved by Impress builds, its master page used" bash -c "[ $RC -eq 0 ] && unzip -p '$TMP/d6/$s' styles.xml | grep -q '<style:master-page style:name=\"Vaksam\"' && ! unzip -p '$TMP/d6/$s' styles.xml | grep -q 'loext:'"
fi

if [ -x "$validate" ]; then
  "$validate" --strict "$TMP/d2/$h" "$TMP/d4/$s" "$TMP/d1/$h" "$TMP/d1/$s" ${soffice:+"$TMP/d3/$h" "$TMP/d6/$s"} >"$TMP/v" 2>&1
  n=$((4 + ${soffice:+2}))
  check "handouts and packs from changed references are strict ODF 1.3" [ "$(grep -c '^OK ' "$TMP/v")" -eq "$n" ]
  grep -v '^OK ' "$TMP/v" | head -8 | sed 's/^/# /'
else
  notok "odf-validate found at $validate"
fi
