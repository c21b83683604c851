/* test_odt.c — the ODT and ODP writers.
 *
 * Every CommonMark/GFM example (tests/data/commonmark) is written as its own
 * ODT and must keep all of its text (raw HTML aside, which is dropped on
 * purpose): every word of the example's text content must appear in
 * content.xml. With --out DIR the test also leaves a stress document made of
 * all examples, a table-in-list document and a slide pack in DIR, for
 * tests/sh/odf_validate.sh to check against the ODF schema. */
#include "../check.h"
#include "markdown.h"
#include "odp.h"
#include "odt.h"
#include "theme.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

static char *content_text(const char *path) {
  int err;
  zip_t *z = zip_open(path, ZIP_RDONLY, &err);
  if (!z)
    return NULL;
  zip_stat_t st;
  char *out = NULL;
  if (zip_stat(z, "content.xml", 0, &st) == 0) {
    zip_file_t *f = zip_fopen(z, "content.xml", 0);
    char *xml = xmalloc(st.size + 1);
    if (f && zip_fread(f, xml, st.size) == (zip_int64_t)st.size) {
      xmlDocPtr doc = xmlReadMemory(xml, (int)st.size, "content.xml", "UTF-8", XML_PARSE_NONET);
      if (doc) {
        xmlChar *t = xmlNodeGetContent(xmlDocGetRootElement(doc));
        out = xstrdup((const char *)t);
        xmlFree(t);
        xmlFreeDoc(doc);
      }
    }
    if (f)
      zip_fclose(f);
    free(xml);
  }
  zip_close(z);
  return out;
}

/* Is every word (run of letters/digits) of `text` somewhere in `hay`? */
static const char *missing_word(const char *text, const char *hay) {
  static char word[256];
  const unsigned char *p = (const unsigned char *)text;
  while (*p) {
    while (*p &&
           !(((*p | 32) >= 'a' && (*p | 32) <= 'z') || (*p >= '0' && *p <= '9') || *p >= 0x80))
      p++;
    size_t n = 0;
    while (*p &&
           ((((*p | 32) >= 'a' && (*p | 32) <= 'z') || (*p >= '0' && *p <= '9') || *p >= 0x80))) {
      if (n < sizeof word - 1)
        word[n++] = (char)*p;
      p++;
    }
    word[n] = 0;
    if (n && !strstr(hay, word))
      return word;
  }
  return NULL;
}

/* Text a reader must find: md_text_content without raw HTML (dropped on purpose). */
static void strip_html(cmark_node *root) {
  cmark_iter *it = cmark_iter_new(root);
  vec kill = {0};
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_ENTER &&
        (md_type_of(n) == MD_HTML_BLOCK || md_type_of(n) == MD_HTML_INLINE))
      vec_push(&kill, n);
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < kill.n; i++)
    cmark_node_free(kill.items[i]);
  vec_free(&kill);
}

typedef struct {
  cmark_node *stress; /* all examples, each under a heading */
  const odf_theme *theme;
  const char *dir;
  vk_write_opts opts;
} ctx;

/* The writers return bytes; the test keeps them in a file to read back. */
static int write_doc(const ctx *c, const odt_doc *d, const char *path, diag *dg) {
  sbuf out = {0};
  int rc = odt_write_doc(d, &c->opts, &out, dg);
  if (rc == 0)
    rc = write_file(path, out.s, out.len);
  sbuf_free(&out);
  return rc;
}

static void examples(ctx *c, const char *root, const char *file) {
  char *path = xasprintf("%s/tests/data/commonmark/%s", root, file);
  size_t len;
  char *text = read_file(path, &len);
  free(path);
  CHECK(text != NULL, "read %s", file);
  if (!text)
    return;
  int n = 0, kept = 0;
  const char *fence = "```````````````````````````````` example";
  char *odt = xasprintf("%s/one.odt", c->dir);
  for (char *p = strstr(text, fence); p; p = strstr(p, fence)) {
    p = strchr(p, '\n') + 1;
    char *dot = strstr(p, "\n.\n");
    if (!dot)
      break;
    sbuf in = {0};
    for (char *q = p; q <= dot; q++)
      if (strncmp(q, "\xe2\x86\x92", 3) == 0)
        sbuf_putc(&in, '\t'), q += 2;
      else
        sbuf_putc(&in, *q);
    n++;
    diag *dg = diag_new();
    cmark_node *t = md_parse(sbuf_str(&in), in.len, 1, "ex.md", dg);
    char *title = xasprintf("%s %d", file, n);
    odt_doc d = {title, "EXEMPEL", NULL, "Test", "1", NULL, t};
    int rc = write_doc(c, &d, odt, dg);
    char *xml = rc == 0 ? content_text(odt) : NULL;
    strip_html(t);
    sbuf words = {0};
    md_text_content(t, &words);
    const char *lost = xml ? missing_word(sbuf_str(&words), xml) : "(no document)";
    if (!lost)
      kept++;
    else
      printf("# %s example %d lost '%s'\n", file, n, lost);
    /* the stress document: a heading, then the example's blocks */
    cmark_node *h = cmark_node_new(CMARK_NODE_HEADING);
    cmark_node_set_heading_level(h, 1);
    cmark_node *ht = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(ht, title);
    cmark_node_append_child(h, ht);
    cmark_node_append_child(c->stress, h);
    cmark_node *again = md_parse(sbuf_str(&in), in.len, 1, "ex.md", dg);
    cmark_node *b;
    while ((b = cmark_node_first_child(again)))
      cmark_node_append_child(c->stress, b);
    cmark_node_free(again);
    free(xml);
    free(title);
    sbuf_free(&words);
    cmark_node_free(t);
    diag_free(dg);
    sbuf_free(&in);
    p = dot;
  }
  unlink(odt);
  free(odt);
  CHECK(n > 0 && kept == n, "%s: %d of %d examples keep all their text in ODT", file, kept, n);
  free(text);
}

static void table_in_list(ctx *c) {
  const char *md =
      "1. Första\n\n   | a | b |\n   |---|--:|\n   | 1 | 2 |\n\n   Efter tabellen\n2. Andra\n"
      "   - [ ] uppgift\n   - [x] klar\n";
  diag *dg = diag_new();
  cmark_node *t = md_parse(md, strlen(md), 1, "t.md", dg);
  char *path = xasprintf("%s/tabell-i-lista.odt", c->dir);
  odt_doc d = {"Tabell i lista", NULL, NULL, "Test", "1", NULL, t};
  CHECK(write_doc(c, &d, path, dg) == 0, "a table inside a list item is written");
  char *xml = content_text(path);
  CHECK(xml && strstr(xml, "Efter tabellen") && strstr(xml, "Andra") && strstr(xml, "uppgift") &&
            strstr(xml, "klar") && !strstr(xml, "☐") && !strstr(xml, "☑"),
        "the list continues after the table; a task item's box is its list marker, not text");
  free(xml);
  free(path);
  cmark_node_free(t);
  diag_free(dg);
}

/* Quotes nested deeper than the writer's style stack (64) keep their text,
 * without an out-of-bounds read (UBSan's bounds check fails the test). */
static void deep_quotes(ctx *c) {
  sbuf md = {0};
  for (int i = 0; i < 90; i++)
    sbuf_puts(&md, "> ");
  sbuf_puts(&md, "Djupt citat.\n");
  diag *dg = diag_new();
  cmark_node *t = md_parse(md.s, md.len, 1, "t.md", dg);
  char *path = xasprintf("%s/djupa-citat.odt", c->dir);
  odt_doc d = {"Djupa citat", NULL, NULL, "Test", "1", NULL, t};
  CHECK(write_doc(c, &d, path, dg) == 0, "quotes nested 90 deep are written");
  char *xml = content_text(path);
  CHECK(xml && strstr(xml, "Djupt citat."),
        "the deepest quote keeps its text (UBSan guards the style stack's bounds)");
  free(xml);
  free(path);
  cmark_node_free(t);
  sbuf_free(&md);
  diag_free(dg);
}

static void slides(ctx *c) {
  slide_deck p = {0};
  p.title = xstrdup("Provpaket");
  p.org_name = xstrdup("Testkommun");
  p.footer = xstrdup("Testkommun · Provpaket");
  slides_add(&p, SLIDE_TITLE, "Arbetsplatsträff", "Provpaket");
  slide *s = slides_add(&p, SLIDE_CASE, "Fall", "Ett långt fall");
  for (int i = 0; i < 12; i++) {
    char *t = xasprintf("Stycke %d: en mening som är lång nog att ta upp mer än en rad "
                        "på bilden när den visas i ett mötesrum med projektor.",
                        i + 1);
    slides_add_para(s->body, t);
    free(t);
  }
  s->notes = cmark_node_new(CMARK_NODE_DOCUMENT);
  slides_add_para(s->notes, "Anteckning för samtalsledaren");
  s = slides_add(&p, SLIDE_QUESTIONS, "Samtal", "Frågor");
  cmark_node *list = slides_add_list(s->body, true);
  for (int i = 0; i < 9; i++) {
    char *t = xasprintf("Fråga nummer %d?", i + 1);
    slides_add_item(list, t);
    free(t);
  }
  s = slides_add(&p, SLIDE_CHECKLIST, "Checklista", "Grupper");
  const char *md = "## Före\n\n- [ ] ringa\n  - numret\n- vanlig\n\n## Efter\n\n- [x] klart\n";
  diag *dg = diag_new();
  cmark_node *t = md_parse(md, strlen(md), 1, "c.md", dg), *b;
  while ((b = cmark_node_first_child(t)))
    cmark_node_append_child(s->body, b);
  cmark_node_free(t);
  char *path = xasprintf("%s/bildspel.odp", c->dir);
  sbuf out = {0};
  CHECK(odp_write(&p, &c->opts, &out, dg) == 0 && write_file(path, out.s, out.len) == 0,
        "a slide pack is written");
  sbuf_free(&out);
  char *xml = content_text(path);
  CHECK(xml && strstr(xml, "Stycke 12:") && strstr(xml, "(forts.)"),
        "long text continues on a continuation slide, nothing dropped");
  CHECK(xml && strstr(xml, "Anteckning för samtalsledaren"), "speaker notes are written");
  CHECK(xml && strstr(xml, "Före") && strstr(xml, "ringa") && strstr(xml, "numret") &&
            strstr(xml, "klart") && !strstr(xml, "☐") && !strstr(xml, "☑"),
        "a checklist slide keeps its groups, tasks and sub-items; a task's box is its list "
        "marker, not text");
  free(xml);
  free(path);
  slides_free(&p);
  diag_free(dg);
}

int main(int argc, char **argv) {
  md_init();
  xmlInitParser();
  setenv("SOURCE_DATE_EPOCH", "1763856000", 0);
  const char *root = getenv("VAKSAM_ROOT") ? getenv("VAKSAM_ROOT") : ".";
  char tmpl[] = "/tmp/vaksam-odt-XXXXXX";
  const char *out = argc > 2 && strcmp(argv[1], "--out") == 0 ? argv[2] : mkdtemp(tmpl);
  diag *dg = diag_new();
  odf_theme *theme = odf_theme_load(root, dg);
  char *theme_dir = xasprintf("%s/themes/default", root);
  vk_theme *vt = theme_load(theme_dir, dg);
  free(theme_dir);
  ctx c = {cmark_node_new(CMARK_NODE_DOCUMENT), theme, out, {theme, theme_labels(vt), root}};
  examples(&c, root, "spec.txt");
  examples(&c, root, "extensions.txt");
  examples(&c, root, "regression.txt");
  char *stress = xasprintf("%s/stress.odt", out);
  odt_doc d = {"Alla CommonMark- och GFM-exempel", "STRESSTEST", NULL, "Test", "1", NULL, c.stress};
  CHECK(write_doc(&c, &d, stress, dg) == 0, "the stress document with every example is written");
  free(stress);
  table_in_list(&c);
  deep_quotes(&c);
  slides(&c);
  cmark_node_free(c.stress);
  odf_theme_free(theme);
  theme_free(vt);
  diag_free(dg);
  if (out == tmpl)
    rm_rf(out);
  return check_failures ? 1 : 0;
}
