/* span.c — see span.h. */
#include "span.h"

#include "fence.h"
#include "markdown.h"

#include <stdlib.h>
#include <string.h>

/* Text nodes made here have no source position (cmark has no setter): the
 * file position of their first byte is kept beside them. */
typedef struct {
  const char *file;
  diag *dg;
  cmark_node **node;
  int *line, *col;
  size_t n;
} span_ctx;

static void pos_set(span_ctx *x, cmark_node *n, int line, int col) {
  x->node = xrealloc(x->node, (x->n + 1) * sizeof *x->node);
  x->line = xrealloc(x->line, (x->n + 1) * sizeof *x->line);
  x->col = xrealloc(x->col, (x->n + 1) * sizeof *x->col);
  x->node[x->n] = n;
  x->line[x->n] = line;
  x->col[x->n++] = col;
}

/* Frees a text node, and forgets its position (the address may come back). */
static void pos_free(span_ctx *x, cmark_node *n) {
  for (size_t i = 0; i < x->n; i++)
    if (x->node[i] == n)
      x->node[i] = NULL;
  cmark_node_free(n);
}

/* File line and column of byte `off` of text node n (column 0: unknown). */
static int pos_of(const span_ctx *x, cmark_node *n, size_t off, int *line) {
  for (size_t i = x->n; i-- > 0;)
    if (x->node[i] == n) {
      *line = x->line[i];
      return x->col[i] > 0 ? x->col[i] + (int)off : 0;
    }
  *line = cmark_node_get_start_line(n);
  int c = cmark_node_get_start_column(n);
  return c > 0 ? c + (int)off : 0;
}

/* The '}' closing the attribute list that starts at s ('{'), skipping
 * quoted values; NULL when there is none. */
static const char *attr_end(const char *s) {
  char quote = 0;
  for (const char *p = s + 1; *p; p++) {
    if (quote) {
      if (*p == quote)
        quote = 0;
    } else if (*p == '"' || *p == '\'') {
      quote = *p;
    } else if (*p == '}') {
      return p;
    }
  }
  return NULL;
}

/* Offset of the unmatched '[' in lit[0..end), scanning back; *depth carries
 * the ']' seen so far across nodes. -1 when none. */
static long find_open(const char *lit, size_t end, int *depth) {
  for (size_t i = end; i-- > 0;) {
    if (lit[i] == ']')
      ++*depth;
    else if (lit[i] == '[' && (*depth)-- == 0)
      return (long)i;
  }
  return -1;
}

static bool restricts(const md_attrs *a) {
  return a && (md_attrs_get(a, "roles") || md_attrs_get(a, "orgs") || md_attrs_get(a, "formats"));
}

static cmark_node *text_node(const char *s, size_t n) {
  cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
  char *lit = xstrndup(s, n);
  cmark_node_set_literal(t, lit);
  free(lit);
  return t;
}

/* Attributes that would restrict text but belong to no span. */
static void report_stray(span_ctx *x, cmark_node *n, size_t off, const char *brace, size_t len,
                         bool after_link) {
  char *err = NULL;
  md_attrs *a = md_attrs_parse(brace, len, &err);
  int line, col = pos_of(x, n, off, &line);
  if (restricts(a))
    diag_error(x->dg, x->file, line, col,
               after_link ? "'%.*s' follows a link, and a link takes no conditions, so the text "
                            "would be shown to everyone — wrap it: [[text](url)]{…} (a [text] "
                            "that names a reference definition is a link too: rename one)"
                          : "'%.*s' follows a ']' without its '[' in the same paragraph (or "
                            "emphasis), so the text would be shown to everyone — put the "
                            "span's text in [brackets]",
               (int)len, brace);
  md_attrs_free(a);
  free(err);
}

/* Makes the span from '[' at `a` in node `open` to ']' at `q` in node `close`
 * (attributes up to `end`); returns the text node after it. */
static cmark_node *make_span(span_ctx *x, cmark_node *open, size_t a, cmark_node *close, size_t q,
                             size_t end) {
  char *olit = xstrdup(cmark_node_get_literal(open)),
       *clit = xstrdup(cmark_node_get_literal(close));
  char *err = NULL;
  md_attrs *at = md_attrs_parse(clit + q + 1, end - q, &err);
  int line, col = pos_of(x, open, a, &line), cline, ccol = pos_of(x, close, end + 1, &cline);
  if (!at) {
    diag_error(x->dg, x->file, line, col, "%s", err);
    free(err);
    at = md_attrs_new(); /* a span that restricts nothing: the text stays */
  }
  fence_check_attrs(at, "span", x->file, line, col, x->dg);
  at->line = line;
  at->col = col;
  cmark_node *span = md_new_span(at);
  if (!(open == close ? cmark_node_insert_after(open, span)
                      : cmark_node_insert_before(close, span))) {
    /* cmark-gfm refused the span here (markdown.c lets every inline parent
     * hold one); say so and leave the text as it is, rather than lose it. */
    diag_error(x->dg, x->file, line, col,
               "a bracketed span cannot stand inside %s — move it out or remove the {…}",
               cmark_node_get_type_string(cmark_node_parent(close)));
    cmark_node_free(span);
    free(olit);
    free(clit);
    return cmark_node_next(close);
  }
  if (open == close) {
    if (q > a + 1)
      cmark_node_append_child(span, text_node(olit + a + 1, q - a - 1));
  } else {
    if (olit[a + 1])
      cmark_node_append_child(span, text_node(olit + a + 1, strlen(olit + a + 1)));
    for (cmark_node *c = cmark_node_next(open), *next; c != span; c = next) {
      next = cmark_node_next(c);
      cmark_node_append_child(span, c);
    }
    if (q > 0)
      cmark_node_append_child(span, text_node(clit, q));
    pos_free(x, close);
  }
  cmark_node *after = text_node(clit + end + 1, strlen(clit + end + 1));
  cmark_node_insert_after(span, after);
  pos_set(x, after, cline, ccol);
  olit[a] = 0;
  if (*olit)
    cmark_node_set_literal(open, olit);
  else
    pos_free(x, open);
  free(olit);
  free(clit);
  return after;
}

/* The '[' for a ']' at q in text node c: in c or a text node before it. */
static cmark_node *opener(cmark_node *c, size_t q, size_t *at) {
  int depth = 0;
  long off = find_open(cmark_node_get_literal(c), q, &depth);
  for (cmark_node *p = c; off < 0 && (p = cmark_node_previous(p));)
    if (md_type_of(p) == MD_TEXT) {
      const char *lit = cmark_node_get_literal(p);
      if ((off = find_open(lit, strlen(lit), &depth)) >= 0)
        c = p;
    }
  *at = off >= 0 ? (size_t)off : 0;
  return off >= 0 ? c : NULL;
}

static void spans_in(span_ctx *x, cmark_node *parent) {
  cmark_node *c = cmark_node_first_child(parent);
  size_t from = 0;
  while (c) {
    const char *lit = md_type_of(c) == MD_TEXT ? cmark_node_get_literal(c) : NULL;
    cmark_node *prev = cmark_node_previous(c);
    if (lit && from == 0 && lit[0] == '{' && prev &&
        (md_type_of(prev) == MD_LINK || md_type_of(prev) == MD_IMAGE)) {
      const char *e = attr_end(lit);
      if (e)
        report_stray(x, c, 0, lit, (size_t)(e - lit + 1), true);
    }
    const char *q = lit ? strstr(lit + from, "]{") : NULL, *e = q ? attr_end(q + 1) : NULL;
    if (q && !e && strchr(q, '=')) {
      int line, col = pos_of(x, c, (size_t)(q - lit) + 1, &line);
      diag_error(x->dg, x->file, line, col,
                 "span attributes '%s' are not closed — close the quote and end them with '}' "
                 "on the same line",
                 q + 1);
    }
    if (!e) {
      c = cmark_node_next(c);
      from = 0;
      continue;
    }
    size_t a, qo = (size_t)(q - lit), eo = (size_t)(e - lit);
    cmark_node *open = opener(c, qo, &a);
    if (!open) {
      report_stray(x, c, qo + 1, q + 1, eo - qo, false);
      from = eo + 1;
      continue;
    }
    c = make_span(x, open, a, c, qo, eo);
    from = 0;
  }
}

/* Nodes whose children are inlines. */
static void collect(cmark_node *n, void *out) {
  cmark_node *first = cmark_node_first_child(n);
  if (first && !md_is_block(first))
    vec_push(out, n);
}

void span_parse(cmark_node *root, const char *file, diag *dg) {
  span_ctx x = {file, dg, NULL, NULL, NULL, 0};
  cmark_consolidate_text_nodes(root);
  vec parents = {0};
  md_walk(root, collect, &parents);
  for (size_t i = 0; i < parents.n; i++)
    spans_in(&x, parents.items[i]);
  vec_free(&parents);
  free(x.node);
  free(x.line);
  free(x.col);
}
