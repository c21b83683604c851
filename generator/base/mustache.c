/* mustache.c — see mustache.h.
 *
 * Compilation scans for the current opening delimiter, classifies the tag,
 * and decides whether it stands alone on its line (only whitespace around
 * it, and a tag kind that may be standalone: section, inverted, closing,
 * comment, partial, delimiter change). A standalone tag takes its whole
 * line with it, newline included; a standalone partial remembers the
 * whitespace before it as the indentation of every line it renders.
 */
#include "mustache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { MU_TEXT, MU_VAR, MU_RAW, MU_SECTION, MU_INVERTED, MU_PARTIAL } mu_kind;

typedef struct {
  mu_kind kind;
  char *text; /* literal text, or the tag's name (NUL-terminated) */
  size_t len;
  char *indent; /* partial: indentation of a standalone partial, or NULL */
  size_t end;   /* section: index just past its last child */
} mu_node;

typedef struct {
  char *indent;
  mu_template *tpl;
} indented;

struct mu_template {
  char *name;
  char *src; /* kept to re-indent the template when it is a standalone partial */
  size_t src_len;
  mu_node *nodes;
  size_t n, cap;
  pthread_mutex_t lock; /* guards the cache below */
  indented *cache;
  size_t n_cache;
};

/* ---- compiling --------------------------------------------------------- */

#define MAX_SECTION_DEPTH 100

typedef struct {
  const char *src;
  size_t len;
  const char *name;
  diag *dg;
  char open[16], close[16];
  size_t olen, clen;
  mu_template *t;
  size_t stack[MAX_SECTION_DEPTH];
  size_t depth;
  size_t boundary; /* text nodes before this index belong to a closed section */
  bool failed;
} compiler;

static void position(const char *src, size_t off, int *line, int *col) {
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < off; i++) {
    if (src[i] == '\n') {
      (*line)++;
      *col = 1;
    } else {
      (*col)++;
    }
  }
}

static void fail(compiler *c, size_t off, const char *msg, const char *hint) {
  int line, col;
  position(c->src, off, &line, &col);
  diag_error(c->dg, c->name, line, col, "%s — %s", msg, hint);
  c->failed = true;
}

static mu_node *push_node(mu_template *t, mu_kind kind, const char *text, size_t len) {
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 32;
    t->nodes = xrealloc(t->nodes, t->cap * sizeof *t->nodes);
  }
  mu_node *n = &t->nodes[t->n++];
  *n = (mu_node){kind, xstrndup(text, len), len, NULL, 0};
  return n;
}

static void emit_text(compiler *c, size_t from, size_t to) {
  if (to <= from)
    return;
  mu_template *t = c->t;
  /* Adjacent text (left by comments and standalone tags) is merged. */
  if (t->n > c->boundary && t->nodes[t->n - 1].kind == MU_TEXT) {
    mu_node *last = &t->nodes[t->n - 1];
    last->text = xrealloc(last->text, last->len + (to - from) + 1);
    memcpy(last->text + last->len, c->src + from, to - from);
    last->len += to - from;
    last->text[last->len] = 0;
    return;
  }
  push_node(t, MU_TEXT, c->src + from, to - from);
}

static bool is_blank(char ch) {
  return ch == ' ' || ch == '\t';
}

/* Finds `needle` in src[from..len). */
static size_t find(const compiler *c, size_t from, const char *needle, size_t nlen) {
  if (nlen == 0 || from > c->len)
    return (size_t)-1;
  for (size_t i = from; i + nlen <= c->len; i++)
    if (c->src[i] == needle[0] && memcmp(c->src + i, needle, nlen) == 0)
      return i;
  return (size_t)-1;
}

/* Trims spaces around a tag's content. */
static void trim(const char *s, size_t *from, size_t *to) {
  while (*from < *to && (is_blank(s[*from]) || s[*from] == '\n' || s[*from] == '\r'))
    (*from)++;
  while (*to > *from && (is_blank(s[*to - 1]) || s[*to - 1] == '\n' || s[*to - 1] == '\r'))
    (*to)--;
}

static void set_delimiters(compiler *c, size_t at, const char *s, size_t len) {
  /* "<% %>": two non-empty words without '=' or whitespace inside. */
  size_t i = 0;
  while (i < len && !is_blank(s[i]))
    i++;
  size_t j = i;
  while (j < len && is_blank(s[j]))
    j++;
  size_t ol = i, cl = len - j;
  if (ol == 0 || cl == 0 || ol >= sizeof c->open || cl >= sizeof c->close ||
      memchr(s + j, ' ', cl) || memchr(s, '=', ol) || memchr(s + j, '=', cl)) {
    fail(c, at, "invalid delimiters", "write them as {{=<% %>=}}");
    return;
  }
  memcpy(c->open, s, ol);
  c->open[ol] = 0;
  c->olen = ol;
  memcpy(c->close, s + j, cl);
  c->close[cl] = 0;
  c->clen = cl;
}

static void open_section(compiler *c, size_t at, mu_kind kind, const char *name, size_t len) {
  if (c->depth == MAX_SECTION_DEPTH) {
    fail(c, at, "sections nested too deep", "nest fewer than 100 sections");
    return;
  }
  push_node(c->t, kind, name, len);
  c->stack[c->depth++] = c->t->n - 1;
}

static void close_section(compiler *c, size_t at, const char *name, size_t len) {
  if (c->depth == 0) {
    fail(c, at, "closing tag without an open section", "remove it or add the opening {{#…}}");
    return;
  }
  mu_node *open = &c->t->nodes[c->stack[c->depth - 1]];
  if (open->len != len || memcmp(open->text, name, len) != 0) {
    char *msg = xasprintf("closing tag '%.*s' does not match the open section '%s'", (int)len, name,
                          open->text);
    fail(c, at, msg, "close the inner section first");
    free(msg);
    return;
  }
  open->end = c->t->n;
  c->boundary = c->t->n;
  c->depth--;
}

/* One tag at src[at] (the opening delimiter); text before it starts at
 * *text_start. Returns the position after the tag, or (size_t)-1 after an
 * error. */
static size_t compile_tag(compiler *c, size_t at, size_t *text_start) {
  size_t q = at + c->olen;
  char type = 0;
  if (strcmp(c->open, "{{") == 0 && q < c->len && c->src[q] == '{') {
    type = '{';
    q++;
  } else if (q < c->len && c->src[q] && strchr("#^/!>&=", c->src[q])) {
    type = c->src[q++];
  }
  char closer[20];
  snprintf(closer, sizeof closer, "%s%s", type == '{' ? "}" : type == '=' ? "=" : "", c->close);
  size_t cl = strlen(closer);
  size_t end = find(c, q, closer, cl);
  if (end == (size_t)-1) {
    fail(c, at, "unclosed tag", "add the closing delimiter");
    return (size_t)-1;
  }
  size_t from = q, to = end;
  trim(c->src, &from, &to);
  size_t after = end + cl;

  /* Standalone: only whitespace before it on its line, and after it up to
   * the end of the line. Its whole line then disappears. */
  size_t ls = at;
  while (ls > 0 && c->src[ls - 1] != '\n')
    ls--;
  bool standalone = type && strchr("#^/!>=", type);
  for (size_t i = ls; standalone && i < at; i++)
    standalone = is_blank(c->src[i]);
  size_t eol = after;
  while (standalone && eol < c->len && c->src[eol] != '\n') {
    char ch = c->src[eol];
    if (!(is_blank(ch) || (ch == '\r' && eol + 1 < c->len && c->src[eol + 1] == '\n')))
      standalone = false;
    eol++;
  }
  emit_text(c, *text_start, standalone ? ls : at);
  if (standalone)
    after = eol < c->len ? eol + 1 : c->len;
  *text_start = after;

  const char *name = c->src + from;
  size_t nlen = to - from;
  if (nlen == 0 && type != '!') {
    fail(c, at, "empty tag", "write a name between the delimiters");
    return (size_t)-1;
  }
  switch (type) {
  case '#': open_section(c, at, MU_SECTION, name, nlen); break;
  case '^': open_section(c, at, MU_INVERTED, name, nlen); break;
  case '/': close_section(c, at, name, nlen); break;
  case '!': break;
  case '=': set_delimiters(c, at, name, nlen); break;
  case '>': {
    mu_node *n = push_node(c->t, MU_PARTIAL, name, nlen);
    if (standalone && at > ls)
      n->indent = xstrndup(c->src + ls, at - ls);
    break;
  }
  case '&':
  case '{': push_node(c->t, MU_RAW, name, nlen); break;
  default: push_node(c->t, MU_VAR, name, nlen);
  }
  return c->failed ? (size_t)-1 : after;
}

mu_template *mu_compile(const char *src, size_t len, const char *name, diag *dg) {
  mu_template *t = xcalloc(1, sizeof *t);
  t->name = xstrdup(name ? name : "template");
  t->src = xstrndup(src, len);
  t->src_len = len;
  pthread_mutex_init(&t->lock, NULL);
  compiler c = {.src = t->src, .len = len, .name = t->name, .dg = dg, .t = t};
  strcpy(c.open, "{{");
  strcpy(c.close, "}}");
  c.olen = c.clen = 2;
  size_t pos = 0, text_start = 0;
  for (;;) {
    size_t at = find(&c, pos, c.open, c.olen);
    if (at == (size_t)-1) {
      emit_text(&c, text_start, len);
      break;
    }
    pos = compile_tag(&c, at, &text_start);
    if (pos == (size_t)-1)
      break;
  }
  if (!c.failed && c.depth > 0) {
    /* Point at the section that is still open. */
    const mu_node *open = &t->nodes[c.stack[c.depth - 1]];
    char *msg = xasprintf("section '%s' is never closed", open->text);
    fail(&c, len, msg, "add {{/…}} after its content");
    free(msg);
  }
  if (c.failed) {
    mu_free(t);
    return NULL;
  }
  return t;
}

void mu_free(mu_template *t) {
  if (!t)
    return;
  for (size_t i = 0; i < t->n; i++) {
    free(t->nodes[i].text);
    free(t->nodes[i].indent);
  }
  for (size_t i = 0; i < t->n_cache; i++) {
    free(t->cache[i].indent);
    mu_free(t->cache[i].tpl);
  }
  free(t->cache);
  free(t->nodes);
  free(t->src);
  free(t->name);
  pthread_mutex_destroy(&t->lock);
  free(t);
}

/* ---- rendering --------------------------------------------------------- */

typedef struct {
  const vk_value **items;
  size_t n, cap;
} ctx_stack;

static void ctx_push(ctx_stack *s, const vk_value *v) {
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 16;
    s->items = xrealloc(s->items, s->cap * sizeof *s->items);
  }
  s->items[s->n++] = v;
}

/* The first part of a dotted name is looked up from the top of the stack
 * down; the rest only inside what it found (a broken chain is a miss). */
static const vk_value *lookup(const ctx_stack *s, const char *name) {
  if (strcmp(name, ".") == 0)
    return s->n ? s->items[s->n - 1] : NULL;
  const char *dot = strchr(name, '.');
  size_t first = dot ? (size_t)(dot - name) : strlen(name);
  char key[256];
  if (first >= sizeof key)
    return NULL;
  memcpy(key, name, first);
  key[first] = 0;
  const vk_value *v = NULL;
  for (size_t i = s->n; i-- > 0;) {
    const vk_value *m = s->items[i];
    if (m && m->type == VK_MAP && (v = vk_map_get(m, key)))
      break;
  }
  while (v && dot) {
    const char *part = dot + 1;
    dot = strchr(part, '.');
    size_t plen = dot ? (size_t)(dot - part) : strlen(part);
    if (plen >= sizeof key || v->type != VK_MAP)
      return NULL;
    memcpy(key, part, plen);
    key[plen] = 0;
    v = vk_map_get(v, key);
  }
  return v;
}

static void interpolate(const vk_value *v, bool escape, sbuf *out) {
  if (!v)
    return;
  char num[32];
  const char *s = NULL;
  size_t len = 0;
  switch (v->type) {
  case VK_STRING:
    s = v->u.str.s;
    len = v->u.str.len;
    break;
  case VK_INT:
    len = (size_t)snprintf(num, sizeof num, "%lld", v->u.i);
    s = num;
    break;
  case VK_BOOL:
    s = v->u.b ? "true" : "false";
    len = strlen(s);
    break;
  default: return;
  }
  if (escape)
    html_escape(out, s, len);
  else
    sbuf_putn(out, s, len);
}

/* The template indented for use as a standalone partial: every line of
 * its source gets `indent` in front (not after a final newline). Cached. */
static const mu_template *indented_partial(const mu_template *p, const char *indent) {
  mu_template *m = (mu_template *)p; /* only the cache changes, under its lock */
  pthread_mutex_lock(&m->lock);
  for (size_t i = 0; i < m->n_cache; i++)
    if (strcmp(m->cache[i].indent, indent) == 0) {
      pthread_mutex_unlock(&m->lock);
      return m->cache[i].tpl;
    }
  sbuf src = {0};
  sbuf_puts(&src, indent);
  for (size_t i = 0; i < p->src_len; i++) {
    sbuf_putc(&src, p->src[i]);
    if (p->src[i] == '\n' && i + 1 < p->src_len)
      sbuf_puts(&src, indent);
  }
  diag *dg = diag_new();
  mu_template *t = mu_compile(sbuf_str(&src), src.len, p->name, dg);
  diag_free(dg);
  sbuf_free(&src);
  if (t) {
    m->cache = xrealloc(m->cache, (m->n_cache + 1) * sizeof *m->cache);
    m->cache[m->n_cache++] = (indented){xstrdup(indent), t};
  }
  pthread_mutex_unlock(&m->lock);
  return t;
}

/* Partials that include each other more than once multiply: two
 * self-includes 32 levels deep are 2^32 renders. A render therefore stops
 * after this many node visits or this much output. */
#define MU_MAX_STEPS 5000000L
#define MU_MAX_OUTPUT (64u << 20)

typedef struct {
  mu_partial_fn partials;
  void *ud;
  sbuf *out;
  ctx_stack stack;
  long steps;
  bool text; /* mu_render_text: no escaping */
} renderer;

static void render_range(renderer *r, const mu_template *t, size_t from, size_t to, int depth);

static void render_section(renderer *r, const mu_template *t, size_t i, int depth) {
  const mu_node *n = &t->nodes[i];
  const vk_value *v = lookup(&r->stack, n->text);
  bool truthy = v && vk_truthy(v);
  if (n->kind == MU_INVERTED) {
    if (!truthy)
      render_range(r, t, i + 1, n->end, depth);
    return;
  }
  if (!truthy)
    return;
  if (v->type == VK_LIST) {
    for (size_t k = 0; k < v->u.list.n; k++) {
      ctx_push(&r->stack, v->u.list.items[k]);
      render_range(r, t, i + 1, n->end, depth);
      r->stack.n--;
    }
  } else {
    ctx_push(&r->stack, v);
    render_range(r, t, i + 1, n->end, depth);
    r->stack.n--;
  }
}

static void render_partial(renderer *r, const mu_node *n, int depth) {
  if (!r->partials || depth >= MU_MAX_DEPTH)
    return;
  const mu_template *p = r->partials(r->ud, n->text);
  if (p && n->indent)
    p = indented_partial(p, n->indent);
  if (p)
    render_range(r, p, 0, p->n, depth + 1);
}

static void render_range(renderer *r, const mu_template *t, size_t from, size_t to, int depth) {
  for (size_t i = from; i < to; i++) {
    if (++r->steps > MU_MAX_STEPS || r->out->len > MU_MAX_OUTPUT)
      return;
    const mu_node *n = &t->nodes[i];
    switch (n->kind) {
    case MU_TEXT: sbuf_putn(r->out, n->text, n->len); break;
    case MU_VAR:
    case MU_RAW:
      interpolate(lookup(&r->stack, n->text), n->kind == MU_VAR && !r->text, r->out);
      break;
    case MU_SECTION:
    case MU_INVERTED:
      render_section(r, t, i, depth);
      i = n->end - 1;
      break;
    case MU_PARTIAL: render_partial(r, n, depth); break;
    }
  }
}

void mu_render(const mu_template *t, const vk_value *data, mu_partial_fn partials, void *ud,
               sbuf *out) {
  renderer r = {partials, ud, out, {0}, 0, false};
  ctx_push(&r.stack, data);
  render_range(&r, t, 0, t->n, 0);
  free(r.stack.items);
  /* An empty render still leaves a valid (empty) string. */
  if (!out->s)
    sbuf_puts(out, "");
}

void mu_render_text(const mu_template *t, const vk_value *data, sbuf *out) {
  renderer r = {NULL, NULL, out, {0}, 0, true};
  ctx_push(&r.stack, data);
  render_range(&r, t, 0, t->n, 0);
  free(r.stack.items);
  if (!out->s)
    sbuf_puts(out, "");
}

void mu_bare_names(const mu_template *t, vec *out) {
  for (size_t i = 0; i < t->n; i++) {
    const mu_node *n = &t->nodes[i];
    if (n->kind == MU_SECTION || n->kind == MU_INVERTED)
      i = n->end - 1;
    else if ((n->kind == MU_VAR || n->kind == MU_RAW) && strcmp(n->text, ".") != 0)
      vec_push(out, n->text);
  }
}
