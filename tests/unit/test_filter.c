/* test_filter.c — the Lua filter bridge: pandoc's calling and return rules,
 * context and meta, the round trip of every element, the sandbox, and the
 * bounds on instructions and memory. Fixtures: tests/data/filters/. */
#include "../check.h"
#include "content.h"
#include "filter.h"
#include "html.h"
#include "markdown.h"

#include <stdlib.h>
#include <string.h>

static char tmp[64];

static void write_site(const char *filter) {
  char *p = xasprintf("%s/site.yaml", tmp);
  char *y = xasprintf("title: T\nbase_url: https://t/\nfilters: [%s]\norganisations:\n"
                      "  - {id: kommunen, name: K, variables: {incident_system: KIA}}\n"
                      "roles:\n  - {id: chef, name: Chef}\n",
                      filter);
  write_file(p, y, strlen(y));
  free(p);
  free(y);
}

static void copy_fixtures(const char *root) {
  char *src = xasprintf("%s/tests/data/filters", root), *dst = xasprintf("%s/filters", tmp);
  mkdir_p(dst);
  vec names = {0};
  list_dir_sorted(src, ".lua", &names);
  for (size_t i = 0; i < names.n; i++) {
    char *a = path_join(src, names.items[i]), *b = path_join(dst, names.items[i]);
    size_t len;
    char *t = read_file(a, &len);
    write_file(b, t, len);
    free(t);
    free(a);
    free(b);
    free(names.items[i]);
  }
  vec_free(&names);
  free(src);
  free(dst);
}

/* Runs `filter` on `md` (a case document) and returns the HTML; errors in *msgs. */
static char *run(const char *filter, const char *md, char **msgs) {
  write_site(filter);
  diag *dg = diag_new();
  vk_content *c = content_load(tmp, NULL, dg);
  char *html = NULL;
  if (c) {
    char *text = xasprintf("---\nid: x\ntitle: Titeln\n---\n%s", md);
    vk_doc *d = doc_parse(text, strlen(text), "cases/x.md", "content/cases/x.md", c->site, dg);
    vk_filters *f = filters_new(c, c->site->orgs[0], c->site->roles[0], "html", dg);
    if (d) {
      cmark_node *tree = md_clone(d->tree);
      if (f)
        filters_run(f, d, &tree, dg);
      sbuf out = {0};
      html_opts o = {0};
      html_render(tree, &o, &out);
      html = sbuf_take(&out);
      cmark_node_free(tree);
    }
    filters_free(f);
    doc_free(d);
    free(text);
  }
  content_free(c);
  *msgs = diag_text(dg);
  diag_free(dg);
  return html ? html : xstrdup("");
}

static void expect(const char *filter, const char *md, const char *want, const char *what) {
  char *msgs;
  char *html = run(filter, md, &msgs);
  CHECK(strstr(html, want) != NULL, "%s", what);
  if (!strstr(html, want))
    printf("# html: %s\n# diag: %s\n", html, msgs);
  free(html);
  free(msgs);
}

static void expect_error(const char *filter, const char *want, const char *what) {
  char *msgs;
  char *html = run(filter, "Ett stycke.\n", &msgs);
  for (char *nl; (nl = strchr(msgs, '\n'));)
    *nl = ' ';
  CHECK(strstr(msgs, want) != NULL, "%s (got: %.200s)", what, msgs);
  free(html);
  free(msgs);
}

static void identity_round_trip(const char *root) {
  /* With a filter that changes nothing, every example renders exactly as
   * without a filter: the Lua representation loses nothing. */
  char *path = xasprintf("%s/tests/data/commonmark/extensions.txt", root);
  size_t len;
  char *text = read_file(path, &len);
  free(path);
  char *f = xasprintf("%s/filters/identity.lua", tmp);
  const char *src = "return { Para = function(p) return nil end }\n";
  write_file(f, src, strlen(src));
  free(f);
  write_site("identity.lua");
  diag *dg = diag_new();
  vk_content *c = content_load(tmp, NULL, dg);
  vk_filters *fl = c ? filters_new(c, c->site->orgs[0], c->site->roles[0], "html", dg) : NULL;
  int n = 0, same = 0;
  vk_doc d = {.id = "x", .path = "cases/x.md", .srcpath = "x.md", .kind = KIND_CASE};
  const char *fence = "```````````````````````````````` example";
  for (char *p = text ? strstr(text, fence) : NULL; p && fl; p = strstr(p, fence)) {
    p = strchr(p, '\n') + 1;
    char *dot = strstr(p, "\n.\n");
    if (!dot)
      break;
    cmark_node *t = md_parse(p, (size_t)(dot + 1 - p), 1, "ex.md", dg);
    cmark_node *lua = md_clone(t);
    filters_run(fl, &d, &lua, dg);
    html_opts o = {.allow_raw_html = true};
    sbuf a = {0}, b = {0};
    html_render(t, &o, &a);
    html_render(lua, &o, &b);
    n++;
    if (strcmp(sbuf_str(&a), sbuf_str(&b)) == 0)
      same++;
    else
      printf("# example %d differs after Lua:\n# %s\n# %s\n", n, sbuf_str(&a), sbuf_str(&b));
    sbuf_free(&a);
    sbuf_free(&b);
    cmark_node_free(t);
    cmark_node_free(lua);
    p = dot;
  }
  CHECK(n > 0 && same == n,
        "identity filter: %d of %d GFM examples unchanged after the Lua round trip", same, n);
  filters_free(fl);
  content_free(c);
  diag_free(dg);
  free(text);
}

int main(void) {
  md_init();
  const char *root = getenv("VAKSAM_ROOT") ? getenv("VAKSAM_ROOT") : ".";
  strcpy(tmp, "/tmp/vaksam-filter-XXXXXX");
  if (!mkdtemp(tmp))
    return 1;
  copy_fixtures(root);

  expect("upper.lua", "Hej *du* `kod`\n", "<p>HEJ <em>DU</em> </p>",
         "Str replaced, Code deleted (empty list)");
  expect("upper.lua", "# Rubrik\n", "<p>A</p>\n<p>RUBRIK</p>",
         "a Header replaced by a list of two blocks");
  expect("order.lua", "a *b*\n", "Str:a ,Str:b,Emph,Para",
         "bottom-up: children before parents, in order");
  expect("context.lua", "Första stycket\n", "Titeln|kommunen|KIA|chef|html|case|Första stycket",
         "meta, org, variables, role, format and document are readable; pandoc alias works");
  expect("sandbox.lua", "x\n",
         "execute=nil popen=nil require_escape=false require_ok=42 bytecode=nil debug=nil passwd=nil "
         "escape=false inside=true",
         "sandbox: no os.execute, io.popen, debug, bytecode; require and reading only inside the "
         "content folder");
  identity_round_trip(root);

  expect_error("loop.lua", "filters/loop.lua:5: error: the filter ran more than",
               "an endless loop is stopped and named with file:line");
  expect_error("loop.lua", "(filtering content/cases/x.md for org=kommunen role=chef)",
               "the error names the document, organisation and role");
  expect_error("memory.lua", "filters/memory.lua:", "a memory bomb is stopped and named");
  expect_error("memory.lua", "not enough memory", "the memory error says what happened");
  expect_error("syntax.lua", "filters/syntax.lua:3:", "a syntax error names file:line");
  expect_error("runtime.lua", "filters/runtime.lua:3:", "a runtime error names file:line");
  expect_error("warn.lua", "filters/warn.lua:3: warning: ett stycke utan rubrik i kommunen under nil (filtering content/cases/x.md for org=kommunen role=chef)",
               "vaksam.warn reports at the filter's file:line with the document and variant");
  expect_error("missing.lua", "filters/missing.lua: error: cannot read the filter",
               "a missing filter file is an error");
  rm_rf(tmp);
  return check_failures ? 1 : 0;
}
