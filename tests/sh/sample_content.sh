#!/usr/bin/env bash
# The shipped sample content: minimum counts, the asks table points at real
# documents, and `vaksam check --strict` passes (as of the date the sample's
# review dates were written for).
. "$(dirname "$0")/../lib.sh"
c=$VAKSAM_ROOT/content
count() { ls "$c/$1"/*.md 2>/dev/null | wc -l; }
check "at least 14 definitions ($(count definitions))" [ "$(count definitions)" -ge 14 ]
check "at least 10 routines ($(count routines))" [ "$(count routines)" -ge 10 ]
check "at least 12 cases ($(count cases))" [ "$(count cases)" -ge 12 ]
check "at least 6 checklists ($(count checklists))" [ "$(count checklists)" -ge 6 ]
check "at least 4 APT packs ($(count apt))" [ "$(count apt)" -ge 4 ]
orgs=$(grep -c '^  - id:' "$c/site.yaml")
check "at least five organisations and four roles ($orgs entries)" [ "$orgs" -ge 9 ]
for r in medarbetare chef fortroendevald skyddsombud; do
  check "role $r exists" grep -q "id: $r\$" "$c/site.yaml"
done
asks=$VAKSAM_ROOT/docs/asks.md
for i in $(seq 1 24); do
  check "ask A$i is in the mapping table" grep -q "^| A$i " "$asks"
done
missing=$(grep -o '`[a-z]*/[a-z0-9-]*\.md`' "$asks" | tr -d '`' | sort -u | while read -r p; do [ -f "$c/$p" ] || echo "$p"; done)
check "every document the asks table names exists${missing:+ (missing: $missing)}" [ -z "$missing" ]
run_vaksam check --strict --content "$c" --today 2026-11-24
check "vaksam check --strict passes on the sample content" [ "$RC" -eq 0 ]
[ "$RC" -eq 0 ] || head -5 "$TMP/err" | sed 's/^/# /'
