#!/usr/bin/env bash
# Publish targets (site.yaml `targets:`, docs/deploy.md) leak nothing: the
# sample content with tests/data/targets/targets.yaml (intranat: medarbetare,
# chef, skyddsombud; politikerportal: fortroendevald) and a marker text per
# role — a container only for that role, in a routine and in a case that APT
# packs show — plus a facilitator-notes marker. A role's marker is found in
# every target with that role and in no file of a target without it (pages,
# search bundles, feeds, sitemap, handouts, pack files and zips, unpacked);
# no URL of a role outside the target appears in it.
. "$(dirname "$0")/../lib.sh"
content=$VAKSAM_ROOT/content
[ -f "$content/site.yaml" ] || exit 0
c=$TMP/content
cp -R "$content" "$c"
cat "$VAKSAM_ROOT/tests/data/targets/targets.yaml" >>"$c/site.yaml"
roles=$(sed -n '/^roles:/,/^[a-z]/s/^  - id: *\([a-z0-9_-]*\).*/\1/p' "$c/site.yaml")
check "the sample has roles ($(echo $roles))" [ "$(echo "$roles" | wc -w)" -ge 3 ]
for f in "$c/routines/efter-en-handelse.md" "$c/cases/kaffet-och-gavan.md"; do
  for r in $roles; do
    printf '\n::: {roles="%s"}\nROLLMARKOR%sX står här.\n:::\n' "$r" "$(echo "$r" | tr -d '_-')" >>"$f"
  done
done
printf '\n::: {.handledning}\nHANDLEDNINGSMARKORX för samtalsledaren.\n:::\n' >>"$c/cases/kaffet-och-gavan.md"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/d" -q
check "the sample with targets builds (exit $RC${ERR:+: $(echo "$ERR" | head -c 300)})" [ "$RC" -eq 0 ]
targets=$(sed -n '/^targets:/,$s/^  - id: *\([a-z0-9_-]*\).*/\1/p' "$c/site.yaml")
check "two targets built ($(echo $targets))" bash -c "[ $(echo "$targets" | wc -w) -eq 2 ] && for t in $(echo $targets); do [ -d '$TMP/d/'\$t/site ] || exit 1; done"

# text of every file of a target: zipped XML unpacked (zips of ODF files too)
text_of() { # TARGET → $TMP/txt/TARGET/…
  (cd "$TMP/d/$1" && find . -type f | sort) | while read -r f; do
    out="$TMP/txt/$1/$f.txt"
    mkdir -p "$(dirname "$out")"
    case "$f" in
    *.odt | *.odp) unzip -p "$TMP/d/$1/$f" content.xml styles.xml 2>/dev/null >"$out" ;;
    *.zip) for m in $(unzip -Z1 "$TMP/d/$1/$f"); do unzip -p "$TMP/d/$1/$f" "$m" >"$TMP/m.bin"; unzip -p "$TMP/m.bin" content.xml 2>/dev/null; done >"$out" ;;
    *) cp "$TMP/d/$1/$f" "$out" ;;
    esac
  done
}
target_roles() { sed -n "/^  - id: $1\$/,/^  - id:/s/^    roles: *\[\(.*\)\]/\1/p" "$c/site.yaml" | tr -d ' ' | tr ',' ' '; }
for t in $targets; do
  text_of "$t"
  mine=$(target_roles "$t")
  for r in $roles; do
    m=ROLLMARKOR$(echo "$r" | tr -d '_-')X
    n=$(grep -rlF "$m" "$TMP/txt/$t" | wc -l)
    if [[ " $mine " == *" $r "* ]]; then
      check "$t: the marker of its role $r is there ($n files)" [ "$n" -gt 0 ]
    else
      check "$t: the marker of role $r (not in the target) is in no file" [ "$n" -eq 0 ]
      bad=$(grep -rlE "[\"/]$r/" "$TMP/txt/$t" | sed "s#$TMP/txt/##" | head -3)
      check "$t: no URL into role $r's folders${bad:+ ($bad)}" [ -z "$bad" ]
    fi
  done
  n=$(grep -rlF HANDLEDNINGSMARKORX "$TMP/txt/$t" | wc -l)
  if [[ " $mine " == *" chef "* ]]; then
    check "$t: facilitator notes reach its facilitator files ($n)" [ "$n" -gt 0 ]
  else
    check "$t: facilitator notes are in no file of a target without the facilitator role" [ "$n" -eq 0 ]
  fi
done
