/* test_html.c — the HTML writer against every CommonMark and GFM example,
 * plus what vaksam adds (ids, containers, safe links, task boxes).
 *
 * The writer differs from the reference output on purpose in a few places
 * (see html.h); normalise() undoes exactly those before comparing:
 * heading ids, the table wrapper, align as style, scope="col", void
 * elements without " /", task-item markup. Examples with javascript:/
 * vbscript:/file:/data: links are compared after removing the link the
 * writer drops on purpose (checked separately below). */
#include "../check.h"
#include "html.h"
#include "markdown.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

static char *replace_all(const char *s, const char *pattern, const char *with) {
  regex_t re;
  if (regcomp(&re, pattern, REG_EXTENDED) != 0)
    return xstrdup(s);
  sbuf out = {0};
  regmatch_t m[2];
  const char *p = s;
  while (*p && regexec(&re, p, 2, m, p == s ? 0 : REG_NOTBOL) == 0) {
    sbuf_putn(&out, p, (size_t)m[0].rm_so);
    /* "\\1" in `with` stands for the first group */
    for (const char *w = with; *w; w++) {
      if (w[0] == '\\' && w[1] == '1' && m[1].rm_so >= 0) {
        sbuf_putn(&out, p + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
        w++;
      } else {
        sbuf_putc(&out, *w);
      }
    }
    p += m[0].rm_eo > 0 ? m[0].rm_eo : 1;
    if (m[0].rm_eo == 0)
      sbuf_putc(&out, p[-1]);
  }
  sbuf_puts(&out, p);
  regfree(&re);
  return sbuf_take(&out);
}

static char *normalise(const char *html) {
  static const char *const rules[][2] = {
      {"<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"[^\"]*\">\n", ""},
      {"</table>\n</div>\n", "</table>\n"},
      {"(<h[1-6]) id=\"[^\"]*\"", "\\1"},
      {" style=\"text-align: (left|center|right)\"", " align=\"\\1\""},
      {" scope=\"col\"", ""},
      {" />", ">"},
      {"<li class=\"task\">", "<li>"},
      {" id=\"x-uppgift-[0-9]+\"", ""},
      {"<label for=\"x-uppgift-[0-9]+\">", " "},
      {"</label>", ""},
      {"=\"\"", ""},
      {"<input type=\"checkbox\" checked disabled>", "<input checked disabled type=\"checkbox\">"},
      {"<input type=\"checkbox\" disabled>", "<input disabled type=\"checkbox\">"},
      {"<input type=\"checkbox\" disabled checked>", "<input checked disabled type=\"checkbox\">"},
      {"<input disabled type=\"checkbox\">  ", "<input disabled type=\"checkbox\"> "},
      {"<input checked disabled type=\"checkbox\">  ",
       "<input checked disabled type=\"checkbox\"> "},
  };
  char *s = xstrdup(html);
  for (size_t i = 0; i < sizeof rules / sizeof *rules; i++) {
    char *n = replace_all(s, rules[i][0], rules[i][1]);
    free(s);
    s = n;
  }
  return s;
}

static bool has_dangerous_link(const char *md) {
  return strstr(md, "javascript:") || strstr(md, "vbscript:") || strstr(md, "file:") ||
         strstr(md, "data:") || strstr(md, "JAVASCRIPT:");
}

static char *render_md(const char *md, size_t len, const html_opts *o) {
  diag *dg = diag_new();
  cmark_node *t = md_parse(md, len, 1, "t.md", dg);
  sbuf out = {0};
  html_render(t, o, &out);
  cmark_node_free(t);
  diag_free(dg);
  return sbuf_take(&out);
}

/* Examples that differ from the reference on purpose, by number:
 *  spec.txt 176, 188: the example text itself holds a line of 32 backticks,
 *    which this test's simple example splitter cannot handle;
 *  spec.txt 610 614 616 619 620: vaksam enables GFM autolinks, spec.txt
 *    expects plain CommonMark;
 *  spec.txt 653, extensions.txt 22: GFM's tagfilter — vaksam escapes all raw
 *    HTML by default instead;
 *  extensions.txt 20: the expected output is "<IGNORE>" (a crash test);
 *  extensions.txt 23, regression.txt 13: footnotes, not enabled in vaksam. */
static bool known_difference(const char *file, int n) {
  static const struct {
    const char *file;
    int n;
  } known[] = {{"spec.txt", 176},      {"spec.txt", 188},      {"spec.txt", 610},
               {"spec.txt", 614},      {"spec.txt", 616},      {"spec.txt", 619},
               {"spec.txt", 620},      {"spec.txt", 653},      {"extensions.txt", 20},
               {"extensions.txt", 22}, {"extensions.txt", 23}, {"regression.txt", 13}};
  for (size_t i = 0; i < sizeof known / sizeof *known; i++)
    if (known[i].n == n && strcmp(known[i].file, file) == 0)
      return true;
  return false;
}

static void examples(const char *root, const char *file) {
  char *path = xasprintf("%s/tests/data/commonmark/%s", root, file);
  size_t len;
  char *text = read_file(path, &len);
  free(path);
  if (!text) {
    CHECK(0, "read %s", file);
    return;
  }
  html_opts o = {.allow_raw_html = true};
  int n = 0, same = 0, skipped = 0;
  const char *fence = "```````````````````````````````` example";
  for (char *p = strstr(text, fence); p; p = strstr(p, fence)) {
    p = strchr(p, '\n') + 1;
    char *dot = strstr(p, "\n.\n");
    char *end = dot ? strstr(dot + 3, "\n````````````````````````````````") : NULL;
    if (!dot || !end)
      break;
    sbuf in = {0}, want = {0};
    for (char *q = p; q <= dot; q++)
      if (strncmp(q, "\xe2\x86\x92", 3) == 0)
        sbuf_putc(&in, '\t'), q += 2;
      else
        sbuf_putc(&in, *q);
    for (char *q = dot + 3; q <= end; q++)
      if (strncmp(q, "\xe2\x86\x92", 3) == 0)
        sbuf_putc(&want, '\t'), q += 2;
      else
        sbuf_putc(&want, *q);
    n++;
    char *got = render_md(sbuf_str(&in), in.len, &o);
    if (has_dangerous_link(sbuf_str(&in)) || known_difference(file, n)) {
      skipped++;
    } else {
      char *a = normalise(got), *b = normalise(sbuf_str(&want));
      if (strcmp(a, b) == 0)
        same++;
      else if (n < 2000)
        printf("# %s example %d differs:\n# want: %s\n# got:  %s\n", file, n, b, a);
      free(a);
      free(b);
    }
    free(got);
    sbuf_free(&in);
    sbuf_free(&want);
    p = end;
  }
  int compared = n - skipped;
  CHECK(compared > 0 && same == compared,
        "%s: %d of %d examples match the reference (%d known differences left out)", file, same,
        compared, skipped);
  free(text);
}

static void contains(const char *md, const html_opts *o, const char *want, const char *what) {
  char *got = render_md(md, strlen(md), o);
  CHECK(strstr(got, want) != NULL, "%s", what);
  if (!strstr(got, want))
    printf("# got: %s\n", got);
  free(got);
}

static void lacks(const char *md, const html_opts *o, const char *bad, const char *what) {
  char *got = render_md(md, strlen(md), o);
  CHECK(strstr(got, bad) == NULL, "%s", what);
  free(got);
}

int main(void) {
  md_init();
  const char *root = getenv("VAKSAM_ROOT") ? getenv("VAKSAM_ROOT") : ".";
  examples(root, "spec.txt");
  examples(root, "extensions.txt");
  examples(root, "regression.txt");

  /* the words of boxes come from the default theme's labels.yaml */
  char *theme_dir = xasprintf("%s/themes/default", root);
  diag *tdg = diag_new();
  vk_theme *theme = theme_load(theme_dir, tdg);
  CHECK(theme != NULL, "the default theme loads");
  html_opts page = {.heading_offset = 1, .id_prefix = "rutin", .labels = theme_labels(theme)};
  contains("# Före\n\n## Före\n", &page, "<h2 id=\"fore\">Före</h2>\n<h3 id=\"fore-1\">",
           "heading ids: slug, then -1; offset shifts levels");
  contains("###### Djup\n", &page, "<h6 id=\"djup\">", "heading levels clamp at h6");
  contains("::: {.handledning roles=\"chef\"}\nText\n:::\n", &page,
           "<aside class=\"handledning\" aria-label=\"Handledning\">",
           "facilitator notes become an aside");
  lacks("::: {.handledning roles=\"chef\"}\nText\n:::\n", &page, "roles",
        "roles are never written to the page");
  contains("::: {.viktigt}\nText\n:::\n", &page,
           "<div class=\"box viktigt\" role=\"note\">\n<p class=\"box-label\">Viktigt</p>",
           "note boxes have a visible label");
  contains("[x](javascript:alert(1))\n", &page, "<p>x</p>",
           "javascript: links lose the link, keep the text");
  contains("<script>alert(1)</script>\n", &page, "&lt;script&gt;",
           "raw HTML is escaped by default");
  lacks("a <b>b</b>\n", &page, "<b>", "inline raw HTML is escaped by default");
  html_opts check = {.interactive_tasks = true, .id_prefix = "lista"};
  contains("- [ ] Ett\n- [x] Två\n", &check,
           "<li class=\"task\"><input type=\"checkbox\" id=\"lista-uppgift-2\" checked><label "
           "for=\"lista-uppgift-2\">Två</label>",
           "interactive task items: stable ids, labels");
  contains("- [ ] Ett\n", &page, "disabled", "task items are disabled outside checklists");
  contains("| a |\n|:-:|\n| b |\n", &page, "<th scope=\"col\" style=\"text-align: center\">a</th>",
           "table header cells: scope and alignment");
  contains("| a |\n|---|\n| b |\n", &page,
           "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Tabell\"",
           "tables scroll in a focusable region labelled from the theme");
  contains("[ö](<https://x.se/å ä>)\n", &page, "href=\"https://x.se/%C3%A5%20%C3%A4\"",
           "URLs are percent-encoded");
  contains("![Bild *ett*](b.png)\n", &page, "<img src=\"b.png\" alt=\"Bild ett\">",
           "image alt from its text");

  /* Glossary links carry the definition as an accessible tooltip. */
  diag *dg = diag_new();
  cmark_node *t = md_parse("Se [hot](x).\n", 13, 1, "g.md", dg);
  cmark_node *link = cmark_node_next(cmark_node_first_child(cmark_node_first_child(t)));
  md_attrs *a = md_attrs_new();
  vec_push(&a->classes, xstrdup("glossary-term"));
  vec_push(&a->keys, xstrdup("definition"));
  vec_push(&a->vals, xstrdup("Ett uttalande som skrämmer."));
  CHECK(md_set_attrs(link, a), "a link can carry attributes");
  sbuf out = {0};
  html_render(t, &page, &out);
  CHECK(strstr(sbuf_str(&out),
               "aria-describedby=\"rutin-def-1\">hot</a><span class=\"gloss-def\" role=\"tooltip\" "
               "id=\"rutin-def-1\">Ett uttalande som skrämmer.</span>") != NULL,
        "glossary link with tooltip described by id");
  sbuf_free(&out);
  html_toc_entry *toc;
  size_t n = html_toc(t, &page, &toc);
  CHECK(n == 0, "no headings, empty table of contents");
  html_toc_free(toc, n);
  cmark_node_free(t);
  diag_free(dg);
  theme_free(theme);
  diag_free(tdg);
  free(theme_dir);
  return check_failures ? 1 : 0;
}
