#!/usr/bin/env bash
# The emergency card (akutkort, docs/documents.md): per organisation an HTML
# page and an ODT beside it, with the three steps, the numbers from the
# organisation's variables, the routine's version and the build date, and a
# QR code that decodes (zbarimg, from a LibreOffice render of the ODT and a
# Chromium screenshot of the HTML page) to the routine's absolute URL.
# `card:` naming a routine some role may not read, no routine, or not one id
# is an error at `card:` (site.yaml:line:col), in check and build.
. "$(dirname "$0")/../lib.sh"
content=$VAKSAM_ROOT/content
export SOURCE_DATE_EPOCH=1767225600 # 2026-01-01
run_vaksam build --content "$content" --theme "$THEME" -o "$TMP/d" --format html,odt -q
check "sample with card: builds" [ "$RC" -eq 0 ]
id=$(sed -n 's/^card: *//p' "$content/site.yaml")
check "the sample's site.yaml names a card routine" [ -n "$id" ]
base=$(sed -n 's/^base_url: *//p' "$content/site.yaml")
role=$(awk '/^roles:/{r=1} r && /- id:/{print $3; exit}' "$content/site.yaml")
version=$(sed -n 's/^version: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$content/routines/$id.md" | head -n 1)
url="${base}kommunen/$role/rutiner/$id.html"

html=$TMP/d/site/kommunen/akutkort.html
check "kommunen's card page exists" [ -f "$html" ]
check "every organisation has a card page and ODT" \
  [ "$(ls "$TMP"/d/site/*/akutkort.html | wc -l)" -eq "$(ls -d "$TMP"/d/site/*/ | grep -vc '/assets/\|/bilder/')" ]
steps=$(grep -o '<ol class="steps">.*</ol>' "$html" | grep -o '<li>' | wc -l)
check "the card shows three steps (got $steps)" [ "$steps" -eq 3 ]
check "step text from the theme, numbers from kommunen's variables" \
  grep -q 'Rapportera händelsen i KIA samma dag' "$html"
check "the security phone number from the variables" grep -q 'Säkerhetsfunktionen: 0123-45 67 00' "$html"
check "the incident system from the variables" grep -q 'Incidentsystem: KIA' "$html"
s=$TMP/d/site/socialnamnden/akutkort.html
check "a child organisation's own variables win (Agera, its own number)" \
  bash -c "grep -q 'Incidentsystem: Agera' '$s' && grep -q '0123-45 71 10' '$s' && ! grep -q 'Incidentsystem: KIA' '$s'"
check "the card shows the routine's version ($version) and the build date" \
  grep -q "Rutinens version $version · kortet skapat 2026-01-01" "$html"
check "the card links the routine's absolute URL" grep -qF "href=\"$url\"" "$html"
check "the organisation's page links its card page and ODT" \
  bash -c "grep -q 'href=\"akutkort.html\"' '$TMP/d/site/kommunen/index.html' && grep -q 'href=\"akutkort.odt\"' '$TMP/d/site/kommunen/index.html'"
check "the QR code is inline SVG with a text alternative" grep -q '<svg [^>]*role="img" [^>]*aria-label=' "$html"

odt=$TMP/d/site/kommunen/akutkort.odt
check "kommunen's card ODT exists beside the page" [ -f "$odt" ]
validate=$VAKSAM_ROOT/tests/data/odf/odf-validate
if [ -x "$validate" ]; then
  "$validate" --strict "$odt" >"$TMP/val" 2>&1
  check "the card ODT passes odf-validate --strict" grep -q '^OK ' "$TMP/val"
else
  notok "odf-validate found at $validate"
fi
unzip -p "$odt" content.xml >"$TMP/content.xml"
check "the ODT holds the steps and the numbers" \
  bash -c "grep -q 'Rapportera händelsen i KIA' '$TMP/content.xml' && grep -q '114 14' '$TMP/content.xml'"

soffice=$(command -v soffice || command -v libreoffice)
if [ -z "$soffice" ]; then
  notok "LibreOffice installed (to render the card)"
  exit 0
fi
mkdir -p "$TMP/pdf"
timeout 180 "$soffice" -env:UserInstallation=file://$TMP/lo --headless --convert-to pdf \
  --outdir "$TMP/pdf" "$odt" >"$TMP/lo.log" 2>&1
pdf=$TMP/pdf/akutkort.pdf
check "LibreOffice renders the card ODT to PDF" [ -s "$pdf" ]
pages=$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
check "the card is one page (got $pages)" [ "$pages" = 1 ]
pdftoppm -png -r 150 -singlefile "$pdf" "$TMP/card" 2>/dev/null
# every step number ("1.", "2.", "3.") ends at least 2 mm (5.67 pt) before
# the text of its line starts: the list's label is followed by a real gap
pdftotext -bbox-layout "$pdf" "$TMP/bbox.html" 2>/dev/null
gaps=$(python3 - "$TMP/bbox.html" <<'PY'
import re, sys
words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
    open(sys.argv[1], encoding="utf-8").read())]
for n in ("1.", "2.", "3."):
    num = [x for x in words if x[4] == n]
    if not num:
        print(n, "missing"); continue
    x0, y0, x1, y1, _ = num[0]
    after = [x for x in words if x[0] > x0 and abs(x[1] - y0) < 3 and x is not num[0]]
    if not after:
        print(n, "no-text"); continue
    gap = min(x[0] for x in after) - x1
    print(n, "%.1fmm" % (gap / 72 * 25.4), "ok" if gap >= 2 / 25.4 * 72 else "touching")
PY
)
check "every step number has a gap of at least 2 mm before its text (${gaps//$'\n'/; })" \
  bash -c "[ \$(grep -c ' ok\$' <<<'$gaps') -eq 3 ]"
got=$(zbarimg -q --raw "$TMP/card.png" 2>/dev/null)
check "the QR code in the rendered ODT decodes to the routine's URL ($got)" [ "$got" = "$url" ]

chrome=$(command -v chromium || command -v chromium-browser)
if [ -n "$chrome" ]; then
  timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --user-data-dir="$TMP/chrome" \
    --window-size=900,1300 --screenshot="$TMP/html.png" "file://$html" >/dev/null 2>&1
  got=$(zbarimg -q --raw "$TMP/html.png" 2>/dev/null)
  check "the QR code on the HTML page decodes to the routine's URL ($got)" [ "$got" = "$url" ]
else
  notok "Chromium installed (to render the card page)"
fi
[ -n "${CARD_KEEP:-}" ] && cp "$TMP/card.png" "$TMP/html.png" "$CARD_KEEP/"

# a restricted routine on the card is an error at `card:`
mkdir -p "$TMP/c"
cp -r "$content"/. "$TMP/c/"
sed -i 's/^card: .*/card: fortroendevaldas-sakerhet-och-ansvar/' "$TMP/c/site.yaml"
run_vaksam build --content "$TMP/c" --theme "$THEME" -o "$TMP/e" --format html -q
check "a card routine some role may not read fails the build" [ "$RC" -eq 1 ]
check "… with site.yaml:line:col naming the role" \
  grep -qE "site\.yaml:[0-9]+:[0-9]+: .*'card' names routine 'fortroendevaldas-sakerhet-och-ansvar', which role" "$TMP/err"
run_vaksam check --content "$TMP/c" --theme "$THEME" -q
check "… and fails vaksam check the same way (exit $RC)" \
  bash -c "[ $RC -eq 1 ] && grep -qE \"site\.yaml:[0-9]+:[0-9]+: .*'card' names routine 'fortroendevaldas-sakerhet-och-ansvar', which role\" '$TMP/err'"

# `card:` naming no routine, or not one id: an error at site.yaml's line and
# column naming the id and the routines it may name, in check and in build
line=$(grep -n '^card:' "$TMP/c/site.yaml" | cut -d: -f1)
sed -i 's/^card: .*/card: hot-i-mot/' "$TMP/c/site.yaml"
for cmd in check build; do
  expect_fail "vaksam $cmd: an unknown card routine is an error at site.yaml:$line:7 naming it and the known ones" 1 \
    "site\.yaml:$line:7: error: 'card' names 'hot-i-mot', which is no routine .*: .*hot-i-mote.*polisanmalan" \
    "$cmd" --content "$TMP/c" --theme "$THEME" -o "$TMP/e" -q
done
sed -i 's/^card: .*/card: kaffet-och-gavan/' "$TMP/c/site.yaml"
expect_fail "a card naming a case, not a routine, is an error" 1 \
  "site\.yaml:$line:7: error: 'card' names 'kaffet-och-gavan', which is no routine" \
  check --content "$TMP/c" --theme "$THEME" -q
sed -i 's/^card: .*/card: [hot-i-mote, polisanmalan]/' "$TMP/c/site.yaml"
for cmd in check build; do
  expect_fail "vaksam $cmd: a card value that is not one id is an error at site.yaml:$line" 1 \
    "site\.yaml:$line:[0-9]+: error: 'card' must be one routine id" \
    "$cmd" --content "$TMP/c" --theme "$THEME" -o "$TMP/e" -q
done

# --format html,pdf: the card is converted with the other ODT files (one
# LibreOffice batch) into a tagged one-page PDF the organisation page links
if command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; then
  mkdir -p "$TMP/m"
  cp -r "$VAKSAM_ROOT/tests/data/mini"/. "$TMP/m/"
  echo "card: hot-i-telefon" >>"$TMP/m/site.yaml"
  run_vaksam build --content "$TMP/m" --theme "$THEME" -o "$TMP/mp" --format html,pdf -q
  pdf=$TMP/mp/site/kommunen/akutkort.pdf
  check "--format html,pdf makes the card's PDF (exit $RC)" [ "$RC" -eq 0 -a -s "$pdf" ]
  check "… tagged, on one page" bash -c "pdfinfo '$pdf' | grep -q '^Tagged: *yes' && pdfinfo '$pdf' | grep -q '^Pages: *1$'"
  check "… and the organisation page links it" grep -q 'href="akutkort.pdf"' "$TMP/mp/site/kommunen/index.html"
else
  notok "LibreOffice installed (scripts/setup test installs it)"
fi
