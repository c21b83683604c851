/* test_mustache.c — the official Mustache spec suite (tests/data/mustache,
 * MIT licence in LICENSE there), plus error reporting and recursion limits.
 * The JSON files are read with libyaml (JSON is YAML's flow style). */
#include "../check.h"
#include "mustache.h"
#include "yamlval.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  const vk_value *partials; /* map name → template text */
  vec compiled;             /* mu_template* kept alive for this test */
  vec names;
} spec_partials;

static const mu_template *partial_lookup(void *ud, const char *name) {
  spec_partials *p = ud;
  for (size_t i = 0; i < p->names.n; i++)
    if (strcmp(p->names.items[i], name) == 0)
      return p->compiled.items[i];
  const char *src = p->partials ? vk_map_str(p->partials, name) : NULL;
  if (!src)
    return NULL;
  diag *dg = diag_new();
  mu_template *t = mu_compile(src, strlen(src), name, dg);
  diag_free(dg);
  vec_push(&p->names, xstrdup(name));
  vec_push(&p->compiled, t);
  return t;
}

static void run_spec_file(const char *root, const char *file) {
  char *path = xasprintf("%s/tests/data/mustache/%s", root, file);
  size_t len;
  char *text = read_file(path, &len);
  diag *dg = diag_new();
  vk_value *doc = text ? yaml_to_value(text, len, path, 0, dg) : NULL;
  vk_value *tests = doc ? vk_map_get(doc, "tests") : NULL;
  CHECK(tests && tests->type == VK_LIST, "%s: the spec file parses", file);
  for (size_t i = 0; tests && i < tests->u.list.n; i++) {
    const vk_value *t = tests->u.list.items[i];
    const char *name = vk_map_str(t, "name"), *tpl = vk_map_str(t, "template"),
               *expected = vk_map_str(t, "expected");
    spec_partials p = {vk_map_get(t, "partials"), {0}, {0}};
    diag *tdg = diag_new();
    mu_template *m = mu_compile(tpl, strlen(tpl), name, tdg);
    sbuf out = {0};
    if (m)
      mu_render(m, vk_map_get(t, "data"), partial_lookup, &p, &out);
    bool same = m && strcmp(sbuf_str(&out), expected) == 0;
    CHECK(same, "%s: %s", file, name);
    if (!same)
      printf("# want [%s]\n# got  [%s]\n", expected, sbuf_str(&out));
    sbuf_free(&out);
    mu_free(m);
    for (size_t k = 0; k < p.names.n; k++) {
      free(p.names.items[k]);
      mu_free(p.compiled.items[k]);
    }
    vec_free(&p.names);
    vec_free(&p.compiled);
    diag_free(tdg);
  }
  vk_value_free(doc);
  diag_free(dg);
  free(text);
  free(path);
}

static void expect_compile_error(const char *src, const char *want, const char *what) {
  diag *dg = diag_new();
  mu_template *t = mu_compile(src, strlen(src), "t.mustache", dg);
  char *msg = diag_text(dg);
  for (char *nl; (nl = strchr(msg, '\n'));)
    *nl = ' ';
  CHECK(!t && strstr(msg, want), "%s (got: %.120s)", what, msg);
  free(msg);
  mu_free(t);
  diag_free(dg);
}

static const mu_template *self_partial(void *ud, const char *name) {
  (void)name;
  return ud;
}

int main(void) {
  const char *root = getenv("VAKSAM_ROOT") ? getenv("VAKSAM_ROOT") : ".";
  const char *files[] = {"comments.json", "delimiters.json", "interpolation.json",
                         "inverted.json", "partials.json",   "sections.json"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++)
    run_spec_file(root, files[i]);

  expect_compile_error("a\n{{#x}}b",
                       "t.mustache:2:", "an unclosed section is an error with its position");
  expect_compile_error("{{#a}}{{/b}}", "t.mustache:1:7: error: closing tag 'b' does not match",
                       "a mismatched closing tag names both");
  expect_compile_error("x {{y", "t.mustache:1:3: error: unclosed tag",
                       "an unclosed tag names its line and column");
  expect_compile_error("{{/a}}", "without an open section", "a stray closing tag");

  /* Variable texts (labels): plain rendering and the names a text needs. */
  {
    diag *d2 = diag_new();
    const char *lbl = "Ring {{tel}}{{#mail}}, skriv till {{mail}}{{/mail}}{{^x}} & {{y}}{{/x}}.";
    mu_template *tl = mu_compile(lbl, strlen(lbl), "label", d2);
    vk_value *vars = vk_map();
    vk_map_put(vars, "tel", "010 <1>");
    sbuf o = {0};
    mu_render_text(tl, vars, &o);
    CHECK_STR(sbuf_str(&o), "Ring 010 <1> & .",
              "mu_render_text does not escape and leaves out a section without its name");
    sbuf_free(&o);
    vec need = {0};
    mu_bare_names(tl, &need);
    CHECK(need.n == 1 && strcmp(need.items[0], "tel") == 0,
          "mu_bare_names: only the names outside every section");
    vec_free(&need);
    vk_value_free(vars);
    mu_free(tl);
    diag_free(d2);
  }

  /* A partial that includes itself stops at the depth limit. */
  diag *dg = diag_new();
  const char *src = "x{{>self}}";
  mu_template *t = mu_compile(src, strlen(src), "self", dg);
  sbuf out = {0};
  vk_value *data = vk_map();
  mu_render(t, data, self_partial, t, &out);
  CHECK(out.len == MU_MAX_DEPTH + 1, "self-including partial ends after %d levels (got %zu)",
        MU_MAX_DEPTH + 1, out.len);
  sbuf_free(&out);

  /* Two self-includes per level would be 2^32 renders: the step budget ends it. */
  const char *src3 = "{{>self}}{{>self}}";
  mu_template *t3 = mu_compile(src3, strlen(src3), "self2", dg);
  mu_render(t3, data, self_partial, t3, &out);
  CHECK(out.len == 0, "a doubly self-including partial ends (step budget)");
  sbuf_free(&out);
  mu_free(t3);

  /* Integers, escaping of quotes, and "" as falsey. */
  vk_map_set(data, "n", vk_int(42));
  vk_map_set(data, "s", vk_str("\"<&>\""));
  vk_map_set(data, "e", vk_str(""));
  const char *src2 = "{{n}} {{s}} {{{s}}} {{#e}}yes{{/e}}{{^e}}no{{/e}}";
  mu_template *t2 = mu_compile(src2, strlen(src2), "t2", dg);
  mu_render(t2, data, NULL, NULL, &out);
  CHECK_STR(sbuf_str(&out), "42 &quot;&lt;&amp;&gt;&quot; \"<&>\" no",
            "ints, escaping, empty string is falsey");
  sbuf_free(&out);
  /* inputs the fuzzer once found problems with */
  char *cdir = xasprintf("%s/tests/data/fuzz-crashers/mustache", root);
  vec names = {0};
  list_dir_sorted(cdir, "", &names);
  for (size_t i = 0; i < names.n; i++) {
    char *path = path_join(cdir, names.items[i]);
    size_t len;
    char *src4 = read_file(path, &len);
    mu_template *t4 = src4 ? mu_compile(src4, len, "fuzz", dg) : NULL;
    if (t4)
      mu_render(t4, data, self_partial, t4, &out);
    CHECK(src4 != NULL, "fuzz input %s compiles and renders in bounds", (char *)names.items[i]);
    sbuf_free(&out);
    mu_free(t4);
    free(src4);
    free(path);
    free(names.items[i]);
  }
  vec_free(&names);
  free(cdir);
  mu_free(t);
  mu_free(t2);
  vk_value_free(data);
  diag_free(dg);
  return check_failures ? 1 : 0;
}
