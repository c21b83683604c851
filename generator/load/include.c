/* include.c — see include.h. */
#include "include.h"
#include "safepath.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  char *orig;
  int from, n, orig_line;
} line_range;

typedef struct {
  const char *root;
  vk_doc *d;
  diag *dg;
  sbuf out;
  int out_line; /* the body line (as md_parse counts: from d->body_line) written next */
  const char *stack[INCLUDE_MAX_DEPTH + 1]; /* content-relative paths being expanded */
  int depth;
  bool ok, any;
  line_range *ranges;
  size_t n_ranges;
} expander;

static bool is_blank(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\r';
}

/* `{{< include PATH >}}` alone on the line [p, end): PATH and the column. */
static bool shortcode(const char *p, const char *end, const char **path, size_t *len, int *col) {
  const char *s = p;
  while (s < end && is_blank(*s))
    s++;
  *col = (int)(s - p) + 1;
  static const char open[] = "{{<", word[] = "include";
  if ((size_t)(end - s) < sizeof open - 1 || memcmp(s, open, sizeof open - 1) != 0)
    return false;
  s += sizeof open - 1;
  while (s < end && is_blank(*s))
    s++;
  if ((size_t)(end - s) < sizeof word - 1 || memcmp(s, word, sizeof word - 1) != 0)
    return false;
  s += sizeof word - 1;
  if (s == end || !is_blank(*s))
    return false;
  while (s < end && is_blank(*s))
    s++;
  const char *e = s;
  while (e < end && !is_blank(*e) && *e != '\n' && *e != '>')
    e++;
  const char *q = e;
  while (q < end && is_blank(*q))
    q++;
  if (e == s || (size_t)(end - q) < 3 || memcmp(q, ">}}", 3) != 0)
    return false;
  for (q += 3; q < end && (is_blank(*q) || *q == '\n'); q++)
    ;
  if (q != end)
    return false;
  if (e - s >= 2 && *s == '"' && e[-1] == '"') {
    s++;
    e--;
  }
  *path = s;
  *len = (size_t)(e - s);
  return *len > 0;
}

/* A line opening or closing a fenced code block (``` or ~~~). */
static bool is_fence(const char *p, const char *end) {
  for (int i = 0; i < 3 && p < end && *p == ' '; i++)
    p++;
  return end - p >= 3 && (memcmp(p, "```", 3) == 0 || memcmp(p, "~~~", 3) == 0);
}

/* Content-relative path of `target` written in the file `from` (itself
 * content-relative), or NULL when it climbs out of the content folder. */
static char *resolve(const char *from, const char *target) {
  sbuf whole = {0};
  if (*target != '/') {
    const char *slash = strrchr(from, '/');
    if (slash)
      sbuf_putn(&whole, from, (size_t)(slash - from + 1));
  }
  sbuf_puts(&whole, target);
  vec parts = {0};
  bool outside = false;
  for (char *seg = whole.s, *next; seg && !outside; seg = next) {
    next = strchr(seg, '/');
    if (next)
      *next++ = 0;
    if (!*seg)
      continue;
    if (strcmp(seg, "..") == 0) {
      if (parts.n == 0)
        outside = true;
      else
        parts.n--;
    } else if (strcmp(seg, ".") != 0) {
      vec_push(&parts, seg);
    }
  }
  sbuf out = {0};
  for (size_t i = 0; !outside && i < parts.n; i++)
    sbuf_printf(&out, "%s%s", i ? "/" : "", (char *)parts.items[i]);
  vec_free(&parts);
  sbuf_free(&whole);
  if (outside || !out.s) {
    sbuf_free(&out);
    return NULL;
  }
  return sbuf_take(&out);
}

static void add_range(expander *x, const char *orig, int from, int orig_line) {
  int n = x->out_line - from;
  if (n <= 0 || (strcmp(orig, x->d->srcpath) == 0 && from == orig_line))
    return;
  x->ranges = xrealloc(x->ranges, (x->n_ranges + 1) * sizeof *x->ranges);
  x->ranges[x->n_ranges++] = (line_range){xstrdup(orig), from, n, orig_line};
}

static void expand_text(expander *x, const char *text, size_t len, const char *rel, const char *src,
                        int first_line);

static bool on_stack(const expander *x, const char *rel) {
  for (int i = 0; i < x->depth; i++)
    if (strcmp(x->stack[i], rel) == 0)
      return true;
  return false;
}

static void include_error(expander *x, const char *src, int line, int col, const char *msg,
                          const char *target) {
  if (x->out.len > INCLUDE_MAX_BYTES && !x->ok)
    return; /* one message for a runaway expansion */
  diag_error(x->dg, src, line, col, "include '%s' %s", target, msg);
  x->ok = false;
}

/* Reads the file `rel` and expands it in place of the include line. */
static void include_file(expander *x, const char *rel, const char *src, int line, int col,
                         const char *target) {
  char *full = path_join(x->root, rel);
  size_t len = 0;
  size_t bad;
  safepath_status st;
  char *text = safepath_read(x->root, full, &len, &st);
  const char *t = text;
  if (text && len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0) {
    t += 3;
    len -= 3;
  }
  if (st == SAFEPATH_OUTSIDE)
    include_error(x, src, line, col,
                  "is a link to a file outside the content folder — copy the file into the "
                  "content folder (e.g. delar/) instead of linking to it",
                  target);
  else if (!text)
    include_error(x, src, line, col,
                  "not found — create the file or fix the path (it is relative to this file; "
                  "/delar/NAME.md means the content folder's delar/)",
                  target);
  else if (!utf8_valid(t, len, &bad))
    include_error(x, src, line, col, "is not valid UTF-8 text — save the included file as UTF-8",
                  target);
  else if (len >= 3 && memcmp(t, "---", 3) == 0 && (len == 3 || t[3] == '\n' || t[3] == '\r'))
    include_error(x, src, line, col,
                  "has front matter, so it is a document — an included file holds only "
                  "Markdown; remove its `---` block and keep it in delar/",
                  target);
  else {
    vec_push(&x->d->includes, xstrdup(rel));
    x->stack[x->depth++] = rel;
    expand_text(x, t, len, rel, full, 1);
    x->depth--;
  }
  free(text);
  free(full);
}

static void include_one(expander *x, const char *from, const char *src, int line, int col,
                        const char *path, size_t plen) {
  char *target = xstrndup(path, plen);
  char *rel = resolve(from, target);
  if (!rel)
    include_error(x, src, line, col,
                  "leads outside the content folder — put the shared text in the content "
                  "folder (e.g. delar/) and include it from there",
                  target);
  else if (on_stack(x, rel))
    include_error(x, src, line, col,
                  "includes a file that is already being included (a cycle) — remove one of "
                  "the includes",
                  target);
  else if (x->depth >= INCLUDE_MAX_DEPTH)
    include_error(x, src, line, col, "nests includes too deeply — include fewer levels", target);
  else if (x->out.len > INCLUDE_MAX_BYTES)
    include_error(x, src, line, col,
                  "makes the document longer than the 4 MB allowed — include less, or "
                  "split the document",
                  target);
  else
    include_file(x, rel, src, line, col, target);
  free(rel);
  free(target);
}

static void expand_text(expander *x, const char *text, size_t len, const char *rel, const char *src,
                        int first_line) {
  const char *p = text, *end = text + len;
  int line = first_line, run_out = x->out_line, run_src = line;
  bool fenced = false;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl + 1 : end;
    const char *path;
    size_t plen;
    int col;
    if (!fenced && shortcode(p, le, &path, &plen, &col)) {
      x->any = true;
      add_range(x, src, run_out, run_src);
      include_one(x, rel, src, line, col, path, plen);
      run_out = x->out_line;
      run_src = line + 1;
    } else {
      if (is_fence(p, le))
        fenced = !fenced;
      sbuf_putn(&x->out, p, (size_t)(le - p));
      if (!nl)
        sbuf_putc(&x->out, '\n');
      x->out_line++;
    }
    p = le;
    line++;
  }
  add_range(x, src, run_out, run_src);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_unique(vec *v) {
  vk_sort(v->items, v->n, sizeof(char *), cmp_str);
  size_t kept = 0;
  for (size_t i = 0; i < v->n; i++) {
    if (kept && strcmp(v->items[kept - 1], v->items[i]) == 0)
      free(v->items[i]);
    else
      v->items[kept++] = v->items[i];
  }
  v->n = kept;
}

bool include_expand(const char *root, vk_doc *d, diag *dg) {
  if (!d->body || !strstr(d->body, "{{<"))
    return true;
  expander x = {.root = root, .d = d, .dg = dg, .out_line = d->body_line, .ok = true};
  x.stack[x.depth++] = d->path;
  expand_text(&x, d->body, d->body_len, d->path, d->srcpath, d->body_line);
  if (x.any) { /* a body without includes stays byte for byte as written */
    free(d->body);
    d->body_len = x.out.len;
    d->body = sbuf_take(&x.out);
    sort_unique(&d->includes);
    for (size_t i = 0; i < x.n_ranges; i++)
      diag_origin(dg, d->srcpath, x.ranges[i].from, x.ranges[i].n, x.ranges[i].orig,
                  x.ranges[i].orig_line);
  }
  for (size_t i = 0; i < x.n_ranges; i++)
    free(x.ranges[i].orig);
  free(x.ranges);
  sbuf_free(&x.out);
  return x.ok;
}
