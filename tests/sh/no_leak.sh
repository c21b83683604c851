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
where SOCIALTEXT-SENTINEL '^(site|handouts|apt)/socialnamnden/'
where HANDLEDNING-SENTINEL '((^|/)chef/|handledning\.odt|bildspel\.odp)'
