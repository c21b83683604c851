/* filecache.c — see filecache.h. */
#include "filecache.h"

#include "util.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  char *rel;
  _Atomic(char *) bytes; /* NULL once taken */
  size_t len;
} entry;

struct vk_filecache {
  entry *items;
  size_t n, cap;
  size_t bytes_kept;
  bool sealed;
};

vk_filecache *filecache_new(void) {
  return xcalloc(1, sizeof(vk_filecache));
}

bool filecache_wants(const vk_filecache *fc, const char *rel, size_t len) {
  return fc && !fc->sealed && str_ends_with(rel, ".md") &&
         fc->bytes_kept + len <= FILECACHE_MAX_BYTES;
}

void filecache_put(vk_filecache *fc, const char *rel, char *bytes, size_t len) {
  if (fc->n == fc->cap) {
    fc->cap = fc->cap ? 2 * fc->cap : 256;
    fc->items = xrealloc(fc->items, fc->cap * sizeof *fc->items);
  }
  entry *e = &fc->items[fc->n++];
  e->rel = xstrdup(rel);
  atomic_init(&e->bytes, bytes);
  e->len = len;
  fc->bytes_kept += len;
}

static int cmp_entry(const void *a, const void *b) {
  return strcmp(((const entry *)a)->rel, ((const entry *)b)->rel);
}

void filecache_seal(vk_filecache *fc) {
  if (fc->n)
    qsort(fc->items, fc->n, sizeof *fc->items, cmp_entry);
  fc->sealed = true;
}

char *filecache_take(vk_filecache *fc, const char *rel, size_t *len) {
  if (!fc || !fc->sealed)
    return NULL;
  size_t lo = 0, hi = fc->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(fc->items[mid].rel, rel);
    if (c == 0) {
      char *bytes = atomic_exchange(&fc->items[mid].bytes, NULL);
      if (bytes && len)
        *len = fc->items[mid].len;
      return bytes;
    }
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

void filecache_free(vk_filecache *fc) {
  if (!fc)
    return;
  for (size_t i = 0; i < fc->n; i++) {
    free(fc->items[i].rel);
    free(atomic_load(&fc->items[i].bytes));
  }
  free(fc->items);
  free(fc);
}
