#!/usr/bin/env bash
# Reusable blocks: {{< include PATH >}} (load/include.h). Relative and
# /-rooted paths, nesting, containers and variables inside included text
# per variant, no leak of a chef-only container, errors at file:line:col
# (exit 1), and the versions.lock check naming every including routine.
. "$(dirname "$0")/../lib.sh"

# with_includes NAME — the mini content with two routines sharing delar/steg.md.
with_includes() {
  local c
  c=$(fresh_content "$1")
  mkdir -p "$c/delar"
  cat >"$c/delar/steg.md" <<'MD'
## Gemensamma steg

INKL-DELAD-SENTINEL: rapportera i {{incident_system}} samma dag.

::: {roles="chef"}
INKL-CHEF-SENTINEL gäller bara chefer.
:::

{{< include inre/djup.md >}}
MD
  mkdir -p "$c/delar/inre"
  printf 'INKL-NASTLAD-SENTINEL från en nästlad fil.\n' >"$c/delar/inre/djup.md"
  local r=$c/routines/hot-i-telefon.md
  printf '\n{{< include ../delar/steg.md >}}\n\nINKL-EFTER-SENTINEL\n' >>"$r"
  sed -e 's/^id: hot-i-telefon/id: hot-i-brev/' -e 's/^title: .*/title: Hot i brev/' "$r" |
    sed 's#{{< include ../delar/steg.md >}}#{{< include /delar/steg.md >}}#' >"$c/routines/hot-i-brev.md"
  echo "$c"
}

c=$(with_includes ok)
run_vaksam check --content "$c" --theme "$THEME"
check "content with includes checks clean (exit $RC)" [ "$RC" -eq 0 ]
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/d" -q
check "content with includes builds (exit $RC)" [ "$RC" -eq 0 ]
page() { sed 's/<[^>]*>/ /g' "$TMP/d/site/$1/rutiner/$2.html"; }
check "relative include: the shared text is on the page" bash -c "$(declare -f page); TMP=$TMP; page kommunen/medarbetare hot-i-telefon | grep -q INKL-DELAD-SENTINEL"
check "/-rooted include: the shared text is on the other page" bash -c "$(declare -f page); TMP=$TMP; page kommunen/medarbetare hot-i-brev | grep -q INKL-DELAD-SENTINEL"
check "nested include: the inner file's text is on the page" bash -c "$(declare -f page); TMP=$TMP; page kommunen/medarbetare hot-i-telefon | grep -q INKL-NASTLAD-SENTINEL"
check "the document's own text after the include stays" bash -c "$(declare -f page); TMP=$TMP; page kommunen/medarbetare hot-i-brev | grep -q INKL-EFTER-SENTINEL"
check "variable inside an included file: kommunen's value" bash -c "$(declare -f page); TMP=$TMP; page kommunen/medarbetare hot-i-telefon | grep -q 'rapportera i KIA samma dag'"
check "variable inside an included file: socialnämnden's value" bash -c "$(declare -f page); TMP=$TMP; page socialnamnden/medarbetare hot-i-telefon | grep -q 'rapportera i Agera samma dag'"
check "container inside an included file: chef sees it" bash -c "$(declare -f page); TMP=$TMP; page kommunen/chef hot-i-brev | grep -q INKL-CHEF-SENTINEL"
check "container inside an included file: medarbetare does not" bash -c "$(declare -f page); TMP=$TMP; ! page kommunen/medarbetare hot-i-brev | grep -q INKL-CHEF-SENTINEL"
check "the included file is not published as a document" bash -c "! find '$TMP/d' -name 'steg*' | grep -q . && ! find '$TMP/d' -name 'djup*' | grep -q ."

# no leak: the chef-only text of an included file is in no output of another role
find "$TMP/d" -type f \( -name '*.odt' -o -name '*.odp' -o -name '*.zip' \) | while read -r f; do
  mkdir -p "$f.x" && unzip -q -o "$f" -d "$f.x" 2>/dev/null
  find "$f.x" -name '*.zip' -o -name '*.odt' -o -name '*.odp' | while read -r g; do
    mkdir -p "$g.x" && unzip -q -o "$g" -d "$g.x" 2>/dev/null
  done
done
leaks=$(grep -rl --binary-files=text INKL-CHEF-SENTINEL "$TMP/d" | sed "s#^$TMP/d/##" | grep -Ev '(^|/)chef/|handledning\.odt')
seen=$(grep -rl --binary-files=text INKL-CHEF-SENTINEL "$TMP/d" | wc -l)
check "no leak: chef-only text of an included file only in chef outputs (in $seen files${leaks:+; leaked: $(echo $leaks | head -c 300)})" [ "$seen" -gt 0 -a -z "$leaks" ]

# errors, each at file:line:col with exit 1
# broken NAME LINE — appends an include line to a routine of fresh content;
# echoes the content folder and sets LINE to the include's line number.
broken() {
  local c
  c=$(with_includes "$1")
  printf '\n%s\n' "$2" >>"$c/routines/hot-i-telefon.md"
  echo "$c"
}
line_of() { grep -nF -- "$2" "$1" | tail -1 | cut -d: -f1; }

c=$(broken missing '{{< include ../delar/finns-inte.md >}}')
l=$(line_of "$c/routines/hot-i-telefon.md" finns-inte)
expect_fail "a missing included file is an error at the include line" 1 \
  "routines/hot-i-telefon\.md:$l:1: error: include '\.\./delar/finns-inte\.md' not found" \
  check --content "$c" --theme "$THEME"

c=$(broken outside '  {{< include ../../utanfor.md >}}')
l=$(line_of "$c/routines/hot-i-telefon.md" utanfor)
expect_fail "a path outside the content folder is an error at its line and column" 1 \
  "routines/hot-i-telefon\.md:$l:3: error: include '\.\./\.\./utanfor\.md' leads outside the content folder" \
  check --content "$c" --theme "$THEME"

c=$(broken symlink '{{< include /delar/lank.md >}}')
echo 'HEMLIG-UTANFOR-SENTINEL' >"$TMP/utanfor.md"
ln -s "$TMP/utanfor.md" "$c/delar/lank.md"
l=$(line_of "$c/routines/hot-i-telefon.md" lank.md)
expect_fail "a symbolic link out of the content folder is an error at the include line" 1 \
  "routines/hot-i-telefon\.md:$l:1: error: include '/delar/lank\.md' is a link to a file outside the content folder" \
  build --content "$c" --theme "$THEME" -o "$TMP/ls" -q
check "the linked file's text is in no output" bash -c "! grep -rq HEMLIG-UTANFOR-SENTINEL '$TMP/ls' 2>/dev/null"

c=$(broken cycle '{{< include ../delar/a.md >}}')
printf 'A-text\n\n{{< include b.md >}}\n' >"$c/delar/a.md"
printf 'B-text\n{{< include a.md >}}\n' >"$c/delar/b.md"
expect_fail "a cycle is an error at the include that closes it" 1 \
  "delar/b\.md:2:1: error: include 'a\.md' includes a file that is already being included \(a cycle\)" \
  check --content "$c" --theme "$THEME"

c=$(broken self '{{< include hot-i-telefon.md >}}')
l=$(line_of "$c/routines/hot-i-telefon.md" 'include hot-i-telefon.md')
expect_fail "a document including itself is a cycle" 1 \
  "routines/hot-i-telefon\.md:$l:1: error: include 'hot-i-telefon\.md' includes a file that is already being included" \
  check --content "$c" --theme "$THEME"

# bad_include NAME FILE PRINTF-TEXT DESC PATTERN — a routine includes
# ../delar/FILE holding the text; check must fail with exit 1 and PATTERN.
bad_include() {
  local c
  c=$(broken "$1" "{{< include ../delar/$2 >}}")
  printf -- "$3" >"$c/delar/$2"
  expect_fail "$4" 1 "$5" check --content "$c" --theme "$THEME"
}
bad_include frontmatter dokument.md '---\ntitle: Ett dokument\n---\nText\n' \
  "an included file with front matter is an error" \
  "routines/hot-i-telefon\.md:[0-9]+:1: error: include '\.\./delar/dokument\.md' has front matter"
bad_include inner fel.md 'En rad.\n\n::: {roles="chf"}\nFel roll.\n:::\n' \
  "an error inside included text names the included file and its line" \
  "delar/fel\.md:3:1: error: container roles=\"chf\" names 'chf'"
bad_include invar fel.md 'En rad.\n\nSe {{okand_variabel}} här och [fel länk](finns-ej.md).\n' \
  "an unknown variable inside included text is at the included file's line and column" \
  "delar/fel\.md:3:4: error: unknown variable 'okand_variabel'"
check "a broken link inside included text is at the included file's line" \
  grep -Eq "delar/fel\.md:3:[0-9]+: error: link to 'finns-ej\.md'" "$TMP/err"
bad_include utf8 latin1.md 'R\xe4tt text i fel kodning.\n' \
  "an included file that is not UTF-8 is an error at the include line" \
  "routines/hot-i-telefon\.md:[0-9]+:1: error: include '\.\./delar/latin1\.md' is not valid UTF-8"

# runaway: each level includes the next twice (2^12 copies of 5 KB)
c=$(broken runaway '{{< include ../delar/n0.md >}}')
for i in $(seq 0 11); do printf '{{< include n%d.md >}}\n\n{{< include n%d.md >}}\n' $((i + 1)) $((i + 1)) >"$c/delar/n$i.md"; done
head -c 5000 /dev/zero | tr '\0' a >"$c/delar/n12.md"
expect_fail "an expansion past the size limit is one error, not a stalled build" 1 \
  "error: include 'n[0-9]+\.md' makes the document longer than the 4 MB allowed" \
  check --content "$c" --theme "$THEME"
check "the size error is reported once" [ "$(grep -c 'longer than the 4 MB' "$TMP/err")" -eq 1 ]

c=$(with_includes fenced)
printf '\n```\n{{< include ../delar/finns-inte.md >}}\n```\n' >>"$c/routines/hot-i-telefon.md"
run_vaksam check --content "$c" --theme "$THEME"
check "the shortcode inside a fenced code block is text (exit $RC)" [ "$RC" -eq 0 ]

# the lock: a change to an included file is a text change of every includer
c=$(with_includes lock)
run_vaksam lock --content "$c" --theme "$THEME"
check "vaksam lock writes versions.lock (exit $RC)" [ "$RC" -eq 0 ]
run_vaksam check --content "$c" --theme "$THEME"
check "check passes right after lock (exit $RC)" [ "$RC" -eq 0 ]
sed -i 's/samma dag/inom en timme/' "$c/delar/inre/djup.md" "$c/delar/steg.md"
run_vaksam check --content "$c" --theme "$THEME"
check "a changed included file without a version bump fails check (exit $RC)" [ "$RC" -eq 1 ]
for id in hot-i-telefon hot-i-brev; do
  check "check names the including routine $id and the included file" \
    grep -Eq "routines/$id\.md:1:1: error: the text of '$id' \(with its included delar/inre/djup\.md, delar/steg\.md\) changed" "$TMP/err"
done

# the preview server: an edit of an included file rebuilds every including page
c=$(with_includes serve)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$VAKSAM" serve --content "$c" --theme "$THEME" -o "$TMP/sd" --port "$port" >"$TMP/serve.log" 2>&1 &
spid=$!
trap 'kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null; rm -rf "$TMP"' EXIT
if poll 120 grep -q 'serving http' "$TMP/serve.log"; then
  sed -i 's/INKL-NASTLAD-SENTINEL/INKL-ANDRAD-SENTINEL/' "$c/delar/inre/djup.md"
  for id in hot-i-telefon hot-i-brev; do
    check "serve: editing the included file rebuilds $id" \
      poll 60 grep -q INKL-ANDRAD-SENTINEL "$TMP/sd/site/kommunen/medarbetare/rutiner/$id.html"
  done
else
  notok "serve starts (log: $(head -c 600 "$TMP/serve.log"))"
fi
kill -TERM "$spid"
wait "$spid"
check "serve exits cleanly after SIGTERM" [ $? -eq 0 ]
