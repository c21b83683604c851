#!/usr/bin/env bash
# Document control: the version at each change in the history table (Git,
# following a rename), approved versions in review.json/csv, review marks
# (`vaksam review --mark`) in versions.lock, page, handout, dashboard and
# reports, valid_from before and after with --today, review once per
# electoral term (mandatperiod), and the review calendars (iCalendar,
# parsed by python3-icalendar) per owner and for all.
. "$(dirname "$0")/../lib.sh"
c=$(fresh_content repo)
r=$c/routines
commit() { # DATE MESSAGE AUTHOR
  git -C "$c" add -A
  GIT_AUTHOR_DATE="$1T10:00:00Z" GIT_COMMITTER_DATE="$1T10:00:00Z" \
    git -C "$c" -c user.name="$3" -c user.email=x@example.se commit -q -m "$2"
}
git -C "$c" init -q
# version 1.0 under an older file name
git -C "$c" mv -f routines/hot-i-telefon.md routines/hot-i-tel.md 2>/dev/null ||
  mv "$r/hot-i-telefon.md" "$r/hot-i-tel.md"
sed -i -e 's/^version: "1.2"/version: "1.0"/' -e 's/^approved: 2026-01-15/approved: 2025-01-10/' \
  -e 's/^reference: KS\/2026:12/reference: KS\/2025:3/' -e '/^changes:/,/^  - /d' "$r/hot-i-tel.md"
commit 2025-01-10 "Rutinen beslutad" "Anna Andersson"
# version 1.1: a sentence added
sed -i -e 's/^version: "1.0"/version: "1.1"/' -e 's/^approved: 2025-01-10/approved: 2025-06-02/' \
  -e 's/^2\. Rapportera i/2. Säg att samtalet spelas in.\n3. Rapportera i/' "$r/hot-i-tel.md"
commit 2025-06-02 "Nytt steg: säg att samtalet spelas in" "Bo Berg"
# a rename, no new version
git -C "$c" mv routines/hot-i-tel.md routines/hot-i-telefon.md
commit 2025-09-01 "Nytt filnamn" "Bo Berg"
# version 1.2: a sentence rewritten, another owner
sed -i -e 's/^version: "1.1"/version: "1.2"/' -e 's/^approved: 2025-06-02/approved: 2026-01-15/' \
  -e 's/^owner: HR-avdelningen/owner: Säkerhetsenheten/' -e 's/^reference: KS\/2025:3/reference: KS\/2026:12/' \
  -e 's/Behåll lugnet och anteckna vad som sägs\./Var lugn och skriv ner vad som sägs./' "$r/hot-i-telefon.md"
commit 2026-01-15 "Omformulerat första steget, ny ansvarig" "Cecilia Ceder"
# a second routine for the owner and term checks
cat >"$r/jav.md" <<'DOC'
---
id: jav
title: Jäv
version: "1.0"
status: approved
approved: 2026-10-14
owner: HR-avdelningen
review_interval: mandatperiod
---

Anmäl jäv till din chef.
DOC
commit 2026-10-14 "Rutin om jäv" "Anna Andersson"

run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/b1" --format html,odt -q --today 2026-11-24
page=$TMP/b1/site/kommunen/chef/rutiner/hot-i-telefon.html
check "build of the Git fixture exits 0" [ "$RC" -eq 0 ]
check "history: the version at the newest commit, linked to what changed in it" grep -q '<td>2026-01-15</td><td>1.2</td><td>Omformulerat första steget, ny ansvarig <a href="../arkiv/hot-i-telefon/1.2-andringar.html">Visa ändringar<span class="visually-hidden"> i version 1.2</span></a></td>' "$page"
check "history: the rename commit shows the version it kept (and no link)" grep -q "<td>2025-09-01</td><td>1.1</td><td>Nytt filnamn</td>" "$page"
check "history: the second version" grep -q "<td>2025-06-02</td><td>1.1</td>" "$page"
check "history: the first version, from before the rename" grep -q "<td>2025-01-10</td><td>1.0</td><td>Rutinen beslutad</td>" "$page"
python3 - "$TMP/b1/review.json" >"$TMP/versions" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["routines"]:
    if r["id"] == "hot-i-telefon" and r["organisation"] == "kommunen":
        for v in r["versions"]:
            print(v["version"], v["approved"], v["reference"], v["owner"])
PY
check "review.json lists the three approved versions with their fields" diff -u - "$TMP/versions" <<'V'
1.0 2025-01-10 KS/2025:3 HR-avdelningen
1.1 2025-06-02 KS/2025:3 HR-avdelningen
1.2 2026-01-15 KS/2026:12 Säkerhetsenheten
V
check "review.csv carries the versions" grep -q '^hot-i-telefon,kommunen,.*,1.0 2025-01-10 Kommunstyrelsen (KS/2025:3); 1.1 2025-06-02 Kommunstyrelsen (KS/2025:3); 1.2 2026-01-15 Kommunstyrelsen (KS/2026:12)' "$TMP/b1/review.csv"

# ---- archived versions and what changed
ark=$TMP/b1/site/kommunen/chef/arkiv/hot-i-telefon
check "an archived page per older approved version" bash -c "[ -f '$ark/1.0.html' ] && [ -f '$ark/1.1.html' ] && [ ! -e '$ark/1.2.html' ]"
check "the archived page's banner names the version, its dates and the current one" grep -q '<p class="archive-banner" role="note"><strong>Arkiverad version 1.0. Den gäller inte längre.</strong> Den gällde från 10 januari 2025 till 2 juni 2025. <a href="../../rutiner/hot-i-telefon.html">Läs den gällande versionen (1.2)</a>.</p>' "$ark/1.0.html"
check "the archived page's title says archived" grep -q "<title>Hot i telefon – arkiverad version 1.1 – " "$ark/1.1.html"
check "archived pages carry noindex" bash -c "grep -q '<meta name=\"robots\" content=\"noindex\">' '$ark/1.0.html' && grep -q 'content=\"noindex\"' '$ark/1.2-andringar.html'"
unzip -p "$TMP/b1/site/kommunen/chef/dokument/hot-i-telefon.odt" content.xml >"$TMP/cur.xml"
check "the current handout says what changed since the version before" grep -q 'Ändrat sedan förra versionen</text:h><text:p text:style-name="Text_20_body">Omformulerat första steget, ny ansvarig</text:p>' "$TMP/cur.xml"
check "the archived page links its handout" grep -q '<a href="../../dokument/hot-i-telefon-version-1.0.odt" download>' "$ark/1.0.html"
unzip -p "$TMP/b1/site/kommunen/chef/dokument/hot-i-telefon-version-1.0.odt" content.xml >"$TMP/a.xml"
check "the archived handout is titled with its version and holds the old text" bash -c "grep -q 'Hot i telefon (arkiverad version 1.0)' '$TMP/a.xml' && grep -q 'Behåll lugnet och anteckna' '$TMP/a.xml' && ! grep -q 'spelas in' '$TMP/a.xml'"
check "the medarbetare archived handout has no chef-only text" bash -c "! unzip -p '$TMP/b1/site/kommunen/medarbetare/dokument/hot-i-telefon-version-1.0.odt' content.xml | grep -q CHEFSTEXT"
check "the archived page holds the old text and owner" bash -c "grep -q '<li>Behåll lugnet och anteckna vad som sägs.</li>' '$ark/1.0.html' && grep -q '<dd>HR-avdelningen</dd>' '$ark/1.0.html' && ! grep -q 'spelas in' '$ark/1.0.html'"
check "the current page lists the versions with their pages and changes" grep -q '<tr><td>1.1</td><td>2 juni 2025 – 15 januari 2026</td><td><a href="../arkiv/hot-i-telefon/1.1.html">Version 1.1</a> · <a href="../arkiv/hot-i-telefon/1.1-andringar.html">Visa ändringar' "$TMP/b1/site/kommunen/chef/rutiner/hot-i-telefon.html"
check "a sentence added is one <ins>, announced in words" grep -q '<p><ins><span class="visually-hidden">Tillagt: </span>Säg att samtalet spelas in.<span class="visually-hidden"> (slut på tillägg)</span></ins></p>' "$ark/1.1-andringar.html"
check "a sentence rewritten: <del> and <ins> word by word" grep -q '<p><del><span class="visually-hidden">Borttaget: </span>Behåll lugnet<span class="visually-hidden"> (slut på borttaget)</span></del> <ins><span class="visually-hidden">Tillagt: </span>Var lugn<span class="visually-hidden"> (slut på tillägg)</span></ins> och <del><span class="visually-hidden">Borttaget: </span>anteckna<span class="visually-hidden"> (slut på borttaget)</span></del> <ins><span class="visually-hidden">Tillagt: </span>skriv ner<span class="visually-hidden"> (slut på tillägg)</span></ins> vad som sägs.</p>' "$ark/1.2-andringar.html"
check "the owner change is listed" grep -q '<tr><th scope="row">Ansvarig</th><td>HR-avdelningen</td><td>Säkerhetsenheten</td></tr>' "$ark/1.2-andringar.html"
check "no front-matter table when only the text changed" bash -c "! grep -q 'Ändrade uppgifter' '$ark/1.1-andringar.html'"
check "another role's change page keeps the chef-only text out" bash -c "[ -f '$TMP/b1/site/kommunen/medarbetare/arkiv/hot-i-telefon/1.2-andringar.html' ] && ! grep -rq CHEFSTEXT '$TMP/b1/site/kommunen/medarbetare/arkiv'"
check "archived pages are not in the sitemap" bash -c "grep -q 'rutiner/hot-i-telefon.html' '$TMP/b1/site/sitemap.xml' && ! grep -q arkiv '$TMP/b1/site/sitemap.xml'"
check "nor in the search index" bash -c "! grep -rq arkiv '$TMP/b1/site/kommunen/chef/sok'"
check "nor in the lists and feeds" bash -c "! grep -q arkiv '$TMP/b1/site/kommunen/chef/rutiner/index.html' && ! grep -q arkiv '$TMP/b1/site/kommunen/chef/feed.xml'"
if [ -d "$VAKSAM_ROOT/tests/node_modules/axe-core" ]; then
  node "$VAKSAM_ROOT/tests/browser/axe.js" "$TMP/b1/site" kommunen/chef/arkiv/hot-i-telefon/1.0.html \
    kommunen/chef/arkiv/hot-i-telefon/1.2-andringar.html kommunen/chef/granskning/hr-avdelningen.html
else
  notok "axe-core is installed (run scripts/setup test)"
fi

# ---- mandatperiod
python3 - "$TMP/b1/review.json" >"$TMP/term" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["routines"]:
    if r["id"] == "jav" and r["organisation"] == "kommunen":
        print(r["review_due"], r["review_interval"])
PY
check "mandatperiod: approved 14 Oct 2026 (term 2022–2026) is due by the end of the next term" grep -qx "2030-10-14 mandatperiod" "$TMP/term"
sed -i 's/^approved: 2026-10-14/approved: 2026-10-15/' "$r/jav.md"
run_vaksam review --content "$c" --today 2026-11-24 --format csv
check "mandatperiod: approved 15 Oct 2026 (the new term) is due by 14 Oct 2034" grep -q "^jav,kommunen,Jäv,1.0,approved,2026-10-15,,,HR-avdelningen,2034-10-14,current" "$TMP/out"
git -C "$c" checkout -q -- routines/jav.md
check "the routine page names the term rule" grep -q "(en gång per mandatperiod)" "$TMP/b1/site/kommunen/chef/rutiner/jav.html"

# ---- review calendars
dash=$TMP/b1/site/kommunen/chef/granskning.html
check "the dashboard links the calendar of every routine" grep -q 'href="granskning.ics"' "$dash"
check "the dashboard links a page per owner" grep -q 'href="granskning/hr-avdelningen.html"' "$dash"
own=$TMP/b1/site/kommunen/chef/granskning/hr-avdelningen.html
check "the owner's page lists that owner's routine" grep -q "jav.html" "$own"
check "and not another owner's" bash -c "! grep -q 'hot-i-telefon.html' '$own'"
check "the owner's page links that owner's calendar" grep -q 'href="hr-avdelningen.ics"' "$own"
check "the owner's page marks its owner as current" grep -q 'aria-current="page"><strong>HR-avdelningen' "$own"
/usr/bin/python3 - "$TMP/b1/site/kommunen/chef/granskning.ics" "$TMP/b1/site/kommunen/chef/granskning/hr-avdelningen.ics" >"$TMP/ics" <<'PY'
import sys
from icalendar import Calendar
for f in sys.argv[1:]:
    cal = Calendar.from_ical(open(f, "rb").read())
    assert cal["VERSION"] == "2.0" and cal.get("PRODID")
    for e in cal.walk("VEVENT"):
        print(f.rsplit("/", 1)[1], e["DTSTART"].dt.isoformat(), e["DTEND"].dt.isoformat(),
              str(e["SUMMARY"]), str(e["UID"]), str(e.get("URL", "")))
PY
check "the calendars parse as RFC 5545 with the review dates" diff -u - "$TMP/ics" <<'ICS'
granskning.ics 2027-01-15 2027-01-16 Översyn: Hot i telefon kommunen.hot-i-telefon.1.2@vaksam https://intranat.test/vaksam/kommunen/chef/rutiner/hot-i-telefon.html
granskning.ics 2030-10-14 2030-10-15 Översyn: Jäv kommunen.jav.1.0@vaksam https://intranat.test/vaksam/kommunen/chef/rutiner/jav.html
hr-avdelningen.ics 2030-10-14 2030-10-15 Översyn: Jäv kommunen.jav.1.0@vaksam https://intranat.test/vaksam/kommunen/chef/rutiner/jav.html
ICS
check "calendar lines end in CRLF" bash -c "head -1 '$TMP/b1/site/kommunen/chef/granskning.ics' | grep -q $'\r$'"

# ---- review without change
run_vaksam lock --content "$c"
run_vaksam review --content "$c" --mark hot-i-telefon --by "Eva Ek" --date 2026-11-20
check "review --mark exits 0" [ "$RC" -eq 0 ]
check "versions.lock records the mark" grep -q "^hot-i-telefon 1.2 [0-9a-f]\{64\} reviewed 2026-11-20 Eva Ek$" "$c/versions.lock"
run_vaksam check --content "$c"
check "check accepts the marked lock" [ "$RC" -eq 0 ]
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/b2" --format html,odt -q --today 2026-11-24
page=$TMP/b2/site/kommunen/chef/rutiner/hot-i-telefon.html
check "the page shows the review mark" grep -q "Granskad utan ändringar 20 november 2026 av Eva Ek" "$page"
check "the mark resets the review clock" grep -q "<dt>Nästa översyn</dt><dd>20 november 2027" "$page"
check "the dashboard shows the mark" grep -q "<td>2026-11-20 av Eva Ek</td>" "$TMP/b2/site/kommunen/chef/granskning.html"
unzip -p "$TMP/b2/site/kommunen/chef/dokument/hot-i-telefon.odt" meta.xml >"$TMP/m.xml"
check "the handout's metadata carries the mark" grep -q 'meta:name="Granskad utan ändringar"[^>]*>2026-11-20, Eva Ek<' "$TMP/m.xml"
check "review.json carries the mark" python3 -c "
import json,sys
r=[r for r in json.load(open('$TMP/b2/review.json'))['routines'] if r['id']=='hot-i-telefon'][0]
sys.exit(not (r['reviewed']=='2026-11-20' and r['reviewed_by']=='Eva Ek' and r['review_due']=='2027-11-20'))"
check "review.csv carries the mark" grep -q "^hot-i-telefon,kommunen,.*,2027-11-20,current,.*,2026-11-20,Eva Ek," "$TMP/b2/review.csv"
check "the calendar moves the event" grep -q "DTSTART;VALUE=DATE:20271120" "$TMP/b2/site/kommunen/chef/granskning.ics"
run_vaksam lock --content "$c"
check "vaksam lock keeps the mark of an unchanged version" grep -q "reviewed 2026-11-20 Eva Ek$" "$c/versions.lock"
sed -i 's/Var lugn/Var alltid lugn/' "$r/hot-i-telefon.md"
expect_fail "a changed text cannot be marked as reviewed without change" 1 "hot-i-telefon.md:1:1: error: 'hot-i-telefon' changed since versions.lock" review --content "$c" --mark hot-i-telefon --by "Eva Ek"
expect_fail "the lock still catches the change" 1 "the text of 'hot-i-telefon' changed but its version 1.2 did not" check --content "$c"
expect_fail "--mark needs --by" 2 "needs --by" review --content "$c" --mark hot-i-telefon
git -C "$c" checkout -q -- routines/hot-i-telefon.md

# ---- valid_from
sed -i -e 's/^version: "1.2"/version: "1.3"/' -e 's/^approved: 2026-01-15/approved: 2026-11-01\nvalid_from: 2027-01-01/' \
  -e 's/Var lugn/Var alltid lugn/' "$r/hot-i-telefon.md"
commit 2026-11-01 "Version 1.3, gäller från årsskiftet" "Cecilia Ceder"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/b3" --format html -q --today 2026-12-01
page=$TMP/b3/site/kommunen/chef/rutiner/hot-i-telefon.html
check "before valid_from the page shows the version in force" bash -c "grep -q '<li>Var lugn och skriv ner vad som sägs.</li>' '$page' && grep -q '<div><dt>Version</dt><dd>1.2</dd></div>' '$page'"
check "with a notice that links the new version" grep -q 'Ny version 1.3 gäller från 1 januari 2027: <a href="../arkiv/hot-i-telefon/1.3.html">läs version 1.3</a>.' "$page"
up=$TMP/b3/site/kommunen/chef/arkiv/hot-i-telefon/1.3.html
check "the new version's page says from when it applies" grep -q '<strong>Kommande version 1.3. Den gäller från 1 januari 2027.</strong> Till dess gäller <a href="../../rutiner/hot-i-telefon.html">version 1.2</a>.' "$up"
check "and holds the new text" grep -q "<li>Var alltid lugn och skriv ner vad som sägs.</li>" "$up"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/b3o" --format odt -q --today 2026-12-01
h=$TMP/b3o/site/kommunen/chef/dokument
check "before valid_from the handout is the version in force" bash -c "unzip -p '$h/hot-i-telefon.odt' content.xml | grep -q 'Var lugn och skriv ner' && ! unzip -p '$h/hot-i-telefon.odt' content.xml | grep -q 'Var alltid lugn'"
check "and the new version has its handout, titled as upcoming" bash -c "unzip -p '$h/hot-i-telefon-version-1.3.odt' content.xml | grep -q 'Hot i telefon (kommande version 1.3)'"
check "the version list marks the one in force" grep -q "<tr><td>1.2</td><td>15 januari 2026 – 1 januari 2027 (gällande)</td>" "$page"
check "the new version's page shows valid_from" grep -q "<div><dt>Gäller från</dt><dd>1 januari 2027</dd></div>" "$TMP/b3/site/kommunen/chef/arkiv/hot-i-telefon/1.3.html"
check "the review counts from valid_from" grep -q '"review_due": "2028-01-01"' "$TMP/b3/review.json"
check "the mark of 1.2 does not carry over to 1.3" bash -c "! grep -q '\"reviewed_by\": \"Eva Ek\"' '$TMP/b3/review.json'"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/b4" --format html -q --today 2027-01-01
check "from valid_from on the notice is gone and the new text is shown" bash -c "! grep -q 'Ny version' '$TMP/b4/site/kommunen/chef/rutiner/hot-i-telefon.html' && grep -q 'Var alltid lugn' '$TMP/b4/site/kommunen/chef/rutiner/hot-i-telefon.html' && [ ! -e '$TMP/b4/site/kommunen/chef/arkiv/hot-i-telefon/1.3.html' ]"
check "and version 1.2 is archived" grep -q "<strong>Arkiverad version 1.2. Den gäller inte längre.</strong> Den gällde från 15 januari 2026 till 1 januari 2027." "$TMP/b4/site/kommunen/chef/arkiv/hot-i-telefon/1.2.html"
check "review.json has valid_from of the version" python3 -c "
import json,sys
r=[r for r in json.load(open('$TMP/b4/review.json'))['routines'] if r['id']=='hot-i-telefon'][0]
sys.exit(not (r['valid_from']=='2027-01-01' and r['versions'][-1]['valid_from']=='2027-01-01' and len(r['versions'])==4))"
sed -i 's/^valid_from: 2027-01-01/valid_from: 2026-10-01/' "$r/hot-i-telefon.md"
expect_fail "valid_from before approved is an error" 1 "hot-i-telefon.md:[0-9]+:[0-9]+: error: 'valid_from' is before 'approved'" check --content "$c"

# ---- without Git: a changes entry names the file of an old version
n=$(fresh_content nogit)
mkdir -p "$n/arkiv"
sed -e 's/^version: "1.2"/version: "1.1"/' -e 's/Behåll lugnet/Var lugn/' -e '/^changes:/,/^  - /d' \
  "$n/routines/hot-i-telefon.md" >"$n/arkiv/hot-i-telefon-1.1.md"
sed -i 's/^  - {date: 2026-01-15, version: "1.2", text: Förtydligat steg 3}/&\n  - {date: 2025-03-01, version: "1.1", text: Första versionen, file: arkiv\/hot-i-telefon-1.1.md}/' \
  "$n/routines/hot-i-telefon.md"
run_vaksam build --content "$n" --theme "$THEME" -o "$TMP/n1" --format html -q
check "without Git, a changes entry's file gives an archived page" grep -q "<li>Var lugn och anteckna vad som sägs.</li>" "$TMP/n1/site/kommunen/chef/arkiv/hot-i-telefon/1.1.html"
check "and a comparison" grep -q '<del><span class="visually-hidden">Borttaget: </span>Var lugn<span class="visually-hidden"> (slut på borttaget)</span></del> <ins><span class="visually-hidden">Tillagt: </span>Behåll lugnet' "$TMP/n1/site/kommunen/chef/arkiv/hot-i-telefon/1.2-andringar.html"
rm "$n/arkiv/hot-i-telefon-1.1.md"
expect_fail "check reports a changes entry's file that is missing" 1 "hot-i-telefon.md:1:1: error: the change of version 1.1 names the file" check --content "$n"
expect_fail "a changes entry's file that is missing is an error" 1 "hot-i-telefon.md:1:1: error: the change of version 1.1 names the file 'arkiv/hot-i-telefon-1.1.md', which cannot be read" build --content "$n" --theme "$THEME" -o "$TMP/n2" --format html -q

# ---- the shipped sample shows its own Swedish history, an archive and changes
if [ -f "$VAKSAM_ROOT/content/site.yaml" ]; then
  run_vaksam build --content "$VAKSAM_ROOT/content" --theme "$THEME" -o "$TMP/s" --format html -q
  sp=$TMP/s/site/kommunen/chef/rutiner/efter-en-handelse.html
  check "sample: the history is the routine's own change notes" grep -q "<td>2026-01-10</td><td>2.3</td><td>Återkoppling till den som rapporterat inom två veckor. <a href=\"../arkiv/efter-en-handelse/2.3-andringar.html\">Visa ändringar" "$sp"
  check "sample: no project commit messages as a routine's history" bash -c "! grep -rq 'Sample content' '$TMP/s/site/kommunen/chef/rutiner'"
  check "sample: an archived version and its changes" grep -q '<ins><span class="visually-hidden">Tillagt: </span>Återkoppla till medarbetaren inom två veckor' "$TMP/s/site/kommunen/chef/arkiv/efter-en-handelse/2.3-andringar.html"
  check "sample: a routine reviewed per mandatperiod" grep -q "14 oktober 2030 (en gång per mandatperiod)" "$TMP/s/site/kommunen/chef/rutiner/fortroendevaldas-sakerhet-och-ansvar.html"
  check "sample: a review mark" grep -q "Granskad utan ändringar 3 november 2025 av Säkerhetssamordnaren" "$TMP/s/site/kommunen/chef/rutiner/polisanmalan.html"
fi
