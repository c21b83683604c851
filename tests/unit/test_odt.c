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
} ctx;

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
    int rc = odt_write_doc(&d, c->theme, odt, dg);
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
  CHECK(odt_write_doc(&d, c->theme, path, dg) == 0, "a table inside a list item is written");
  char *xml = content_text(path);
  CHECK(xml && strstr(xml, "Efter tabellen") && strstr(xml, "Andra") && strstr(xml, "☐ uppgift") &&
            strstr(xml, "☑ klar"),
        "the list continues after the table; task items get ☐/☑");
  free(xml);
  free(path);
  cmark_node_free(t);
  diag_free(dg);
}

static void slides(ctx *c) {
  odp_pack p = {0};
  p.title = xstrdup("Provpaket");
  p.org_name = xstrdup("Testkommun");
  p.footer = xstrdup("Testkommun · Provpaket");
  odp_slide *s = odp_add_slide(&p, "Fall", "Ett långt fall");
  for (int i = 0; i < 12; i++)
    vec_push(&s->paras, xasprintf("Stycke %d: en mening som är lång nog att ta upp mer än en rad "
                                  "på bilden när den visas i ett mötesrum med projektor.",
                                  i + 1));
  s->notes = xstrdup("Anteckning för samtalsledaren");
  s = odp_add_slide(&p, "Samtal", "Frågor");
  s->numbered = true;
  for (int i = 0; i < 9; i++)
    vec_push(&s->bullets, xasprintf("Fråga nummer %d?", i + 1));
  char *path = xasprintf("%s/bildspel.odp", c->dir);
  diag *dg = diag_new();
  CHECK(odp_write(&p, c->theme, path, dg) == 0, "a slide pack is written");
  char *xml = content_text(path);
  CHECK(xml && strstr(xml, "Stycke 12:") && strstr(xml, "(forts.)"),
        "long text continues on a continuation slide, nothing dropped");
  CHECK(xml && strstr(xml, "Anteckning för samtalsledaren"), "speaker notes are written");
  free(xml);
  free(path);
  odp_pack_free(&p);
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
  ctx c = {cmark_node_new(CMARK_NODE_DOCUMENT), theme, out};
  examples(&c, root, "spec.txt");
  examples(&c, root, "extensions.txt");
  examples(&c, root, "regression.txt");
  char *stress = xasprintf("%s/stress.odt", out);
  odt_doc d = {"Alla CommonMark- och GFM-exempel", "STRESSTEST", NULL, "Test", "1", NULL, c.stress};
  CHECK(odt_write_doc(&d, theme, stress, dg) == 0,
        "the stress document with every example is written");
  free(stress);
  table_in_list(&c);
  slides(&c);
  cmark_node_free(c.stress);
  odf_theme_free(theme);
  diag_free(dg);
  if (out == tmpl)
    rm_rf(out);
  return check_failures ? 1 : 0;
}
