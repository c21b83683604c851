/* dumptree.c — prints the block structure md_parse() makes of a Markdown
 * file, one node a line, indented two spaces a level, in the normal form
 * that tests/tools/pandoc-tree.js makes of pandoc's JSON, so that
 * tests/sh/containers_pandoc.sh can compare the two:
 *
 *   Div #id .class key=value     a container, attributes as written
 *   Para text                    paragraphs (pandoc's Para and Plain alike),
 *                                text with white space collapsed
 *   Link url                     links inside a paragraph or heading
 *   Header N text, BulletList, OrderedList, Item, BlockQuote,
 *   CodeBlock "text", HorizontalRule, Table (not descended)
 *
 * Usage: dumptree FILE. Diagnostics go to stderr; exit 1 on errors. */
#include "markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Collapses runs of white space to one space and trims both ends. */
static void put_collapsed(const char *s) {
  bool space = false, any = false;
  for (; *s; s++) {
    if (*s == ' ' || *s == '\t' || *s == '\n') {
      space = true;
      continue;
    }
    if (space && any)
      putchar(' ');
    putchar(*s);
    space = false;
    any = true;
  }
}

/* " text" of a paragraph or heading; nothing when it has none. */
static void put_text(cmark_node *n) {
  sbuf t = {0};
  md_text_content(n, &t);
  const char *s = sbuf_str(&t);
  if (s[strspn(s, " \t\n")]) {
    putchar(' ');
    put_collapsed(s);
  }
  sbuf_free(&t);
}

/* The literal as a JSON string without its final line end. */
static void put_code(const char *s) {
  size_t n = strlen(s);
  while (n && s[n - 1] == '\n')
    n--;
  printf(" \"");
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\n')
      printf("\\n");
    else if (s[i] == '"' || s[i] == '\\')
      printf("\\%c", s[i]);
    else
      putchar(s[i]);
  }
  putchar('"');
}

static void put_attrs(const md_attrs *a) {
  if (!a)
    return;
  if (a->id)
    printf(" #%s", a->id);
  for (size_t i = 0; i < a->classes.n; i++)
    printf(" .%s", (char *)a->classes.items[i]);
  for (size_t i = 0; i < a->keys.n; i++)
    printf(" %s=%s", (char *)a->keys.items[i], (char *)a->vals.items[i]);
}

/* Prints one node: blocks and links, indented by their block ancestors;
 * nothing for the document and inside tables. */
static void put_node(cmark_node *n, void *arg) {
  (void)arg;
  md_type t = md_type_of(n);
  if ((!md_is_block(n) && t != MD_LINK) || t == MD_DOCUMENT)
    return;
  int depth = -1; /* the document's children are at 0 */
  for (cmark_node *p = cmark_node_parent(n); p; p = cmark_node_parent(p)) {
    if (md_type_of(p) == MD_TABLE)
      return;
    depth += md_is_block(p);
  }
  printf("%*s", 2 * depth, "");
  switch (t) {
  case MD_DIV:
    printf("Div");
    put_attrs(md_attrs_of(n));
    break;
  case MD_PARAGRAPH:
    printf("Para");
    put_text(n);
    break;
  case MD_HEADING:
    printf("Header %d", cmark_node_get_heading_level(n));
    put_text(n);
    break;
  case MD_LIST:
    printf(cmark_node_get_list_type(n) == CMARK_ORDERED_LIST ? "OrderedList" : "BulletList");
    break;
  case MD_ITEM: printf("Item"); break;
  case MD_BLOCK_QUOTE: printf("BlockQuote"); break;
  case MD_CODE_BLOCK:
    printf("CodeBlock");
    put_code(cmark_node_get_literal(n));
    break;
  case MD_THEMATIC_BREAK: printf("HorizontalRule"); break;
  case MD_LINK: printf("Link %s", cmark_node_get_url(n)); break;
  case MD_TABLE: printf("Table"); break;
  default: printf("Other %s", cmark_node_get_type_string(n)); break;
  }
  putchar('\n');
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: dumptree FILE\n");
    return 2;
  }
  size_t len;
  char *text = read_file(argv[1], &len);
  if (!text) {
    fprintf(stderr, "dumptree: cannot read %s\n", argv[1]);
    return 2;
  }
  md_init();
  diag *dg = diag_new();
  cmark_node *root = md_parse(text, len, 1, argv[1], dg);
  md_walk(root, put_node, NULL);
  char *msg = diag_text(dg);
  fputs(msg, stderr);
  free(msg);
  int rc = diag_errors(dg) ? 1 : 0;
  cmark_node_free(root);
  diag_free(dg);
  free(text);
  return rc;
}
