/* assembly.c — see assembly.h. */
#include "assembly.h"
#include "links.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- facts computed once --------------------------------------------- */

static size_t doc_index(const vk_build *b, const vk_doc *d) {
  /* docs are sorted by (kind, id): binary search by that order */
  size_t lo = 0, hi = b->content->n_docs;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const vk_doc *m = b->content->docs[mid];
    int c = m->kind != d->kind ? (m->kind < d->kind ? -1 : 1) : strcmp(m->id, d->id);
    if (c == 0)
      return mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return (size_t)-1;
}

static const vk_doc_facts no_facts = {REVIEW_NONE, {0, 0, 0}, NULL, 0, false};

const vk_doc_facts *build_facts(const vk_build *b, const vk_doc *d) {
  size_t i = doc_index(b, d);
  return i == (size_t)-1 ? &no_facts : &b->facts[i];
}

void build_history(const vk_build *b, const vk_doc *d, const vk_change **out, size_t *n) {
  const vk_doc_facts *f = build_facts(b, d);
  if (f->history && f->n_history) {
    *out = f->history;
    *n = f->n_history;
  } else {
    *out = d->changes;
    *n = d->n_changes;
  }
}

/* ---- output ------------------------------------------------------------ */

static pthread_mutex_t pages_lock = PTHREAD_MUTEX_INITIALIZER;

/* Runs put(path) and, when its folder is missing, creates the folder and
 * runs it again. */
static int with_folder(const char *path, int (*put)(const char *, const void *), const void *arg) {
  if (put(path, arg) == 0)
    return 0;
  if (errno != ENOENT)
    return -1;
  char *dir = xstrdup(path);
  char *slash = strrchr(dir, '/');
  if (slash)
    *slash = 0;
  int rc = mkdir_p(dir) == 0 ? put(path, arg) : -1;
  free(dir);
  return rc;
}

typedef struct {
  const char *data;
  size_t len;
} bytes;

static int put_bytes(const char *path, const void *arg) {
  const bytes *b = arg;
  return write_new_file(path, b->data, b->len);
}

static int put_link(const char *path, const void *arg) {
  return link((const char *)arg, path);
}

int put_file(const char *path, const char *data, size_t len) {
  bytes b = {data, len};
  return with_folder(path, put_bytes, &b);
}

/* A hard link to the previous output's file when it holds the same bytes,
 * else a new file. */
static int place_file(const vk_build *b, const char *rel, const char *path, const char *data,
                      size_t len) {
  if (b->prev) {
    char *old = path_join(b->prev, rel);
    int rc = file_holds(old, data, len) ? with_folder(path, put_link, old) : -1;
    free(old);
    if (rc == 0)
      return 0; /* else (another file system, too many links …) write it */
  }
  return put_file(path, data, len);
}

int build_write(vk_build *b, const char *rel, const char *data, size_t len) {
  if (b->pending) {
    pending_file *p = xmalloc(sizeof *p);
    p->rel = xstrdup(rel);
    p->data = xmalloc(len + 1);
    memcpy(p->data, data, len);
    p->len = len;
    pthread_mutex_lock(&pages_lock);
    vec_push(b->pending, p);
    pthread_mutex_unlock(&pages_lock);
    return 0;
  }
  char *path = path_join(b->tmp, rel);
  int rc = place_file(b, rel, path, data, len);
  if (rc != 0)
    diag_error(b->dg, path, 0, 0, "cannot write the file (%s) — check disk space and permissions",
               strerror(errno));
  size_t site = strlen(LINK_SITE);
  if (rc == 0 && strncmp(rel, LINK_SITE, site) == 0 && str_ends_with(rel + site, ".html") &&
      !strstr(rel, "/bildspel/") && b->site_pages) {
    pthread_mutex_lock(&pages_lock);
    vec_push(b->site_pages, xstrdup(rel + site));
    pthread_mutex_unlock(&pages_lock);
  }
  free(path);
  return rc;
}

bool build_wants_org(const vk_build *b, const vk_org *o) {
  return !b->opts->org || strcmp(b->opts->org, o->id) == 0;
}

bool build_wants_role(const vk_build *b, const vk_role *r) {
  return !b->opts->role || strcmp(b->opts->role, r->id) == 0;
}
