#!/usr/bin/env bash
# LibreOffice opens what vaksam writes: a routine handout and an APT slide
# pack convert to PDF, and the PDF holds their text (nothing lost to overflow).
. "$(dirname "$0")/../lib.sh"
soffice=$(command -v soffice || command -v libreoffice)
if [ -z "$soffice" ]; then
  notok "LibreOffice is installed (scripts/setup test)"
  exit 0
fi
content=$VAKSAM_ROOT/content
[ -f "$content/site.yaml" ] || { notok "sample content exists"; exit 0; }
run_vaksam build --content "$content" --theme "$THEME" -o "$TMP/d" --format odt,odp --org socialnamnden -q
check "documents build" [ "$RC" -eq 0 ]
handout=$TMP/d/site/socialnamnden/chef/dokument/efter-en-handelse.odt
slides=$TMP/d/site/socialnamnden/chef/apt/vad-ar-otillaten-paverkan/bildspel.odp
mkdir -p "$TMP/pdf" "$TMP/lo"
timeout 180 "$soffice" -env:UserInstallation=file://$TMP/lo --headless --convert-to pdf --outdir "$TMP/pdf" "$handout" "$slides" >"$TMP/lo.log" 2>&1
check "LibreOffice converts the handout" [ -s "$TMP/pdf/efter-en-handelse.pdf" ]
check "LibreOffice converts the slide pack" [ -s "$TMP/pdf/bildspel.pdf" ]
pdftotext -layout "$TMP/pdf/efter-en-handelse.pdf" "$TMP/h.txt" 2>/dev/null
pdftotext "$TMP/pdf/bildspel.pdf" "$TMP/s.txt" 2>/dev/null
check "handout shows title, metadata and footer" bash -c "grep -q 'Efter en händelse' '$TMP/h.txt' && grep -q 'KS/2026:015' '$TMP/h.txt' && grep -q 'Sida 1 av' '$TMP/h.txt'"
check "handout keeps the manager's steps for chef" grep -q "Chefens steg" "$TMP/h.txt"
# Every slide's text must be on a page: compare with the slides' text in content.xml.
unzip -p "$slides" content.xml | sed 's/<presentation:notes>.*\?<\/presentation:notes>//g' >"$TMP/c.xml"
missing=0
for w in "Vad är otillåten påverkan" "Dagordning" "Påtryckning" "Smicker och antydningar" "Frågor: Smicker" "Avslutning"; do
  grep -q "$w" "$TMP/s.txt" || { missing=1; echo "# slide text missing in PDF: $w"; }
done
check "slide text survives to the PDF" [ "$missing" -eq 0 ]
pages=$(pdfinfo "$TMP/pdf/bildspel.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
check "the slide pack has a page per slide ($pages)" [ "${pages:-0}" -ge 8 ]
