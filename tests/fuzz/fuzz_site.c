/* fuzz_site.c — libFuzzer target: site.yaml through site_parse(). */
#include "site.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  diag *dg = diag_new();
  vk_site *s = site_parse((const char *)data, size, "site.yaml", dg);
  site_free(s);
  diag_free(dg);
  return 0;
}
