/* fuzz_filter.c — libFuzzer target: the Lua bridge with filters that return
 * random and wrong-typed values (see filter_gen.h). Every run must end in
 * an error or a tree the HTML writer can render; ASan/UBSan and the leak
 * checker catch the rest. Crashers go to tests/data/fuzz-crashers/filter/,
 * which tests/unit/test_filter.c replays. */
#include "content.h"
#include "document.h"
#include "filter.h"
#include "filter_gen.h"
#include "html.h"
#include "markdown.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];
static vk_content *content;
static vk_doc *doc;

static void setup(void) {
  strcpy(dir, "/tmp/vaksam-fuzz-filter-XXXXXX");
  if (!mkdtemp(dir))
    abort();
  md_init();
  char *p = xasprintf("%s/filters", dir);
  mkdir_p(p);
  free(p);
  p = xasprintf("%s/site.yaml", dir);
  const char *y = "title: T\nbase_url: https://t/\nfilters: [fuzz.lua]\norganisations:\n"
                  "  - {id: k, name: K, variables: {incident_system: KIA}}\n"
                  "roles:\n  - {id: chef, name: Chef, can: [handledning, granskning]}\n";
  write_file(p, y, strlen(y));
  free(p);
  diag *dg = diag_new();
  content = document_load(dir, NULL, dg);
  if (!content)
    abort();
  doc = document_from_text(fg_document, sizeof fg_document - 1, "cases/x.md", "content/cases/x.md",
                           content->site, dg);
  if (!doc)
    abort();
  diag_free(dg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!content)
    setup();
  char *src = fg_filter(data, size);
  char *path = xasprintf("%s/filters/fuzz.lua", dir);
  write_file(path, src, strlen(src));
  free(path);
  free(src);
  diag *dg = diag_new();
  vk_filters *f = filters_new(content, content->site->orgs[0], content->site->roles[0], "html", dg);
  if (f) {
    cmark_node *tree = md_clone(doc->tree);
    int rc = filters_run(f, doc, &tree, dg);
    if (rc == 0 && cmark_node_get_type(tree) != CMARK_NODE_DOCUMENT)
      abort(); /* a run that succeeds leaves a document */
    if (rc != 0 && diag_errors(dg) == 0)
      abort(); /* a run that fails says why */
    sbuf out = {0};
    html_opts o = {0};
    html_render(tree, &o, &out);
    sbuf_free(&out);
    cmark_node_free(tree);
    filters_free(f);
  }
  diag_free(dg);
  return 0;
}
