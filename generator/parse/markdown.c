/* markdown.c — see markdown.h. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "markdown.h"

#include "fence.h"
#include "span.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exported by libcmark-gfm-extensions, not declared in its public header. */
extern cmark_node_type CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW, CMARK_NODE_TABLE_CELL,
    CMARK_NODE_STRIKETHROUGH;

static cmark_syntax_extension *ext_table, *ext_strike, *ext_autolink, *ext_tasklist;
static cmark_llist *ext_list;

#define MD_OPTIONS (CMARK_OPT_DEFAULT)

/* cmark-gfm keeps the characters that make its inline parser ask the
 * extensions (':' and 'w' for autolinks, '~', '|') in one process-wide
 * table, which every parse switches on when its inline pass begins and off
 * when it ends (cmark_manage_extensions_special_characters, called through
 * the library's PLT). With parses on several threads, one parse ending
 * turned them off under another still running: its URLs stayed plain text,
 * its ~~strikethrough~~ literal (cmark-gfm issue 221). This definition
 * takes the library's place: the first parse to begin switches the
 * characters on, the last to end switches them off. That is right because
 * every parser here attaches the same extensions (md_parse).
 * test_markdown's parallel case fails if the library stops calling it. */
static pthread_mutex_t inline_pass_lock = PTHREAD_MUTEX_INITIALIZER;
static int inline_passes;
static void (*library_manage_chars)(cmark_parser *, int);

/* Found on first use rather than in md_init: any cmark parse in the process
 * (a unit test, a tool that never called md_init) comes through here. The
 * caller holds inline_pass_lock. */
static void find_library_manage_chars(void) {
  if (library_manage_chars)
    return;
  library_manage_chars =
      (void (*)(cmark_parser *, int))dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters");
  if (!library_manage_chars) { /* a libcmark-gfm without it cannot parse inlines at all */
    fputs("vaksam: libcmark-gfm lacks cmark_manage_extensions_special_characters — install "
          "the cmark-gfm vaksam was built against\n",
          stderr);
    exit(2);
  }
}

void cmark_manage_extensions_special_characters(cmark_parser *parser, int add) {
  pthread_mutex_lock(&inline_pass_lock);
  find_library_manage_chars();
  if (add ? inline_passes++ == 0 : --inline_passes == 0)
    library_manage_chars(parser, add);
  pthread_mutex_unlock(&inline_pass_lock);
}

/* cmark-gfm's table extension lets a cell hold only the library's own
 * inline types, so a bracketed span (a custom inline, span.h) could not be
 * put into a cell: the insert failed and the cell's text was lost. The
 * same rules, with custom inlines allowed in cells. */
static int table_can_contain(cmark_syntax_extension *ext, cmark_node *node, cmark_node_type child) {
  (void)ext;
  cmark_node_type t = cmark_node_get_type(node);
  if (t == CMARK_NODE_TABLE)
    return child == CMARK_NODE_TABLE_ROW;
  if (t == CMARK_NODE_TABLE_ROW)
    return child == CMARK_NODE_TABLE_CELL;
  if (t == CMARK_NODE_TABLE_CELL)
    return child == CMARK_NODE_TEXT || child == CMARK_NODE_CODE || child == CMARK_NODE_EMPH ||
           child == CMARK_NODE_STRONG || child == CMARK_NODE_LINK || child == CMARK_NODE_IMAGE ||
           child == CMARK_NODE_STRIKETHROUGH || child == CMARK_NODE_HTML_INLINE ||
           child == CMARK_NODE_FOOTNOTE_REFERENCE || child == CMARK_NODE_CUSTOM_INLINE;
  return 0;
}

void md_init(void) {
  if (ext_table)
    return;
  cmark_gfm_core_extensions_ensure_registered();
  ext_table = cmark_find_syntax_extension("table");
  ext_strike = cmark_find_syntax_extension("strikethrough");
  ext_autolink = cmark_find_syntax_extension("autolink");
  ext_tasklist = cmark_find_syntax_extension("tasklist");
  cmark_syntax_extension_set_can_contain_func(ext_table, table_can_contain);
  cmark_mem *mem = cmark_get_default_mem_allocator();
  ext_list = cmark_llist_append(mem, ext_list, ext_table);
  ext_list = cmark_llist_append(mem, ext_list, ext_strike);
  ext_list = cmark_llist_append(mem, ext_list, ext_autolink);
  ext_list = cmark_llist_append(mem, ext_list, ext_tasklist);
  (void)fence_extension();
  pthread_mutex_lock(&inline_pass_lock); /* fail at start-up, not in the middle of a build */
  find_library_manage_chars();
  pthread_mutex_unlock(&inline_pass_lock);
}

cmark_llist *md_extensions(void) {
  return ext_list;
}

/* ---- attributes ---------------------------------------------------------- */

md_attrs *md_attrs_new(void) {
  return xcalloc(1, sizeof(md_attrs));
}

void md_attrs_free(md_attrs *a) {
  if (!a)
    return;
  free(a->id);
  for (size_t i = 0; i < a->classes.n; i++)
    free(a->classes.items[i]);
  for (size_t i = 0; i < a->keys.n; i++) {
    free(a->keys.items[i]);
    free(a->vals.items[i]);
  }
  vec_free(&a->classes);
  vec_free(&a->keys);
  vec_free(&a->vals);
  free(a);
}

md_attrs *md_attrs_copy(const md_attrs *a) {
  if (!a)
    return NULL;
  md_attrs *c = md_attrs_new();
  c->id = a->id ? xstrdup(a->id) : NULL;
  c->line = a->line;
  c->end_line = a->end_line;
  c->col = a->col;
  for (size_t i = 0; i < a->classes.n; i++)
    vec_push(&c->classes, xstrdup(a->classes.items[i]));
  for (size_t i = 0; i < a->keys.n; i++) {
    vec_push(&c->keys, xstrdup(a->keys.items[i]));
    vec_push(&c->vals, xstrdup(a->vals.items[i]));
  }
  return c;
}

const char *md_attrs_get(const md_attrs *a, const char *key) {
  if (!a)
    return NULL;
  for (size_t i = 0; i < a->keys.n; i++)
    if (strcmp(a->keys.items[i], key) == 0)
      return a->vals.items[i];
  return NULL;
}

bool md_attrs_has_class(const md_attrs *a, const char *cls) {
  if (!a)
    return false;
  for (size_t i = 0; i < a->classes.n; i++)
    if (strcmp(a->classes.items[i], cls) == 0)
      return true;
  return false;
}

static bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == ':' || (unsigned char)c >= 0x80;
}

static char *scan_name(const char **pp, const char *end) {
  const char *p = *pp, *start = p;
  while (p < end && name_char(*p))
    p++;
  *pp = p;
  return p > start ? xstrndup(start, (size_t)(p - start)) : NULL;
}

static char *scan_value(const char **pp, const char *end, char **err) {
  const char *p = *pp;
  if (p < end && (*p == '"' || *p == '\'')) {
    char q = *p++;
    const char *start = p;
    while (p < end && *p != q)
      p++;
    if (p >= end) {
      *err = xstrdup("unclosed quote in container attributes — close it with a matching quote");
      return NULL;
    }
    *pp = p + 1;
    return xstrndup(start, (size_t)(p - start));
  }
  const char *start = p;
  while (p < end && *p != ' ' && *p != '\t' && *p != '}')
    p++;
  *pp = p;
  return xstrndup(start, (size_t)(p - start));
}

/* Parses the inside of {…}: .class #id key=value key="value" */
static bool parse_attr_list(md_attrs *a, const char *p, const char *end, char **err) {
  while (p < end) {
    if (*p == ' ' || *p == '\t') {
      p++;
      continue;
    }
    if (*p == '.' || *p == '#') {
      char sigil = *p++;
      char *name = scan_name(&p, end);
      if (!name) {
        *err = xasprintf("'%c' must be followed by a name in container attributes", sigil);
        return false;
      }
      if (sigil == '.')
        vec_push(&a->classes, name);
      else {
        free(a->id);
        a->id = name;
      }
      continue;
    }
    char *key = scan_name(&p, end);
    if (!key || p >= end || *p != '=') {
      free(key);
      *err = xstrdup("container attributes must look like {roles=\"<role id>\" .class #id} — "
                     "check the text between the braces");
      return false;
    }
    p++;
    char *val = scan_value(&p, end, err);
    if (!val) {
      free(key);
      return false;
    }
    vec_push(&a->keys, key);
    vec_push(&a->vals, val);
  }
  return true;
}

md_attrs *md_attrs_parse(const char *s, size_t len, char **err) {
  const char *p = s, *end = s + len;
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
    end--;
  /* Allow pandoc's trailing fence: ::: {…} ::: */
  while (end > p && end[-1] == ':')
    end--;
  while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  md_attrs *a = md_attrs_new();
  *err = NULL;
  if (p < end && *p == '{') {
    if (end[-1] != '}') {
      *err =
          xstrdup("container attributes start with '{' but do not end with '}' — close the brace");
      md_attrs_free(a);
      return NULL;
    }
    if (!parse_attr_list(a, p + 1, end - 1, err)) {
      md_attrs_free(a);
      return NULL;
    }
    return a;
  }
  /* pandoc shorthand: "::: warning" is a class */
  const char *q = p;
  char *name = scan_name(&q, end);
  if (!name || q != end) {
    free(name);
    *err = xstrdup("a container fence needs {attributes} or a single class name — "
                   "e.g. ::: {roles=\"<role id>\"}");
    md_attrs_free(a);
    return NULL;
  }
  vec_push(&a->classes, name);
  return a;
}

static void free_attrs_cb(cmark_mem *mem, void *p) {
  (void)mem;
  md_attrs_free(p);
}

static cmark_node *new_with_attrs(cmark_node_type t, md_attrs *a) {
  cmark_node *n = cmark_node_new(t);
  if (a) {
    cmark_node_set_user_data(n, a);
    cmark_node_set_user_data_free_func(n, free_attrs_cb);
  }
  return n;
}

cmark_node *md_new_div(md_attrs *a) {
  return new_with_attrs(CMARK_NODE_CUSTOM_BLOCK, a);
}

cmark_node *md_new_span(md_attrs *a) {
  return new_with_attrs(CMARK_NODE_CUSTOM_INLINE, a);
}

/* Node types that may carry attributes in user_data. cmark-gfm's own
 * extensions keep their data elsewhere (as.opaque), so user_data of these
 * types is ours alone. */
static bool may_have_attrs(cmark_node *n) {
  switch (cmark_node_get_type(n)) {
  case CMARK_NODE_CUSTOM_BLOCK:
  case CMARK_NODE_CUSTOM_INLINE:
  case CMARK_NODE_LINK:
  case CMARK_NODE_IMAGE:
  case CMARK_NODE_HEADING:
  case CMARK_NODE_CODE_BLOCK: return true;
  default: return false;
  }
}

md_attrs *md_attrs_of(cmark_node *n) {
  return may_have_attrs(n) ? cmark_node_get_user_data(n) : NULL;
}

bool md_set_attrs(cmark_node *n, md_attrs *a) {
  if (!may_have_attrs(n)) {
    md_attrs_free(a);
    return false;
  }
  md_attrs_free(cmark_node_get_user_data(n));
  cmark_node_set_user_data(n, a);
  cmark_node_set_user_data_free_func(n, a ? free_attrs_cb : NULL);
  return true;
}

/* ---- node types ---------------------------------------------------------- */

md_type md_type_of(cmark_node *n) {
  cmark_node_type t = cmark_node_get_type(n);
  switch (t) {
  case CMARK_NODE_DOCUMENT: return MD_DOCUMENT;
  case CMARK_NODE_PARAGRAPH: return MD_PARAGRAPH;
  case CMARK_NODE_HEADING: return MD_HEADING;
  case CMARK_NODE_BLOCK_QUOTE: return MD_BLOCK_QUOTE;
  case CMARK_NODE_LIST: return MD_LIST;
  case CMARK_NODE_ITEM: return MD_ITEM;
  case CMARK_NODE_CODE_BLOCK: return MD_CODE_BLOCK;
  case CMARK_NODE_HTML_BLOCK: return MD_HTML_BLOCK;
  case CMARK_NODE_THEMATIC_BREAK: return MD_THEMATIC_BREAK;
  case CMARK_NODE_CUSTOM_BLOCK: return MD_DIV;
  case CMARK_NODE_FOOTNOTE_DEFINITION: return MD_FOOTNOTE_DEF;
  case CMARK_NODE_TEXT: return MD_TEXT;
  case CMARK_NODE_SOFTBREAK: return MD_SOFTBREAK;
  case CMARK_NODE_LINEBREAK: return MD_LINEBREAK;
  case CMARK_NODE_CODE: return MD_CODE;
  case CMARK_NODE_HTML_INLINE: return MD_HTML_INLINE;
  case CMARK_NODE_EMPH: return MD_EMPH;
  case CMARK_NODE_STRONG: return MD_STRONG;
  case CMARK_NODE_LINK: return MD_LINK;
  case CMARK_NODE_IMAGE: return MD_IMAGE;
  case CMARK_NODE_FOOTNOTE_REFERENCE: return MD_FOOTNOTE_REF;
  case CMARK_NODE_CUSTOM_INLINE: return MD_SPAN;
  default: break;
  }
  if (t == CMARK_NODE_TABLE)
    return MD_TABLE;
  if (t == CMARK_NODE_TABLE_ROW)
    return MD_TABLE_ROW;
  if (t == CMARK_NODE_TABLE_CELL)
    return MD_TABLE_CELL;
  if (t == CMARK_NODE_STRIKETHROUGH)
    return MD_STRIKETHROUGH;
  return MD_OTHER;
}

bool md_is_block(cmark_node *n) {
  return (cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK;
}

bool md_item_is_task(cmark_node *n) {
  return cmark_node_get_type(n) == CMARK_NODE_ITEM &&
         cmark_node_get_syntax_extension(n) == ext_tasklist;
}

bool md_item_checked(cmark_node *n) {
  return md_item_is_task(n) && cmark_gfm_extensions_get_tasklist_item_checked(n);
}

int md_table_columns(cmark_node *table) {
  return cmark_gfm_extensions_get_table_columns(table);
}

char md_table_align(cmark_node *table, int col) {
  uint8_t *al = cmark_gfm_extensions_get_table_alignments(table);
  if (!al || col < 0 || col >= md_table_columns(table))
    return 0;
  return (char)al[col];
}

bool md_row_is_header(cmark_node *row) {
  return cmark_gfm_extensions_get_table_row_is_header(row) != 0;
}

cmark_node *md_new_strikethrough(void) {
  return cmark_node_new_with_ext(CMARK_NODE_STRIKETHROUGH, ext_strike);
}

cmark_node *md_new_table(int ncols, const char *align) {
  cmark_node *t = cmark_node_new_with_ext(CMARK_NODE_TABLE, ext_table);
  cmark_gfm_extensions_set_table_columns(t, (uint16_t)ncols);
  uint8_t *al = xcalloc((size_t)ncols + 1, 1);
  for (int i = 0; i < ncols && align; i++)
    al[i] = (uint8_t)align[i];
  cmark_gfm_extensions_set_table_alignments(t, (uint16_t)ncols, al);
  free(al);
  return t;
}

cmark_node *md_new_table_row(bool header) {
  cmark_node *r = cmark_node_new_with_ext(CMARK_NODE_TABLE_ROW, ext_table);
  cmark_gfm_extensions_set_table_row_is_header(r, header);
  return r;
}

/* Not cmark_node_new_with_ext: for cells the table extension allocates
 * opaque data that its free function never releases (a leak in
 * libcmark-gfm 0.29.0.gfm.6). The parser itself makes cells this way. */
cmark_node *md_new_table_cell(void) {
  cmark_node *c = cmark_node_new(CMARK_NODE_TABLE_CELL);
  cmark_node_set_syntax_extension(c, ext_table);
  return c;
}

cmark_node *md_new_task_item(bool checked) {
  cmark_node *n = cmark_node_new_with_ext(CMARK_NODE_ITEM, ext_tasklist);
  cmark_gfm_extensions_set_tasklist_item_checked(n, checked);
  return n;
}

/* ---- clone --------------------------------------------------------------- */

static cmark_node *copy_one(cmark_node *n) {
  cmark_node *c;
  switch (md_type_of(n)) {
  case MD_TABLE: {
    int cols = md_table_columns(n);
    char *al = xcalloc((size_t)cols + 1, 1);
    for (int i = 0; i < cols; i++)
      al[i] = md_table_align(n, i);
    c = md_new_table(cols, al);
    free(al);
    return c;
  }
  case MD_TABLE_ROW: return md_new_table_row(md_row_is_header(n));
  case MD_TABLE_CELL: return md_new_table_cell();
  case MD_STRIKETHROUGH: return md_new_strikethrough();
  case MD_ITEM:
    if (md_item_is_task(n))
      return md_new_task_item(md_item_checked(n));
    return cmark_node_new(CMARK_NODE_ITEM);
  case MD_SPAN: return md_new_span(md_attrs_copy(md_attrs_of(n)));
  case MD_DIV: {
    c = md_new_div(md_attrs_copy(md_attrs_of(n)));
    const char *on_enter = cmark_node_get_on_enter(n), *on_exit = cmark_node_get_on_exit(n);
    if (on_enter && *on_enter)
      cmark_node_set_on_enter(c, on_enter);
    if (on_exit && *on_exit)
      cmark_node_set_on_exit(c, on_exit);
    return c;
  }
  default: break;
  }
  c = cmark_node_new(cmark_node_get_type(n));
  switch (md_type_of(n)) {
  case MD_HEADING: cmark_node_set_heading_level(c, cmark_node_get_heading_level(n)); break;
  case MD_LIST:
    cmark_node_set_list_type(c, cmark_node_get_list_type(n));
    cmark_node_set_list_delim(c, cmark_node_get_list_delim(n));
    cmark_node_set_list_start(c, cmark_node_get_list_start(n));
    cmark_node_set_list_tight(c, cmark_node_get_list_tight(n));
    break;
  case MD_CODE_BLOCK: {
    int flen = 0, foff = 0;
    char fch = 0;
    int fenced = cmark_node_get_fenced(n, &flen, &foff, &fch);
    cmark_node_set_fenced(c, fenced, flen, foff, fch);
    cmark_node_set_fence_info(c, cmark_node_get_fence_info(n));
    cmark_node_set_literal(c, cmark_node_get_literal(n));
    break;
  }
  case MD_LINK:
  case MD_IMAGE:
    cmark_node_set_url(c, cmark_node_get_url(n));
    cmark_node_set_title(c, cmark_node_get_title(n));
    break;
  case MD_TEXT:
  case MD_CODE:
  case MD_HTML_BLOCK:
  case MD_HTML_INLINE: cmark_node_set_literal(c, cmark_node_get_literal(n)); break;
  default: break;
  }
  if (md_attrs_of(n))
    md_set_attrs(c, md_attrs_copy(md_attrs_of(n)));
  return c;
}

static bool is_leaf(cmark_node *n) {
  switch (cmark_node_get_type(n)) {
  case CMARK_NODE_HTML_BLOCK:
  case CMARK_NODE_THEMATIC_BREAK:
  case CMARK_NODE_CODE_BLOCK:
  case CMARK_NODE_TEXT:
  case CMARK_NODE_SOFTBREAK:
  case CMARK_NODE_LINEBREAK:
  case CMARK_NODE_CODE:
  case CMARK_NODE_HTML_INLINE: return true;
  default: return false;
  }
}

/* Iterative, so that pathological nesting cannot exhaust the C stack. */
cmark_node *md_clone(cmark_node *root) {
  cmark_iter *it = cmark_iter_new(root);
  cmark_node *copy_root = NULL, *cur = NULL;
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_EXIT) {
      if (cur && cur != copy_root)
        cur = cmark_node_parent(cur);
      continue;
    }
    cmark_node *c = copy_one(n);
    if (!copy_root)
      copy_root = c;
    else
      cmark_node_append_child(cur, c);
    if (!is_leaf(n))
      cur = c;
  }
  cmark_iter_free(it);
  return copy_root;
}

void md_text_content(cmark_node *root, sbuf *out) {
  cmark_iter *it = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER) {
      if (md_is_block(n) && out->len && out->s[out->len - 1] != ' ')
        sbuf_putc(out, ' ');
      continue;
    }
    switch (md_type_of(n)) {
    case MD_TEXT:
    case MD_CODE:
    case MD_CODE_BLOCK: sbuf_puts(out, cmark_node_get_literal(n)); break;
    case MD_SOFTBREAK:
    case MD_LINEBREAK: sbuf_putc(out, ' '); break;
    default: break;
    }
  }
  cmark_iter_free(it);
}

/* ---- parsing ------------------------------------------------------------ */

/* cmark-gfm turns a node's text into a C string on first read, allocating
 * and storing it: two threads reading the same shared node at once race,
 * and one copy leaks. Every string is read here once, on the parsing
 * thread, so that a parsed tree is only ever read afterwards. */
static void settle_strings(cmark_node *n, void *arg) {
  (void)arg;
  (void)cmark_node_get_literal(n);
  (void)cmark_node_get_url(n);
  (void)cmark_node_get_title(n);
  (void)cmark_node_get_fence_info(n);
  (void)cmark_node_get_on_enter(n);
  (void)cmark_node_get_on_exit(n);
}

void md_walk(cmark_node *root, void (*visit)(cmark_node *n, void *arg), void *arg) {
  cmark_iter *it = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
    if (ev == CMARK_EVENT_ENTER)
      visit(cmark_iter_get_node(it), arg);
  cmark_iter_free(it);
}

/* One parser per document, the fence extension first (fence.h). The body is
 * fed after first_line - 1 empty lines, so that cmark's line numbers (and
 * those of the containers) are the file's. */
cmark_node *md_parse(const char *text, size_t len, int first_line, const char *file, diag *dg) {
  cmark_parser *cp = cmark_parser_new(MD_OPTIONS);
  cmark_parser_attach_syntax_extension(cp, fence_extension());
  for (cmark_llist *e = ext_list; e; e = e->next)
    cmark_parser_attach_syntax_extension(cp, e->data);
  for (int pad = first_line - 1; pad > 0; pad--)
    cmark_parser_feed(cp, "\n", 1);
  fence_begin(file, dg);
  cmark_parser_feed(cp, text, len);
  cmark_node *doc = cmark_parser_finish(cp);
  cmark_parser_free(cp);
  fence_end(doc);
  span_parse(doc, file, dg);
  md_walk(doc, settle_strings, NULL);
  return doc;
}

int md_min_heading_level(cmark_node *root) {
  int min = 0;
  cmark_iter *it = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_ENTER && md_type_of(n) == MD_HEADING) {
      int l = cmark_node_get_heading_level(n);
      if (!min || l < min)
        min = l;
    }
  }
  cmark_iter_free(it);
  return min;
}
