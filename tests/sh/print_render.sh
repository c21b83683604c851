#!/usr/bin/env bash
# What a reader sees on paper and on the projector: every pack deck of the
# sample and the handout list cases (tests/data/lists/) rendered to PDF by
# LibreOffice in ONE batch, then read back with poppler:
#  - slides (pdftotext -bbox-layout, tests/tools/slide_geometry.py): no text
#    line overlaps another or leaves the slide; no continuation slide holds a
#    lone item while the slide before has room for it (a checklist group split
#    over slides repeats its heading, continued); every slide shows its
#    number (and on an agenda item's slides the meeting's progress);
#  - slide types (tests/tools/slide_types.py): a divider per agenda item, a
#    definition's term larger than its definition, the contacts on the
#    closing slide;
#  - handout lists (pdftotext -layout): the right marker at the right depth,
#    one marker per task item, a quote in a quote indented further.
. "$(dirname "$0")/../lib.sh"
soffice=$(command -v soffice || command -v libreoffice)
if [ -z "$soffice" ]; then
  notok "LibreOffice is installed (scripts/setup test)"
  exit 0
fi
content=$VAKSAM_ROOT/content
[ -f "$content/site.yaml" ] || { notok "sample content exists"; exit 0; }
run_vaksam build --content "$content" --theme "$THEME" -o "$TMP/d" --format odp -q
check "sample packs build" [ "$RC" -eq 0 ]
run_vaksam build --content "$VAKSAM_ROOT/tests/data/lists" --theme "$THEME" -o "$TMP/l" --format odt -q
check "list cases build" [ "$RC" -eq 0 ]
mkdir -p "$TMP/in" "$TMP/pdf" "$TMP/lo"
# decks of every organisation share a file name: give each its own
find "$TMP/d" -name '*.odp' | sort | while read -r f; do
  rel=${f#"$TMP/d/"}
  cp "$f" "$TMP/in/$(echo "${rel%.odp}" | tr '/' '_').odp"
done
find "$TMP/l" -name 'listor.odt' -exec cp {} "$TMP/in/" \;
decks=$(ls "$TMP/in"/*.odp 2>/dev/null | wc -l)
check "the sample has pack decks ($decks)" [ "$decks" -gt 0 ]
timeout 900 "$soffice" -env:UserInstallation=file://$TMP/lo --headless --convert-to pdf \
  --outdir "$TMP/pdf" "$TMP/in"/* >"$TMP/lo.log" 2>&1
pdfs=$(ls "$TMP/pdf"/*.pdf 2>/dev/null | wc -l)
check "LibreOffice renders every deck and the list handout in one batch ($pdfs)" [ "$pdfs" -eq $((decks + 1)) ]

# ---- slides ----
for p in "$TMP/pdf"/*.pdf; do
  [ "$(basename "$p")" = listor.pdf ] || pdftotext -bbox-layout "$p" "${p%.pdf}.html"
done
slides=$(for p in "$TMP/pdf"/*.pdf; do [ "$(basename "$p")" = listor.pdf ] || pdfinfo "$p"; done |
  awk '/^Pages:/ {n += $2} END {print n + 0}')
cont=$(sed -n 's/^slides.continued: *"{}\(.*\)"$/\1/p' "$THEME/labels.yaml")
python3 "$VAKSAM_ROOT/tests/tools/slide_geometry.py" "$cont" "$TMP/pdf"/*.html >"$TMP/geo" 2>&1
for kind in overlap outside lone unnumbered; do
  n=$(grep -c "^$kind " "$TMP/geo")
  case $kind in
  overlap) d="no text line overlaps another" ;;
  outside) d="no text leaves its slide" ;;
  lone) d="no continuation slide holds a lone item while the one before has room" ;;
  unnumbered) d="every slide after the title shows its number (and the agenda progress)" ;;
  esac
  check "$d ($decks decks, $slides slides; $n found)" [ "$n" -eq 0 ]
  [ "$n" -eq 0 ] || grep "^$kind " "$TMP/geo" | head -n 5 | sed 's/^/# /'
done
python3 "$VAKSAM_ROOT/tests/tools/slide_types.py" "$TMP/in" "$TMP/pdf" >"$TMP/types" 2>&1
read -r _ dividers terms contacts < <(grep '^counted ' "$TMP/types" || echo "counted 0 0 0")
for kind in divider term contact; do
  n=$(grep -c "^$kind " "$TMP/types")
  case $kind in
  divider) d="a divider slide per agenda item, in order, with its title ($dividers dividers)" ;;
  term) d="a definition's term is drawn larger than its definition ($terms terms)" ;;
  contact) d="the closing slide shows the organisation's contacts ($contacts decks)" ;;
  esac
  check "$d; $n found" [ "$n" -eq 0 ]
  [ "$n" -eq 0 ] || grep "^$kind " "$TMP/types" | head -n 5 | sed 's/^/# /'
done
check "the slide types were found in the renders" bash -c "[ $dividers -gt 0 ] && [ $terms -gt 0 ] && [ $contacts -gt 0 ] && ! grep -qE 'Traceback|^pages ' '$TMP/types'"
check "the geometry check read the renders" bash -c "! grep -q Traceback '$TMP/geo'"
cat "$TMP/pdf"/*.html | grep -o '<word[^>]*>[^<]*</word>' | sed 's/<[^>]*>//g' >"$TMP/words"
check "checklist slides show ☐ boxes ($(grep -cx '☐' "$TMP/words")), never a bullet and a box" \
  bash -c "grep -qx '☐' '$TMP/words' && ! tr '\n' ' ' <'$TMP/words' | grep -q '• ☐'"
# "Var går gränsen?" splits its checklist inside the group "På träffen": the
# next slide repeats the heading, marked continued, above the items it holds
vgg=$(ls "$TMP/pdf"/*kommunen_chef_apt_var-gar-gransen_bildspel.pdf 2>/dev/null | head -n 1)
pdftotext -layout "$vgg" "$TMP/vgg.txt" 2>/dev/null
check "a checklist group split over slides repeats its heading ('På träffen$cont') on the next" \
  bash -c "grep -A1 'På träffen$cont' '$TMP/vgg.txt' | grep -q '☐ Gå igenom larm'"

# ---- handout lists ----
pdftotext -layout "$TMP/pdf/listor.pdf" "$TMP/lists.txt" 2>/dev/null
# indent WORD: the column where the line holding WORD starts; marker WORD:
# what stands before WORD on its line
indent() { awk -v w="$1" 'index($0, w) {match($0, /[^ ]/); print RSTART; exit}' "$TMP/lists.txt"; }
marker() { awk -v w="$1" 'index($0, w) {s = substr($0, 1, index($0, w) - 1); gsub(/ /, "", s); print s; exit}' "$TMP/lists.txt"; }
deeper() { [ -n "$(indent "$1")" ] && [ -n "$(indent "$2")" ] && [ "$(indent "$2")" -gt "$(indent "$1")" ]; }
check "a numbered item shows its number (1.)" [ "$(marker NUMMER-ETT)" = "1." ]
check "the second numbered item continues (2.)" [ "$(marker NUMMER-TVÅ)" = "2." ]
check "bullets under a numbered item stay bullets ($(marker PUNKT-UNDER-ETT))" \
  bash -c "case '$(marker PUNKT-UNDER-ETT)' in •|◦|▪) exit 0;; *) exit 1;; esac"
check "the bullets stand deeper than their numbered item" deeper NUMMER-ETT PUNKT-UNDER-ETT
check "a top-level bullet shows •" [ "$(marker PUNKT-ÖVERST)" = "•" ]
check "\"1)\" items under a bullet keep their numbers ($(marker PAREN-ETT), $(marker PAREN-TVÅ))" \
  bash -c "[ '$(marker PAREN-ETT)' = '1)' ] && [ '$(marker PAREN-TVÅ)' = '2)' ]"
check "the \"1)\" items stand deeper than their bullet" deeper PUNKT-ÖVERST PAREN-ETT
check "an open task item has one marker, ☐ ($(marker UPPGIFT-ÖPPEN))" [ "$(marker UPPGIFT-ÖPPEN)" = "☐" ]
check "a done task item has one marker, ☑ ($(marker UPPGIFT-KLAR))" [ "$(marker UPPGIFT-KLAR)" = "☑" ]
check "a nested task item has one marker and stands deeper" \
  bash -c "[ '$(marker UPPGIFT-UNDER)' = '☐' ] && [ $(indent UPPGIFT-UNDER) -gt $(indent UPPGIFT-KLAR) ]"
check "a quote in a quote is indented further (nesting kept)" deeper CITAT-YTTRE CITAT-INRE
