#!/usr/bin/env bash
# --format pdf: every ODT and ODP of a build gets a tagged PDF beside it, made
# by LibreOffice in one call per document family (not a process per file;
# calls of at most 200 files, since LibreOffice stops after 248);
# the PDF holds every paragraph of its ODT; the site links the PDFs beside
# the ODTs. Without LibreOffice, --format pdf stops with exit 2 and a clear
# message, and other formats build as before.
. "$(dirname "$0")/../lib.sh"
soffice=$(command -v soffice || command -v libreoffice)
if [ -z "$soffice" ]; then
  notok "LibreOffice is installed (scripts/setup test)"
  exit 0
fi
mini=$VAKSAM_ROOT/tests/data/mini
# a wrapper that counts LibreOffice runs and passes them on
cat >"$TMP/soffice" <<EOF
#!/bin/sh
echo run >>"$TMP/runs"
exec "$soffice" "\$@"
EOF
chmod +x "$TMP/soffice"
VAKSAM_SOFFICE=$TMP/soffice run_vaksam build --content "$mini" --theme "$THEME" -o "$TMP/d" --format html,pdf -q
check "a build with --format pdf succeeds (exit $RC)" [ "$RC" -eq 0 ]
odf=$(find "$TMP/d" -name '*.od[tp]' | wc -l)
pdfs=$(find "$TMP/d" -name '*.pdf' | wc -l)
check "every ODT and ODP has a PDF beside it ($pdfs of $odf)" bash -c "[ $odf -gt 0 ] && [ $pdfs -eq $odf ] && for f in \$(find '$TMP/d' -name '*.od[tp]'); do [ -s \"\${f%.*}.pdf\" ] || exit 1; done"
check "LibreOffice ran once per document family ($(wc -l <"$TMP/runs" 2>/dev/null) runs for $odf files)" [ "$(wc -l <"$TMP/runs")" -eq 2 ]
untagged=0
for p in $(find "$TMP/d" -name '*.pdf'); do
  pdfinfo "$p" 2>/dev/null | grep -q '^Tagged: *yes' || { untagged=$((untagged + 1)); echo "# not tagged: $p"; }
done
check "pdfinfo reports every PDF tagged ($untagged untagged)" [ "$untagged" -eq 0 ]
# every paragraph and heading of an ODT's body is in its PDF's text
cat >"$TMP/paras.py" <<'EOF'
import re, sys, zipfile, xml.etree.ElementTree as ET
T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
odt, txt = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
squash = lambda s: re.sub(r"\s+", "", s)
have = squash(txt)
root = ET.fromstring(zipfile.ZipFile(odt).read("content.xml"))
missing = 0
for e in root.iter():
    if e.tag in (T + "p", T + "h"):
        t = squash("".join(e.itertext()))
        if t and t not in have:
            print(f"# {odt}: missing '{''.join(e.itertext())[:80]}'")
            missing += 1
sys.exit(1 if missing else 0)
EOF
bad=0
for o in $(find "$TMP/d" -name '*.odt'); do
  pdftotext -raw -nopgbrk "${o%.odt}.pdf" "$TMP/t.txt" 2>/dev/null
  python3 "$TMP/paras.py" "$o" "$TMP/t.txt" || bad=$((bad + 1))
done
check "every PDF holds all its ODT's paragraphs ($bad ODTs with text missing)" [ "$bad" -eq 0 ]
page=$(find "$TMP/d/site" -name 'hot-i-telefon.html' | sort | head -n 1)
pdf_href=$(grep -o 'href="[^"]*\.pdf"' "$page" | head -n 1 | sed 's/href="//; s/"$//')
check "a routine page offers its PDF beside the ODT ($pdf_href)" bash -c "[ -n '$pdf_href' ] && [ -s '$(dirname "$page")/$pdf_href' ] && grep -q 'href=\"[^\"]*\.odt\"' '$page'"
pack=$(grep -l 'class="downloads"' $(find "$TMP/d/site" -path '*/apt/*.html') 2>/dev/null | head -n 1)
check "the pack page offers the pack's PDFs" bash -c "[ -n '$pack' ] && grep -c 'href=\"[^\"]*\.pdf\"' '$pack' | grep -qv '^0$'"

# ---- without LibreOffice ----
VAKSAM_SOFFICE= run_vaksam build --content "$mini" --theme "$THEME" -o "$TMP/n" --format pdf -q
check "without LibreOffice --format pdf exits 2" [ "$RC" -eq 2 ]
check "… saying LibreOffice is needed" grep -q 'needs LibreOffice' "$TMP/err"
check "… and writes no output" [ ! -e "$TMP/n" ]
VAKSAM_SOFFICE= run_vaksam build --content "$mini" --theme "$THEME" -o "$TMP/o" --format html,odt,odp -q
check "without LibreOffice the other formats build (exit $RC)" bash -c "[ $RC -eq 0 ] && [ -n \"\$(find '$TMP/o' -name '*.odt')\" ] && [ -z \"\$(find '$TMP/o' -name '*.pdf')\" ]"
check "a build without pdf links no PDF" bash -c "! grep -rq 'href=\"[^\"]*\.pdf\"' '$TMP/o/site'"
# LibreOffice converts at most 248 files named on one command line (and says
# nothing of the rest): a build with more gets every PDF all the same
many=$TMP/many
cp -r "$mini" "$many"
for i in $(seq -w 1 70); do
  sed -e "s/^id: hot-i-telefon/id: rutin-$i/" -e "s/^title: .*/title: Rutin $i/" \
    -e '/^related:/d' "$mini/routines/hot-i-telefon.md" >"$many/routines/rutin-$i.md"
done
rm -f "$TMP/runs"
VAKSAM_SOFFICE=$TMP/soffice run_vaksam build --content "$many" --theme "$THEME" -o "$TMP/m" --format odt,pdf -q
odf=$(find "$TMP/m" -name '*.od[tp]' | wc -l)
pdfs=$(find "$TMP/m" -name '*.pdf' | wc -l)
check "a build of $odf ODF files (more than 248) succeeds (exit $RC)" bash -c "[ $RC -eq 0 ] && [ $odf -gt 248 ]"
check "… and every one of them has its PDF ($pdfs of $odf)" [ "$pdfs" -eq "$odf" ]
check "… made in calls of at most 200 files ($(wc -l <"$TMP/runs") runs)" [ "$(wc -l <"$TMP/runs")" -ge 3 ]
