#!/usr/bin/env bash
# Every link in dist/ resolves: internal href/src in the site's HTML pages
# (and, with a fragment, an element with that id), URLs in feeds and the
# sitemap, and links into the site (base_url) in ODT handouts and in the APT
# packs (one check per pack file). The sample content is built with added
# links to a definition and to an anchor inside one (which the site and the
# handouts must both write as "#<id>-<anchor>", the glossary's heading ids),
# in a routine and in a case that an APT pack shows.
. "$(dirname "$0")/../lib.sh"
content=$VAKSAM_ROOT/content
[ -f "$content/site.yaml" ] || exit 0
c=$TMP/content
cp -R "$content" "$c"
routine=$c/routines/efter-en-handelse.md
links='\nSe [muta](../definitions/muta.md) och [exempel på hot](../definitions/hot.md#exempel).\n'
printf "$links" >>"$routine"
printf "$links" >>"$c/cases/kaffet-och-gavan.md"
check "an APT pack shows the case" grep -q 'case: kaffet-och-gavan' "$c"/apt/*.md
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/d" -q
check "the sample builds (exit $RC${ERR:+: $ERR})" [ "$RC" -eq 0 ]
base=$(sed -n 's/^base_url: *\([^ #]*\).*/\1/p' "$c/site.yaml")
check "site.yaml has a base_url" [ -n "$base" ]

page=$TMP/d/site/kommunen/medarbetare/rutiner/efter-en-handelse.html
check "the site links an anchor in a definition as ../begrepp/index.html#hot-exempel" \
  grep -q 'href="../begrepp/index.html#hot-exempel"' "$page"
handout=$TMP/d/site/kommunen/medarbetare/dokument/efter-en-handelse.odt
check "the handout links it as ${base}kommunen/medarbetare/begrepp/index.html#hot-exempel" \
  bash -c "unzip -p '$handout' content.xml | grep -qF 'xlink:href=\"${base}kommunen/medarbetare/begrepp/index.html#hot-exempel\"'"

node "$VAKSAM_ROOT/tests/sh/link_check.js" "$TMP/d" "$base"
