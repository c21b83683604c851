/* test_filter.c — the Lua filter bridge: pandoc's calling and return rules,
 * context and meta, the round trip of every element, the sandbox, and the
 * bounds on instructions and memory. Fixtures: tests/data/filters/. */
#include "../check.h"
#include "../fuzz/filter_gen.h"
#include "content.h"
#include "document.h"
#include "filter.h"
#include "html.h"
#include "markdown.h"
#include "variant.h"

#include <stdlib.h>
#include <string.h>

static char tmp[64];

/* site.yaml with `filters: [filter]`, `top` (more site settings) and `org`
 * (more settings of the one organisation, in flow style). */
static void write_site_with(const char *filter, const char *top, const char *org) {
  char *p = xasprintf("%s/site.yaml", tmp);
  char *y = xasprintf("title: T\nbase_url: https://t/\nfilters: [%s]\n%sorganisations:\n"
                      "  - {id: kommunen, name: K, variables: {incident_system: KIA}%s}\n"
                      "roles:\n  - {id: chef, name: Chef, can: [handledning, granskning]}\n",
                      filter, top, org);
  write_file(p, y, strlen(y));
  free(p);
  free(y);
}

static void write_site(const char *filter) {
  write_site_with(filter, "", "");
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

/* Renders `tree` as HTML and frees it. */
static char *render(cmark_node *tree) {
  sbuf out = {0};
  html_opts o = {0};
  html_render(tree, &o, &out);
  cmark_node_free(tree);
  return sbuf_take(&out);
}

/* Makes the HTML of the parsed case d with the chain f (NULL: no filters). */
typedef char *(*case_fn)(vk_content *c, vk_doc *d, vk_filters *f, diag *dg);

/* Loads the content in tmp, parses `md` as a case and returns what `make`
 * makes of it (or ""); the messages in *msgs. */
static char *run_case(const char *md, case_fn make, char **msgs) {
  diag *dg = diag_new();
  vk_content *c = document_load(tmp, NULL, dg);
  char *html = NULL;
  if (c) {
    char *text = xasprintf("---\nid: x\ntitle: Titeln\n---\n%s", md);
    vk_doc *d =
        document_from_text(text, strlen(text), "cases/x.md", "content/cases/x.md", c->site, dg);
    vk_filters *f = filters_new(c, c->site->orgs[0], c->site->roles[0], "html", dg);
    if (d)
      html = make(c, d, f, dg);
    filters_free(f);
    doc_free(d);
    free(text);
  }
  content_free(c);
  *msgs = diag_text(dg);
  diag_free(dg);
  return html ? html : xstrdup("");
}

static char *filtered(vk_content *c, vk_doc *d, vk_filters *f, diag *dg) {
  (void)c;
  cmark_node *tree = md_clone(d->tree);
  if (f)
    filters_run(f, d, &tree, dg);
  return render(tree);
}

/* Runs `filter` on `md` (a case document) and returns the HTML; errors in *msgs. */
static char *run(const char *filter, const char *md, char **msgs) {
  write_site(filter);
  return run_case(md, filtered, msgs);
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

/* Runs `filter` on `md` and checks that the messages (on one line) hold `want`. */
static void expect_msg(const char *filter, const char *md, const char *want, const char *what) {
  char *msgs;
  char *html = run(filter, md, &msgs);
  for (char *nl; (nl = strchr(msgs, '\n'));)
    *nl = ' ';
  CHECK(strstr(msgs, want) != NULL, "%s (got: %.300s)", what, msgs);
  free(html);
  free(msgs);
}

static void expect_error(const char *filter, const char *want, const char *what) {
  expect_msg(filter, "Ett stycke.\n", want, what);
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
  vk_content *c = document_load(tmp, NULL, dg);
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

/* ---- built-ins: variables and glossary ---------------------------------- */

static char *def_url(void *ud, const vk_doc *target, const char *anchor) {
  (void)ud;
  (void)anchor;
  return xasprintf("/def/%s.html", target->id);
}

static void write_definition(void) {
  char *dir = xasprintf("%s/definitions", tmp), *p = xasprintf("%s/hot.md", dir);
  mkdir_p(dir);
  const char *md = "---\nid: hot\ntitle: Hot\nterm: hot\nsynonyms: [hotet]\n"
                   "summary: Ett uttalande som skrämmer.\n---\n\nHot är allvarligt.\n";
  write_file(p, md, strlen(md));
  free(p);
  free(dir);
}

static char *through_variant(vk_content *c, vk_doc *d, vk_filters *f, diag *dg) {
  vk_org *o = c->site->orgs[0];
  vk_role *r = c->site->roles[0];
  vk_glossary *g = variant_glossary_new(c, o, r);
  vk_variant_ctx v = {c, o, r, f, def_url, NULL, g};
  char *html = render(variant_tree(&v, d, dg));
  variant_glossary_free(g);
  return html;
}

/* Builds `md` (a case) through variant_tree as the HTML pages do — the
 * built-ins, then the chain — with site.yaml settings `top` and `org`. */
static char *run_variant(const char *top, const char *org, const char *md, char **msgs) {
  write_site_with("", top, org);
  return run_case(md, through_variant, msgs);
}

static void expect_variant(const char *top, const char *org, const char *want, bool present,
                           const char *what) {
  char *msgs;
  char *html = run_variant(top, org, "Vid hot i {{incident_system}}: hotet igen.\n", &msgs);
  bool ok = (strstr(html, want) != NULL) == present;
  CHECK(ok, "%s", what);
  if (!ok)
    printf("# html: %s\n# diag: %s\n", html, msgs);
  free(html);
  free(msgs);
}

static void expect_site_error(const char *top, const char *org, const char *want,
                              const char *what) {
  char *msgs;
  char *html = run_variant(top, org, "x\n", &msgs);
  CHECK(strstr(msgs, want) != NULL, "%s (got: %.300s)", what, msgs);
  free(html);
  free(msgs);
}

static void builtins(void) {
  write_definition();
  const char *link = "<a class=\"glossary-term\" href=\"/def/hot.html\"";
  expect_variant("", "", "Vid <span class=\"gloss\"><a class=\"glossary-term\"", true,
                 "default: the glossary links the first mention of a term");
  expect_variant("", "", "KIA: hotet igen", true,
                 "default: variables filled in; a term's synonym is not linked a second time");
  expect_variant("builtins: {glossary: false}\n", "", link, false,
                 "builtins.glossary false: no glossary links");
  expect_variant("builtins: {glossary: false}\n", "", "KIA", true,
                 "switching the glossary off leaves the variables on");
  expect_variant("builtins: {variables: false}\n", "", "i {{incident_system}}:", true,
                 "builtins.variables false: {{name}} stays as written");
  expect_variant("builtins: {glossary: ordlista.lua}\n", "",
                 "Vid <span class=\"gloss\"><a class=\"glossary-term\" href=\"/def/hot.html\"",
                 true,
                 "a Lua replacement of the glossary runs (vaksam.glossary and link_to resolve to "
                 "the definition's URL)");
  expect_variant("builtins: {glossary: ordlista.lua}\n", "",
                 "href=\"/def/hot.html\" aria-describedby=\"x-def-2\">hotet</a>", true,
                 "the replacement links every mention (the synonym too), unlike the built-in");
  expect_variant("builtins: {glossary: ordlista.lua}\n", "", "i KIA: hotet igen", false,
                 "the built-in's output (second mention unlinked) is gone when replaced");
  expect_variant("builtins: {variables: variabler.lua}\n", "", "i <strong>KIA</strong>:", true,
                 "a Lua replacement of the variables step runs instead");
  expect_variant("builtins: {variables: variabler.lua}\n", "", link, true,
                 "the native glossary still runs after a Lua variables step");
  expect_variant("builtins: {glossary: ordlista.lua}\n", ", builtins: {glossary: false}", "<a ",
                 false, "an organisation's setting wins over the site's");
  expect_variant("builtins: {glossary: false}\n", ", builtins: {glossary: true}", link, true,
                 "an organisation can switch a built-in back on");
  expect_site_error("builtins: {glosary: false}\n", "",
                    "site.yaml:4:21: error: unknown built-in 'glosary' — the built-ins are "
                    "`variables` and `glossary`",
                    "an unknown built-in is an error at file:line:col");
  expect_site_error("builtins: {glossary: saknas.lua}\n", "",
                    "site.yaml:4:22: error: built-in 'glossary' is replaced by "
                    "filters/saknas.lua, which cannot be read",
                    "a missing replacement file is an error at file:line:col");
  expect_site_error("builtins: {glossary: 3}\n", "",
                    "built-in 'glossary' must be true, false or a filter file",
                    "a replacement that is not a file name or a boolean is an error");
  expect_site_error("builtins: [glossary]\n", "", "'builtins' must be a map",
                    "builtins must be a map");
  char *p = xasprintf("%s/definitions", tmp);
  rm_rf(p);
  free(p);
}

/* ---- wrong return types --------------------------------------------------- */

static void expect_return_error(const char *src, const char *want, const char *what) {
  char *f = xasprintf("%s/filters/wrong.lua", tmp);
  write_file(f, src, strlen(src));
  free(f);
  expect_msg("wrong.lua", "Ett *stycke*.\n\n# Rubrik\n", want, what);
}

static void expect_src(const char *src, const char *md, const char *want, const char *what) {
  char *f = xasprintf("%s/filters/src.lua", tmp);
  write_file(f, src, strlen(src));
  free(f);
  expect("src.lua", md, want, what);
}

/* Filters without inline functions skip the inlines, filters with only Doc
 * skip the walk: what they see must not change. */
static void walk_shortcuts(void) {
  expect_src("return { { Para = function(p) return vaksam.BlockQuote(vaksam.Div(vaksam.Div(p))) "
             "end }, { Div = function(d) d.attr.classes = {'hittad'} return d end } }\n",
             "text\n", "<blockquote>\n<div class=\"hittad\">\n<div class=\"hittad\">",
             "a Div-only filter still reaches Divs nested in a BlockQuote and a Div");
  expect_src("return { { Para = function(p) return vaksam.BulletList({{vaksam.Div(p), p}}) end },"
             " { Div = function() return {} end } }\n",
             "hemligt\n", "<li>hemligt</li>", "a Div-only filter reaches Divs inside list items");
  expect_src("return { { Para = function(p) return vaksam.Para('ny') end },"
             " { Doc = function(d) table.insert(d.blocks, vaksam.Para('sist')) return d end } }\n",
             "gammal\n", "<p>ny</p>\n<p>sist</p>",
             "a Doc-only filter after a block filter sees its result");
}

static void wrong_returns(void) {
  expect_return_error("return {\n  Str = function() return 42 end }\n",
                      "filters/wrong.lua:2: error: the Str function must return nil, an element "
                      "or a list of elements, not a number",
                      "a number returned: error at the function's file:line");
  expect_return_error("return { Para = function() return 'text' end }\n",
                      "the Para function must return nil, an element or a list of elements, not "
                      "a string",
                      "a string returned: error");
  expect_return_error("return { Str = function() return vaksam.Para('x') end }\n",
                      "filters/wrong.lua:1: error: the Str function returned a Para where an "
                      "inline belongs",
                      "a block where an inline belongs: error");
  expect_return_error("return { Para = function() return vaksam.Emph('x') end }\n",
                      "the Para function returned a Emph where a block belongs — wrap inlines in "
                      "vaksam.Para",
                      "an inline where a block belongs: error");
  expect_return_error("return { Para = function() return {1, 2} end }\n",
                      "the Para function returned a list holding a number",
                      "a list of numbers: error");
  expect_return_error("return { Header = function() return {{level = 2}} end }\n",
                      "the Header function returned a table that is not an element",
                      "a table without t: error");
  expect_return_error("return { Para = function(p) p.content = 5 return p end }\n",
                      "the Para function returned a Para whose content is a number",
                      "content of the wrong type: error");
  expect_return_error(
      "return { Para = function() return vaksam.Para({vaksam.Emph({vaksam.Para('x')})}) end }\n",
      "a filter left a 'Para' where an inline element belongs",
      "a block nested deep inside inlines: error when the tree is built");
  expect_return_error("return { Doc = function(d) d.blocks = {vaksam.Str('x')} return d end }\n",
                      "a filter left a 'Str' where a block element belongs",
                      "Doc() putting an inline among blocks: error");
  expect_return_error("return { Doc = function(d) d.blocks = {true} return d end }\n",
                      "a filter left a boolean in a list of blocks",
                      "Doc() putting a boolean among blocks: error");
  expect_return_error("return { Doc = function() return 5 end }\n",
                      "Doc() must return the document or nil", "Doc() returning a number: error");
  expect_return_error(
      "return {\n Para = function(p) return setmetatable({}, {__index = "
      "function() return 'Para' end}) end }\n",
      "filters/wrong.lua:2: error: the Para function returned a table that is not an element",
      "metatables are not consulted (raw access): error, no crash");
  expect_return_error(
      "local t = {} t[1] = t\nreturn { Para = function() return vaksam.Div(t) end }\n",
      "a filter left a table without a field t in a list of blocks",
      "a list that contains itself: an error, not a hang or crash");
  expect_return_error("return { { Para = function() local t = {t = 'Div'} t.content = {t} "
                      "return t end }, { Str = function() end } }\n",
                      "nested more than 200 levels deep (a table that contains itself?)",
                      "a Div that contains itself, walked by the next filter: an error");
  expect_return_error("return { Para = function() local t = {t = 'Div'} t.content = {t} "
                      "return t end }\n",
                      "a filter left elements nested more than 200 levels deep",
                      "a Div that contains itself, built into the tree: an error");
  expect_return_error("return { { Para = function() return vaksam.Str('x') end },"
                      " { Str = function() return 1 end } }\n",
                      "the Para function returned a Str where a block belongs",
                      "the first wrong return in a chain is reported");
}

/* ---- text a filter leaves: checked in the rebuild, named by a replay ------ */

static void write_filter(const char *name, const char *src) {
  char *f = xasprintf("%s/filters/%s", tmp, name);
  write_file(f, src, strlen(src));
  free(f);
}

/* Runs the chain `files` (site.yaml's list) on a case and checks that the
 * messages hold `want` and not `unwanted` (NULL: no such check). */
static void expect_chain_msg(const char *files, const char *want, const char *unwanted,
                             const char *what) {
  char *msgs;
  char *html = run(files, "Ett *stycke*.\n\n# Rubrik\n", &msgs);
  for (char *nl; (nl = strchr(msgs, '\n'));)
    *nl = ' ';
  bool ok = strstr(msgs, want) != NULL && (!unwanted || !strstr(msgs, unwanted));
  CHECK(ok, "%s (got: %.400s)", what, msgs);
  free(html);
  free(msgs);
}

/* A filter that carries state from one document to the next: the fault in
 * the second document happens in neither replay (a fresh state, this
 * state), so the error is the rebuild's own, at the last position seen. */
static void second_document_fault(void) {
  write_filter("second.lua", "local n = 0\nreturn { Doc = function(d)\n  n = n + 1\n"
                             "  if n == 2 then d.blocks[1].content[1].text = 'x\\2' end\n"
                             "  return d\nend }\n");
  write_site("second.lua");
  diag *dg = diag_new();
  vk_content *c = document_load(tmp, NULL, dg);
  const char *text = "---\nid: x\ntitle: T\n---\nEtt stycke.\n";
  vk_doc *d =
      c ? document_from_text(text, strlen(text), "cases/x.md", "content/cases/x.md", c->site, dg)
        : NULL;
  vk_filters *f = c ? filters_new(c, c->site->orgs[0], c->site->roles[0], "html", dg) : NULL;
  int rc[2] = {-2, -2};
  for (int i = 0; i < 2 && d && f; i++) {
    cmark_node *tree = md_clone(d->tree);
    rc[i] = filters_run(f, d, &tree, dg);
    cmark_node_free(tree);
  }
  char *msgs = diag_text(dg);
  for (char *nl; (nl = strchr(msgs, '\n'));)
    *nl = ' ';
  CHECK(rc[0] == 0 && rc[1] == -1 &&
            strstr(msgs, "filters/second.lua:2: error: a filter left a Str whose text holds a "
                         "control character") &&
            !strstr(msgs, "the Doc function"),
        "a fault no replay repeats is reported as the rebuild found it (got %d %d: %.300s)", rc[0],
        rc[1], msgs);
  free(msgs);
  filters_free(f);
  doc_free(d);
  content_free(c);
  diag_free(dg);
}

static void text_faults(void) {
  write_filter("later.lua", "return {\n  Para = function(p) return p end,\n"
                            "  Doc = function(d) return d end }\n");
  write_filter("fault.lua", "return {\n  Str = function(s)\n"
                            "    if s.text == 'stycke' then return vaksam.Str('a\\255b') end\n"
                            "  end }\n");
  expect_chain_msg("fault.lua, later.lua",
                   "filters/fault.lua:2: error: the Str function left a Str whose text is not "
                   "valid UTF-8 (byte 2: 0xff)",
                   "later.lua",
                   "a fault left by a Str function is named there, not by the Para "
                   "and Doc functions of the filter that runs after it");
  write_filter("inplace.lua", "return {\n  Header = function(h)\n"
                              "    h.attr.classes[1] = 'x\\1' end }\n");
  expect_chain_msg("inplace.lua, later.lua",
                   "filters/inplace.lua:2: error: the Header function left a Header whose class "
                   "holds a control character",
                   "later.lua",
                   "a fault changed in place by a function returning nil is named "
                   "at that function");
  write_filter("docnil.lua", "local keep\nreturn {\n  Str = function(s) keep = keep or s end,\n"
                             "  Doc = function(d)\n    keep.text = '\\239\\191\\190' end }\n");
  expect_chain_msg("docnil.lua, later.lua",
                   "filters/docnil.lua:4: error: the Doc function left a Str whose text holds "
                   "U+FFFE or U+FFFF",
                   "later.lua",
                   "text changed through a kept reference by a Doc function "
                   "returning nil is named at that Doc function");
  write_filter("keptlater.lua", "local keep\nreturn {\n"
                                "  { Str = function(s) keep = keep or s end },\n"
                                "  { Para = function(p) keep.text = 'x\\0' end } }\n");
  expect_chain_msg("keptlater.lua",
                   "the Para function left a Str whose text holds a control character", NULL,
                   "a function that changes a kept element in place while given its parent is "
                   "named");
  write_filter("overlong.lua", "return { Link = function() end,\n"
                               "  Para = function() return vaksam.Para(vaksam.Link('x', "
                               "'https://a/\\192\\175')) end }\n");
  expect_chain_msg("overlong.lua, later.lua",
                   "filters/overlong.lua:2: error: the Para function left a Link whose target is "
                   "not valid UTF-8",
                   "later.lua", "an overlong encoding in a link target is caught and named");
  write_filter("surrogate.lua", "return { Str = function() return vaksam.Code('\\237\\160\\128') "
                                "end }\n");
  expect_chain_msg("surrogate.lua",
                   "filters/surrogate.lua:1: error: the Str function left a Code whose text is "
                   "not valid UTF-8",
                   NULL, "a UTF-16 surrogate is not UTF-8");
  write_filter("once.lua", "local n = 0\nreturn { Doc = function(d)\n  n = n + 1\n"
                           "  if n == 1 then d.blocks[1].content[1].text = 'x\\2' end\n"
                           "  return d\nend }\n");
  expect_chain_msg("once.lua",
                   "filters/once.lua:2: error: the Doc function left a Str whose text holds a "
                   "control character",
                   NULL,
                   "the replay runs in a fresh state: a filter counting its calls does what "
                   "it did and is named");
  second_document_fault();
  char *msgs;
  write_filter("unread.lua", "return { Para = function(p) p.text = 'x\\1' return p end }\n");
  char *html = run("unread.lua", "Ett stycke.\n", &msgs);
  CHECK(strstr(html, "<p>Ett stycke.</p>") && !strstr(msgs, "error"),
        "a field the rebuild does not read (Para.text) is not text for the writers: no error "
        "(got: %.300s)",
        msgs);
  free(html);
  free(msgs);
}

/* ---- fuzz crashers -------------------------------------------------------- */

/* Replays tests/data/fuzz-crashers/filter/ as tests/fuzz/fuzz_filter.c runs
 * them: each must end in an error or a document (ASan checks the rest). */
static void replay_crashers(const char *root) {
  char *dir = xasprintf("%s/tests/data/fuzz-crashers/filter", root);
  vec names = {0};
  list_dir_sorted(dir, "", &names);
  write_site("fuzz.lua");
  diag *load = diag_new();
  vk_content *c = document_load(tmp, NULL, load);
  vk_doc *d = c ? document_from_text(fg_document, sizeof fg_document - 1, "cases/x.md",
                                     "content/cases/x.md", c->site, load)
                : NULL;
  for (size_t i = 0; i < names.n && d; i++) {
    char *path = path_join(dir, names.items[i]);
    size_t len;
    char *data = read_file(path, &len);
    char *src = fg_filter((const uint8_t *)data, len);
    char *lua = xasprintf("%s/filters/fuzz.lua", tmp);
    write_file(lua, src, strlen(src));
    diag *dg = diag_new();
    vk_filters *f = filters_new(c, c->site->orgs[0], c->site->roles[0], "html", dg);
    cmark_node *tree = md_clone(d->tree);
    int rc = f ? filters_run(f, d, &tree, dg) : -1;
    CHECK((rc == 0 && cmark_node_get_type(tree) == CMARK_NODE_DOCUMENT) ||
              (rc != 0 && diag_errors(dg) > 0),
          "fuzz input filter/%s: an error or a document", (char *)names.items[i]);
    cmark_node_free(tree);
    filters_free(f);
    diag_free(dg);
    free(lua);
    free(src);
    free(data);
    free(path);
    free(names.items[i]);
  }
  vec_free(&names);
  doc_free(d);
  content_free(c);
  diag_free(load);
  free(dir);
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
  expect(
      "sandbox.lua", "x\n",
      "execute=nil popen=nil require_escape=false require_ok=42 bytecode=nil debug=nil passwd=nil "
      "escape=false inside=true",
      "sandbox: no os.execute, io.popen, debug, bytecode; require and reading only inside the "
      "content folder");
  identity_round_trip(root);
  builtins();
  walk_shortcuts();
  wrong_returns();
  text_faults();
  replay_crashers(root);

  expect_error("loop.lua", "filters/loop.lua:5: error: the filter ran more than",
               "an endless loop is stopped and named with file:line");
  expect_error("loop.lua", "(filtering content/cases/x.md for org=kommunen role=chef)",
               "the error names the document, organisation and role");
  expect_error("memory.lua", "filters/memory.lua:", "a memory bomb is stopped and named");
  expect_error("memory.lua", "not enough memory", "the memory error says what happened");
  expect_error("syntax.lua", "filters/syntax.lua:3:", "a syntax error names file:line");
  expect_error("runtime.lua", "filters/runtime.lua:3:", "a runtime error names file:line");
  expect_error("warn.lua",
               "filters/warn.lua:3: warning: ett stycke utan rubrik i kommunen under nil "
               "(filtering content/cases/x.md for org=kommunen role=chef)",
               "vaksam.warn reports at the filter's file:line with the document and variant");
  expect_error("missing.lua", "filters/missing.lua: error: cannot read the filter",
               "a missing filter file is an error");
  rm_rf(tmp);
  return check_failures ? 1 : 0;
}
