#!/usr/bin/env bash
# --format writes only that format: odt the handouts (and the review
# reports), html the site, odp the APT packs. Filters are told their own
# format: a site-wide filter that appends "FORMAT=<vaksam.context.format>"
# to every document shows html in the site's pages and odt in handouts.
. "$(dirname "$0")/../lib.sh"
content=$VAKSAM_ROOT/content
[ -f "$content/site.yaml" ] || exit 0
c=$TMP/content
cp -R "$content" "$c"
cat >"$c/filters/format-mark.lua" <<'LUA'
-- test: records the format this filter runs for
return {
  Doc = function(doc)
    table.insert(doc.blocks, vaksam.Para({ vaksam.Str("FORMAT=" .. vaksam.context.format) }))
    return doc
  end,
}
LUA
sed -i 's/^filters: \[site.lua\]/filters: [site.lua, format-mark.lua]/' "$c/site.yaml"
check "the test filter is in site.yaml" grep -q 'format-mark.lua' "$c/site.yaml"

# files DIR — every file under DIR, relative, sorted.
files() { (cd "$1" && find . -type f | sed 's#^\./##' | sort); }
# only DESC DIR REGEX — every file under DIR matches REGEX (and there is one).
only() {
  local bad
  bad=$(files "$2" | grep -Ev "$3")
  if [ -n "$(files "$2")" ] && [ -z "$bad" ]; then ok "$1"; else notok "$1: $(echo $bad | head -c 400)"; fi
}
build() { # NAME FORMAT
  run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/$1" -q --format "$2"
  check "--format $2 builds (exit $RC${ERR:+: $(echo "$ERR" | head -c 300)})" [ "$RC" -eq 0 ]
}

build odt odt
only "--format odt writes only handouts, emergency cards, the review reports and the access configs" "$TMP/odt" \
  '^(site/[^/]+/[^/]+/dokument/[^/]+\.odt|site/[^/]+/akutkort\.odt|review\.(json|csv)|access/[a-z-]+\.conf)$'
check "--format odt writes handouts" [ -n "$(find "$TMP/odt" -name '*.odt' | head -1)" ]
check "--format odt writes no site page" bash -c "! find '$TMP/odt' -name '*.html' | grep -q ."


build html html
only "--format html writes the site and the review reports, no .odt/.odp" "$TMP/html" \
  '^(site/.*|review\.(json|csv)|access/[a-z-]+\.conf)$'
check "--format html writes no ODF file" bash -c "! find '$TMP/html' -name '*.od[tp]' | grep -q ."
check "--format html pages still link the handouts" \
  grep -q 'href="../dokument/efter-en-handelse.odt"' \
  "$TMP/html/site/kommunen/medarbetare/rutiner/efter-en-handelse.html"

build odp odp
only "--format odp writes only APT pack files and the review reports" "$TMP/odp" \
  '^(site/[^/]+/[^/]+/apt/[^/]+/[^/]+\.(odp|odt|zip)|review\.(json|csv)|access/[a-z-]+\.conf)$'

# The filter's format, in every output of a full build.
build all html,odt,odp
page=$TMP/all/site/kommunen/medarbetare/rutiner/efter-en-handelse.html
check "pages run the filters with format html" grep -q 'FORMAT=html' "$page"
check "pages never see format odt" bash -c "! grep -rqE 'FORMAT=od[tp]' '$TMP/all/site'"
handout=$TMP/all/site/kommunen/medarbetare/dokument/efter-en-handelse.odt
check "handouts run the filters with format odt" bash -c "unzip -p '$handout' content.xml | grep -q 'FORMAT=odt'"
bad=$(find "$TMP/all/site" -path '*/dokument/*.odt' | while read -r f; do
  unzip -p "$f" content.xml | grep -qE 'FORMAT=(html|odp)' && echo "$f"
done)
check "no handout sees another format${bad:+ ($(echo $bad | head -c 300))}" [ -z "$bad" ]
# --format odt gives the same handouts as a full build
handouts() { (cd "$1/site" && find . -path '*/dokument/*.odt' | sort | xargs md5sum); }
check "--format odt handouts equal a full build's" diff <(handouts "$TMP/odt") <(handouts "$TMP/all")
