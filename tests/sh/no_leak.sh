#!/usr/bin/env bash
# Text restricted to a role or organisation appears only where allowed: in
# pages, handouts (inside the zip), packs, search index and feeds.
. "$(dirname "$0")/../lib.sh"
c=$VAKSAM_ROOT/tests/data/mini
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/d" -q
check "build exits 0" [ "$RC" -eq 0 ]
# Unpack every zip-based file so that its XML is searchable as text.
find "$TMP/d" -type f \( -name '*.odt' -o -name '*.odp' -o -name '*.zip' \) | while read -r f; do
  mkdir -p "$f.x" && unzip -q -o "$f" -d "$f.x" 2>/dev/null
done
# where SENTINEL ALLOWED-REGEX: every file containing SENTINEL must match ALLOWED-REGEX.
where() {
  local s=$1 allow=$2 files bad
  files=$(grep -rl --binary-files=text "$s" "$TMP/d" | sed "s#^$TMP/d/##")
  if [ -z "$files" ]; then
    notok "$s appears somewhere (the test data must exercise it)"
    return
  fi
  bad=$(printf '%s\n' "$files" | grep -Ev "$allow")
  if [ -z "$bad" ]; then ok "$s only where allowed"; else notok "$s leaked into: $(echo $bad | head -c 400)"; fi
}
where CHEFSTEXT-SENTINEL '((^|/)chef/|handledning\.odt)'
where SOCIALTEXT-SENTINEL '^site/socialnamnden/'
where HANDLEDNING-SENTINEL '((^|/)chef/|handledning\.odt|bildspel\.odp)'

# The same over the sample content: the first words of every container that
# is only for chef (roles="chef") or only for one organisation (orgs="x")
# must appear only in that role's or organisation's outputs (an organisation
# includes the ones under it: familjerätten is part of socialnämnden).
content=$VAKSAM_ROOT/content
[ -f "$content/site.yaml" ] || exit 0
run_vaksam build --content "$content" --theme "$THEME" -o "$TMP/s" -q
check "sample content builds" [ "$RC" -eq 0 ]
# Text versions of every output file: tags dropped, zipped XML unpacked.
mkdir -p "$TMP/txt"
(cd "$TMP/s" && find . -type f | sort) | while read -r f; do
  out="$TMP/txt/$f.txt"
  mkdir -p "$(dirname "$out")"
  case "$f" in
  *.odt | *.odp) unzip -p "$TMP/s/$f" content.xml styles.xml 2>/dev/null | sed 's/<[^>]*>/ /g' >"$out" ;;
  *.zip) for m in $(unzip -Z1 "$TMP/s/$f"); do unzip -p "$TMP/s/$f" "$m" >"$TMP/m.bin"; unzip -p "$TMP/m.bin" content.xml 2>/dev/null; done | sed 's/<[^>]*>/ /g' >"$out" ;;
  *) sed 's/<[^>]*>/ /g' "$TMP/s/$f" >"$out" ;;
  esac
done
# snippet: the first four plain words of the first text line inside each container
awk '
  /^:::+ *\{/ { attrs = $0; want = 1; next }
  want && NF && $0 !~ /^(#|:::|\||- \[)/ {
    line = $0; gsub(/[*_`\[\]()]/, "", line); gsub(/\{\{[a-z_]+\}\}/, "", line); gsub(/\.\.\/[^ ]*\.md/, "", line)
    n = split(line, w, " "); s = ""; k = 0
    for (i = 1; i <= n && k < 4; i++) if (w[i] ~ /^[[:alpha:]åäöÅÄÖ]+[,.]?$/) { sub(/[,.]$/, "", w[i]); s = s (k ? " " : "") w[i]; k++ } else if (k) break
    if (k >= 3) print attrs "\t" s
    want = 0
  }' "$content"/*/*.md | sort -u >"$TMP/sentinels"
n=$(wc -l <"$TMP/sentinels")
check "the sample content has restricted containers to check ($n)" [ "$n" -ge 5 ]
bad=0
found=0
while IFS=$'\t' read -r attrs snippet; do
  roles=$(printf '%s' "$attrs" | sed -n 's/.*roles="\([^"]*\)".*/\1/p')
  orgs=$(printf '%s' "$attrs" | sed -n 's/.*orgs="\([^"]*\)".*/\1/p')
  files=$(grep -rlF -- "$snippet" "$TMP/txt" | sed "s#^$TMP/txt/\./##; s#\.txt\$##")
  [ -z "$files" ] && { echo "# never found: $snippet"; continue; }
  found=$((found + 1))
  for f in $files; do
    allowed=1
    if [ -n "$roles" ]; then
      allowed=0
      for r in $roles; do
        case "$f" in */"$r"/* | site/*/"$r"/*) allowed=1 ;; esac
        [ "$r" = chef ] && case "$f" in */handledning.odt | */bildspel.odp | *.zip) allowed=1 ;; esac
      done
    fi
    if [ "$allowed" -eq 1 ] && [ -n "$orgs" ]; then
      allowed=0
      for o in $orgs; do
        case "$f" in */"$o"/*) allowed=1 ;; esac
        [ "$o" = socialnamnden ] && case "$f" in */familjeratten/*) allowed=1 ;; esac
      done
    fi
    [ "$allowed" -eq 0 ] && { bad=1; echo "# leak: '$snippet' ($attrs) in $f"; }
  done
done <"$TMP/sentinels"
check "most restricted snippets are found in some output ($found of $n)" [ "$found" -ge $((n * 3 / 4)) ]
check "restricted text appears only where its roles and organisations allow" [ "$bad" -eq 0 ]
