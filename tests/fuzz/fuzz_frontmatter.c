/* fuzz_frontmatter.c — libFuzzer target: a whole document (front matter,
 * typed fields, body with containers) through document_from_text(). */
#include "content.h"
#include "document.h"
#include "markdown.h"

#include <stdint.h>
#include <string.h>

static const char site_yaml[] =
    "title: F\nbase_url: https://f/\norganisations:\n"
    "  - {id: kommunen, name: K}\n  - {id: social, name: S, parent: kommunen}\n"
    "roles:\n  - {id: chef, name: C, can: [handledning, granskning]}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static vk_site *site;
  if (!site) {
    md_init();
    diag *dg = diag_new();
    site = site_parse(site_yaml, strlen(site_yaml), "site.yaml", dg);
    diag_free(dg);
  }
  static const char *const paths[] = {"routines/f.md", "cases/f.md", "definitions/f.md",
                                      "checklists/f.md", "apt/f.md"};
  diag *dg = diag_new();
  const char *path = paths[size ? data[0] % 5 : 0];
  vk_doc *d = document_from_text((const char *)data, size, path, path, site, dg);
  doc_free(d);
  diag_free(dg);
  return 0;
}
