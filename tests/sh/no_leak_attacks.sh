#!/usr/bin/env bash
# Restricted text reached through the less travelled ways in: containers in
# an APT pack's agenda texts (intro:, closing:), containers in list items and
# quotes, near-miss attributes (role=, ROLES=, org=), and the review
# dashboard of a role a routine is not for (issue 18, items 1–3).
. "$(dirname "$0")/../lib.sh"

unpack_all() { # DIR — text of every output file, zipped XML unpacked, into DIR.txt/
  local d=$1
  (cd "$d" && find . -type f | sort) | while read -r f; do
    out="$d.txt/$f.txt"
    mkdir -p "$(dirname "$out")"
    case "$f" in
    *.odt | *.odp) unzip -p "$d/$f" content.xml styles.xml 2>/dev/null >"$out" ;;
    *.zip) # each member on its own, so that the facilitator's files inside are told apart
      for m in $(unzip -Z1 "$d/$f"); do
        mkdir -p "$out.d" && unzip -p "$d/$f" "$m" >"$TMP/m.bin"
        unzip -p "$TMP/m.bin" content.xml styles.xml >"$out.d/$m.txt" 2>/dev/null || cp "$TMP/m.bin" "$out.d/$m.txt"
      done ;;
    *) cat "$d/$f" >"$out" ;;
    esac
  done
}
# only SENTINEL DIR ALLOWED-REGEX DESC: the sentinel is somewhere, and only in files matching the regex.
only() {
  local s=$1 d=$2 allow=$3 desc=$4 files bad
  files=$(grep -rl --binary-files=text -- "$s" "$d.txt" | sed "s#^$d.txt/\./##; s#^$d.txt/##; s#\.txt\$##")
  if [ -z "$files" ]; then
    notok "$desc: $s appears somewhere (the test must exercise it)"
    return
  fi
  bad=$(printf '%s\n' "$files" | grep -Ev -- "$allow")
  if [ -z "$bad" ]; then ok "$desc"; else notok "$desc — leaked into: $(echo $bad | head -c 400)"; fi
}

# 1. Containers in a pack's intro: and closing: texts, list items and quotes.
c=$(fresh_content packs)
python3 - "$c/apt/hot-pa-jobbet.md" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace('  - intro: "Vi pratar om hot i {{incident_system}}."\n',
  '  - intro: |\n      Vi pratar om hot.\n\n      ::: {roles="chef"}\n      INTROCHEF-SENTINEL för chefer.\n      :::\n')
s = s.replace('  - closing: "Tack!"\n',
  '  - closing: |\n      Tack!\n\n      ::: {orgs="socialnamnden"}\n      CLOSINGSOC-SENTINEL för socialnämnden.\n      :::\n')
open(p, "w", encoding="utf-8").write(s)
PY
cat >>"$c/routines/hot-i-telefon.md" <<'MD'

- En punkt.

  ::: {roles="chef"}
  LISTCHEF-SENTINEL i en lista.
  :::

> Ett citat.
>
> ::: {roles="chef"}
> QUOTECHEF-SENTINEL i ett citat.
> :::
MD
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/p" -q
check "content with containers in agenda texts, lists and quotes builds (exit $RC: $(head -c 300 "$TMP/err"))" [ "$RC" -eq 0 ]
unpack_all "$TMP/p"
# chef's own files, and the facilitator's handout and slides (they are for the chef who leads the meeting)
chef='((^|/)chef/|handledning\.odt|bildspel\.odp)'
only INTROCHEF-SENTINEL "$TMP/p" "$chef" "a roles= container in a pack's intro: reaches only chef's files"
only CLOSINGSOC-SENTINEL "$TMP/p" '(^|/)socialnamnden/' "an orgs= container in a pack's closing: reaches only that organisation's files"
only LISTCHEF-SENTINEL "$TMP/p" "$chef" "a container in a list item reaches only chef's files"
only QUOTECHEF-SENTINEL "$TMP/p" "$chef" "a container in a block quote reaches only chef's files"

# 2. Near-miss attributes are errors naming the right spelling, at file:line:col.
near() { # ATTRS RIGHT DESC
  local c
  c=$(fresh_content near)
  printf '\n::: {%s}\nNEARMISS-SENTINEL\n:::\n' "$1" >>"$c/routines/hot-i-telefon.md"
  local line
  line=$(grep -n 'NEARMISS-SENTINEL' "$c/routines/hot-i-telefon.md" | cut -d: -f1)
  line=$((line - 1))
  expect_fail "$3: exit 1 naming '$2=' at file:line:col" 1 \
    "routines/hot-i-telefon\.md:$line:[0-9]+: error: .*'$2='" build --content "$c" --theme "$THEME" -o "$TMP/n" -q
  [ -e "$TMP/n" ] && grep -rq NEARMISS-SENTINEL "$TMP/n" && notok "$3: the text was published" || ok "$3: nothing published"
  rm -rf "$TMP/n"
}
near 'role="chef"' roles 'role= (singular)'
near 'ROLES="chef"' roles 'ROLES= (upper case)'
near 'Roles="chef"' roles 'Roles= (mixed case)'
near 'org="socialnamnden"' orgs 'org= (singular)'
near 'ORGS="socialnamnden"' orgs 'ORGS= (upper case)'
near 'organisations="socialnamnden"' orgs 'organisations='
c=$(fresh_content unknown)
printf '\n::: {colour="red"}\nText.\n:::\n' >>"$c/routines/hot-i-telefon.md"
expect_fail "an unknown attribute is an error listing the known ones" 1 \
  "hot-i-telefon\.md:[0-9]+:[0-9]+: error: .*'colour='.*roles=, orgs=" check --content "$c" --theme "$THEME"
c=$(fresh_content data)
printf '\n::: {data-colour="red"}\nText.\n:::\n' >>"$c/routines/hot-i-telefon.md"
run_vaksam check --content "$c" --theme "$THEME"
check "data-NAME= attributes (for filters) are allowed (exit $RC)" [ "$RC" -eq 0 ]
# in a pack's agenda text too
c=$(fresh_content nearpack)
python3 - "$c/apt/hot-pa-jobbet.md" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace('  - closing: "Tack!"\n', '  - closing: |\n      Tack!\n\n      ::: {role="chef"}\n      NEARPACK-SENTINEL\n      :::\n')
open(p, "w", encoding="utf-8").write(s)
PY
expect_fail "role= in a pack's closing: text is an error naming roles=" 1 \
  "apt/hot-pa-jobbet\.md:[0-9]+:[0-9]+: error: .*'roles='" build --content "$c" --theme "$THEME" -o "$TMP/np" -q
# an unknown id in a pack's agenda text is an error in check too (not text hidden from everyone)
c=$(fresh_content typopack)
python3 - "$c/apt/hot-pa-jobbet.md" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace('  - closing: "Tack!"\n', '  - closing: |\n      Tack!\n\n      ::: {roles="chfe"}\n      TYPOPACK-SENTINEL\n      :::\n')
open(p, "w", encoding="utf-8").write(s)
PY
expect_fail "an unknown role id in a pack's closing: text is an error in check, at the pack's file:line" 1 \
  "apt/hot-pa-jobbet\.md:[0-9]+:[0-9]+: error: container roles=\"chfe\" names 'chfe'" check --content "$c" --theme "$THEME"

# 3. The review dashboard lists only the routines the role may read.
c=$(fresh_content review)
cat >>"$c/site.yaml" <<'YAML'
  - id: skyddsombud
    name: Skyddsombud
    can: [granskning]
YAML
sed -e 's/^id: hot-i-telefon/id: bara-for-chefer/' -e 's/^title: Hot i telefon/title: CHEFSRUTIN-SENTINEL/' \
  -e 's/^owner: HR-avdelningen/owner: CHEFSAGARE-SENTINEL/' -e 's/^related: \[hot\]/related: [hot]\nroles: [chef]/' \
  "$c/routines/hot-i-telefon.md" >"$c/routines/bara-for-chefer.md"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/r" -q
check "content with a chef-only routine and a skyddsombud role builds (exit $RC: $(head -c 300 "$TMP/err"))" [ "$RC" -eq 0 ]
dash=$(find "$TMP/r/site" -path '*/skyddsombud/granskning.html' | head -1)
check "the skyddsombud review dashboard exists" [ -n "$dash" ]
if [ -n "$dash" ] && ! grep -q -e CHEFSRUTIN-SENTINEL -e CHEFSAGARE-SENTINEL "$dash" && grep -q 'Hot i telefon' "$dash"; then
  ok "skyddsombud's dashboard lists its routines but not the chef-only routine (title, owner)"
else
  notok "skyddsombud's dashboard lists the chef-only routine, or not its own ones"
fi
chefdash=$(find "$TMP/r/site" -path '*/chef/granskning.html' | head -1)
check "chef's dashboard lists the chef-only routine" grep -q CHEFSRUTIN-SENTINEL "$chefdash"
leak=$(grep -rl --binary-files=text CHEFSRUTIN-SENTINEL "$TMP/r/site" | grep -v '/chef/' | head -3)
check "the chef-only routine's title is in no other role's page ($leak)" [ -z "$leak" ]
