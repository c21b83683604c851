/* card.c — see card.h. */
#include "card.h"
#include "links.h"
#include "cardpage.h"

#include <stdlib.h>
#include <string.h>

/* The non-empty lines of variable text `key` for `vars` (malloc'd, each
 * trimmed), appended to out. */
static void label_lines(const vk_labels *l, const char *key, const vk_value *vars, vec *out) {
  char *text = labels_render(l, key, vars);
  for (char *line = text; line && *line;) {
    char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\r'))
      n--;
    while (n && *line == ' ')
      line++, n--;
    if (n)
      vec_push(out, xstrndup(line, n));
    line = nl ? nl + 1 : line + strlen(line);
  }
  free(text);
}

/* The routine `card:` names: content_load() has checked that it is one
 * every role of every organisation may read. NULL (reported) without the
 * site's address the QR code needs. */
static const vk_doc *card_routine(vk_build *b) {
  const vk_site *s = b->content->site;
  const vk_doc *d = content_find(b->content, s->card);
  if (!d || d->kind != KIND_ROUTINE)
    return NULL;
  if (!s->base_url || !*s->base_url) {
    diag_error(b->dg, s->file, s->card_line, s->card_col,
               "the emergency card's QR code needs the site's address — set `base_url:`");
    return NULL;
  }
  return d;
}

static void write_one(vk_build *b, const vk_org *org, const vk_doc *d) {
  const vk_site *s = b->content->site;
  const vk_labels *l = theme_labels(b->theme);
  vec steps = {0}, contacts = {0};
  label_lines(l, "card.steps", org->vars, &steps);
  label_lines(l, "card.contacts", org->vars, &contacts);
  char *loc = link_doc(org, s->roles[0], d, NULL);
  char *url = link_abs(s, loc);
  char *html_loc = link_variant_file(org, NULL, "akutkort.html");
  char *css_loc = link_site_file("assets/card.css");
  char *css = link_rel(html_loc, css_loc);
  char *version = labels_format(l, "card.version", d->version ? d->version : "–");
  char *date = labels_format(l, "card.date", b->generated);
  char *vline = xasprintf("%s%s", version, date);
  card_model m = {s->language ? s->language : "sv",
                  labels_get(l, "card.kind"),
                  d->title,
                  org->name,
                  labels_get(l, "card.steps_heading"),
                  (const char *const *)steps.items,
                  steps.n,
                  labels_get(l, "card.contacts_heading"),
                  (const char *const *)contacts.items,
                  contacts.n,
                  labels_get(l, "card.qr"),
                  labels_get(l, "card.qr_alt"),
                  url,
                  vline,
                  css};
  sbuf out = {0};
  if ((b->opts->formats & FMT_HTML) && card_write_html(&m, &out, b->dg) == 0)
    build_write(b, html_loc, sbuf_str(&out), out.len);
  out.len = 0;
  if ((b->opts->formats & FMT_ODT) && b->odf_theme) {
    vk_write_opts wo = {b->odf_theme, l, b->content->dir};
    char *odt_loc = link_variant_file(org, NULL, "akutkort.odt");
    if (card_write_odt(&m, &wo, &out, b->dg) == 0)
      build_write(b, odt_loc, sbuf_str(&out), out.len);
    free(odt_loc);
  }
  sbuf_free(&out);
  free(vline);
  free(date);
  free(version);
  free(css);
  free(css_loc);
  free(html_loc);
  free(url);
  free(loc);
  vec_free_items(&steps);
  vec_free_items(&contacts);
  vec_free(&steps);
  vec_free(&contacts);
}

bool card_enabled(const vk_build *b) {
  return b->content->site->card && b->content->site->n_roles;
}

void card_write_all(vk_build *b) {
  const vk_site *s = b->content->site;
  if (!card_enabled(b) || !(b->opts->formats & (FMT_HTML | FMT_ODT)))
    return;
  const vk_doc *d = card_routine(b);
  if (!d)
    return;
  for (size_t o = 0; o < s->n_orgs; o++)
    if (build_wants_org(b, s->orgs[o]))
      write_one(b, s->orgs[o], d);
}
