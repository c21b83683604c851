#!/usr/bin/env bash
# The "up to date" check (generator/publish/uptodate.h): a second build of
# unchanged content writes nothing and says so; every change to an input or
# to the output makes the next build build, and its output equals a fresh
# build's; a failed build leaves no record that could make a later one skip.
. "$(dirname "$0")/../lib.sh"
c=$(fresh_content up)
t=$TMP/theme
cp -R "$THEME" "$t"
o=$TMP/o
rec=$TMP/o.vaksam-state
UPTODATE="is up to date"

# b ARGS… — a build of $c with theme $t into $o (not quiet: it says what it did).
b() { run_vaksam build --content "$c" --theme "$t" -o "$o" --format html "$@"; }
# snapo — every folder and file of the output: path, inode, mtime, ctime, size.
snapo() { (cd "$o" && find . -printf '%P %y %i %T@ %C@ %s\n' | sort); }
# fresh_equal DESC ARGS… — the output equals a fresh build's (another folder, no record).
n_fresh=0
fresh_equal() {
  local d=$1
  shift
  n_fresh=$((n_fresh + 1))
  "$VAKSAM" build --content "$c" --theme "$t" -o "$TMP/fresh$n_fresh" --format html -q "$@" \
    >/dev/null 2>&1
  check "$d: the output equals a fresh build's" diff -r -q "$TMP/fresh$n_fresh" "$o"
}
# rebuilt DESC ARGS… — the build after a change builds, is right, and the next one skips.
rebuilt() {
  local d=$1
  shift
  b "$@"
  check "$d: the next build builds (exit $RC)" bash -c "[ $RC -eq 0 ] && grep -q 'built $o' '$TMP/err'"
  fresh_equal "$d" "$@"
  b "$@"
  check "$d: and the build after that is up to date again" grep -q "$UPTODATE" "$TMP/err"
}

# ---- unchanged content: nothing is written, and it says so ----
b
check "first build exits 0 and builds" bash -c "[ $RC -eq 0 ] && grep -q 'built $o' '$TMP/err'"
check "the record lies beside the output" [ -s "$rec" ]
check "the record is not inside the output (never published)" \
  bash -c "[ -z \"\$(find '$o' -name '*vaksam-state*' | head -1)\" ]"
snapo >"$TMP/s1"
stat -c '%i %Y %Z %s' "$rec" "$TMP/o.lock" >"$TMP/r1"
sleep 0.05
b
check "second build of unchanged content exits 0" [ "$RC" -eq 0 ]
check "second build says the output is up to date" grep -q "$o $UPTODATE" "$TMP/err"
check "second build does not say it built" bash -c "! grep -q 'built $o' '$TMP/err'"
snapo >"$TMP/s2"
check "second build: every folder and file keeps inode, mtime and ctime" cmp -s "$TMP/s1" "$TMP/s2"
stat -c '%i %Y %Z %s' "$rec" "$TMP/o.lock" >"$TMP/r2"
check "second build: the record and the lock are untouched" cmp -s "$TMP/r1" "$TMP/r2"
b -q
check "with -q an up-to-date build says nothing" bash -c "[ $RC -eq 0 ] && [ ! -s '$TMP/err' ]"
# Counted with strace: no file opened for writing (but the lock, opened
# read-write to take it), nothing created, renamed, linked or removed.
if command -v strace >/dev/null; then
  ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=openat,open,creat,rename,renameat,renameat2,link,linkat,unlink,unlinkat,mkdir,mkdirat \
    -o "$TMP/strace" "$VAKSAM" build --content "$c" --theme "$t" -o "$o" --format html -q
  grep -E 'O_WRONLY|O_RDWR|O_CREAT|^[0-9]+ +(creat|rename|link|unlink|mkdir)' "$TMP/strace" |
    grep -v "\"$o.lock\", O_RDWR|O_CLOEXEC)" >"$TMP/writes"
  check "an up-to-date build writes nothing (strace): $(head -c 300 "$TMP/writes")" [ ! -s "$TMP/writes" ]
fi

# ---- --force builds anyway (and the next build skips again) ----
b --force
check "--force builds although nothing changed" grep -q "built $o" "$TMP/err"
fresh_equal "--force"
b
check "after --force the next build is up to date" grep -q "$UPTODATE" "$TMP/err"

# ---- every input counts ----
page=$o/site/kommunen/chef/rutiner/hot-i-telefon.html
sed -i 's/Behåll lugnet/Behåll ALLTID lugnet/' "$c/routines/hot-i-telefon.md"
rebuilt "a routine's body edited"
check "a routine's body edited: the page shows it" grep -q "Behåll ALLTID lugnet" "$page"

# the same size and mtime, other bytes: the bytes count, not the times
cp -p "$c/routines/hot-i-telefon.md" "$TMP/keep.md"
sed -i 's/ALLTID/alltid/' "$c/routines/hot-i-telefon.md"
touch -r "$TMP/keep.md" "$c/routines/hot-i-telefon.md"
rebuilt "a routine edited, size and mtime put back"
check "a routine edited, size and mtime put back: the page shows it" grep -q "Behåll alltid lugnet" "$page"

sed -i 's|<footer|<p>TEMPLATE-SENTINEL</p><footer|' "$t/templates/layout.mustache"
grep -q TEMPLATE-SENTINEL "$t/templates/layout.mustache" ||
  sed -i 's|</body>|<p>TEMPLATE-SENTINEL</p></body>|' "$t/templates/layout.mustache"
rebuilt "a theme template edited"
check "a theme template edited: pages show it" grep -q "TEMPLATE-SENTINEL" "$page"

sed -i 's/^title: Testkommun$/title: Testkommun Nytt Namn/' "$c/site.yaml"
rebuilt "site.yaml edited"
check "site.yaml edited: pages show the new title" grep -q "Testkommun Nytt Namn" "$page"

echo "nothing" >"$c/routines/notes.txt"
rebuilt "a new file in the content folder"

rebuilt "--today changed (2026-06-01)" --today 2026-06-01
check "--today 2026-06-01: the routine is not due soon" bash -c "! grep -q 'badge-due-soon' '$page'"
rebuilt "--today changed (2026-12-01)" --today 2026-12-01
check "--today 2026-12-01: the routine is due soon" grep -q 'badge-due-soon' "$page"

SOURCE_DATE_EPOCH=1790000000 rebuilt "SOURCE_DATE_EPOCH changed"

b --format html,odt
check "--format changed (html,odt): builds" grep -q "built $o" "$TMP/err"
check "--format html,odt: the handout is written" [ -s "$o/site/kommunen/chef/dokument/hot-i-telefon.odt" ]
rebuilt "--format back to html"
check "--format html: no handout" [ ! -e "$o/site/kommunen/chef/dokument/hot-i-telefon.odt" ]

rebuilt "--org narrowed" --org kommunen
check "--org kommunen: only that organisation" [ ! -e "$o/site/socialnamnden" ]
rebuilt "--org dropped"

cp "$VAKSAM" "$TMP/vaksam-copy"
VAKSAM=$TMP/vaksam-copy b
check "another vaksam binary builds" grep -q "built $o" "$TMP/err"
b
check "and the first binary builds again" grep -q "built $o" "$TMP/err"

VAKSAM_COMPOUNDS=0 rebuilt "a VAKSAM_* variable set"

# Git: a commit that leaves the files as they are changes the history shown
git -C "$c" init -q
git -C "$c" add -A
GIT_AUTHOR_DATE="2026-02-01T10:00:00Z" GIT_COMMITTER_DATE="2026-02-01T10:00:00Z" \
  git -C "$c" -c user.name="Anna Andersson" -c user.email=a@example.se commit -q -m "Första versionen"
rebuilt "the content put in Git"
check "the content put in Git: the page shows the commit" grep -q "Första versionen" "$page"
sed -i 's/Behåll alltid lugnet/Behåll alltid och alltid lugnet/' "$c/routines/hot-i-telefon.md"
rebuilt "a routine edited (not committed)"
GIT_AUTHOR_DATE="2026-03-15T09:00:00Z" GIT_COMMITTER_DATE="2026-03-15T09:00:00Z" \
  git -C "$c" -c user.name="Bo Berg" -c user.email=b@example.se commit -q -am "Andra versionen HISTORY-SENTINEL"
rebuilt "a new commit, the files unchanged"
check "a new commit: the page's history shows it" grep -q "HISTORY-SENTINEL" "$page"

# ---- the output counts too ----
rm "$o/site/kommunen/chef/begrepp/index.html"
rebuilt "an output file deleted"
check "an output file deleted: it is back" [ -s "$o/site/kommunen/chef/begrepp/index.html" ]

cp -p "$page" "$TMP/page.keep"
sed -i 's/Behåll/BEHåll/' "$page"
touch -r "$TMP/page.keep" "$page"
rebuilt "an output file edited by hand (size and mtime kept)"
check "an output file edited by hand: the page is right again" grep -q "Behåll alltid och alltid" "$page"

echo stray >"$o/site/stray.html"
rebuilt "a file added to the output"
check "a file added to the output: it is gone" [ ! -e "$o/site/stray.html" ]

rm -f "$rec"
rebuilt "the record removed"

# ---- a failed build leaves no record a later build could skip by ----
cp "$c/routines/hot-i-telefon.md" "$TMP/good.md"
sed -i 's/^version: "1.2"$/version: [oops/' "$c/routines/hot-i-telefon.md"
b
check "broken front matter: the build fails (exit $RC)" [ "$RC" -eq 1 ]
check "broken front matter: no record is left" [ ! -e "$rec" ]
cp "$TMP/good.md" "$c/routines/hot-i-telefon.md"
rebuilt "fixed after a failed build"
sed -i 's/^version: "1.2"$/version: [oops/' "$c/routines/hot-i-telefon.md"
b
cp "$TMP/good.md" "$c/routines/hot-i-telefon.md"
sed -i 's/och alltid lugnet/och ständigt lugnet/' "$c/routines/hot-i-telefon.md"
rebuilt "fixed differently after a failed build"
check "fixed differently: the page shows the fix" grep -q "och ständigt lugnet" "$page"

# a build that cannot write (test hook) leaves no record either
sed -i 's/ständigt/jämt/' "$c/routines/hot-i-telefon.md"
VAKSAM_TEST_FAIL_WRITE=site/kommunen/chef/rutiner/hot-i-telefon.html b
check "a build that cannot write fails (exit $RC) and leaves no record" \
  bash -c "[ $RC -eq 2 ] && [ ! -e '$rec' ]"
rebuilt "after a build that could not write"

# warnings are said again by an up-to-date build (the same content, the same warnings)
sed -i '/can: \[handledning, granskning\]/d' "$c/site.yaml"
b
check "a build with a warning says it" grep -q "warning:" "$TMP/err"
grep "warning:" "$TMP/err" >"$TMP/w1"
b
grep "warning:" "$TMP/err" >"$TMP/w2"
check "an up-to-date build repeats the warnings of the build that made the output" \
  bash -c "grep -q '$UPTODATE' '$TMP/err' && [ -s '$TMP/w1' ] && cmp -s '$TMP/w1' '$TMP/w2'"
b --strict
check "--strict after a build with warnings builds and fails (exit $RC)" [ "$RC" -eq 1 ]

# a serve session's preview into the same folder removes the record: the next build builds
sed -i '/^roles:/,$ s/^    name: Chef$/    name: Chef\n    can: [handledning, granskning]/' "$c/site.yaml"
b
b
check "before serve: up to date" grep -q "$UPTODATE" "$TMP/err"
if command -v curl >/dev/null; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$VAKSAM" serve --content "$c" --theme "$t" -o "$o" --format html --port "$port" >"$TMP/serve.log" 2>&1 &
  spid=$!
  poll 30 curl -s -o /dev/null "http://127.0.0.1:$port/"
  check "serve previews into the output folder (with its live-reload script)" \
    bash -c "curl -s 'http://127.0.0.1:$port/site/kommunen/chef/rutiner/hot-i-telefon.html' | grep -q 'Behåll' && grep -q 'assets/reload.js' '$page'"
  kill -TERM "$spid"
  wait "$spid"
  check "serve removed the record" [ ! -e "$rec" ]
  rebuilt "after a serve session"
  check "after a serve session: no live-reload script is left" bash -c "! grep -rq 'assets/reload.js' '$o/site'"
fi

# pdf is never skipped: LibreOffice is an input vaksam cannot fingerprint
VAKSAM_SOFFICE= b --format html,pdf
check "--format pdf without LibreOffice fails as before (exit $RC), no record" \
  bash -c "[ $RC -eq 2 ] && [ ! -e '$rec' ]"

# an archived version's text (`changes:` … `file:`) outside the content folder
# is refused (without Git, where they are read): nothing a build reads lies
# outside what the fingerprint covers
n=$(fresh_content outside)
cp "$n/routines/hot-i-telefon.md" "$TMP/outside.md"
sed -i 's/^  - {date: 2026-01-15, version: "1.2", text: Förtydligat steg 3}/&\n  - {date: 2025-03-01, version: "1.1", text: Äldre, file: ..\/outside.md}/' \
  "$n/routines/hot-i-telefon.md"
expect_fail "an archived version outside the content folder is an error" 1 \
  "names the file '../outside.md', which is outside the content folder" \
  build --content "$n" --theme "$t" -o "$TMP/o-outside" --format html
mkdir -p "$n/arkiv" && cp "$TMP/outside.md" "$n/arkiv/old.md"
sed -i 's|file: ../outside.md|file: arkiv/old.md|' "$n/routines/hot-i-telefon.md"
run_vaksam build --content "$n" --theme "$t" -o "$TMP/o-outside" --format html -q
check "... and inside it is read" [ "$RC" -eq 0 ]
