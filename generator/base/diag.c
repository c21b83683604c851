/* diag.c — see diag.h. */
#include "diag.h"
#include "util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  diag_level lvl;
  char *file;
  int line, col;
  size_t seq;
  char *msg;
} diag_item;

typedef struct {
  char *file, *orig;
  int from, n, orig_line;
} diag_range;

struct diag {
  pthread_mutex_t lock;
  diag_item *items;
  size_t n, cap, seq;
  diag_range *ranges; /* diag_origin */
  size_t n_ranges;
  int errors, warnings;
  bool strict;
  atomic_bool halted;
};

diag *diag_new(void) {
  diag *d = xcalloc(1, sizeof *d);
  pthread_mutex_init(&d->lock, NULL);
  return d;
}

static void clear_items(diag *d) {
  for (size_t i = 0; i < d->n; i++) {
    free(d->items[i].file);
    free(d->items[i].msg);
  }
  d->n = 0;
}

void diag_free(diag *d) {
  if (!d)
    return;
  clear_items(d);
  free(d->items);
  for (size_t i = 0; i < d->n_ranges; i++) {
    free(d->ranges[i].file);
    free(d->ranges[i].orig);
  }
  free(d->ranges);
  pthread_mutex_destroy(&d->lock);
  free(d);
}

void diag_set_strict(diag *d, bool strict) {
  d->strict = strict;
}

void diag_origin(diag *d, const char *file, int from, int n, const char *orig, int orig_line) {
  pthread_mutex_lock(&d->lock);
  d->ranges = xrealloc(d->ranges, (d->n_ranges + 1) * sizeof *d->ranges);
  d->ranges[d->n_ranges++] = (diag_range){xstrdup(file), xstrdup(orig), from, n, orig_line};
  pthread_mutex_unlock(&d->lock);
}

/* Under the lock: where a position of `file` really came from. */
static void map_origin(const diag *d, const char **file, int *line) {
  if (!*file || *line <= 0)
    return;
  for (size_t i = 0; i < d->n_ranges; i++) {
    const diag_range *r = &d->ranges[i];
    if (*line >= r->from && *line < r->from + r->n && strcmp(r->file, *file) == 0) {
      *line = r->orig_line + (*line - r->from);
      *file = r->orig;
      return;
    }
  }
}

/* Adds msg (owned) unless the same message is there already; `map`: the
 * position may come from an included file (diag_origin). */
static void add_item(diag *d, diag_level lvl, const char *file, int line, int col, char *msg,
                     bool map) {
  pthread_mutex_lock(&d->lock);
  if (map)
    map_origin(d, &file, &line);
  if (lvl == DIAG_WARNING && d->strict)
    lvl = DIAG_ERROR;
  /* The same problem seen by several variants (one per organisation and
   * role) is reported once. */
  for (size_t i = 0; i < d->n; i++) {
    diag_item *it = &d->items[i];
    if (it->lvl == lvl && it->line == line && it->col == col && strcmp(it->msg, msg) == 0 &&
        strcmp(it->file ? it->file : "", file ? file : "") == 0) {
      pthread_mutex_unlock(&d->lock);
      free(msg);
      return;
    }
  }
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 16;
    d->items = xrealloc(d->items, d->cap * sizeof *d->items);
  }
  d->items[d->n++] = (diag_item){lvl, file ? xstrdup(file) : NULL, line, col, d->seq++, msg};
  if (lvl == DIAG_ERROR)
    d->errors++;
  else
    d->warnings++;
  pthread_mutex_unlock(&d->lock);
}

void diag_add(diag *d, diag_level lvl, const char *file, int line, int col, const char *fmt, ...) {
  sbuf b = {0};
  va_list ap;
  va_start(ap, fmt);
  sbuf_vprintf(&b, fmt, ap);
  va_end(ap);
  add_item(d, lvl, file, line, col, sbuf_take(&b), true);
}

diag *diag_new_like(const diag *like) {
  diag *d = diag_new();
  d->strict = like->strict;
  return d;
}

void diag_move(diag *to, diag *from) {
  pthread_mutex_lock(&from->lock);
  for (size_t i = 0; i < from->n_ranges; i++) {
    const diag_range *r = &from->ranges[i];
    diag_origin(to, r->file, r->from, r->n, r->orig, r->orig_line);
  }
  diag_item *items = xmalloc((from->n ? from->n : 1) * sizeof *items);
  if (from->n)
    memcpy(items, from->items, from->n * sizeof *items);
  size_t n = from->n;
  from->n = 0;
  from->errors = from->warnings = 0;
  pthread_mutex_unlock(&from->lock);
  /* already mapped to their origin and, with strict on, raised to errors */
  for (size_t i = 0; i < n; i++) {
    add_item(to, items[i].lvl, items[i].file, items[i].line, items[i].col, items[i].msg, false);
    free(items[i].file);
  }
  free(items);
}

int diag_errors(const diag *d) {
  return d->errors;
}
int diag_warnings(const diag *d) {
  return d->warnings;
}

static int item_cmp(const void *a, const void *b) {
  const diag_item *x = a, *y = b;
  int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
  if (c)
    return c;
  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  if (x->col != y->col)
    return x->col < y->col ? -1 : 1;
  return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

static void format_item(sbuf *b, const diag_item *it) {
  if (it->file) {
    sbuf_puts(b, it->file);
    if (it->line > 0) {
      sbuf_printf(b, ":%d", it->line);
      if (it->col > 0)
        sbuf_printf(b, ":%d", it->col);
    }
    sbuf_puts(b, ": ");
  } else {
    sbuf_puts(b, "vaksam: ");
  }
  sbuf_puts(b, it->lvl == DIAG_ERROR ? "error: " : "warning: ");
  sbuf_puts(b, it->msg);
  sbuf_putc(b, '\n');
}

char *diag_text(const diag *d) {
  diag_item *copy = xmalloc((d->n ? d->n : 1) * sizeof *copy);
  if (d->n)
    memcpy(copy, d->items, d->n * sizeof *copy);
  vk_sort(copy, d->n, sizeof *copy, item_cmp);
  sbuf b = {0};
  for (size_t i = 0; i < d->n; i++)
    format_item(&b, &copy[i]);
  free(copy);
  return sbuf_take(&b);
}

bool diag_halt(diag *d) {
  return !atomic_exchange(&d->halted, true);
}

bool diag_halted(const diag *d) {
  return atomic_load(&((diag *)d)->halted);
}

void diag_flush(diag *d) {
  pthread_mutex_lock(&d->lock);
  atomic_store(&d->halted, false);
  char *text = diag_text(d);
  fputs(text, stderr);
  free(text);
  clear_items(d);
  pthread_mutex_unlock(&d->lock);
}
