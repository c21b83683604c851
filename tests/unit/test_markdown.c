/* test_markdown.c — containers, and md_clone() against cmark-gfm's own
 * renderer: for every CommonMark/GFM example, the clone renders exactly as
 * the original (the per-variant copy must lose nothing). Also replays the
 * inputs the fuzzers once found problems with. */
#include "../check.h"
#include "markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <dirent.h>
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

int main(void) {
  md_init();
  containers();
  clone_examples("spec.txt");
  clone_examples("extensions.txt");
  clone_examples("regression.txt");
  replay_crashers();
  return check_failures ? 1 : 0;
}
