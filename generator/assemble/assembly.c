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

/* Test hook (build.h): VAKSAM_TEST_FAIL_WRITE=<rel> makes writing that
 * file fail as a full disk would. */
static bool fail_hook(const char *rel) {
  const char *f = getenv("VAKSAM_TEST_FAIL_WRITE");
  return f && strcmp(f, rel) == 0;
}

/* Writes one file now; a failure is reported with its path. */
static int write_now(vk_build *b, const char *rel, const char *data, size_t len) {
  char *path = path_join(b->tmp, rel);
  int rc = -1;
  if (fail_hook(rel))
    errno = ENOSPC;
  else
    rc = place_file(b, rel, path, data, len);
  if (rc != 0) {
    diag_error(b->dg, path, 0, 0, "cannot write the file (%s) — check disk space and permissions",
               strerror(errno));
    atomic_fetch_add(&b->write_errors, 1);
  }
  free(path);
  return rc;
}

typedef struct out_file {
  struct out_file *next;
  char *rel, *data;
  size_t len;
} out_file;

struct vk_writer {
  pthread_mutex_t lock;
  pthread_cond_t more; /* a file was queued, or the queue was closed */
  out_file *head, *tail;
  size_t bytes, cap;
  bool closed;
};

vk_writer *writer_new(size_t cap) {
  vk_writer *w = xcalloc(1, sizeof *w);
  pthread_mutex_init(&w->lock, NULL);
  pthread_cond_init(&w->more, NULL);
  w->cap = cap;
  return w;
}

/* The oldest queued file, taken out of the queue; NULL when it is empty.
 * Called with w->lock held. */
static out_file *take(vk_writer *w) {
  out_file *f = w->head;
  if (f) {
    w->head = f->next;
    if (!w->head)
      w->tail = NULL;
    w->bytes -= f->len;
  }
  return f;
}

static void write_out(vk_build *b, out_file *f) {
  write_now(b, f->rel, f->data, f->len);
  free(f->rel);
  free(f->data);
  free(f);
}

void writer_serve(vk_build *b) {
  vk_writer *w = b->writer;
  pthread_mutex_lock(&w->lock);
  for (;;) {
    out_file *f = take(w);
    if (f) {
      pthread_mutex_unlock(&w->lock);
      write_out(b, f);
      pthread_mutex_lock(&w->lock);
    } else if (w->closed) {
      break;
    } else {
      pthread_cond_wait(&w->more, &w->lock);
    }
  }
  pthread_mutex_unlock(&w->lock);
}

void writer_close(vk_writer *w) {
  pthread_mutex_lock(&w->lock);
  w->closed = true;
  pthread_cond_broadcast(&w->more);
  pthread_mutex_unlock(&w->lock);
}

void writer_free(vk_writer *w) {
  if (!w)
    return;
  out_file *f;
  while ((f = take(w))) { /* none: every server drains the queue before it returns */
    free(f->rel);
    free(f->data);
    free(f);
  }
  pthread_cond_destroy(&w->more);
  pthread_mutex_destroy(&w->lock);
  free(w);
}

/* A copy of a file's bytes (one spare byte, so that an empty file is not
 * a NULL pointer). */
static char *dup_bytes(const char *data, size_t len) {
  char *c = xmalloc(len + 1);
  memcpy(c, data, len);
  return c;
}

/* Queues a copy of the file; while the queue is full the producer writes
 * the oldest queued file itself. */
static void enqueue(vk_build *b, const char *rel, const char *data, size_t len) {
  vk_writer *w = b->writer;
  out_file *f = xmalloc(sizeof *f);
  f->next = NULL;
  f->rel = xstrdup(rel);
  f->data = dup_bytes(data, len);
  f->len = len;
  pthread_mutex_lock(&w->lock);
  while (w->head && w->bytes + len > w->cap) {
    out_file *old = take(w);
    pthread_mutex_unlock(&w->lock);
    write_out(b, old);
    pthread_mutex_lock(&w->lock);
  }
  if (w->tail)
    w->tail->next = f;
  else
    w->head = f;
  w->tail = f;
  w->bytes += len;
  pthread_cond_signal(&w->more);
  pthread_mutex_unlock(&w->lock);
}

int build_write(vk_build *b, const char *rel, const char *data, size_t len) {
  if (b->pending) {
    pending_file *p = xmalloc(sizeof *p);
    p->rel = xstrdup(rel);
    p->data = dup_bytes(data, len);
    p->len = len;
    pthread_mutex_lock(&pages_lock);
    vec_push(b->pending, p);
    pthread_mutex_unlock(&pages_lock);
    return 0;
  }
  int rc = 0;
  if (b->writer)
    enqueue(b, rel, data, len);
  else
    rc = write_now(b, rel, data, len);
  size_t site = strlen(LINK_SITE);
  if (rc == 0 && strncmp(rel, LINK_SITE, site) == 0 && str_ends_with(rel + site, ".html") &&
      !strstr(rel, "/bildspel/") && b->site_pages) {
    pthread_mutex_lock(&pages_lock);
    vec_push(b->site_pages, xstrdup(rel + site));
    pthread_mutex_unlock(&pages_lock);
  }
  return rc;
}

bool build_wants_org(const vk_build *b, const vk_org *o) {
  return !b->opts->org || strcmp(b->opts->org, o->id) == 0;
}

bool build_wants_role(const vk_build *b, const vk_role *r) {
  return !b->opts->role || strcmp(b->opts->role, r->id) == 0;
}
