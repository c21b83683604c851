/* feed.c — see feed.h. */
#include "feed.h"
#include "links.h"
#include "pages.h"

#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define SITEMAP_NS "http://www.sitemaps.org/schemas/sitemap/0.9"

/* The date a routine last changed: its newest history entry, else approval. */
static vk_date last_change(const vk_build *b, const vk_doc *d, const char **text,
                           const char **version) {
  const vk_change *h;
  size_t n;
  build_history(b, d, &h, &n);
  vk_date best = d->approved;
  const vk_change *newest = NULL;
  for (size_t i = 0; i < n; i++)
    if (!newest || date_cmp(h[i].date, newest->date) > 0)
      newest = &h[i];
  *text = newest ? newest->text : NULL;
  *version = d->version;
  if (newest && date_cmp(newest->date, best) > 0)
    best = newest->date;
  return best;
}

static void atom_date(vk_date d, char out[21]) {
  char s[11];
  date_format(d, s);
  snprintf(out, 21, "%sT00:00:00Z", s[0] ? s : "1970-01-01");
}

typedef struct {
  const vk_doc *doc;
  vk_date date;
  const char *text, *version;
} feed_entry;

static int cmp_entry(const void *a, const void *b) {
  const feed_entry *x = a, *y = b;
  int c = date_cmp(y->date, x->date);
  return c ? c : strcmp(x->doc->id, y->doc->id);
}

/* The absolute URL of a location (links.h). */
static char *abs_url(const vk_site *s, char *loc) {
  char *url = link_abs(s, loc);
  free(loc);
  return url;
}

static void write_entry(xmlTextWriterPtr w, const vk_build *b, const vk_org *org,
                        const vk_role *role, const feed_entry *e) {
  char when[21];
  atom_date(e->date, when);
  char *url = abs_url(b->content->site, link_doc(org, role, e->doc, NULL));
  char *title = xasprintf("%s (version %s)", e->doc->title, e->version ? e->version : "?");
  xmlTextWriterStartElement(w, BAD_CAST "entry");
  xmlTextWriterWriteElement(w, BAD_CAST "title", BAD_CAST title);
  xmlTextWriterWriteElement(w, BAD_CAST "id", BAD_CAST url);
  xmlTextWriterWriteElement(w, BAD_CAST "updated", BAD_CAST when);
  xmlTextWriterStartElement(w, BAD_CAST "link");
  xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST url);
  xmlTextWriterEndElement(w);
  char *version =
      labels_format(theme_labels(b->theme), "feed.summary", e->version ? e->version : "?");
  char *summary =
      xasprintf("%s %s", version, e->text ? e->text : (e->doc->summary ? e->doc->summary : ""));
  free(version);
  xmlTextWriterWriteElement(w, BAD_CAST "summary", BAD_CAST summary);
  xmlTextWriterEndElement(w);
  free(summary);
  free(title);
  free(url);
}

int feed_write_variant(vk_build *b, const vk_org *org, const vk_role *role) {
  const vk_site *s = b->content->site;
  vk_doc **docs;
  size_t n = content_of_kind(b->content, KIND_ROUTINE, &docs);
  feed_entry *entries = xcalloc(n ? n : 1, sizeof *entries);
  size_t ne = 0;
  for (size_t i = 0; i < n; i++) {
    if (!doc_applies(docs[i], s, org, role) || docs[i]->status == STATUS_DRAFT)
      continue;
    feed_entry *e = &entries[ne++];
    e->doc = docs[i];
    e->date = last_change(b, docs[i], &e->text, &e->version);
  }
  vk_sort(entries, ne, sizeof *entries, cmp_entry);
  char *home = abs_url(s, link_variant_dir(org, role));
  char *rel = link_variant_file(org, role, "feed.xml");
  xmlBufferPtr buf = xmlBufferCreate();
  xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
  xmlTextWriterSetIndent(w, 1);
  xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
  xmlTextWriterStartElementNS(w, NULL, BAD_CAST "feed", BAD_CAST ATOM_NS);
  xmlTextWriterWriteAttribute(w, BAD_CAST "xml:lang", BAD_CAST(s->language ? s->language : "sv"));
  char *title = xasprintf("%s – ändrade rutiner för %s, %s", s->title, org->name, role->name);
  xmlTextWriterWriteElement(w, BAD_CAST "title", BAD_CAST title);
  char *self = link_abs(s, rel);
  xmlTextWriterWriteElement(w, BAD_CAST "id", BAD_CAST self);
  char when[21];
  atom_date(ne ? entries[0].date : date_today(b->opts->today), when);
  xmlTextWriterWriteElement(w, BAD_CAST "updated", BAD_CAST when);
  xmlTextWriterStartElement(w, BAD_CAST "link");
  xmlTextWriterWriteAttribute(w, BAD_CAST "rel", BAD_CAST "self");
  xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST self);
  xmlTextWriterEndElement(w);
  xmlTextWriterStartElement(w, BAD_CAST "link");
  xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST home);
  xmlTextWriterEndElement(w);
  xmlTextWriterStartElement(w, BAD_CAST "author");
  xmlTextWriterWriteElement(w, BAD_CAST "name", BAD_CAST org->name);
  xmlTextWriterEndElement(w);
  for (size_t i = 0; i < ne; i++)
    write_entry(w, b, org, role, &entries[i]);
  xmlTextWriterEndDocument(w);
  xmlFreeTextWriter(w);
  int rc = build_write(b, rel, (const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
  free(rel);
  xmlBufferFree(buf);
  free(title);
  free(self);
  free(home);
  free(entries);
  return rc;
}

int feed_write_sitemap(vk_build *b, const vec *site_pages) {
  xmlBufferPtr buf = xmlBufferCreate();
  xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
  xmlTextWriterSetIndent(w, 1);
  xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
  xmlTextWriterStartElementNS(w, NULL, BAD_CAST "urlset", BAD_CAST SITEMAP_NS);
  for (size_t i = 0; i < site_pages->n; i++) {
    const char *p = site_pages->items[i];
    if (strcmp(p, "404.html") == 0 || link_is_archive(p)) /* archived versions are not current */
      continue;
    char *loc = abs_url(b->content->site, link_site_file(p));
    xmlTextWriterStartElement(w, BAD_CAST "url");
    xmlTextWriterWriteElement(w, BAD_CAST "loc", BAD_CAST loc);
    xmlTextWriterEndElement(w);
    free(loc);
  }
  xmlTextWriterEndDocument(w);
  xmlFreeTextWriter(w);
  char *rel = link_site_file("sitemap.xml");
  int rc = build_write(b, rel, (const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
  free(rel);
  xmlBufferFree(buf);
  return rc;
}
