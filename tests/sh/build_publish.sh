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
check "handout written" [ -s "$TMP/a/site/kommunen/chef/dokument/hot-i-telefon.odt" ]
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

# ---- publishing: hard links to unchanged files, an atomic swap, repairs ----
# (--force: an unchanged rebuild would otherwise do nothing at all, see
# tests/sh/rebuild_uptodate.sh; these test what a build that does build writes)
# snap DIR — one line per file: path, inode, mtime, sha256.
snap() {
  (cd "$1" && find . -type f -printf '%P %i %T@\n' | sort >"$TMP/snap.meta" &&
    find . -type f -print0 | xargs -0 sha256sum | awk '{ sub(/^\.\//, "", $2); print $2, $1 }' |
    sort >"$TMP/snap.sha" && join "$TMP/snap.meta" "$TMP/snap.sha")
}
p=$(fresh_content pub)
run_vaksam build --content "$p" --theme "$THEME" -o "$TMP/o-pub" -q
snap "$TMP/o-pub" >"$TMP/s1"
run_vaksam build --content "$p" --theme "$THEME" -o "$TMP/o-pub" -q --force
snap "$TMP/o-pub" >"$TMP/s2"
check "rebuild of unchanged content exits 0" [ "$RC" -eq 0 ]
check "rebuild of unchanged content: every file keeps its inode and time (hard links)" cmp -s "$TMP/s1" "$TMP/s2"
check "rebuild: the files are not linked twice (the old tree is gone)" \
  bash -c "[ -z \"\$(find '$TMP/o-pub' -type f -links +1 | head -1)\" ]"
# Counted with strace: no file is created — every file, theme assets, images
# and ODF packages included, goes through build_write (-j 1 and -j 2, whose
# files are written by the thread that has no job left).
if command -v strace >/dev/null; then
  for j in 1 2; do
    ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=openat,link -o "$TMP/strace" "$VAKSAM" build \
      --content "$p" --theme "$THEME" -o "$TMP/o-pub" -q -j $j --force
    # (the record beside the output, o-pub.vaksam-state, is rewritten: not a published file)
    grep 'O_CREAT' "$TMP/strace" | grep "$TMP/o-pub[/.]" | grep -v "$TMP/o-pub.vaksam-state" >"$TMP/created"
    check "rebuild of unchanged content with -j $j creates no file (strace)" \
      bash -c "grep -q 'link(' '$TMP/strace' && [ ! -s '$TMP/created' ]"
  done
fi

# (b) a changed document changes only the files that show it
sed -i 's/Behåll lugnet/Behåll alltid lugnet/' "$p/routines/hot-i-telefon.md"
run_vaksam build --content "$p" --theme "$THEME" -o "$TMP/o-pub" -q
snap "$TMP/o-pub" >"$TMP/s3"
# same path: "inode kept" must equal "bytes kept"
join "$TMP/s2" "$TMP/s3" | awk '($2 == $5) != ($4 == $7) { print }' >"$TMP/mismatch"
check "changed document: a file keeps its inode exactly when its bytes are unchanged" [ ! -s "$TMP/mismatch" ]
check "changed document: its page is new" \
  bash -c "join '$TMP/s2' '$TMP/s3' | awk '\$1 == \"site/kommunen/chef/rutiner/hot-i-telefon.html\" && \$2 != \$5' | grep -q ."
check "changed document: an unrelated page keeps its inode" \
  bash -c "join '$TMP/s2' '$TMP/s3' | awk '\$1 == \"site/kommunen/chef/begrepp/index.html\" && \$2 == \$5' | grep -q ."
n_new=$(join "$TMP/s2" "$TMP/s3" | awk '$2 != $5' | wc -l)
n_all=$(wc -l <"$TMP/s3")
check "changed document: only some files are new ($n_new of $n_all)" [ "$n_new" -gt 0 ] && [ "$n_new" -lt "$n_all" ]

# (c) a build killed with SIGKILL mid-way leaves the previous output as it was
big=$(fresh_content big)
for i in $(seq 1 300); do
  sed -e "s/^id: hot-i-telefon/id: rutin-$i/" -e "s/^title: Hot i telefon/title: Rutin $i/" \
    "$big/routines/hot-i-telefon.md" >"$big/routines/rutin-$i.md"
done
run_vaksam build --content "$big" --theme "$THEME" -o "$TMP/o-big" --format html -j 1 -q
find "$TMP/o-big" -type f -exec sha256sum {} + | sort >"$TMP/big.before"
sed -i 's/Behåll lugnet/Behåll alltid lugnet/' "$big"/routines/*.md
"$VAKSAM" build --content "$big" --theme "$THEME" -o "$TMP/o-big" --format html -j 1 -q &
pid=$!
poll 60 bash -c "compgen -G '$TMP/o-big.tmp-$pid/site/*' >/dev/null"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
check "killed build left its staging folder (killed mid-way)" [ -d "$TMP/o-big.tmp-$pid" ]
find "$TMP/o-big" -type f -exec sha256sum {} + | sort >"$TMP/big.after"
check "killed build leaves the previous output byte-identical" cmp -s "$TMP/big.before" "$TMP/big.after"
run_vaksam build --content "$big" --theme "$THEME" -o "$TMP/o-big" --format html -j 1 -q
check "the next build exits 0" [ "$RC" -eq 0 ]
check "the next build removes the killed build's staging folder" [ ! -e "$TMP/o-big.tmp-$pid" ]
check "the next build publishes the change" grep -q "Behåll alltid lugnet" "$TMP/o-big/site/kommunen/chef/rutiner/rutin-7.html"

# (d) killed between the steps of the swap (test hook VAKSAM_TEST_CRASH_AT=swap, build.h)
sed -i 's/Behåll alltid lugnet/Behåll alltid och alltid lugnet/' "$p/routines/hot-i-telefon.md"
page=$TMP/o-pub/site/kommunen/chef/rutiner/hot-i-telefon.html
VAKSAM_TEST_CRASH_AT=swap "$VAKSAM" build --content "$p" --theme "$THEME" -o "$TMP/o-pub" -q
check "crash after the exchange: exit 99 from the test hook" [ $? -eq 99 ]
check "crash after the exchange: the output is readable and new" grep -q "alltid och alltid" "$page"
check "crash after the exchange: the old tree is left beside it" bash -c "compgen -G '$TMP/o-pub.tmp-*' >/dev/null"
run_vaksam build --content "$p" --theme "$THEME" -o "$TMP/o-pub" -q
check "the next build cleans the leftover" bash -c "! compgen -G '$TMP/o-pub.[to][ml][pd]-*' >/dev/null"
run_vaksam build --content "$p" --theme "$THEME" -o "$TMP/ref" -q
check "the repaired output equals a fresh build's" diff -r -q "$TMP/ref" "$TMP/o-pub"
sed -i 's/alltid och alltid/alltid, alltid/' "$p/routines/hot-i-telefon.md"
VAKSAM_TEST_NO_EXCHANGE=1 VAKSAM_TEST_CRASH_AT=swap "$VAKSAM" build --content "$p" --theme "$THEME" -o "$TMP/o-pub" -q
check "fallback swap, crash between the renames: exit 99" [ $? -eq 99 ]
check "fallback swap, crash between the renames: the previous output waits at .old-<pid>" \
  bash -c "[ ! -e '$TMP/o-pub' ] && compgen -G '$TMP/o-pub.old-*' >/dev/null"
run_vaksam build --content "$bad" --theme "$THEME" -o "$TMP/o-pub" -q
check "even a failing next build puts the previous output back" grep -q "alltid och alltid" "$page"
check "... and removes the leftovers" bash -c "! compgen -G '$TMP/o-pub.[to][ml][pd]-*' >/dev/null"
VAKSAM_TEST_NO_EXCHANGE=1 run_vaksam build --content "$p" --theme "$THEME" -o "$TMP/o-pub" -q
check "fallback swap publishes" grep -q "alltid, alltid" "$page"
check "fallback swap leaves nothing beside the output" bash -c "! compgen -G '$TMP/o-pub.[to][ml][pd]-*' >/dev/null"

# A file that cannot be written (test hook VAKSAM_TEST_FAIL_WRITE, as a full
# disk would): its path is reported, exit 2, the previous output untouched —
# with -j 1 (written in order) and -j 2 (written by another thread).
for j in 1 2; do
  find "$TMP/o-pub" -type f -exec sha256sum {} + | sort >"$TMP/before"
  sed -i "s/alltid, alltid/alltid $j/" "$p/routines/hot-i-telefon.md"
  VAKSAM_TEST_FAIL_WRITE=site/kommunen/chef/rutiner/hot-i-telefon.html \
    expect_fail "a file that cannot be written: exit 2 with its path (-j $j)" 2 \
    "site/kommunen/chef/rutiner/hot-i-telefon.html: error: cannot write the file \\(No space left on device\\)" \
    build --content "$p" --theme "$THEME" -o "$TMP/o-pub" -q -j $j
  find "$TMP/o-pub" -type f -exec sha256sum {} + | sort >"$TMP/after"
  check "a file that cannot be written leaves the previous output untouched (-j $j)" cmp -s "$TMP/before" "$TMP/after"
  check "... and no staging folder (-j $j)" bash -c "! compgen -G '$TMP/o-pub.[to][ml][pd]-*' >/dev/null"
done

# An output folder made by an older vaksam (plain files, no links) is replaced as well.
rm -rf "$TMP/plain" && cp -R "$TMP/a" "$TMP/plain" && echo stale >"$TMP/plain/stale.txt"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/plain/" -j 1 -q
check "a plain older output (given with a trailing slash) is replaced" diff -r -q "$TMP/a" "$TMP/plain"
check "no staging folder inside the output with a trailing slash" bash -c "! compgen -G '$TMP/plain/.tmp-*' >/dev/null"
