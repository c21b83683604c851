/* fuzz_containers.c — libFuzzer target: Markdown with fenced containers
 * through md_parse(), then a clone (the per-variant copy) of the tree. */
#include "markdown.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  md_init();
  diag *dg = diag_new();
  cmark_node *t = md_parse((const char *)data, size, 1, "f.md", dg);
  if (t) {
    cmark_node *c = md_clone(t);
    cmark_node_free(c);
    cmark_node_free(t);
  }
  diag_free(dg);
  return 0;
}
