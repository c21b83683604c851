/* fence.c — see fence.h. */
#include "fence.h"

#include "markdown.h"

#include <cmark-gfm-extension_api.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static cmark_syntax_extension *fence_ext;

/* The document being parsed on this thread. */
typedef struct {
  const char *file;
  diag *dg;
} fence_ctx;
static _Thread_local fence_ctx ctx;

/* A fence line: `colons` colons at `start`, then `rest` (rlen bytes, the
 * line end excluded). Blank rest: a closing fence. */
typedef struct {
  int start, colons;
  const char *rest;
  size_t rlen;
  bool closing;
} fence_line;

/* Reads a fence where the line's content starts (after the prefixes of the
 * containers it is in: no indentation of its own, as in pandoc); false for
 * other lines. */
static bool scan_fence(cmark_parser *parser, const unsigned char *input, int len, fence_line *f) {
  int start = cmark_parser_get_first_nonspace(parser);
  if (start != cmark_parser_get_offset(parser))
    return false;
  int n = 0;
  while (start + n < len && input[start + n] == ':')
    n++;
  if (n < 3)
    return false;
  int end = len;
  while (end > start + n && (input[end - 1] == '\n' || input[end - 1] == '\r'))
    end--;
  f->start = start;
  f->colons = n;
  f->rest = (const char *)input + start + n;
  f->rlen = (size_t)(end - start - n);
  f->closing = true;
  for (size_t i = 0; i < f->rlen; i++)
    if (f->rest[i] != ' ' && f->rest[i] != '\t')
      f->closing = false;
  return true;
}

static bool is_container(cmark_node *n) {
  return cmark_node_get_type(n) == CMARK_NODE_CUSTOM_BLOCK &&
         cmark_node_get_syntax_extension(n) == fence_ext;
}

static bool is_marker(cmark_node *n) {
  return cmark_node_get_type(n) == CMARK_NODE_THEMATIC_BREAK &&
         cmark_node_get_syntax_extension(n) == fence_ext;
}

/* The innermost container around `n` (n itself included), or NULL. */
static cmark_node *innermost(cmark_node *n, int *depth) {
  cmark_node *found = NULL;
  *depth = 0;
  for (; n; n = cmark_node_parent(n))
    if (is_container(n)) {
      if (!found)
        found = n;
      ++*depth;
    }
  return found;
}

/* Consumes the rest of the line: what follows the fence is no text. */
static void consume_line(cmark_parser *parser, const unsigned char *input, int len) {
  int left = len - 1 - cmark_parser_get_offset(parser); /* keep the '\n' */
  if (left > 0)
    cmark_parser_advance_offset(parser, (const char *)input, left, 0);
}

/* A marker swallows a fence line. Its node type, a thematic break, is one
 * cmark never marks as ending in a blank line (lists stay tight), and
 * add_child closes a paragraph or list it cannot live in. */
static cmark_node *add_marker(cmark_parser *parser, cmark_node *parent, const fence_line *f,
                              const unsigned char *input, int len) {
  cmark_node *m = cmark_parser_add_child(parser, parent, CMARK_NODE_THEMATIC_BREAK, f->start + 1);
  cmark_node_set_syntax_extension(m, fence_ext);
  consume_line(parser, input, len);
  return m;
}

static cmark_node *close_fence(cmark_parser *parser, cmark_node *parent, const fence_line *f,
                               const unsigned char *input, int len) {
  int line = cmark_parser_get_line_number(parser), depth;
  cmark_node *div = innermost(parent, &depth);
  if (div)
    ((md_attrs *)cmark_node_get_user_data(div))->end_line = line;
  else
    diag_error(ctx.dg, ctx.file, line, f->start + 1,
               "closing ':::' without an open container — remove it or open one with "
               "::: {roles=\"…\"} (in a list item or quote, indent it like the opening fence)");
  return add_marker(parser, parent, f, input, len);
}

/* The attribute a near-miss key was meant to be ("role", "ROLES",
 * "organisations", "format" …), or NULL when the key is no near miss. */
static const char *near_miss(const char *key) {
  static const char *const roles[] = {"roles", "role", "audience", "group", "groups", NULL};
  static const char *const orgs[] = {
      "orgs",         "org",           "organisation",   "organisations",
      "organization", "organizations", "organisationer", NULL};
  static const char *const formats[] = {"formats", "format", "output", "outputs", NULL};
  for (int i = 0; roles[i]; i++)
    if (strcasecmp(key, roles[i]) == 0)
      return "roles";
  for (int i = 0; orgs[i]; i++)
    if (strcasecmp(key, orgs[i]) == 0)
      return "orgs";
  for (int i = 0; formats[i]; i++)
    if (strcasecmp(key, formats[i]) == 0)
      return "formats";
  return NULL;
}

/* Every word of formats= must be an output format. */
static void check_formats(const md_attrs *a, const char *what, const char *file, int line, int col,
                          diag *dg) {
  const char *p = md_attrs_get(a, "formats"), *word;
  size_t len;
  while (p && list_next(&p, &word, &len))
    if (!(len == 4 && memcmp(word, "html", 4) == 0) && !(len == 3 && memcmp(word, "odt", 3) == 0) &&
        !(len == 3 && memcmp(word, "odp", 3) == 0))
      diag_error(dg, file, line, col,
                 "%s formats=\"%s\" names '%.*s', which is no output format — use html, odt "
                 "or odp (separated by spaces or commas)",
                 what, md_attrs_get(a, "formats"), (int)len, word);
}

void fence_check_attrs(const md_attrs *a, const char *what, const char *file, int line, int col,
                       diag *dg) {
  for (size_t i = 0; i < a->keys.n; i++) {
    const char *key = a->keys.items[i], *meant = near_miss(key);
    if (strcmp(key, "roles") == 0 || strcmp(key, "orgs") == 0 || strcmp(key, "formats") == 0 ||
        strncmp(key, "data-", 5) == 0)
      continue;
    if (meant)
      diag_error(dg, file, line, col,
                 "%s attribute '%s=' is not known, so it would restrict nothing — write "
                 "'%s=' (lower case, plural)",
                 what, key, meant);
    else
      diag_error(dg, file, line, col,
                 "%s attribute '%s=' is not known — use roles=, orgs=, formats=, .class, #id, "
                 "or data-NAME= for a value a filter reads",
                 what, key);
  }
  check_formats(a, what, file, line, col, dg);
}

static cmark_node *open_fence(cmark_parser *parser, cmark_node *parent, const fence_line *f,
                              const unsigned char *input, int len) {
  int line = cmark_parser_get_line_number(parser), depth;
  (void)innermost(parent, &depth);
  if (depth >= FENCE_MAX_DEPTH) {
    diag_error(ctx.dg, ctx.file, line, f->start + 1,
               "containers nested more than %d deep — flatten them", FENCE_MAX_DEPTH);
    return add_marker(parser, parent, f, input, len);
  }
  char *err = NULL;
  md_attrs *a = md_attrs_parse(f->rest, f->rlen, &err);
  if (!a) {
    diag_error(ctx.dg, ctx.file, line, f->start + f->colons + 1, "%s", err);
    free(err);
    a = md_attrs_new(); /* keep the structure so that the closing fence matches */
  }
  fence_check_attrs(a, "container", ctx.file, line, f->start + f->colons + 1, ctx.dg);
  a->line = line;
  cmark_node *div = cmark_parser_add_child(parser, parent, CMARK_NODE_CUSTOM_BLOCK, f->start + 1);
  cmark_node_set_syntax_extension(div, fence_ext);
  md_set_attrs(div, a);
  consume_line(parser, input, len);
  return div;
}

/* cmark calls this where no core block starts (and after a paragraph line,
 * which a fence interrupts). */
static cmark_node *try_open(cmark_syntax_extension *ext, int indented, cmark_parser *parser,
                            cmark_node *parent, unsigned char *input, int len) {
  (void)ext;
  fence_line f;
  if (indented || !ctx.dg || !scan_fence(parser, input, len, &f))
    return NULL;
  return f.closing ? close_fence(parser, parent, &f, input, len)
                   : open_fence(parser, parent, &f, input, len);
}

/* An open container takes every line until its closing fence has been
 * seen; a marker takes none. */
static int matches(cmark_syntax_extension *ext, cmark_parser *parser, unsigned char *input, int len,
                   cmark_node *container) {
  (void)ext, (void)parser, (void)input, (void)len;
  if (!is_container(container))
    return 0;
  const md_attrs *a = cmark_node_get_user_data(container);
  return a && a->end_line == 0;
}

/* Like a block quote: any block but a bare list item. */
static int can_contain(cmark_syntax_extension *ext, cmark_node *node, cmark_node_type child) {
  (void)ext;
  return is_container(node) && (child & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK &&
         child != CMARK_NODE_ITEM;
}

cmark_syntax_extension *fence_extension(void) {
  if (fence_ext)
    return fence_ext;
  fence_ext = cmark_syntax_extension_new("vaksam-fenced-div");
  cmark_syntax_extension_set_open_block_func(fence_ext, try_open);
  cmark_syntax_extension_set_match_block_func(fence_ext, matches);
  cmark_syntax_extension_set_can_contain_func(fence_ext, can_contain);
  return fence_ext;
}

void fence_begin(const char *file, diag *dg) {
  ctx.file = file;
  ctx.dg = dg;
}

/* Collects the markers (freed after the walk), reports containers never
 * closed and detaches the extension from the others. */
static void finish_node(cmark_node *n, void *markers) {
  if (is_marker(n)) {
    vec_push(markers, n);
  } else if (is_container(n)) {
    const md_attrs *a = cmark_node_get_user_data(n);
    if (!a->end_line)
      diag_error(ctx.dg, ctx.file, a->line, cmark_node_get_start_column(n),
                 "container opened here is never closed — add a line ':::' after its content");
    cmark_node_set_syntax_extension(n, NULL);
  }
}

void fence_end(cmark_node *root) {
  vec markers = {0};
  md_walk(root, finish_node, &markers);
  for (size_t i = 0; i < markers.n; i++)
    cmark_node_free(markers.items[i]);
  vec_free(&markers);
  ctx.file = NULL;
  ctx.dg = NULL;
}
