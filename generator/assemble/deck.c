/* deck.c — see deck.h. */
#include "deck.h"
#include "html.h"
#include "image.h"
#include "links.h"
#include "markdown.h"
#include "variant.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FACILITATOR_CLASS "handledning"

/* ---- roles --------------------------------------------------------------- */

bool deck_is_facilitator(const vk_role *r) {
  return role_can(r, ROLE_CAN_FACILITATE);
}

static bool in_audience(const vk_doc *pack, const char *id) {
  for (size_t i = 0; i < pack->audience.n; i++)
    if (strcmp(pack->audience.items[i], id) == 0)
      return true;
  return pack->audience.n == 0;
}

const vk_role *deck_facilitator_role(const vk_site *s, const vk_doc *pack) {
  for (size_t i = 0; pack && i < pack->audience.n; i++) {
    const vk_role *r = site_role(s, pack->audience.items[i]);
    if (deck_is_facilitator(r))
      return r;
  }
  return site_first_role_can(s, ROLE_CAN_FACILITATE);
}

/* First the pack's own `participants`, then the site's when the pack is
 * for that role, then the first audience role (else site role) that does
 * not facilitate. */
const vk_role *deck_participant_role(const vk_site *s, const vk_doc *pack) {
  if (pack->participants && site_role(s, pack->participants))
    return site_role(s, pack->participants);
  if (s->participants && site_role(s, s->participants) && in_audience(pack, s->participants))
    return site_role(s, s->participants);
  for (size_t i = 0; i < pack->audience.n; i++) {
    const vk_role *r = site_role(s, pack->audience.items[i]);
    if (r && !deck_is_facilitator(r))
      return r;
  }
  for (size_t i = 0; i < s->n_roles; i++)
    if (!deck_is_facilitator(s->roles[i]))
      return s->roles[i];
  return s->n_roles ? s->roles[0] : NULL;
}

/* ---- trees ------------------------------------------------------------- */

void deck_texts_parse(const vk_doc *pack, const vk_org *org, deck_texts *out, diag *dg) {
  out->n = pack->n_agenda;
  out->docs = xcalloc(out->n ? out->n : 1, sizeof *out->docs);
  for (size_t i = 0; i < out->n; i++) {
    const vk_agenda_item *it = &pack->agenda[i];
    if (!it->text)
      continue;
    out->docs[i] = *pack; /* the pack's identity, file and front matter for filters and links */
    char *text = variant_expand(it->text, org, pack->srcpath, it->line, 1, dg);
    out->docs[i].tree = md_parse(text, strlen(text), it->line, pack->srcpath, dg);
    free(text);
  }
}

void deck_texts_free(deck_texts *t) {
  for (size_t i = 0; i < t->n; i++)
    if (t->docs[i].tree)
      cmark_node_free(t->docs[i].tree);
  free(t->docs);
}

static cmark_node *variant_for(const deck_view *v, const vk_doc *d, const vk_role *role,
                               vk_filters *f) {
  vk_variant_ctx c = {v->b->content, v->org, role, f, v->link_url, v->link_ud, NULL, v->format};
  cmark_node *t = variant_tree(&c, d, v->b->dg);
  if (!deck_is_facilitator(role))
    variant_strip_class(t, FACILITATOR_CLASS);
  return t;
}

cmark_node *deck_doc_tree(const deck_view *v, const vk_doc *d) {
  return variant_for(v, d, v->role, v->filters);
}

cmark_node *deck_text_tree(const deck_view *v, size_t i) {
  if (i >= v->texts->n || !v->texts->docs[i].tree)
    return NULL;
  return variant_for(v, &v->texts->docs[i], v->role, v->filters);
}

bool deck_item_applies(const deck_view *v, size_t i) {
  const vk_agenda_item *it = &v->pack->agenda[i];
  if (it->kind != AGENDA_CASE && it->kind != AGENDA_CHECKLIST && it->kind != AGENDA_DEFINITIONS)
    return true;
  for (size_t k = 0; k < it->ids.n; k++) {
    const vk_doc *d = content_find(v->b->content, it->ids.items[k]);
    if (d && doc_applies(d, v->b->content->site, v->org, v->role))
      return true;
  }
  return it->ids.n == 0;
}

const char *deck_item_label(const vk_labels *l, const vk_agenda_item *it) {
  static const char *const keys[] = {"agenda.intro",     "agenda.definitions", "agenda.case",
                                     "agenda.questions", "agenda.checklist",   "agenda.routines",
                                     "agenda.closing"};
  return it->title ? it->title : labels_get(l, keys[it->kind]);
}

/* ---- notes ------------------------------------------------------------- */

/* The facilitator containers' blocks of `tree`, cloned into a document;
 * NULL when there are none. */
static cmark_node *notes_of(cmark_node *tree) {
  cmark_node *notes = NULL;
  cmark_iter *it = cmark_iter_new(tree);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || md_type_of(n) != MD_DIV ||
        !md_attrs_has_class(md_attrs_of(n), FACILITATOR_CLASS))
      continue;
    if (!notes)
      notes = cmark_node_new(CMARK_NODE_DOCUMENT);
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
      cmark_node_append_child(notes, md_clone(c));
    cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
  }
  cmark_iter_free(it);
  return notes;
}

/* The notes of document d (or of agenda text i when d is NULL) as the
 * notes role sees it. */
static cmark_node *notes_for(const deck_view *v, const vk_doc *d, size_t text) {
  if (!v->notes_role)
    return NULL;
  if (!d && (text >= v->texts->n || !v->texts->docs[text].tree))
    return NULL;
  cmark_node *t = variant_for(v, d ? d : &v->texts->docs[text], v->notes_role, v->notes_filters);
  cmark_node *notes = notes_of(t);
  cmark_node_free(t);
  return notes;
}

/* ---- slide content ----------------------------------------------------- */

static char *plain(cmark_node *n) {
  sbuf t = {0};
  md_text_content(n, &t);
  return sbuf_take(&t);
}

/* A paragraph of local images only (a diagram): they go on slides of their
 * own, rather than their alt text onto the text slide. */
static bool take_images(cmark_node *para, slide *s) {
  int images = 0;
  for (cmark_node *c = cmark_node_first_child(para); c; c = cmark_node_next(c)) {
    md_type t = md_type_of(c);
    const char *url = t == MD_IMAGE ? cmark_node_get_url(c) : NULL;
    const char *lit = t == MD_TEXT ? cmark_node_get_literal(c) : NULL;
    if (url && *url && !image_is_remote(url))
      images++;
    else if (!(t == MD_SOFTBREAK || t == MD_LINEBREAK ||
               (lit && strspn(lit, " \t") == strlen(lit))))
      return false;
  }
  for (cmark_node *c = cmark_node_first_child(para); images && c; c = cmark_node_next(c))
    if (md_type_of(c) == MD_IMAGE) {
      char *alt = plain(c);
      slides_add_image(s, cmark_node_get_url(c), alt, cmark_node_get_title(c));
      free(alt);
    }
  return images > 0;
}

typedef enum { TAKE_TEXT, TAKE_LISTS } take_what;

/* Clones the blocks [from, to) onto the slide: text and lists (TAKE_TEXT),
 * or headings and lists only (TAKE_LISTS: a checklist's groups and items,
 * a case's questions). Containers are opened; image paragraphs become the
 * slide's images. */
static void take_blocks(cmark_node *from, cmark_node *to, take_what what, slide *s) {
  for (cmark_node *n = from; n && n != to; n = cmark_node_next(n)) {
    switch (md_type_of(n)) {
    case MD_DIV: take_blocks(cmark_node_first_child(n), NULL, what, s); break;
    case MD_LIST: cmark_node_append_child(s->body, md_clone(n)); break;
    case MD_HEADING:
      if (what == TAKE_LISTS)
        cmark_node_append_child(s->body, md_clone(n));
      break;
    case MD_PARAGRAPH:
      if (what == TAKE_TEXT && !take_images(n, s))
        cmark_node_append_child(s->body, md_clone(n));
      break;
    case MD_BLOCK_QUOTE:
      if (what == TAKE_TEXT)
        cmark_node_append_child(s->body, md_clone(n));
      break;
    default: break;
    }
  }
}

static bool heading_is(cmark_node *h, const char *name) {
  if (md_type_of(h) != MD_HEADING)
    return false;
  char *t = plain(h);
  bool yes = strncasecmp(t, name, strlen(name)) == 0;
  free(t);
  return yes;
}

/* The blocks under the first top-level heading called `name`, up to the
 * next heading of the same or a higher level: [*from, *to). */
static bool section(cmark_node *tree, const char *name, cmark_node **from, cmark_node **to) {
  for (cmark_node *n = cmark_node_first_child(tree); n; n = cmark_node_next(n)) {
    if (!heading_is(n, name))
      continue;
    int level = cmark_node_get_heading_level(n);
    *from = cmark_node_next(n);
    cmark_node *e = *from;
    while (e && !(md_type_of(e) == MD_HEADING && cmark_node_get_heading_level(e) <= level))
      e = cmark_node_next(e);
    *to = e;
    return true;
  }
  return false;
}

/* Every list of the slide's body numbered (questions). */
static void number_lists(slide *s) {
  for (cmark_node *n = cmark_node_first_child(s->body); n; n = cmark_node_next(n))
    if (md_type_of(n) == MD_LIST) {
      cmark_node_set_list_type(n, CMARK_ORDERED_LIST);
      cmark_node_set_list_start(n, 1);
    }
}

#define LBL(v, key) labels_get(theme_labels((v)->b->theme), key)

static void case_slides(const deck_view *v, slide_deck *deck, const vk_doc *c) {
  cmark_node *t = deck_doc_tree(v, c);
  slide *s = slides_add(deck, SLIDE_CASE, LBL(v, "slides.kind.case"), c->title);
  cmark_node *from, *to;
  if (section(t, LBL(v, "case.situation_heading"), &from, &to))
    take_blocks(from, to, TAKE_TEXT, s);
  else
    take_blocks(cmark_node_first_child(t), NULL, TAKE_TEXT, s);
  s->notes = notes_for(v, c, 0);
  if (section(t, LBL(v, "case.questions_heading"), &from, &to)) {
    char *title = labels_format(theme_labels(v->b->theme), "slides.case_questions", c->title);
    slide *q = slides_add(deck, SLIDE_QUESTIONS, LBL(v, "slides.kind.questions"), title);
    free(title);
    take_blocks(from, to, TAKE_LISTS, q);
    number_lists(q);
  }
  cmark_node_free(t);
}

static void checklist_slide(const deck_view *v, slide_deck *deck, const vk_doc *d) {
  cmark_node *t = deck_doc_tree(v, d);
  slide *s = slides_add(deck, SLIDE_CHECKLIST, LBL(v, "slides.kind.checklist"), d->title);
  if (d->when)
    s->lead = labels_format(theme_labels(v->b->theme), "checklist.when", d->when);
  take_blocks(cmark_node_first_child(t), NULL, TAKE_LISTS, s);
  s->notes = notes_for(v, d, 0);
  cmark_node_free(t);
}

/* The organisation's contacts: the theme's variable text (theme.h) with its
 * variables; NULL when it comes out empty. */
static char *contact_of(const deck_view *v) {
  char *line = labels_render(theme_labels(v->b->theme), "slides.contact", v->org->vars);
  if (line[strspn(line, " \t\n")])
    return line;
  free(line);
  return NULL;
}

static void text_slide(const deck_view *v, slide_deck *deck, size_t i, slide_type type) {
  const vk_agenda_item *it = &v->pack->agenda[i];
  slide *s = slides_add(deck, type, NULL, deck_item_label(theme_labels(v->b->theme), it));
  cmark_node *t = deck_text_tree(v, i);
  if (t) {
    take_blocks(cmark_node_first_child(t), NULL, TAKE_TEXT, s);
    cmark_node_free(t);
  }
  s->notes = notes_for(v, NULL, i);
  const vk_site *site = v->b->content->site;
  if (type == SLIDE_CLOSING && site->base_url && *site->base_url) {
    char *home = link_variant_dir(v->org, NULL), *url = link_abs(site, home);
    char *line = labels_format(theme_labels(v->b->theme), "slides.online", url);
    slides_add_para(s->body, line);
    free(line);
    free(url);
    free(home);
  }
  if (type == SLIDE_CLOSING)
    s->contact = contact_of(v);
}

/* The routines in short: each routine's title (a group heading) and its
 * summary, and where to report (the contacts). */
static void routines_slide(const deck_view *v, slide_deck *deck, const vk_agenda_item *it) {
  const vk_labels *l = theme_labels(v->b->theme);
  slide *s = slides_add(deck, SLIDE_ROUTINES, labels_get(l, "slides.kind.routines"),
                        labels_get(l, "slides.routines_title"));
  for (size_t k = 0; k < it->ids.n; k++) {
    const vk_doc *d = content_find(v->b->content, it->ids.items[k]);
    if (!d || !doc_applies(d, v->b->content->site, v->org, v->role))
      continue;
    cmark_node *h = cmark_node_new(CMARK_NODE_HEADING);
    cmark_node_set_heading_level(h, 2);
    cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(t, d->title);
    cmark_node_append_child(h, t);
    cmark_node_append_child(s->body, h);
    if (d->summary)
      slides_add_para(s->body, d->summary);
  }
  s->contact = contact_of(v);
}

/* "Inledning (5 min)" or the label alone; `minutes_only` gives "5 min"
 * (NULL without minutes). */
static char *item_line(const vk_labels *l, const vk_agenda_item *it, bool minutes_only) {
  const char *label = deck_item_label(l, it);
  if (!it->minutes)
    return minutes_only ? NULL : xstrdup(label);
  char num[16];
  snprintf(num, sizeof num, "%d", it->minutes);
  char *minutes = labels_format(l, "pack.agenda_item", num);
  if (minutes_only)
    return minutes;
  char *line = xasprintf("%s (%s)", label, minutes);
  free(minutes);
  return line;
}

static void agenda_slide(const deck_view *v, slide_deck *deck) {
  const vk_labels *l = theme_labels(v->b->theme);
  slide *s = slides_add(deck, SLIDE_AGENDA, NULL, labels_get(l, "pack.agenda"));
  cmark_node *list = slides_add_list(s->body, true);
  for (size_t i = 0; i < v->pack->n_agenda; i++) {
    if (!deck_item_applies(v, i))
      continue;
    char *line = item_line(l, &v->pack->agenda[i], false);
    slides_add_item(list, line);
    free(line);
  }
}

/* Item `item` of `items` begins: its title large, its minutes. */
static void divider_slide(const deck_view *v, slide_deck *deck, size_t i, int item, int items) {
  const vk_labels *l = theme_labels(v->b->theme);
  char num[32];
  snprintf(num, sizeof num, "%d/%d", item, items);
  char *progress = labels_format(l, "slides.progress", num);
  slide *s = slides_add(deck, SLIDE_DIVIDER, progress, deck_item_label(l, &v->pack->agenda[i]));
  s->lead = item_line(l, &v->pack->agenda[i], true);
  free(progress);
}

static void item_slides(const deck_view *v, slide_deck *deck, size_t i) {
  const vk_agenda_item *it = &v->pack->agenda[i];
  const vk_labels *l = theme_labels(v->b->theme);
  switch (it->kind) {
  case AGENDA_INTRO: text_slide(v, deck, i, SLIDE_TEXT); return;
  case AGENDA_CLOSING: text_slide(v, deck, i, SLIDE_CLOSING); return;
  case AGENDA_QUESTIONS: {
    slide *s = slides_add(deck, SLIDE_QUESTIONS, labels_get(l, "slides.kind.questions"),
                          deck_item_label(l, it));
    cmark_node *list = slides_add_list(s->body, true);
    for (size_t k = 0; k < it->items.n; k++) {
      char *q = variant_expand(it->items.items[k], v->org, v->pack->srcpath, 0, 0, NULL);
      slides_add_item(list, q);
      free(q);
    }
    s->notes = notes_for(v, NULL, i);
    return;
  }
  default: break;
  }
  for (size_t k = 0; k < it->ids.n; k++) {
    const vk_doc *d = content_find(v->b->content, it->ids.items[k]);
    if (!d || !doc_applies(d, v->b->content->site, v->org, v->role))
      continue;
    if (d->kind == KIND_DEFINITION) {
      slide *s = slides_add(deck, SLIDE_DEFINITION, labels_get(l, "slides.kind.definition"),
                            d->term ? d->term : d->title);
      s->lead = d->summary ? xstrdup(d->summary) : NULL;
    } else if (d->kind == KIND_CASE) {
      case_slides(v, deck, d);
    } else if (d->kind == KIND_CHECKLIST) {
      checklist_slide(v, deck, d);
    }
  }
  if (it->kind == AGENDA_ROUTINES)
    routines_slide(v, deck, it);
}

void deck_build(const deck_view *v, slide_deck *out) {
  const vk_doc *p = v->pack;
  const vk_labels *l = theme_labels(v->b->theme);
  memset(out, 0, sizeof *out);
  out->title = xstrdup(p->title);
  out->subtitle = p->summary ? xstrdup(p->summary) : NULL;
  out->org_name = xstrdup(v->org->name);
  out->date = xstrdup(v->b->generated);
  out->version = p->version ? xstrdup(p->version) : NULL;
  out->footer = xasprintf("%s · %s", v->org->name, p->title);
  slide *t = slides_add(out, SLIDE_TITLE, labels_get(l, "slides.event"), p->title);
  t->lead = p->summary ? xstrdup(p->summary) : NULL;
  agenda_slide(v, out);
  int items = 0, item = 0;
  for (size_t i = 0; i < p->n_agenda; i++)
    items += deck_item_applies(v, i);
  for (size_t i = 0; i < p->n_agenda; i++) {
    if (!deck_item_applies(v, i))
      continue;
    size_t first = out->n;
    divider_slide(v, out, i, ++item, items);
    item_slides(v, out, i);
    for (size_t k = first; k < out->n; k++) { /* the item's slides show where the meeting is */
      out->slides[k].item = item;
      out->slides[k].items = items;
    }
  }
}

/* ---- HTML slide view --------------------------------------------------- */

static const char *const type_flags[] = {
    "is_title",     "is_agenda",    "is_text",     "is_definition", "is_case",
    "is_questions", "is_checklist", "is_routines", "is_closing",    "is_divider"};
/* the slide's layout, a class of the HTML slide view (slides.css) */
static const char *const layouts[] = {"title-slide", "agenda",    "text",      "definition",
                                      "situation",   "questions", "checklist", "routines",
                                      "closing",     "divider"};

static vk_value *slide_data(const slide *s, size_t number, const char *image_prefix,
                            const vk_labels *labels) {
  vk_value *m = vk_map();
  vk_map_set(m, type_flags[s->type], vk_bool(true));
  vk_map_set(m, "number", vk_int((long long)number));
  vk_map_put(m, "kind", s->kind);
  vk_map_put(m, "title", s->title);
  vk_map_put(m, "lead", s->lead);
  vk_map_put(m, "contact", s->contact);
  vk_map_put(m, "layout", layouts[s->type]);
  vk_map_put_owned(m, "aria",
                   s->kind && s->type != SLIDE_TITLE ? xasprintf("%s: %s", s->kind, s->title)
                                                     : xstrdup(s->title));
  vk_map_set(m, "boxed", vk_bool(s->type == SLIDE_CASE || s->type == SLIDE_CHECKLIST));
  sbuf body = {0};
  int min = md_min_heading_level(s->body);
  char *id = xasprintf("bild-%zu", number);
  html_opts o = {.heading_offset = min ? 3 - min : 2,
                 .interactive_tasks = s->type == SLIDE_CHECKLIST,
                 .id_prefix = id,
                 .heading_id_prefix = id,
                 .image_prefix = image_prefix,
                 .labels = labels};
  html_render(s->body, &o, &body);
  free(id);
  if (body.len)
    vk_map_put_owned(m, "body", sbuf_take(&body));
  sbuf_free(&body);
  vk_value *images = vk_list();
  for (size_t i = 0; i < s->images.n; i++) {
    const slide_image *im = s->images.items[i];
    vk_value *e = vk_map();
    vk_map_put_owned(e, "src", xasprintf("%s%s", image_prefix, im->path));
    vk_map_put(e, "alt", im->alt);
    vk_map_put(e, "title", im->title);
    vk_list_push(images, e);
  }
  vk_map_set(m, "images", images);
  if (s->item)
    vk_map_set(m, "item", vk_int(s->item));
  if (s->notes) { /* only a facilitator's deck has notes (slides.h) */
    sbuf notes = {0};
    char *nid = xasprintf("anteckning-%zu", number);
    html_opts no = {.heading_offset = 2,
                    .id_prefix = nid,
                    .heading_id_prefix = nid,
                    .image_prefix = image_prefix,
                    .labels = labels};
    html_render(s->notes, &no, &notes);
    free(nid);
    if (notes.len)
      vk_map_put_owned(m, "notes", sbuf_take(&notes));
    sbuf_free(&notes);
  }
  return m;
}

vk_value *deck_template_data(const slide_deck *d, const char *image_prefix,
                             const vk_labels *labels) {
  vk_value *list = vk_list();
  for (size_t i = 0; i < d->n; i++)
    vk_list_push(list, slide_data(&d->slides[i], i + 1, image_prefix, labels));
  return list;
}
