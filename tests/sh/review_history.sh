#!/usr/bin/env bash
# Version and review metadata end to end: Git history on the page, the
# fallback to `changes:`, review badges, the dashboard, reports, the Atom
# feed, check --strict on overdue routines, and `vaksam lock`.
. "$(dirname "$0")/../lib.sh"
c=$(fresh_content repo)
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/nogit" --format html -q
page=$TMP/nogit/site/kommunen/chef/rutiner/hot-i-telefon.html
check "without Git, the changes list is the history" grep -q "Förtydligat steg 3" "$page"

git -C "$c" init -q
git -C "$c" -c user.name="Anna Andersson" -c user.email=a@example.se add -A
GIT_AUTHOR_DATE="2026-02-01T10:00:00Z" GIT_COMMITTER_DATE="2026-02-01T10:00:00Z" \
  git -C "$c" -c user.name="Anna Andersson" -c user.email=a@example.se commit -q -m "Första versionen av rutinerna"
sed -i 's/Behåll lugnet/Behåll lugnet och andas/' "$c/routines/hot-i-telefon.md"
GIT_AUTHOR_DATE="2026-03-15T09:00:00Z" GIT_COMMITTER_DATE="2026-03-15T09:00:00Z" \
  git -C "$c" -c user.name="Bo Berg" -c user.email=b@example.se commit -q -am "Nytt steg om att andas"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/git" --format html,odt -q --today 2026-11-24
page=$TMP/git/site/kommunen/chef/rutiner/hot-i-telefon.html
check "build in a Git repository exits 0" [ "$RC" -eq 0 ]
check "history shows the newest commit with its version, author and date" grep -q "<td>2026-03-15</td><td>1.2</td><td>Nytt steg om att andas</td><td>Bo Berg</td>" "$page"
check "history shows the first commit" grep -q "Första versionen av rutinerna" "$page"
n1=$(grep -n "Nytt steg om att andas" "$page" | cut -d: -f1)
n2=$(grep -n "Första versionen av rutinerna" "$page" | cut -d: -f1)
check "newest first" [ "$n1" -lt "$n2" ]
unzip -p "$TMP/git/site/kommunen/chef/dokument/hot-i-telefon.odt" content.xml >"$TMP/h.xml"
check "the handout carries the Git history" grep -q "Nytt steg om att andas" "$TMP/h.xml"
unzip -p "$TMP/git/site/kommunen/chef/dokument/hot-i-telefon.odt" meta.xml >"$TMP/m.xml"
check "handout properties hold version and reference" bash -c "grep -q 'meta:name=\"Version\"[^>]*>1.2<' '$TMP/m.xml' && grep -q 'KS/2026:12' '$TMP/m.xml'"
check "the page shows a review badge with text" grep -q "class=\"badge badge-due-soon\".*Översyn snart" "$page"
dash=$TMP/git/site/kommunen/chef/granskning.html
check "the review dashboard exists for chef" grep -q "hot-i-telefon.html" "$dash"
check "no dashboard for medarbetare" [ ! -e "$TMP/git/site/kommunen/medarbetare/granskning.html" ]
check "review.csv has one row per routine and organisation" bash -c "grep -c '^hot-i-telefon,' '$TMP/git/review.csv' | grep -qx 2"
xmllint --noout "$TMP/git/site/kommunen/chef/feed.xml" 2>"$TMP/x.err"
check "the Atom feed is well-formed XML" [ $? -eq 0 ]
check "the feed names the routine and its version" grep -q "Hot i telefon (version 1.2)" "$TMP/git/site/kommunen/chef/feed.xml"

run_vaksam review --content "$c" --today 2026-11-24
check "vaksam review prints a table" grep -q "hot-i-telefon .*due-soon" "$TMP/out"
run_vaksam review --content "$c" --today 2027-06-01 --format csv
check "review --format csv" grep -q "hot-i-telefon,kommunen,Hot i telefon,1.2,approved,2026-01-15,Kommunstyrelsen,KS/2026:12,HR-avdelningen,2027-01-15,overdue" "$TMP/out"
run_vaksam check --content "$c" --today 2027-06-01
check "an overdue routine is a warning in check" [ "$RC" -eq 0 ]
expect_fail "check --strict fails on an overdue routine" 1 "hot-i-telefon.md:1:1: error: the routine was due for review on 2027-01-15" check --strict --content "$c" --today 2027-06-01

run_vaksam lock --content "$c"
check "vaksam lock writes versions.lock" grep -q "^hot-i-telefon 1.2 [0-9a-f]\{64\}$" "$c/versions.lock"
sed -i 's/andas/andas lugnt/' "$c/routines/hot-i-telefon.md"
expect_fail "text changed without a version bump is an error" 1 "hot-i-telefon.md:1:1: error: the text of 'hot-i-telefon' changed but its version 1.2 did not" check --content "$c"
sed -i 's/^version: "1.2"/version: "1.3"/' "$c/routines/hot-i-telefon.md"
run_vaksam check --content "$c"
check "after a bump it is a warning until vaksam lock" grep -q "version 1.3 of 'hot-i-telefon' is not recorded" "$TMP/err"
run_vaksam lock --content "$c"
run_vaksam check --content "$c"
check "after vaksam lock the check is clean" bash -c "[ $RC -eq 0 ] && ! grep -q versions.lock '$TMP/err'"
sed -i 's/^version: "1.3"/version: "1.1"/' "$c/routines/hot-i-telefon.md"
expect_fail "a version going backwards is an error" 1 "hot-i-telefon.md:1:1: error: version 1.1 of 'hot-i-telefon' is lower than the recorded 1.3" check --content "$c"
sed -i 's/^version: "1.1"/version: "1.3"/' "$c/routines/hot-i-telefon.md"
sed 's/^id: hot-i-telefon/id: hot-i-brev/' "$c/routines/hot-i-telefon.md" >"$c/routines/hot-i-brev.md"
expect_fail "an approved routine missing from versions.lock is an error" 1 "hot-i-brev.md:1:1: error: routine 'hot-i-brev' is not in versions.lock" check --content "$c"
rm "$c/routines/hot-i-brev.md"

# drafts and retired routines
d=$(fresh_content states)
sed -i 's/^status: approved/status: draft/' "$d/routines/hot-i-telefon.md"
run_vaksam build --content "$d" --theme "$THEME" -o "$TMP/nodraft" --format html -q
check "drafts are left out without --drafts" [ ! -e "$TMP/nodraft/site/kommunen/chef/rutiner/hot-i-telefon.html" ]
run_vaksam build --content "$d" --theme "$THEME" -o "$TMP/draft" --format html,odt -q --drafts
check "with --drafts the page says Utkast" grep -q "Utkast · Rutin" "$TMP/draft/site/kommunen/chef/rutiner/hot-i-telefon.html"
check "and the handout says UTKAST" bash -c "unzip -p '$TMP/draft/site/kommunen/chef/dokument/hot-i-telefon.odt' content.xml | grep -q 'UTKAST'"
r=$(fresh_content retired)
cat >"$r/routines/gammal.md" <<'DOC'
---
id: gammal
title: Gammal rutin
version: "1.0"
status: retired
approved: 2019-01-01
replaced_by: hot-i-telefon
---
Gäller inte.
DOC
run_vaksam build --content "$r" --theme "$THEME" -o "$TMP/ret" --format html -q
check "a retired routine keeps its page" grep -q "Rutinen är upphävd" "$TMP/ret/site/kommunen/chef/rutiner/gammal.html"
check "with a link to its replacement" grep -q 'href="../rutiner/hot-i-telefon.html">Hot i telefon' "$TMP/ret/site/kommunen/chef/rutiner/gammal.html"
check "and leaves the list of routines" bash -c "! grep -q 'gammal.html' '$TMP/ret/site/kommunen/chef/rutiner/index.html'"
check "and the search index" bash -c "! grep -rq 'gammal.html' '$TMP/ret/site/kommunen/chef/sok'"
check "while routines in force are in it" grep -rq 'hot-i-telefon.html' "$TMP/ret/site/kommunen/chef/sok"

# history follows a rename
g=$(fresh_content rename)
git -C "$g" init -q
git -C "$g" -c user.name=A -c user.email=a@e add -A
git -C "$g" -c user.name=A -c user.email=a@e commit -q -m "Rutinen skapas under gammalt namn"
git -C "$g" mv routines/hot-i-telefon.md routines/hot-per-telefon.md
sed -i 's#hot-i-telefon.md#hot-per-telefon.md#g' "$g"/*/*.md
git -C "$g" -c user.name=B -c user.email=b@e commit -q -am "Byter filnamn"
run_vaksam build --content "$g" --theme "$THEME" -o "$TMP/ren" --format html -q
check "history follows a renamed file" grep -q "Rutinen skapas under gammalt namn" "$TMP/ren/site/kommunen/chef/rutiner/hot-i-telefon.html"

# a merge is not a change of its own: the branch's commits are listed, the merge is not
m=$(fresh_content merge)
gm() { git -C "$m" -c user.name=A -c user.email=a@e -c init.defaultBranch=main "$@"; }
gm init -q
gm add -A
gm commit -q -m "Rutinerna skapas"
gm checkout -q -b utkast

printf '\nEtt nytt stycke om att be en kollega om hjälp.\n' >>"$m/routines/hot-i-telefon.md"
gm commit -q -am "Nytt stycke om kollegor"
gm checkout -q main
gm merge -q --no-ff -m "Sammanfogar grenen utkast" utkast
run_vaksam build --content "$m" --theme "$THEME" -o "$TMP/mrg" --format html -q
check "the branch's commit is in the history" grep -q "Nytt stycke om kollegor" "$TMP/mrg/site/kommunen/chef/rutiner/hot-i-telefon.html"
check "the merge commit is not" bash -c "! grep -q 'Sammanfogar grenen' '$TMP/mrg/site/kommunen/chef/rutiner/hot-i-telefon.html'"
