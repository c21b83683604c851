/* test_markdown.c — containers, and md_clone() against cmark-gfm's own
 * renderer: for every CommonMark/GFM example, the clone renders exactly as
 * the original (the per-variant copy must lose nothing). Also replays the
 * inputs the fuzzers once found problems with. */
#include "../check.h"
#include "fence.h"
#include "markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const char *root(void) {
  const char *r = getenv("VAKSAM_ROOT");
  return r ? r : ".";
}

static char *render(cmark_node *n) {
  return cmark_render_html(n, CMARK_OPT_UNSAFE, md_extensions());
}

/* Examples sit between "```````````````````````````````` example" and a line
 * of 32 backticks; input and expected output are separated by ".". */
static void clone_examples(const char *file) {
  char *path = xasprintf("%s/tests/data/commonmark/%s", root(), file);
  size_t len;
  char *text = read_file(path, &len);
  CHECK(text != NULL, "read %s", file);
  if (!text) {
    free(path);
    return;
  }
  int n = 0, same = 0;
  const char *fence = "```````````````````````````````` example";
  for (char *p = strstr(text, fence); p; p = strstr(p, fence)) {
    p = strchr(p, '\n');
    if (!p)
      break;
    p++;
    char *dot = strstr(p, "\n.\n");
    if (!dot)
      break;
    sbuf in = {0};
    for (char *q = p; q < dot + 1; q++) { /* "→" stands for a tab */
      if (strncmp(q, "\xe2\x86\x92", 3) == 0) {
        sbuf_putc(&in, '\t');
        q += 2;
      } else {
        sbuf_putc(&in, *q);
      }
    }
    diag *dg = diag_new();
    cmark_node *t = md_parse(sbuf_str(&in), in.len, 1, "ex.md", dg);
    cmark_node *c = md_clone(t);
    char *a = render(t), *b = render(c);
    n++;
    if (strcmp(a, b) == 0)
      same++;
    else
      printf("# %s example %d differs after clone:\n# %s\n# %s\n", file, n, a, b);
    free(a);
    free(b);
    cmark_node_free(c);
    cmark_node_free(t);
    diag_free(dg);
    sbuf_free(&in);
    p = dot;
  }
  CHECK(n > 0 && same == n, "%s: %d of %d examples render the same after md_clone", file, same, n);
  free(text);
  free(path);
}

static void containers(void) {
  const char *src =
      "A\n\n::: {roles=\"chef\" .handledning #h1}\nInside\n\n::: {.tips}\nNested\n:::\n:::\n\nB\n";
  diag *dg = diag_new();
  cmark_node *t = md_parse(src, strlen(src), 5, "c.md", dg);
  CHECK(diag_errors(dg) == 0, "nested containers parse without errors");
  cmark_node *div = cmark_node_next(cmark_node_first_child(t));
  CHECK(div && md_type_of(div) == MD_DIV, "a container becomes an MD_DIV");
  md_attrs *a = div ? md_attrs_of(div) : NULL;
  CHECK(a && md_attrs_has_class(a, "handledning") &&
            strcmp(md_attrs_get(a, "roles"), "chef") == 0 && a->id && strcmp(a->id, "h1") == 0,
        "attributes: class, key=value and #id");
  CHECK(a && a->line == 7, "the container remembers its file line 7 (got %d)", a ? a->line : 0);
  cmark_node *inner = div ? cmark_node_last_child(div) : NULL;
  CHECK(inner && md_type_of(inner) == MD_DIV && md_attrs_has_class(md_attrs_of(inner), "tips"),
        "the nested container is a child");
  cmark_node *c = md_clone(t);
  cmark_node *cdiv = cmark_node_next(cmark_node_first_child(c));
  CHECK(cdiv && md_attrs_of(cdiv) && md_attrs_of(cdiv) != a &&
            strcmp(md_attrs_get(md_attrs_of(cdiv), "roles"), "chef") == 0,
        "a clone has its own copy of the attributes");
  cmark_node_free(c);
  cmark_node_free(t);
  diag_free(dg);

  const char *stray = "text\n:::\n";
  dg = diag_new();
  t = md_parse(stray, strlen(stray), 1, "s.md", dg);
  char *msg = diag_text(dg);
  CHECK(diag_errors(dg) == 1 && strstr(msg, "s.md:2:1:"),
        "a stray closing fence is an error at its line");
  free(msg);
  cmark_node_free(t);
  diag_free(dg);

  const char *code = "```\n:::\n```\n";
  dg = diag_new();
  t = md_parse(code, strlen(code), 1, "k.md", dg);
  CHECK(diag_errors(dg) == 0, "a fence inside a code block is code, not a container");
  cmark_node_free(t);
  diag_free(dg);
}

/* The first node of type t in document order, or NULL. */
static cmark_node *find(cmark_node *root, md_type t) {
  cmark_iter *it = cmark_iter_new(root);
  cmark_node *found = NULL;
  cmark_event_type ev;
  while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
    if (ev == CMARK_EVENT_ENTER && md_type_of(cmark_iter_get_node(it)) == t)
      found = cmark_iter_get_node(it);
  cmark_iter_free(it);
  return found;
}

static md_type parent_type(cmark_node *n) {
  return n && cmark_node_parent(n) ? md_type_of(cmark_node_parent(n)) : MD_OTHER;
}

/* Parses src (body starting at file line `first`), expecting `errors` errors. */
static cmark_node *parse(const char *src, int first, int errors, const char *what, char **msg) {
  diag *dg = diag_new();
  cmark_node *t = md_parse(src, strlen(src), first, "c.md", dg);
  char *text = diag_text(dg);
  for (char *q = text; *q; q++) /* one line per check */
    if (*q == '\n')
      *q = ' ';
  CHECK(diag_errors(dg) == errors, "%s: %d error(s) (got %d: %s)", what, errors, diag_errors(dg),
        text);
  if (msg)
    *msg = text;
  else
    free(text);
  diag_free(dg);
  return t;
}

/* Containers wherever a block may start, parsed by the one parser. */
static void containers_in_blocks(void) {
  cmark_node *t = parse("- item\n\n  ::: {roles=\"chef\"}\n  inside\n  :::\n- next\n", 3, 0,
                        "a container in a list item", NULL);
  cmark_node *div = find(t, MD_DIV);
  CHECK(div && parent_type(div) == MD_ITEM, "the container is a child of the list item");
  md_attrs *a = div ? md_attrs_of(div) : NULL;
  CHECK(a && a->line == 5 && a->end_line == 7 && cmark_node_get_start_column(div) == 3,
        "its attributes know the file lines of both fences and the column (%d, %d, %d)",
        a ? a->line : 0, a ? a->end_line : 0, div ? cmark_node_get_start_column(div) : 0);
  CHECK(div && cmark_node_get_start_line(div) == 5, "the node's own line is the file's");
  CHECK(find(t, MD_THEMATIC_BREAK) == NULL, "no trace of the closing fence is left");
  cmark_node_free(t);

  t = parse("- a\n  ::: x\n  in\n  :::\n- b\n", 1, 0, "a tight list around a container", NULL);
  cmark_node *list = find(t, MD_LIST);
  CHECK(list && cmark_node_get_list_tight(list), "the closing fence keeps the list tight");
  cmark_node_free(t);

  t = parse("> quote\n>\n> ::: {.tips}\n> inside\n> :::\n\nafter\n", 1, 0,
            "a container in a block quote", NULL);
  div = find(t, MD_DIV);
  CHECK(div && parent_type(div) == MD_BLOCK_QUOTE && md_attrs_has_class(md_attrs_of(div), "tips"),
        "the container is a child of the quote");
  CHECK(div && cmark_node_next(cmark_node_parent(div)) &&
            md_type_of(cmark_node_next(cmark_node_parent(div))) == MD_PARAGRAPH,
        "the text after the quote is outside it");
  cmark_node_free(t);

  t = parse("::: a\n::: b\n::: c\ndeep\n:::\n:::\n:::\n", 1, 0, "same-length fences nest", NULL);
  cmark_node *p = find(t, MD_PARAGRAPH);
  CHECK(p && parent_type(p) == MD_DIV && parent_type(cmark_node_parent(p)) == MD_DIV &&
            parent_type(cmark_node_parent(cmark_node_parent(p))) == MD_DIV,
        "three containers nest");
  cmark_node_free(t);

  t = parse("[out]: /out\n\n::: x\nSee [this][out].\n\n[in]: /in\n:::\n\nAnd [that][in].\n", 1, 0,
            "reference definitions across fences", NULL);
  cmark_node *link = find(t, MD_LINK);
  CHECK(link && strcmp(cmark_node_get_url(link), "/out") == 0,
        "a link inside a container finds a definition outside it");
  cmark_node *last = cmark_node_last_child(t);
  link = last ? find(last, MD_LINK) : NULL;
  CHECK(link && strcmp(cmark_node_get_url(link), "/in") == 0,
        "a link after a container finds a definition inside it");
  cmark_node_free(t);

  t = parse("::: x\n```\n:::\n::: {roles=\"chef\"}\n```\n:::\n", 1, 0,
            "fences in a fenced code block", NULL);
  cmark_node *code = find(t, MD_CODE_BLOCK);
  CHECK(code && parent_type(code) == MD_DIV &&
            strcmp(cmark_node_get_literal(code), ":::\n::: {roles=\"chef\"}\n") == 0,
        "are code, and the container around the code block closes after it");
  cmark_node_free(t);
}

static void container_errors(void) {
  char *msg;
  cmark_node *t = parse("text\n\n::: {.x}\nnever closed\n", 4, 1, "an unclosed container", &msg);
  CHECK(strstr(msg, "c.md:6:1: error: container opened here is never closed"),
        "is reported at its opening fence: %s", msg);
  free(msg);
  cmark_node_free(t);

  t = parse("- ::: x\n  in the item\n\nthe item ended\n:::\n", 1, 2,
            "a container left open in a list item, and a fence outside the item", &msg);
  CHECK(strstr(msg, "c.md:1:3: error: container opened here is never closed") &&
            strstr(msg, "c.md:5:1: error: closing ':::' without an open container"),
        "both are reported where they are: %s", msg);
  free(msg);
  cmark_node_free(t);

  t = parse("::: {roles=\"chef\"\nx\n:::\n", 1, 1, "bad attributes", &msg);
  CHECK(strstr(msg, "c.md:1:4: error: container attributes start with '{'"),
        "are reported after the colons: %s", msg);
  cmark_node *div = find(t, MD_DIV);
  CHECK(div && parent_type(div) == MD_DOCUMENT && md_attrs_of(div)->end_line == 3,
        "the container is kept, so that its closing fence matches");
  free(msg);
  cmark_node_free(t);

  sbuf deep = {0};
  for (int i = 0; i < 5000; i++)
    sbuf_puts(&deep, i % 2 ? "::: x\n" : "> ::: y\n");
  diag *dg = diag_new();
  t = md_parse(deep.s, deep.len, 1, "d.md", dg);
  CHECK(diag_errors(dg) > 0, "containers nested past %d are an error, not a crash",
        FENCE_MAX_DEPTH);
  cmark_node *c = md_clone(t);
  cmark_node_free(c);
  cmark_node_free(t);
  diag_free(dg);
  sbuf_free(&deep);
}

static void replay_crashers(void) {
  char *dir = xasprintf("%s/tests/data/fuzz-crashers", root());
  vec names = {0};
  list_dir_sorted(dir, "", &names);
  for (size_t i = 0; i < names.n; i++) {
    char *path = xasprintf("%s/%s", dir, (char *)names.items[i]);
    size_t len;
    char *text = read_file(path, &len);
    diag *dg = diag_new();
    cmark_node *t = md_parse(text, len, 1, "f.md", dg);
    cmark_node *c = md_clone(t);
    cmark_node_free(c);
    cmark_node_free(t);
    diag_free(dg);
    CHECK(text != NULL, "fuzz input %s parses and clones (ASan checks the rest)",
          (char *)names.items[i]);
    free(text);
    free(path);
    free(names.items[i]);
  }
  vec_free(&names);
  free(dir);
}

/* cmark-gfm keeps the extensions' inline trigger characters (':' and 'w'
 * for autolinks, '~' for strikethrough, '|' for tables) in one global
 * table that every parse switched on at its start and off at its end, so a
 * parse finishing on one thread turned autolinks off for a parse still
 * running on another (md_init pins them once). Parses on several threads
 * must all render as a parse on one thread. */
#define PARALLEL_ROUNDS 400
static const char parallel_text[] =
    "Rapportera: https://visselblasning.example.se eller www.example.org.\n\n"
    "Text med ~~struken~~ del och mejl till hr@example.se.\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n";

static void *parse_many(void *expected) {
  diag *dg = diag_new();
  for (int i = 0; i < PARALLEL_ROUNDS; i++) {
    cmark_node *t = md_parse(parallel_text, sizeof parallel_text - 1, 1, "p.md", dg);
    char *html = render(t);
    bool same = strcmp(html, expected) == 0;
    free(html);
    cmark_node_free(t);
    if (!same) {
      diag_free(dg);
      return (void *)1;
    }
  }
  diag_free(dg);
  return NULL;
}

static void parallel_parses(void) {
  diag *dg = diag_new();
  cmark_node *t = md_parse(parallel_text, sizeof parallel_text - 1, 1, "p.md", dg);
  diag_free(dg);
  char *expected = render(t);
  cmark_node_free(t);
  CHECK(strstr(expected, "<a href=\"https://visselblasning.example.se\">") &&
            strstr(expected, "<del>struken</del>") && strstr(expected, "<table>"),
        "one parse links the URL, strikes through and makes a table");
  pthread_t th[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&th[i], NULL, parse_many, expected);
  int differ = 0;
  for (int i = 0; i < 4; i++) {
    void *r;
    pthread_join(th[i], &r);
    differ += r != NULL;
  }
  CHECK(differ == 0, "4 threads x %d parses render as one parse does (%d threads differed)",
        PARALLEL_ROUNDS, differ);
  free(expected);
}

int main(void) {
  md_init();
  containers();
  containers_in_blocks();
  container_errors();
  clone_examples("spec.txt");
  clone_examples("extensions.txt");
  clone_examples("regression.txt");
  replay_crashers();
  parallel_parses();
  return check_failures ? 1 : 0;
}
