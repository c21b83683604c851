#!/usr/bin/env bash
# Tags: `tags:` in front matter gives each variant a page per tag and a tag
# list (plain HTML), a tag list on each document's page, and search facets
# (meta.json) for narrowing by kind and tag.
. "$(dirname "$0")/../lib.sh"

c=$(fresh_content tags)
sed -i 's/^related: \[hot\]/related: [hot]\ntags: [Telefon, "Hot och våld", telefon]/' "$c/routines/hot-i-telefon.md"
sed -i '0,/^id: efter-samtalet/s//id: efter-samtalet\ntags: [telefon, chefsstöd]\nroles: [chef]/' \
  "$c/checklists/efter-samtalet.md"
sed -i '0,/^id: samtalet$/s//id: samtalet\ntags: telefon/' "$c/cases/samtalet.md"
sed -i '0,/^id: hot$/s//id: hot\ntags: [telefon]/' "$c/definitions/hot.md"
run_vaksam check --content "$c" --theme "$THEME"
check "tags: pass check" [ "$RC" -eq 0 ]
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/o" --format html
check "build with tags exits 0" [ "$RC" -eq 0 ]
s=$TMP/o/site/kommunen/medarbetare
ch=$TMP/o/site/kommunen/chef
check "tag list page per variant" [ -f "$s/taggar/index.html" -a -f "$ch/taggar/index.html" ]
check "a page per tag (slug of the tag)" [ -f "$s/taggar/telefon.html" -a -f "$s/taggar/hot-och-vald.html" ]
check "a tag written twice in one document (any case) is one tag" [ "$(grep -o 'class="tag"' "$s/rutiner/hot-i-telefon.html" | wc -l)" -eq 2 ]
check "the tag page lists the routine and the case" bash -c "grep -q 'href=\"../rutiner/hot-i-telefon.html\"' '$s/taggar/telefon.html' && grep -q 'href=\"../fall/samtalet.html\"' '$s/taggar/telefon.html'"
check "a glossary entry shows its tags" grep -q 'doc-tags">Ämnen: <a class="tag" href="../taggar/telefon.html"' "$s/begrepp/index.html"
check "the tag page links the definition's glossary entry" grep -q 'href="../begrepp/index.html#hot"' "$s/taggar/telefon.html"
check "a single text is a one-tag list" grep -q 'href="../taggar/telefon.html"' "$s/fall/samtalet.html"
check "the staff tag page does not list the chef-only checklist" bash -c "! grep -q efter-samtalet '$s/taggar/telefon.html'"
check "the chef tag page lists the chef-only checklist" grep -q 'href="../checklistor/efter-samtalet.html"' "$ch/taggar/telefon.html"
check "a tag only chef documents carry has no staff page" [ ! -e "$s/taggar/chefsstod.html" -a -f "$ch/taggar/chefsstod.html" ]
check "the staff tag list does not name it" bash -c "! grep -q chefsstöd '$s/taggar/index.html'"
check "the tag list links every tag" bash -c "grep -q 'href=\"telefon.html\"' '$s/taggar/index.html' && grep -q 'href=\"hot-och-vald.html\"' '$s/taggar/index.html'"
check "the document page shows its tags as links" grep -q 'href="../taggar/hot-och-vald.html">Hot och våld<' "$s/rutiner/hot-i-telefon.html"
check "tag pages need no script" bash -c "! grep -q '<script' '$s/taggar/telefon.html' || ! grep -q 'search.js' '$s/taggar/telefon.html'"
check "the start page links the tag list" grep -q 'href="taggar/index.html"' "$s/index.html"
meta=$s/sok/meta.json
check "search meta has kind facets" grep -q '"facets":{"k":{"case":\[[0-9]' "$meta"
check "search meta has tag facets by slug" grep -Eq '"g":\{"hot-och-vald":\[[0-9]+\],"telefon":\[[0-9]+,[0-9]+,[0-9]+\]\}' "$meta"
check "staff search facets do not name the chef-only tag" bash -c "! grep -q chefsstod '$meta'"
check "the search page offers kind and tag filters" bash -c "grep -q 'id=\"sok-slag\"' '$s/sok.html' && grep -q '<option value=\"telefon\">' '$s/sok.html'"
check "the filters are hidden until the script shows them" grep -q '<div class="search-facets" hidden>' "$s/sok.html"

c=$(fresh_content badtag)
sed -i 's/^related: \[hot\]/related: [hot]\ntags: [telefon, [inre]]/' "$c/routines/hot-i-telefon.md"
expect_fail "a tag that is not a text at file:line:col" 1 \
  "routines/hot-i-telefon.md:13:[0-9]+: error: 'tags' holds something that is not a short text" check --content "$c" --theme "$THEME"
c=$(fresh_content maptag)
sed -i 's/^related: \[hot\]/related: [hot]\ntags: {a: b}/' "$c/routines/hot-i-telefon.md"
expect_fail "tags that are not a list" 1 "routines/hot-i-telefon.md:13:[0-9]+: error: 'tags' must be a list" \
  check --content "$c" --theme "$THEME"
