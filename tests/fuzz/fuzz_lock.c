/* fuzz_lock.c — libFuzzer target: versions.lock through lock_parse(). */
#include "review.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  diag *dg = diag_new();
  vk_lock *l = lock_parse((const char *)data, size, "versions.lock", dg);
  lock_free(l);
  diag_free(dg);
  return 0;
}
