/* pack.c — see pack.h. */
#include "pack.h"
#include "deck.h"
#include "frame.h"
#include "html.h"
#include "image.h"
#include "links.h"
#include "markdown.h"
#include "odf.h"
#include "odp.h"
#include "odt.h"
#include "safepath.h"
#include "variant.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const vk_labels *labels(const vk_build *b) {
  return theme_labels(b->theme);
}

/* Links from a page of the site: relative to the page's location. */
typedef struct {
  const vk_org *org;
  const vk_role *role;
  const char *from;    /* location of the linking file */
  const vk_site *site; /* absolute URLs when set (files that leave the site) */
} link_ctx;

static char *doc_url(void *ud, const vk_doc *target, const char *anchor) {
  const link_ctx *c = ud;
  char *to = link_doc(c->org, c->role, target, anchor);
  char *url = c->site ? link_abs(c->site, to) : link_rel(c->from, to);
  free(to);
  return url;
}

/* Where HTML points local images (`prefix`, e.g. "../../bilder/"), and,
 * when `used` is set, the list that gathers the content-relative paths of
 * the images rendered (malloc'd, in order, may repeat): the pack zip's
 * offline slide view carries those files. */
typedef struct {
  const char *prefix;
  vec *used;
} html_images;

static void gather_images(cmark_node *tree, vec *used) {
  if (!tree || !used)
    return;
  vec urls = {0};
  image_local_urls(tree, &urls);
  for (size_t i = 0; i < urls.n; i++)
    if (((const char *)urls.items[i])[0] != '/')
      vec_push(used, xstrdup(urls.items[i]));
  vec_free(&urls);
}

/* The local images of every slide: its own (an image slide) and those in
 * its text and notes. */
static void gather_deck_images(const slide_deck *d, vec *used) {
  for (size_t i = 0; used && i < d->n; i++) {
    const slide *s = &d->slides[i];
    for (size_t k = 0; k < s->images.n; k++)
      vec_push(used, xstrdup(((const slide_image *)s->images.items[k])->path));
    gather_images(s->body, used);
    gather_images(s->notes, used);
  }
}

static char *tree_html(const vk_build *b, cmark_node *tree, int top, const char *id_prefix,
                       bool tasks, const html_images *images) {
  sbuf out = {0};
  if (images)
    gather_images(tree, images->used);
  int min = md_min_heading_level(tree);
  html_opts o = {.heading_id_prefix = id_prefix,
                 .heading_offset = min ? top - min : top - 1,
                 .interactive_tasks = tasks,
                 .id_prefix = id_prefix,
                 .image_prefix = images ? images->prefix : NULL,
                 .labels = theme_labels(b->theme)};
  html_render(tree, &o, &out);
  cmark_node_free(tree);
  return sbuf_take(&out);
}

static vk_value *ref_item(const deck_view *v, const link_ctx *lc, const vk_doc *d, bool with_body,
                          const html_images *images) {
  vk_value *m = vk_map();
  vk_map_put(m, "id", d->id);
  vk_map_put(m, "title", d->kind == KIND_DEFINITION && d->term ? d->term : d->title);
  vk_map_put(m, "summary", d->summary);
  vk_map_put_owned(m, "url", doc_url((void *)lc, d, NULL));
  if (with_body)
    vk_map_put_owned(
        m, "body",
        tree_html(v->b, deck_doc_tree(v, d), 4, d->id, d->kind == KIND_CHECKLIST, images));
  return m;
}

/* The agenda as template data: one entry per item with its kind flag. */
static vk_value *agenda_data(const deck_view *v, const link_ctx *lc, const html_images *images) {
  static const char *const flags[] = {"is_intro",     "is_definitions", "is_case",   "is_questions",
                                      "is_checklist", "is_routines",    "is_closing"};
  const vk_doc *pack = v->pack;
  vk_value *list = vk_list();
  int minute = 0, number = 0;
  for (size_t i = 0; i < pack->n_agenda; i++) {
    const vk_agenda_item *it = &pack->agenda[i];
    if (!deck_item_applies(v, i))
      continue;
    vk_value *m = vk_map();
    vk_map_set(m, flags[it->kind], vk_bool(true));
    vk_map_put(m, "label", deck_item_label(labels(v->b), it));
    vk_map_set(m, "number", vk_int(++number));
    if (it->minutes) {
      vk_map_set(m, "minutes", vk_int(it->minutes));
      vk_map_put_owned(m, "starts", xasprintf("%d", minute));
      minute += it->minutes;
    }
    cmark_node *text = deck_text_tree(v, i);
    if (text) {
      vk_map_put_owned(m, "html", tree_html(v->b, text, 3, NULL, false, images));
    }
    vk_value *refs = vk_list();
    for (size_t k = 0; k < it->ids.n; k++) {
      const vk_doc *d = content_find(v->b->content, it->ids.items[k]);
      if (!d || !doc_applies(d, v->b->content->site, v->org, v->role))
        continue;
      bool body = it->kind == AGENDA_CASE || it->kind == AGENDA_CHECKLIST;
      vk_list_push(refs, ref_item(v, lc, d, body, images));
    }
    vk_map_set(m, "refs", refs);
    vk_value *qs = vk_list();
    for (size_t k = 0; k < it->items.n; k++) {
      char *q = variant_expand(it->items.items[k], v->org, pack->srcpath, it->line, 1, v->b->dg);
      vk_list_push(qs, vk_str(q));
      free(q);
    }
    vk_map_set(m, "questions", qs);
    vk_list_push(list, m);
  }
  return list;
}

static vk_value *downloads(vk_build *b, const vk_org *org, const vk_role *role, const vk_doc *pack,
                           const char *from) {
  vk_value *list = vk_list();
  char *zip = xasprintf("%s.zip", pack->id);
  const struct {
    const char *file, *label, *type;
  } files[] = {{"bildspel.odp", "pack.download.slides", "ODP"},
               {"deltagare.odt", "pack.download.participant", "ODT"},
               {"handledning.odt", "pack.download.facilitator", "ODT"},
               {zip, "pack.download.zip", "ZIP"}};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    vk_value *m = vk_map();
    vk_map_put(m, "label", labels_get(labels(b), files[i].label));
    vk_map_put(m, "type", files[i].type);
    char *to = link_pack_file(org, role, pack, files[i].file);
    vk_map_put_owned(m, "url", link_rel(from, to));
    vk_list_push(list, m);
    if ((b->opts->formats & FMT_PDF) && strcmp(files[i].type, "ZIP") != 0) {
      vk_value *pdf = vk_map();
      vk_map_put(pdf, "label", labels_get(labels(b), files[i].label));
      vk_map_put(pdf, "type", "PDF");
      char *loc = link_pdf_of(to);
      vk_map_put_owned(pdf, "url", link_rel(from, loc));
      free(loc);
      vk_list_push(list, pdf);
    }
    free(to);
  }
  free(zip);
  return list;
}

static int render_to(vk_build *b, const char *rel, const char *tpl, vk_value *data, bool layout) {
  sbuf main = {0}, page = {0};
  theme_render(b->theme, tpl, data, &main);
  int rc;
  if (layout) {
    vk_map_set(data, "main", vk_str(sbuf_str(&main)));
    theme_render(b->theme, "layout", data, &page);
    rc = build_write(b, rel, sbuf_str(&page), page.len);
  } else {
    rc = build_write(b, rel, sbuf_str(&main), main.len);
  }
  sbuf_free(&main);
  sbuf_free(&page);
  return rc;
}

static vk_value *common_data(vk_build *b, const vk_org *org, const vk_role *role,
                             const vk_doc *pack, const char *root) {
  vk_value *m = frame_data(b, org, role, root, pack->title, "apt");
  vk_map_put(m, "description", pack->summary);
  vk_value *p = vk_map();
  vk_map_put(p, "title", pack->title);
  vk_map_put(p, "summary", pack->summary);
  vk_map_put(p, "version", pack->version);
  if (pack->duration)
    vk_map_set(p, "duration", vk_int(pack->duration));
  vk_map_set(m, "pack", p);
  return m;
}

/* The presenter view's words: labels.yaml's "slides.presenter.<name>". */
static vk_value *presenter_words(vk_build *b) {
  static const char *const names[] = {"view",  "timer",    "start",   "pause", "reset",
                                      "left",  "over",     "min",     "next",  "last",
                                      "notes", "no_notes", "no_item", "help"};
  vk_value *m = vk_map();
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    char *key = xasprintf("slides.presenter.%s", names[i]);
    vk_map_put(m, names[i], labels_get(labels(b), key));
    free(key);
  }
  return m;
}

/* A theme asset's text (assets/<name>), or NULL when it cannot be read. */
static char *asset_text(const vk_build *b, const char *name) {
  char *path = xasprintf("%s/assets/%s", theme_dir(b->theme), name);
  size_t len;
  char *t = read_file(path, &len);
  if (!t)
    diag_error(b->dg, path, 0, 0, "cannot read the theme's asset (%s) — check the theme folder",
               strerror(errno));
  free(path);
  return t;
}

/* The HTML slide page: the participants' deck; for a role that facilitates
 * (deck_is_facilitator) with that role's speaker notes and the agenda the
 * presenter view times, for any other role without them (not in the page).
 * With `rel` (its site path) the page links the site's assets and pages
 * relatively; without, it is the pack zip's copy: its CSS and script inline,
 * links absolute, so that it works from the unzipped pack offline. */
static void slide_page(vk_build *b, const vk_org *org, const vk_role *role, const vk_doc *pack,
                       const deck_texts *texts, const char *rel, vec *used, sbuf *out) {
  char *root = rel ? link_root(rel) : xstrdup("");
  const vk_role *viewer = deck_participant_role(b->content->site, pack);
  bool presenter = deck_is_facilitator(role);
  link_ctx lc = {org, viewer, rel, rel ? NULL : b->content->site};
  vk_filters *vf = filters_new(b->content, org, viewer, "html", b->dg),
             *nf = presenter ? filters_new(b->content, org, role, "html", b->dg) : NULL;
  deck_view v = {b,  org,     pack, texts, viewer, vf, presenter ? role : NULL,
                 nf, doc_url, &lc,  "html"};
  slide_deck deck;
  deck_build(&v, &deck);
  vk_value *data = common_data(b, org, role, pack, root);
  char *prefix = xasprintf("%s" IMAGE_SITE_DIR "/", root);
  html_images images = {prefix, used};
  gather_deck_images(&deck, used);
  vk_map_set(data, "slides", deck_template_data(&deck, prefix, theme_labels(b->theme)));
  vk_map_set(data, "presenter", vk_bool(presenter));
  if (presenter) {
    vk_map_set(data, "agenda", agenda_data(&v, &lc, &images));
    vk_map_set(data, "words", presenter_words(b));
  }
  filters_free(vf);
  filters_free(nf);
  free(prefix);
  slides_free(&deck);
  if (rel) {
    char *back = link_doc(org, role, pack, NULL);
    vk_map_put_owned(data, "back_url", link_rel(rel, back));
    free(back);
  } else {
    vk_map_set(data, "inline", vk_bool(true));
    vk_map_put_owned(data, "inline_css", asset_text(b, "slides.css"));
    vk_map_put_owned(data, "inline_js", asset_text(b, "slides.js"));
  }
  theme_render(b->theme, "slides", data, out);
  vk_value_free(data);
  free(root);
}

/* The HTML slide view of the site (site/<org>/<role>/apt/<pack>/bildspel/). */
static int slide_view(vk_build *b, const vk_org *org, const vk_role *role, const vk_doc *pack,
                      const deck_texts *texts) {
  char *rel = link_pack_slides(org, role, pack);
  sbuf page = {0};
  slide_page(b, org, role, pack, texts, rel, NULL, &page);
  int rc = build_write(b, rel, sbuf_str(&page), page.len);
  sbuf_free(&page);
  free(rel);
  return rc;
}

int pack_page(vk_build *b, const vk_org *org, const vk_role *role, const vk_doc *pack,
              vk_filters *filters) {
  char *rel = link_doc(org, role, pack, NULL), *root = link_root(rel);
  vk_value *data = common_data(b, org, role, pack, root);
  frame_add_crumb(data, role->name, "../index.html");
  frame_add_crumb(data, labels_get(labels(b), "pack.crumb"), "index.html");
  bool facilitator = deck_is_facilitator(role);
  vk_map_set(data, "is_facilitator", vk_bool(facilitator));
  link_ctx lc = {org, role, rel, NULL};
  deck_texts texts;
  deck_texts_parse(pack, org, &texts, b->dg);
  deck_view v = {b, org, pack, &texts, role, filters, NULL, NULL, doc_url, &lc, "html"};
  char *prefix = xasprintf("%s" IMAGE_SITE_DIR "/", root);
  html_images images = {prefix, NULL};
  if (pack->body && *pack->body) {
    vk_variant_ctx c = {b->content, org, role, filters, doc_url, &lc, NULL, "html"};
    vk_map_put_owned(data, "intro",
                     tree_html(b, variant_tree(&c, pack, b->dg), 2, NULL, false, &images));
  }
  vk_map_set(data, "agenda", agenda_data(&v, &lc, &images));
  free(prefix);
  int rc = 0;
  if (facilitator && (b->opts->formats & FMT_ODP)) {
    vk_map_set(data, "downloads", downloads(b, org, role, pack, rel));
    char *slides = link_pack_slides(org, role, pack);
    vk_map_put_owned(data, "slides_url", link_rel(rel, slides));
    free(slides);
    rc |= slide_view(b, org, role, pack, &texts);
  }
  deck_texts_free(&texts);
  rc |= render_to(b, rel, "pack", data, true);
  free(root);
  free(rel);
  vk_value_free(data);
  return rc;
}

/* ---- downloadable files (site/<org>/<facilitator>/apt/<pack>/) -------- */

/* A handout's tree is made of nodes: the frame built here with the node
 * API, the documents' and texts' variant trees moved in whole. */

static cmark_node *text_node(cmark_node_type type, const char *text) {
  cmark_node *n = cmark_node_new(type);
  cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
  cmark_node_set_literal(t, text ? text : "");
  cmark_node_append_child(n, t);
  return n;
}

static void add_heading(cmark_node *doc, int level, const char *text) {
  cmark_node *h = text_node(CMARK_NODE_HEADING, text);
  cmark_node_set_heading_level(h, level);
  cmark_node_append_child(doc, h);
}

static void add_cell(cmark_node *row, const char *text) {
  cmark_node *c = md_new_table_cell();
  cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
  cmark_node_set_literal(t, text);
  cmark_node_append_child(c, t);
  cmark_node_append_child(row, c);
}

/* Moves a tree's blocks in, each heading `shift` levels down. */
static void append_tree(cmark_node *doc, cmark_node *t, int shift) {
  cmark_iter *it = cmark_iter_new(t);
  cmark_event_type ev;
  while (shift && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_ENTER && md_type_of(n) == MD_HEADING) {
      int l = cmark_node_get_heading_level(n) + shift;
      cmark_node_set_heading_level(n, l > 6 ? 6 : l);
    }
  }
  cmark_iter_free(it);
  cmark_node *c;
  while ((c = cmark_node_first_child(t)))
    cmark_node_append_child(doc, c);
  cmark_node_free(t);
}

static void agenda_table(const deck_view *v, cmark_node *doc, const vk_doc *p, const vk_labels *l) {
  add_heading(doc, 1, labels_get(l, "pack.agenda"));
  cmark_node *table = md_new_table(3, "llr");
  cmark_node *head = md_new_table_row(true);
  add_cell(head, labels_get(l, "pack.time"));
  add_cell(head, labels_get(l, "pack.item"));
  add_cell(head, labels_get(l, "pack.minutes"));
  cmark_node_append_child(table, head);
  int at = 0;
  for (size_t i = 0; i < p->n_agenda; i++) {
    const vk_agenda_item *it = &p->agenda[i];
    if (!deck_item_applies(v, i))
      continue;
    char time[16], minutes[16];
    snprintf(time, sizeof time, "%d:%02d", at / 60, at % 60);
    snprintf(minutes, sizeof minutes, "%d", it->minutes);
    cmark_node *row = md_new_table_row(false);
    add_cell(row, time);
    add_cell(row, deck_item_label(l, it));
    add_cell(row, minutes);
    cmark_node_append_child(table, row);
    at += it->minutes;
  }
  cmark_node_append_child(doc, table);
}

/* "**Term** – summary", the term linked to its page (or glossary entry). */
static void summary_para(const deck_view *v, cmark_node *doc, const vk_doc *d) {
  cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
  cmark_node *strong =
      text_node(CMARK_NODE_STRONG, d->kind == KIND_DEFINITION && d->term ? d->term : d->title);
  char *url = v->link_url(v->link_ud, d, NULL);
  if (url) {
    cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
    cmark_node_set_url(link, url);
    cmark_node_append_child(link, strong);
    cmark_node_append_child(para, link);
    free(url);
  } else {
    cmark_node_append_child(para, strong);
  }
  cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
  char *rest = xasprintf(" – %s", d->summary ? d->summary : "");
  cmark_node_set_literal(t, rest);
  free(rest);
  cmark_node_append_child(para, t);
  cmark_node_append_child(doc, para);
}

/* A list of the items of list label `key` (tasks when `tasks`). */
static void label_list(cmark_node *doc, const vk_labels *l, const char *key, bool tasks) {
  cmark_node *list = cmark_node_new(CMARK_NODE_LIST);
  cmark_node_set_list_type(list, CMARK_BULLET_LIST);
  cmark_node_set_list_tight(list, true);
  const char *text;
  for (size_t i = 0; (text = labels_item(l, key, i)); i++) {
    cmark_node *item = tasks ? md_new_task_item(false) : cmark_node_new(CMARK_NODE_ITEM);
    cmark_node_append_child(item, text_node(CMARK_NODE_PARAGRAPH, text));
    cmark_node_append_child(list, item);
  }
  cmark_node_append_child(doc, list);
}

static void questions_list(const deck_view *v, cmark_node *doc, const vk_agenda_item *it) {
  add_heading(doc, 2, labels_get(labels(v->b), "pack.questions"));
  cmark_node *list = cmark_node_new(CMARK_NODE_LIST);
  cmark_node_set_list_type(list, CMARK_ORDERED_LIST);
  cmark_node_set_list_start(list, 1);
  cmark_node_set_list_tight(list, true);
  for (size_t k = 0; k < it->items.n; k++) {
    char *q = variant_expand(it->items.items[k], v->org, v->pack->srcpath, 0, 0, NULL);
    cmark_node *item = cmark_node_new(CMARK_NODE_ITEM);
    cmark_node_append_child(item, text_node(CMARK_NODE_PARAGRAPH, q));
    cmark_node_append_child(list, item);
    free(q);
  }
  cmark_node_append_child(doc, list);
}

static cmark_node *handout_tree(const deck_view *v) {
  const vk_doc *p = v->pack;
  const vk_labels *l = labels(v->b);
  bool facilitator = deck_is_facilitator(v->role);
  cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
  if (facilitator)
    agenda_table(v, doc, p, l);
  for (size_t i = 0; i < p->n_agenda; i++) {
    const vk_agenda_item *it = &p->agenda[i];
    if (!deck_item_applies(v, i))
      continue;
    add_heading(doc, 1, deck_item_label(l, it));
    cmark_node *text = deck_text_tree(v, i);
    if (text)
      append_tree(doc, text, 0);
    if (it->kind == AGENDA_QUESTIONS)
      questions_list(v, doc, it);
    for (size_t k = 0; k < it->ids.n; k++) {
      const vk_doc *d = content_find(v->b->content, it->ids.items[k]);
      if (!d || !doc_applies(d, v->b->content->site, v->org, v->role))
        continue;
      if (d->kind == KIND_DEFINITION || d->kind == KIND_ROUTINE) {
        summary_para(v, doc, d);
      } else {
        add_heading(doc, 2, d->title);
        append_tree(doc, deck_doc_tree(v, d), 1);
      }
    }
  }
  if (facilitator) {
    add_heading(doc, 1, labels_get(l, "pack.leading"));
    label_list(doc, l, "pack.leading_items", false);
    add_heading(doc, 1, labels_get(l, "pack.after"));
    label_list(doc, l, "pack.after_items", true);
  }
  return doc;
}

/* The files of a pack, in the order the zip lists them. */
typedef struct {
  char *name;
  sbuf bytes;
  bool zip_only; /* the zip's offline slide view and its images: the site has its own */
  bool store;    /* zipped already (ODF, pictures): stored uncompressed */
} pack_file;

typedef struct {
  pack_file *files;
  size_t n, cap;
} pack_out;

static sbuf *new_file(pack_out *o, char *name) {
  if (o->n == o->cap) {
    o->cap = o->cap ? 2 * o->cap : 8;
    o->files = xrealloc(o->files, o->cap * sizeof *o->files);
  }
  pack_file *f = &o->files[o->n++];
  f->name = name;
  f->zip_only = false;
  f->store = true;
  memset(&f->bytes, 0, sizeof f->bytes);
  return &f->bytes;
}

static int cmp_path(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The images the zip's slide view shows, as bilder/<path> beside
 * bildspel.html (where its <img src> points): each once, sorted. */
static int add_images(vk_build *b, pack_out *o, vec *used) {
  vk_sort(used->items, used->n, sizeof(char *), cmp_path);
  int rc = 0;
  for (size_t i = 0; i < used->n; i++) {
    const char *path = used->items[i];
    if (i > 0 && strcmp(path, used->items[i - 1]) == 0)
      continue;
    char *from = path_join(b->content->dir, path);
    size_t len;
    safepath_status st;
    char *data = safepath_read(b->content->dir, from, &len, &st);
    if (!data) {
      diag_error(b->dg, from, 0, 0, "cannot read the image for the pack's zip — check it");
      rc = -1;
    } else {
      sbuf *f = new_file(o, xasprintf(IMAGE_SITE_DIR "/%s", path));
      o->files[o->n - 1].zip_only = true;
      sbuf_putn(f, data, len);
    }
    free(data);
    free(from);
  }
  return rc;
}

static vk_write_opts write_opts(const vk_build *b) {
  return (vk_write_opts){b->odf_theme, labels(b), b->content->dir};
}

static int handout(const deck_view *v, pack_out *o, const char *file) {
  const vk_labels *l = labels(v->b);
  bool facilitator = deck_is_facilitator(v->role);
  cmark_node *tree = handout_tree(v);
  char minutes[32] = "", num[16];
  if (v->pack->duration) {
    snprintf(num, sizeof num, "%d", v->pack->duration);
    char *m = labels_format(l, "pack.duration", num);
    snprintf(minutes, sizeof minutes, "%s", m);
    free(m);
  }
  const char *fields[] = {labels_get(l, "field.organisation"),
                          v->org->name,
                          labels_get(l, "field.time"),
                          minutes,
                          labels_get(l, "field.version"),
                          v->pack->version,
                          NULL,
                          NULL};
  odt_doc d = {v->pack->title,
               labels_get(l, facilitator ? "pack.facilitator_kind" : "pack.participant_kind"),
               v->pack->summary,
               v->org->name,
               v->pack->version,
               fields,
               tree};
  vk_write_opts wo = write_opts(v->b);
  int rc = odt_write_doc(&d, &wo, new_file(o, xstrdup(file)), v->b->dg);
  cmark_node_free(tree);
  return rc;
}

static int checklist_handout(const deck_view *v, pack_out *o) {
  for (size_t i = 0; i < v->pack->n_agenda; i++) {
    const vk_agenda_item *it = &v->pack->agenda[i];
    if (it->kind != AGENDA_CHECKLIST || !it->ids.n)
      continue;
    const vk_doc *d = content_find(v->b->content, it->ids.items[0]);
    if (!d || !doc_applies(d, v->b->content->site, v->org, v->role))
      continue;
    cmark_node *t = deck_doc_tree(v, d);
    vk_page page = {v->b->content->site, v->b->content, v->org,          v->role, d, t, NULL, 0,
                    REVIEW_NONE,         {0, 0, 0},     v->b->generated, NULL};
    vk_write_opts wo = write_opts(v->b);
    int rc = odt_write(&page, &wo, new_file(o, xasprintf("checklista-%s.odt", d->id)), v->b->dg);
    cmark_node_free(t);
    return rc;
  }
  return 0;
}

/* The files go to the variant of `owner`, the role whose pack page offers
 * them (the facilitator; without one, the participants). */
static int write_files(vk_build *b, const vk_org *org, const vk_role *owner, const vk_doc *pack,
                       pack_out *o) {
  int rc = 0;
  odf_zip_entry *entries = xcalloc(o->n ? o->n : 1, sizeof *entries);
  for (size_t i = 0; i < o->n; i++) {
    if (!o->files[i].zip_only) {
      char *rel = link_pack_file(org, owner, pack, o->files[i].name);
      rc |= build_write(b, rel, sbuf_str(&o->files[i].bytes), o->files[i].bytes.len);
      free(rel);
    }
    entries[i] = (odf_zip_entry){o->files[i].name, sbuf_str(&o->files[i].bytes),
                                 o->files[i].bytes.len, o->files[i].store};
  }
  sbuf zip = {0};
  char *name = xasprintf("%s.zip", pack->id), *rel = link_pack_file(org, owner, pack, name);
  if (odf_zip(entries, o->n, &zip) == 0) {
    rc |= build_write(b, rel, sbuf_str(&zip), zip.len);
  } else {
    diag_error(b->dg, rel, 0, 0, "cannot make the pack's zip file — out of memory?");
    rc = -1;
  }
  sbuf_free(&zip);
  free(entries);
  free(rel);
  free(name);
  return rc;
}

/* The pack's files as one facilitating role (NULL: none) sees them, in that
 * role's folder (without one, the participants'). */
static int files_for(vk_build *b, const vk_org *org, const vk_doc *pack, const deck_texts *texts,
                     const vk_role *viewer, const vk_role *facilitator) {
  const vk_site *site = b->content->site;
  link_ctx lc_viewer = {org, viewer, NULL, site}, lc_fac = {org, facilitator, NULL, site};
  vk_filters *f_odp = filters_new(b->content, org, viewer, "odp", b->dg),
             *f_odt = filters_new(b->content, org, viewer, "odt", b->dg),
             *f_fac_odp =
                 facilitator ? filters_new(b->content, org, facilitator, "odp", b->dg) : NULL,
             *f_fac_odt =
                 facilitator ? filters_new(b->content, org, facilitator, "odt", b->dg) : NULL;
  pack_out o = {0};
  /* the slides: the participants' deck with the facilitator's notes */
  deck_view slides = {b,           org,       pack,    texts,      viewer, f_odp,
                      facilitator, f_fac_odp, doc_url, &lc_viewer, "odp"};
  slide_deck deck;
  deck_build(&slides, &deck);
  vk_write_opts wo = write_opts(b);
  int rc = odp_write(&deck, &wo, new_file(&o, xstrdup("bildspel.odp")), b->dg);
  slides_free(&deck);
  deck_view participants = {b,    org,  pack,    texts,      viewer, f_odt,
                            NULL, NULL, doc_url, &lc_viewer, "odt"};
  rc |= handout(&participants, &o, "deltagare.odt");
  if (facilitator) {
    deck_view fac = {b,    org,  pack,    texts,   facilitator, f_fac_odt,
                     NULL, NULL, doc_url, &lc_fac, "odt"};
    rc |= handout(&fac, &o, "handledning.odt");
  }
  rc |= checklist_handout(&participants, &o);
  if (facilitator && deck_is_facilitator(facilitator)) { /* the presenter view, offline */
    sbuf *html = new_file(&o, xstrdup("bildspel.html"));
    o.files[o.n - 1].zip_only = true;
    o.files[o.n - 1].store = false;
    vec used = {0};
    slide_page(b, org, facilitator, pack, texts, NULL, &used, html);
    rc |= add_images(b, &o, &used);
    vec_free_items(&used);
    vec_free(&used);
  }
  if (rc == 0)
    rc = write_files(b, org, facilitator ? facilitator : viewer, pack, &o);
  for (size_t i = 0; i < o.n; i++) {
    free(o.files[i].name);
    sbuf_free(&o.files[i].bytes);
  }
  free(o.files);
  filters_free(f_odp);
  filters_free(f_odt);
  filters_free(f_fac_odp);
  filters_free(f_fac_odt);
  return rc;
}

/* Every facilitating role that reads the pack gets its own files, made as it
 * sees the content, under its own path: the pack page of each links its own
 * (and a web server's rules for the role cover them, docs/deploy.md). */
int pack_files(vk_build *b, const vk_org *org, const vk_doc *pack) {
  const vk_site *site = b->content->site;
  const vk_role *viewer = deck_participant_role(site, pack);
  if (!b->odf_theme || !viewer)
    return 0;
  deck_texts texts;
  deck_texts_parse(pack, org, &texts, b->dg);
  int rc = 0;
  bool any = false;
  for (size_t r = 0; r < site->n_roles; r++) {
    const vk_role *role = site->roles[r];
    if (!deck_is_facilitator(role) || !doc_applies(pack, site, org, role))
      continue;
    rc |= files_for(b, org, pack, &texts, viewer, role);
    any = true;
  }
  if (!any)
    rc |= files_for(b, org, pack, &texts, viewer, deck_facilitator_role(site, pack));
  deck_texts_free(&texts);
  return rc;
}
