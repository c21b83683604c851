#!/usr/bin/env bash
# no_sample_ids.sh — generator/ knows no organisation, role or variable id of
# the sample content (comments included): what a role may see and what a
# built-in text needs are data (site.yaml, the theme's labels). The ids are
# read from content/site.yaml, so a new id there is covered without editing
# this test; the list below only makes sure the reading finds the known ones.
. "$(dirname "$0")/../lib.sh"
cd "$VAKSAM_ROOT" || exit 1

# `- id: X` entries and the keys of every `variables:` map of site.yaml.
mapfile -t ids < <(awk '
  /^[[:space:]]*-?[[:space:]]*id:[[:space:]]*/ { v = $0; sub(/.*id:[[:space:]]*/, "", v); print v; next }
  /^[[:space:]]*variables:[[:space:]]*$/ { match($0, /^[[:space:]]*/); ind = RLENGTH; invars = 1; next }
  invars {
    match($0, /^[[:space:]]*/)
    if (RLENGTH <= ind || $0 ~ /^[[:space:]]*-/) { invars = 0 }
    else { k = $0; sub(/^[[:space:]]*/, "", k); sub(/:.*/, "", k); print k; next }
  }' content/site.yaml | sort -u)

known=(medarbetare chef fortroendevald skyddsombud kommunen socialnamnden familjeratten
  arbetsmarknadsnamnden bygg-och-miljonamnden incident_system security_phone security_email
  unit_contact)
missing=()
for k in "${known[@]}"; do
  printf '%s\n' "${ids[@]}" | grep -qxF -- "$k" || missing+=("$k")
done
check "the ids read from content/site.yaml (${#ids[@]}) include the known sample ids${missing:+; missing: ${missing[*]}}" \
  [ ${#missing[@]} -eq 0 ] && [ ${#ids[@]} -ge ${#known[@]} ]

hits=()
for id in "${ids[@]}"; do
  [ -n "$id" ] || continue
  while read -r h; do [ -n "$h" ] && hits+=("$h"); done < <(grep -rnwF -- "$id" generator/)
done
check "no sample role, organisation or variable id in generator/${hits:+: ${hits[*]:0:5}}" \
  [ ${#hits[@]} -eq 0 ]
for h in "${hits[@]}"; do echo "# $h"; done
