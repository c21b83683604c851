#!/usr/bin/env bash
# Every class of content error: message names file:line:col and says what to
# do; the exit code is 1; usage errors exit 2.
. "$(dirname "$0")/../lib.sh"

run_vaksam --help
check "--help exits 0 and shows usage" [ "$RC" -eq 0 ] 
check "--help lists the build command" grep -q "build" "$TMP/out"
run_vaksam --version
check "--version prints the version" grep -Eq "^vaksam [0-9]+\.[0-9]+" "$TMP/out"
expect_fail "unknown command exits 2" 2 "unknown command 'bild'" bild
expect_fail "bad -j exits 2" 2 "-j 'x' must be a number" build -j x --content "$VAKSAM_ROOT/tests/data/mini"
expect_fail "missing content folder exits 2" 2 "no content folder" build --content "$TMP/nope"

c=$(fresh_content clean)
run_vaksam check --content "$c" --theme "$THEME"
check "check passes on clean content" [ "$RC" -eq 0 ]

c=$(fresh_content yaml)
sed -i 's/^title: Hot i telefon/title: [Hot i telefon/' "$c/routines/hot-i-telefon.md"
expect_fail "malformed YAML names file:line:col" 1 "routines/hot-i-telefon.md:[34]:[0-9]+: error: malformed YAML" check --content "$c"

c=$(fresh_content missing)
sed -i '/^version:/d' "$c/routines/hot-i-telefon.md"
expect_fail "missing required field" 1 "hot-i-telefon.md:[0-9]+:[0-9]+: error: missing required key 'version'" check --content "$c"

c=$(fresh_content date)
sed -i 's/^approved: 2026-01-15/approved: 2026-02-30/' "$c/routines/hot-i-telefon.md"
expect_fail "impossible date" 1 "hot-i-telefon.md:7:[0-9]+: error: 'approved' is not a valid date" check --content "$c"

c=$(fresh_content type)
sed -i 's/^review_interval: 12/review_interval: ofta/' "$c/routines/hot-i-telefon.md"
expect_fail "wrong type" 1 "hot-i-telefon.md:11:[0-9]+: error: 'review_interval' must be a whole number" check --content "$c"

c=$(fresh_content unknown)
sed -i 's/^owner:/ownr: x\nowner:/' "$c/routines/hot-i-telefon.md"
run_vaksam check --content "$c"
check "unknown key is a warning (exit 0)" [ "$RC" -eq 0 ]
check "unknown key warning names file:line:col" grep -Eq "hot-i-telefon.md:10:[0-9]+: warning: unknown key 'ownr'" "$TMP/err"
expect_fail "unknown key is an error with --strict" 1 "hot-i-telefon.md:10:[0-9]+: error: unknown key 'ownr'" check --strict --content "$c"

c=$(fresh_content dup)
sed 's/^id: hot$/id: hot-i-telefon/' "$c/definitions/hot.md" >"$c/definitions/hot2.md"
expect_fail "duplicate ids name both files" 1 "duplicate id 'hot-i-telefon' — .*(hot2|hot-i-telefon)\.md" check --content "$c"

c=$(fresh_content utf8)
printf -- '---\nid: trasig\ntitle: Trasig\n---\n\nText med \xff fel byte.\n' >"$c/definitions/trasig.md"
expect_fail "invalid UTF-8 names line and column" 1 "definitions/trasig.md:6:10: error: invalid UTF-8" check --content "$c"

c=$(fresh_content orgid)
sed -i 's/^related: \[hot\]/related: [hot]\norgs: [socialnamden]/' "$c/routines/hot-i-telefon.md"
expect_fail "unknown organisation id" 1 "'orgs' names 'socialnamden', which is not an organisation" check --content "$c"

c=$(fresh_content link)
sed -i 's#../definitions/hot.md#../definitions/hott.md#' "$c/routines/hot-i-telefon.md"
expect_fail "missing link target names line" 1 "hot-i-telefon.md:[0-9]+:[0-9]+: error: link to '../definitions/hott.md'" check --content "$c"

c=$(fresh_content fence)
printf '\n::: {.tips}\nOavslutad behållare\n' >>"$c/cases/samtalet.md"
expect_fail "unclosed container" 1 "cases/samtalet.md:[0-9]+:[0-9]+: error: container opened here is never closed" check --content "$c"

# Ids in a container's roles=/orgs= must be in site.yaml, for check and build alike.
c=$(fresh_content fenceids)
n=$(($(wc -l <"$c/cases/samtalet.md") + 2))
printf '\n::: {roles="chfe"}\nFör chefer\n:::\n\n- En punkt\n\n  ::: {orgs="kommunen, stda"}\n  Bara i en förvaltning\n  :::\n' >>"$c/cases/samtalet.md"
for cmd in check build; do
  args=(--content "$c" --theme "$THEME")
  [ $cmd = build ] && args+=(-o "$TMP/fenceids-dist" -q)
  expect_fail "unknown role in a container names file:line:col and the known roles ($cmd)" 1 \
    "cases/samtalet.md:$n:1: error: container roles=.* names 'chfe', which is not a role in site.yaml — use one of: medarbetare, chef" $cmd "${args[@]}"
  expect_fail "unknown organisation in a container in a list item, at its fence ($cmd)" 1 \
    "cases/samtalet.md:$((n + 6)):3: error: container orgs=.* names 'stda', which is not an organisation in site.yaml — use one of: kommunen, socialnamnden" $cmd "${args[@]}"
  check "known ids in the same container are not reported ($cmd)" bash -c "! grep -q \"names 'kommunen'\" '$TMP/err'"
done

c=$(fresh_content var)
sed -i 's/{{incident_system}}/{{incident_sytem}}/' "$c/routines/hot-i-telefon.md"
expect_fail "unknown variable" 1 "hot-i-telefon.md:[0-9]+:[0-9]+: error: unknown variable 'incident_sytem'" build --content "$c" --theme "$THEME" -o "$TMP/var-dist" -q

c=$(fresh_content many)
sed -i '/^version:/d' "$c/routines/hot-i-telefon.md"
sed -i 's/^title: Hot$/titel: Hot/' "$c/definitions/hot.md"
run_vaksam check --content "$c"
n=$(grep -c "error:" "$TMP/err")
check "all errors are reported, not just the first ($n)" [ "$n" -ge 2 ]

c=$(fresh_content anchor)
sed -i 's#../definitions/hot.md#../cases/samtalet.md\#fragorna#' "$c/routines/hot-i-telefon.md"
expect_fail "link to a missing anchor" 1 "hot-i-telefon.md:[0-9]+:[0-9]+: error: link to '../cases/samtalet.md#fragorna'.*no heading '#fragorna'" check --content "$c"
c=$(fresh_content anchor-ok)
sed -i 's#../definitions/hot.md#../cases/samtalet.md\#fragor#' "$c/routines/hot-i-telefon.md"
run_vaksam check --content "$c"
check "link to an existing heading anchor is fine" [ "$RC" -eq 0 ]

c=$(fresh_content html)
printf '\nText med <b>fet</b> stil.\n' >>"$c/cases/samtalet.md"
run_vaksam check --content "$c"
check "raw HTML is a warning naming file:line:col" grep -Eq "cases/samtalet.md:[0-9]+:10: warning: raw HTML is shown as text" "$TMP/err"
