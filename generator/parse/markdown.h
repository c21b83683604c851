/* markdown.h — Markdown parsing (cmark-gfm) with fenced containers, and the
 * one node API that filters and writers share.
 *
 * A document is parsed once, by one cmark-gfm parser, into one tree. Fenced
 * containers (`::: {roles="ROLE" .handledning}` … `:::`, as pandoc's
 * fenced_divs: wherever a block may start, also in list items, block quotes
 * and other containers) are a block syntax extension (fence.h) and become
 * CMARK_NODE_CUSTOM_BLOCK nodes whose user_data is an md_attrs (freed with
 * the node). Reference definitions resolve across fences. Line numbers in the
 * tree are those of the source file.
 *
 * Per variant the tree is copied with md_clone() — cmark-gfm has no copy
 * function, so the clone rebuilds every node through the public API,
 * including the GFM extension nodes (tables, strikethrough, task items).
 *
 * Thread safety: md_init() must run once before threads start; afterwards
 * parsing and cloning are safe on separate trees, and a parsed tree may be
 * read and cloned by several threads at once (md_parse settles the strings
 * cmark-gfm would otherwise convert lazily on first read). cmark-gfm's one
 * process-wide table of the extensions' inline characters is kept switched
 * on while any parse runs (markdown.c replaces the library's switch).
 */
#ifndef VK_MARKDOWN_H
#define VK_MARKDOWN_H

#include "diag.h"
#include "util.h"

#include <cmark-gfm.h>
#include <stdbool.h>

/* Node types as writers see them: one switch covers core and GFM nodes. */
typedef enum {
  MD_DOCUMENT,
  MD_PARAGRAPH,
  MD_HEADING,
  MD_BLOCK_QUOTE,
  MD_LIST,
  MD_ITEM,
  MD_CODE_BLOCK,
  MD_HTML_BLOCK,
  MD_THEMATIC_BREAK,
  MD_DIV, /* fenced container */
  MD_TABLE,
  MD_TABLE_ROW,
  MD_TABLE_CELL,
  MD_FOOTNOTE_DEF,
  MD_TEXT,
  MD_SOFTBREAK,
  MD_LINEBREAK,
  MD_CODE,
  MD_HTML_INLINE,
  MD_EMPH,
  MD_STRONG,
  MD_STRIKETHROUGH,
  MD_LINK,
  MD_IMAGE,
  MD_FOOTNOTE_REF,
  MD_SPAN, /* bracketed span [text]{attrs} (span.h) */
  MD_OTHER
} md_type;

/* Attributes of a container (or any node a filter gives attributes). */
typedef struct {
  char *id;
  vec classes; /* char* */
  vec keys;    /* char*, parallel to vals; roles= and orgs= are kept here too */
  vec vals;
  int line;     /* file line of the opening fence (cmark has no position setter); 0 unknown */
  int col;      /* a span's: file column of its '['; 0 unknown (containers: the node's) */
  int end_line; /* file line of the closing fence; 0 unknown, or never closed */
} md_attrs;

void md_init(void);
/* The extensions list to pass to cmark renderers (table, strikethrough, …). */
cmark_llist *md_extensions(void);

/* Parses `text` (the body; its first line is line `first_line` of `file`).
 * Container errors (unclosed, stray, bad attributes) are reported to dg;
 * the tree is returned anyway so that all errors can be collected. */
cmark_node *md_parse(const char *text, size_t len, int first_line, const char *file, diag *dg);

md_type md_type_of(cmark_node *n);
bool md_is_block(cmark_node *n);
bool md_item_is_task(cmark_node *n);
bool md_item_checked(cmark_node *n);
/* Per column alignment of a table: 'l', 'c', 'r' or 0. */
int md_table_columns(cmark_node *table);
char md_table_align(cmark_node *table, int col);
bool md_row_is_header(cmark_node *row);

/* Attributes of a container, span, link, image, heading or code block; NULL when none. */
md_attrs *md_attrs_of(cmark_node *n);
/* Gives `a` to the node (freeing any it had). Returns false (and frees `a`)
 * for node types that cannot carry attributes. Links made by the glossary
 * step carry class "glossary-term" and key "definition" (the short definition). */
bool md_set_attrs(cmark_node *n, md_attrs *a);
md_attrs *md_attrs_new(void);
void md_attrs_free(md_attrs *a);
md_attrs *md_attrs_copy(const md_attrs *a);
const char *md_attrs_get(const md_attrs *a, const char *key);
bool md_attrs_has_class(const md_attrs *a, const char *cls);
/* Parses `{roles="ROLE" .cls #id key=value}`; returns NULL and sets *err. */
md_attrs *md_attrs_parse(const char *s, size_t len, char **err);

/* New container node owning `a` (may be NULL). */
cmark_node *md_new_div(md_attrs *a);
/* New span (an inline CMARK_NODE_CUSTOM_INLINE) owning `a` (may be NULL). */
cmark_node *md_new_span(md_attrs *a);
/* Creates GFM nodes that need their extension. */
cmark_node *md_new_strikethrough(void);
cmark_node *md_new_table(int ncols, const char *align);
cmark_node *md_new_table_row(bool header);
cmark_node *md_new_table_cell(void);
cmark_node *md_new_task_item(bool checked);

cmark_node *md_clone(cmark_node *n);

/* The smallest heading level in the tree (1–6), or 0 without headings.
 * Writers shift levels so that a document's top heading sits right under
 * the page title, whether its author started at # or ##. */
int md_min_heading_level(cmark_node *root);

/* Calls visit(n, arg) on entering every node of the tree, in document
 * order (root first). visit must not unlink or free nodes. */
void md_walk(cmark_node *root, void (*visit)(cmark_node *n, void *arg), void *arg);

/* Concatenated text of a subtree (Text, Code, breaks as spaces). */
void md_text_content(cmark_node *n, sbuf *out);

#endif
