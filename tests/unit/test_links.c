/* test_links.c — the link model: locations, relative URLs the shortest way
 * and through a folder, absolute URLs, anchors inside definitions, the
 * server root of pages served at any URL. */
#include "../check.h"
#include "links.h"

#include <stdlib.h>

/* Checks one returned string and frees it. */
static void is(char *got, const char *want, const char *what) {
  CHECK_STR(got, want, "%s", what);
  free(got);
}

static void test_locations(const vk_org *o, const vk_role *r, const vk_doc *rut,
                           const vk_doc *def) {
  is(link_variant_dir(NULL, NULL), "site/", "variant dir: none is the site root");
  is(link_variant_dir(o, NULL), "site/o/", "variant dir: organisation only");
  is(link_variant_file(o, r, "sok.html"), "site/o/r/sok.html", "a file of a variant");
  is(link_kind_index(o, r, KIND_CASE), "site/o/r/fall/index.html", "a kind's list page");
  is(link_doc(o, r, rut, NULL), "site/o/r/rutiner/x.html", "a document's page");
  is(link_doc(o, r, rut, ""), "site/o/r/rutiner/x.html", "an empty anchor is none");
  is(link_doc(o, r, rut, "steg"), "site/o/r/rutiner/x.html#steg", "an anchor in a page");
  is(link_doc(o, r, def, NULL), "site/o/r/begrepp/index.html#hot", "a definition: its entry");
  is(link_doc(o, r, def, "exempel"), "site/o/r/begrepp/index.html#hot-exempel",
     "an anchor in a definition is <id>-<anchor>");
  is(link_handout(o, r, rut), "site/o/r/dokument/x.odt", "a handout: in its variant's folder");
  vk_doc pack = {.id = "p", .kind = KIND_PACK};
  is(link_pack_file(o, r, &pack, "bildspel.odp"), "site/o/r/apt/p/bildspel.odp",
     "a pack's download: in its role's variant folder");
}

static void test_relative(void) {
  const char *page = "site/o/r/rutiner/x.html";
  is(link_rel(page, "site/o/r/rutiner/y.html"), "y.html", "rel: same folder");
  is(link_rel(page, "site/o/r/fall/z.html"), "../fall/z.html", "rel: a sibling folder");
  is(link_rel(page, "site/o/r/index.html"), "../index.html", "rel: one up");
  is(link_rel(page, "site/o/r/dokument/x.odt"), "../dokument/x.odt", "rel: a handout");
  is(link_rel("site/o/r/begrepp/index.html#hot", "site/bilder/"), "../../../bilder/",
     "rel: a fragment in `from` is not a folder");
  is(link_via(page, "site/o/r/", "site/o/r/rutiner/y.html"), "../rutiner/y.html",
     "via: through the variant folder, even in the same folder");
  is(link_via("site/o/r/index.html", "site/o/r/", "site/o/r/rutiner/y.html"), "rutiner/y.html",
     "via: from the variant folder itself");
  is(link_via(page, "site/", "site/o/r/fall/index.html"), "../../../o/r/fall/index.html",
     "via: through the site root");
  is(link_via(page, "site/p/", "site/o/r/y.html"), "../y.html",
     "via: a folder that does not hold both is the shortest way");
  is(link_root(page), "../../../", "root from a page");
  is(link_root("site/index.html"), "", "root from the root");
}

static void test_absolute(void) {
  vk_site s = {.base_url = "https://h.example/vaksam/"};
  is(link_abs(&s, "site/o/r/rutiner/x.html"), "https://h.example/vaksam/o/r/rutiner/x.html",
     "abs: base_url + the path under site/");
  is(link_server_root(&s, false), "/vaksam/", "server root: base_url's path");
  is(link_server_root(&s, true), "/site/", "server root in preview: dist/ is served at /");
  vk_site bare = {.base_url = "https://h.example"};
  is(link_server_root(&bare, false), "/", "server root: a base_url without a path");
  vk_site none = {0};
  is(link_server_root(&none, false), "/", "server root: no base_url");
  is(link_abs(&none, "site/a.html"), "a.html", "abs without base_url: root-relative");
}

int main(void) {
  vk_org o = {.id = "o"};
  vk_role r = {.id = "r"};
  vk_doc rut = {.kind = KIND_ROUTINE, .id = "x"};
  vk_doc def = {.kind = KIND_DEFINITION, .id = "hot"};
  test_locations(&o, &r, &rut, &def);
  test_relative();
  test_absolute();
  return CHECK_DONE();
}
