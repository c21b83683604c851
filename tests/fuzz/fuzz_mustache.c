/* fuzz_mustache.c — libFuzzer target: a theme template compiled and rendered
 * against a small data tree (a theme is outside input too). */
#include "mustache.h"

#include <stdint.h>

static const mu_template *self(void *ud, const char *name) {
  (void)name;
  return ud;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  diag *dg = diag_new();
  mu_template *t = mu_compile((const char *)data, size, "fuzz", dg);
  if (t) {
    vk_value *v = vk_map();
    vk_value *list = vk_list();
    vk_list_push(list, vk_str("a<b"));
    vk_list_push(list, vk_int(7));
    vk_map_set(v, "items", list);
    vk_map_set(v, "title", vk_str("Titel & \"citat\""));
    vk_map_set(v, "flag", vk_bool(true));
    sbuf out = {0};
    mu_render(t, v, self, t, &out);
    sbuf_free(&out);
    vk_value_free(v);
    mu_free(t);
  }
  diag_free(dg);
  return 0;
}
