#!/usr/bin/env bash
# Building the small test site: pages exist, publishing is atomic, output
# is byte-for-byte deterministic and does not depend on the thread count.
. "$(dirname "$0")/../lib.sh"
c=$VAKSAM_ROOT/tests/data/mini
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/a" -j 1 -q
check "build exits 0" [ "$RC" -eq 0 ]
for p in index.html kommunen/index.html kommunen/chef/index.html \
  kommunen/chef/rutiner/hot-i-telefon.html kommunen/chef/begrepp/index.html \
  kommunen/medarbetare/fall/samtalet.html kommunen/chef/checklistor/efter-samtalet.html \
  kommunen/chef/apt/hot-pa-jobbet.html kommunen/chef/granskning.html kommunen/chef/sok.html \
  kommunen/chef/feed.xml 404.html tillganglighet.html sitemap.xml assets/style.css; do
  check "site page $p exists" [ -s "$TMP/a/site/$p" ]
done
check "handout written" [ -s "$TMP/a/handouts/kommunen/chef/hot-i-telefon.odt" ]
check "review.json written" [ -s "$TMP/a/review.json" ]
check "variable resolved per organisation (KIA)" grep -q "Rapportera i KIA" "$TMP/a/site/kommunen/medarbetare/rutiner/hot-i-telefon.html"
check "variable resolved per organisation (Agera)" grep -q "Rapportera i Agera" "$TMP/a/site/socialnamnden/medarbetare/rutiner/hot-i-telefon.html"
check "document link rewritten to the glossary anchor" grep -q 'href="../begrepp/index.html#hot"' "$TMP/a/site/kommunen/medarbetare/rutiner/hot-i-telefon.html"
check "metadata panel shows the reference" grep -q "KS/2026:12" "$TMP/a/site/kommunen/medarbetare/rutiner/hot-i-telefon.html"
check "no staging folder left behind" bash -c "! ls -d '$TMP'/a.tmp-* '$TMP'/a.old-* 2>/dev/null | grep -q ."

run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/b" -j 1 -q
check "two builds are byte-identical" diff -r -q "$TMP/a" "$TMP/b"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/c" -j 4 -q
check "-j 4 gives the same bytes as -j 1" diff -r -q "$TMP/a" "$TMP/c"

# A failing build must leave the previous output untouched.
bad=$(fresh_content bad)
sed -i '/^version:/d' "$bad/routines/hot-i-telefon.md"
find "$TMP/a" -type f -exec sha256sum {} + | sort >"$TMP/before"
run_vaksam build --content "$bad" --theme "$THEME" -o "$TMP/a" -q
check "failing build exits 1" [ "$RC" -eq 1 ]
find "$TMP/a" -type f -exec sha256sum {} + | sort >"$TMP/after"
check "failing build leaves the previous output untouched" cmp -s "$TMP/before" "$TMP/after"
check "failing build leaves no staging folder" bash -c "! ls -d '$TMP'/a.tmp-* 2>/dev/null | grep -q ."

run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/only" --org socialnamnden --role chef -q
check "--org/--role build only that variant" [ -s "$TMP/only/site/socialnamnden/chef/index.html" ]
check "--org/--role leave other variants out" [ ! -e "$TMP/only/site/kommunen/medarbetare/index.html" ]
expect_fail "--org with an unknown id exits 2" 2 "no organisation 'x'" build --content "$c" --theme "$THEME" -o "$TMP/x" --org x
