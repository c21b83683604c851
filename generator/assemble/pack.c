/* pack.c — see pack.h. */
#include "pack.h"
#include "html.h"
#include "image.h"
#include "markdown.h"
#include "odf.h"
#include "odp.h"
#include "odt.h"
#include "frame.h"
#include "links.h"
#include "variant.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

static const char *agenda_label(vk_agenda_kind k) {
  static const char *labels[] = {"Inledning",  "Begrepp", "Fall",      "Frågor",
                                 "Checklista", "Rutiner", "Avslutning"};
  return labels[k];
}

/* Markdown text from front matter (intro/closing) rendered to HTML. */
static char *markdown_html(const char *text, const vk_org *org, const vk_doc *pack, diag *dg) {
  char *expanded = variant_expand(text, org, pack->srcpath, 1, 1, dg);
  diag *quiet = diag_new(); /* containers are not used in these short texts */
  cmark_node *tree = md_parse(expanded, strlen(expanded), 1, pack->srcpath, quiet);
  diag_free(quiet);
  sbuf out = {0};
  int min = md_min_heading_level(tree);
  html_opts o = {.heading_offset = min ? 3 - min : 2};
  html_render(tree, &o, &out);
  cmark_node_free(tree);
  free(expanded);
  return sbuf_take(&out);
}

static char *page_link(void *ud, const vk_doc *target, const char *anchor) {
  (void)ud;
  return link_from_sibling(target, anchor);
}

/* A referenced document as this variant sees it, rendered to HTML. */
static char *doc_html(vk_build *b, const vk_org *org, const vk_role *role, const vk_doc *d,
                      vk_filters *f, const char *root) {
  vk_variant_ctx v = {b->content, org, role, f, page_link, NULL, NULL};
  cmark_node *tree = variant_tree(&v, d, b->dg);
  if (strcmp(role->id, "chef") != 0)
    variant_strip_class(tree, "handledning");
  sbuf out = {0};
  int min = md_min_heading_level(tree);
  html_opts o = {.heading_id_prefix = d->id,
                 .heading_offset = min ? 4 - min : 3,
                 .interactive_tasks = d->kind == KIND_CHECKLIST,
                 .id_prefix = d->id};
  char *images = xasprintf("%s" IMAGE_SITE_DIR "/", root);
  o.image_prefix = images;
  html_render(tree, &o, &out);
  free(images);
  cmark_node_free(tree);
  return sbuf_take(&out);
}

static vk_value *ref_item(vk_build *b, const vk_org *org, const vk_role *role, const vk_doc *d,
                          vk_filters *f, bool with_body, const char *root) {
  vk_value *m = vk_map();
  vk_map_put(m, "id", d->id);
  vk_map_put(m, "title", d->kind == KIND_DEFINITION && d->term ? d->term : d->title);
  vk_map_put(m, "summary", d->summary);
  vk_map_put_owned(m, "url", link_from_sibling(d, NULL));
  if (with_body)
    vk_map_put_owned(m, "body", doc_html(b, org, role, d, f, root));
  return m;
}

/* The agenda as template data: one entry per item with its kind flag. */
static vk_value *agenda_data(vk_build *b, const vk_org *org, const vk_role *role,
                             const vk_doc *pack, vk_filters *f, const char *root) {
  vk_value *list = vk_list();
  int minute = 0;
  for (size_t i = 0; i < pack->n_agenda; i++) {
    const vk_agenda_item *it = &pack->agenda[i];
    vk_value *m = vk_map();
    static const char *flags[] = {"is_intro",     "is_definitions", "is_case",   "is_questions",
                                  "is_checklist", "is_routines",    "is_closing"};
    vk_map_set(m, flags[it->kind], vk_bool(true));
    vk_map_put(m, "label", it->title ? it->title : agenda_label(it->kind));
    vk_map_set(m, "number", vk_int((long long)i + 1));
    if (it->minutes) {
      vk_map_set(m, "minutes", vk_int(it->minutes));
      vk_map_put_owned(m, "starts", xasprintf("%d", minute));
      minute += it->minutes;
    }
    if (it->text)
      vk_map_put_owned(m, "html", markdown_html(it->text, org, pack, b->dg));
    vk_value *refs = vk_list();
    for (size_t k = 0; k < it->ids.n; k++) {
      const vk_doc *d = content_find(b->content, it->ids.items[k]);
      if (!d || !doc_applies(d, b->content->site, org, role))
        continue;
      bool body = it->kind == AGENDA_CASE || it->kind == AGENDA_CHECKLIST;
      vk_list_push(refs, ref_item(b, org, role, d, f, body, root));
    }
    vk_map_set(m, "refs", refs);
    vk_value *qs = vk_list();
    for (size_t k = 0; k < it->items.n; k++) {
      char *q = variant_expand(it->items.items[k], org, pack->srcpath, it->line, 1, b->dg);
      vk_list_push(qs, vk_str(q));
      free(q);
    }
    vk_map_set(m, "questions", qs);
    vk_list_push(list, m);
  }
  return list;
}

static bool is_chef(const vk_role *r) {
  return strcmp(r->id, "chef") == 0;
}

/* Whose eyes the slides and the participant handout are for: the first
 * audience role that is not chef, else medarbetare. Facilitator-only text
 * must not reach a screen the whole room sees. */
static const vk_role *participant_role(const vk_site *s, const vk_doc *pack) {
  for (size_t i = 0; i < pack->audience.n; i++) {
    const vk_role *r = site_role(s, pack->audience.items[i]);
    if (r && !is_chef(r))
      return r;
  }
  const vk_role *r = site_role(s, "medarbetare");
  return r ? r : (s->n_roles ? s->roles[0] : NULL);
}

static vk_value *downloads(const vk_org *org, const vk_doc *pack, const char *root) {
  vk_value *list = vk_list();
  static const struct {
    const char *file, *label, *type;
  } files[] = {{"bildspel.odp", "Bildspel", "ODP"},
               {"deltagare.odt", "Deltagarmaterial", "ODT"},
               {"handledning.odt", "Handledning för samtalsledaren", "ODT"},
               {NULL, "Allt i en zip-fil", "ZIP"}};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    vk_value *m = vk_map();
    vk_map_put(m, "label", files[i].label);
    vk_map_put(m, "type", files[i].type);
    if (files[i].file)
      vk_map_put_owned(m, "url",
                       xasprintf("%s../apt/%s/%s/%s", root, org->id, pack->id, files[i].file));
    else
      vk_map_put_owned(m, "url",
                       xasprintf("%s../apt/%s/%s/%s.zip", root, org->id, pack->id, pack->id));
    vk_list_push(list, m);
  }
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

int pack_page(vk_build *b, const vk_org *org, const vk_role *role, const vk_doc *pack,
              vk_filters *filters) {
  const char *root = "../../../";
  vk_value *data = common_data(b, org, role, pack, root);
  frame_add_crumb(data, role->name, "../index.html");
  frame_add_crumb(data, "APT-material", "index.html");
  bool chef = is_chef(role);
  vk_map_set(data, "is_facilitator", vk_bool(chef));
  if (pack->body && *pack->body) {
    vk_variant_ctx v = {b->content, org, role, filters, page_link, NULL, NULL};
    cmark_node *tree = variant_tree(&v, pack, b->dg);
    sbuf out = {0};
    int min = md_min_heading_level(tree);
    html_opts o = {.heading_offset = min ? 2 - min : 1,
                   .image_prefix = "../../../" IMAGE_SITE_DIR "/"};
    html_render(tree, &o, &out);
    vk_map_put_owned(data, "intro", sbuf_take(&out));
    cmark_node_free(tree);
  }
  vk_map_set(data, "agenda", agenda_data(b, org, role, pack, filters, root));
  int rc = 0;
  if (chef && (b->opts->formats & FMT_ODP)) {
    vk_map_set(data, "downloads", downloads(org, pack, root));
    vk_map_put_owned(data, "slides_url", xasprintf("%s/bildspel/index.html", pack->id));
    /* The slide view: the same agenda, one slide per screen. */
    vk_value *slides = common_data(b, org, role, pack, "../../../../../");
    const vk_role *viewer = participant_role(b->content->site, pack);
    vk_filters *vf = filters_new(b->content, org, viewer, "html", b->dg);
    vk_map_set(slides, "agenda", agenda_data(b, org, viewer, pack, vf, "../../../../../"));
    filters_free(vf);
    vk_map_put_owned(slides, "back_url", xasprintf("../../%s.html", pack->id));
    char *rel = xasprintf("site/%s/%s/apt/%s/bildspel/index.html", org->id, role->id, pack->id);
    rc |= render_to(b, rel, "slides", slides, false);
    free(rel);
    vk_value_free(slides);
  }
  char *rel = xasprintf("site/%s/%s/apt/%s.html", org->id, role->id, pack->id);
  rc |= render_to(b, rel, "pack", data, true);
  free(rel);
  vk_value_free(data);
  return rc;
}

/* ---- downloadable files (dist/apt/<org>/<pack>/) ---------------------- */

static char *plain(cmark_node *n) {
  sbuf t = {0};
  md_text_content(n, &t);
  return sbuf_take(&t);
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

/* A paragraph of local images only (a diagram): they go on slides of their
 * own, rather than their alt text onto the text slide. */
static bool collect_images(cmark_node *para, odp_slide *s) {
  int images = 0;
  for (cmark_node *c = cmark_node_first_child(para); c; c = cmark_node_next(c)) {
    md_type t = md_type_of(c);
    const char *url = t == MD_IMAGE ? cmark_node_get_url(c) : NULL;
    if (url && *url && !image_is_remote(url))
      images++;
    else if (!(t == MD_SOFTBREAK || t == MD_LINEBREAK ||
               (t == MD_TEXT &&
                strspn(cmark_node_get_literal(c), " \t") == strlen(cmark_node_get_literal(c)))))
      return false;
  }
  for (cmark_node *c = cmark_node_first_child(para); images && c; c = cmark_node_next(c))
    if (md_type_of(c) == MD_IMAGE) {
      char *alt = plain(c);
      odp_add_image(s, cmark_node_get_url(c), alt, cmark_node_get_title(c));
      free(alt);
    }
  return images > 0;
}

/* Paragraph texts (and list items as bullets) of the blocks [from, to);
 * image paragraphs as images. */
static void collect_text(cmark_node *from, cmark_node *to, odp_slide *s) {
  for (cmark_node *n = from; n && n != to; n = cmark_node_next(n)) {
    switch (md_type_of(n)) {
    case MD_PARAGRAPH:
      if (!collect_images(n, s))
        vec_push(&s->paras, plain(n));
      break;
    case MD_BLOCK_QUOTE: vec_push(&s->paras, plain(n)); break;
    case MD_LIST:
      s->numbered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
      for (cmark_node *it = cmark_node_first_child(n); it; it = cmark_node_next(it))
        vec_push(&s->bullets, plain(it));
      break;
    case MD_DIV:
      if (!md_attrs_has_class(md_attrs_of(n), "handledning"))
        collect_text(cmark_node_first_child(n), NULL, s);
      break;
    default: break;
    }
  }
}

/* The facilitator notes of a (chef) tree, as plain text lines. */
static void collect_notes(cmark_node *tree, sbuf *out) {
  cmark_iter *it = cmark_iter_new(tree);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_ENTER && md_type_of(n) == MD_DIV &&
        md_attrs_has_class(md_attrs_of(n), "handledning")) {
      for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
        char *t = plain(c);
        if (out->len)
          sbuf_putc(out, '\n');
        sbuf_puts(out, t);
        free(t);
      }
      cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
    }
  }
  cmark_iter_free(it);
}

typedef struct {
  vk_build *b;
  const vk_org *org;
  const vk_doc *pack;
  const vk_role *viewer, *chef;
  vk_filters *f_viewer, *f_chef;
} pack_job;

static char *no_link(void *ud, const vk_doc *target, const char *anchor) {
  const pack_job *j = ud;
  const char *base = j->b->content->site->base_url ? j->b->content->site->base_url : "";
  (void)anchor;
  return xasprintf("%s%s/%s/%s/%s.html", base, j->org->id, j->viewer->id, kind_slug(target->kind),
                   target->id);
}

static cmark_node *tree_for(pack_job *j, const vk_doc *d, bool facilitator) {
  const vk_role *r = facilitator && j->chef ? j->chef : j->viewer;
  vk_variant_ctx v = {j->b->content, j->org, r,   facilitator ? j->f_chef : j->f_viewer,
                      no_link,       j,      NULL};
  cmark_node *t = variant_tree(&v, d, j->b->dg);
  if (!facilitator)
    variant_strip_class(t, "handledning");
  return t;
}

static char *expand(pack_job *j, const char *text) {
  return variant_expand(text, j->org, j->pack->srcpath, 0, 0, NULL);
}

static void case_slides(pack_job *j, odp_pack *deck, const vk_doc *c) {
  cmark_node *t = tree_for(j, c, false);
  odp_slide *s = odp_add_slide(deck, "Fall", c->title);
  cmark_node *from, *to;
  if (section(t, "Situation", &from, &to))
    collect_text(from, to, s);
  else
    collect_text(cmark_node_first_child(t), NULL, s);
  cmark_node *ct = tree_for(j, c, true);
  sbuf notes = {0};
  collect_notes(ct, &notes);
  cmark_node_free(ct);
  if (notes.len)
    s->notes = sbuf_take(&notes);
  sbuf_free(&notes);
  if (section(t, "Frågor", &from, &to)) {
    char *title = xasprintf("Frågor: %s", c->title);
    odp_slide *q = odp_add_slide(deck, "Samtal", title);
    free(title);
    odp_slide tmp = {0};
    collect_text(from, to, &tmp);
    q->bullets = tmp.bullets;
    q->images = tmp.images;
    q->numbered = true;
    for (size_t i = 0; i < tmp.paras.n; i++)
      free(tmp.paras.items[i]);
    vec_free(&tmp.paras);
  }
  cmark_node_free(t);
}

static void agenda_slides(pack_job *j, odp_pack *deck) {
  const vk_doc *p = j->pack;
  odp_slide *ag = odp_add_slide(deck, NULL, "Dagordning");
  for (size_t i = 0; i < p->n_agenda; i++) {
    const vk_agenda_item *it = &p->agenda[i];
    const char *label = it->title ? it->title : agenda_label(it->kind);
    vec_push(&ag->bullets,
             it->minutes ? xasprintf("%s (%d min)", label, it->minutes) : xstrdup(label));
  }
  const vk_site *site = j->b->content->site;
  for (size_t i = 0; i < p->n_agenda; i++) {
    const vk_agenda_item *it = &p->agenda[i];
    const char *label = it->title ? it->title : agenda_label(it->kind);
    odp_slide *s;
    switch (it->kind) {
    case AGENDA_INTRO:
    case AGENDA_CLOSING:
      s = odp_add_slide(deck, NULL, label);
      if (it->text)
        vec_push(&s->paras, expand(j, it->text));
      if (it->kind == AGENDA_CLOSING && site->base_url)
        vec_push(&s->paras,
                 xasprintf("Allt material finns på intranätet: %s%s/", site->base_url, j->org->id));
      break;
    case AGENDA_QUESTIONS:
      s = odp_add_slide(deck, "Samtal", label);
      s->numbered = true;
      for (size_t k = 0; k < it->items.n; k++)
        vec_push(&s->bullets, expand(j, it->items.items[k]));
      break;
    default:
      for (size_t k = 0; k < it->ids.n; k++) {
        const vk_doc *d = content_find(j->b->content, it->ids.items[k]);
        if (!d || !doc_applies(d, site, j->org, j->viewer))
          continue;
        if (d->kind == KIND_DEFINITION) {
          s = odp_add_slide(deck, "Begrepp", d->term ? d->term : d->title);
          if (d->summary)
            s->lead = xstrdup(d->summary);
        } else if (d->kind == KIND_CASE) {
          case_slides(j, deck, d);
        } else if (d->kind == KIND_CHECKLIST) {
          cmark_node *t = tree_for(j, d, false);
          s = odp_add_slide(deck, "Checklista", d->title);
          if (d->when)
            s->lead = xasprintf("Används: %s", d->when);
          collect_text(cmark_node_first_child(t), NULL, s);
          for (size_t q = 0; q < s->paras.n; q++)
            free(s->paras.items[q]);
          s->paras.n = 0;
          cmark_node_free(t);
        }
      }
      if (it->kind == AGENDA_ROUTINES) {
        s = odp_add_slide(deck, "Rutiner", "Så gör vi hos oss");
        for (size_t k = 0; k < it->ids.n; k++) {
          const vk_doc *d = content_find(j->b->content, it->ids.items[k]);
          if (d && doc_applies(d, site, j->org, j->viewer))
            vec_push(&s->bullets,
                     d->summary ? xasprintf("%s – %s", d->title, d->summary) : xstrdup(d->title));
        }
        const char *sys = org_var(j->org, "incident_system"),
                   *phone = org_var(j->org, "security_phone");
        if (sys)
          vec_push(&s->paras, xasprintf("Rapportera alltid i %s.%s%s", sys,
                                        phone ? " Säkerhetsfunktionen: " : "", phone ? phone : ""));
      }
      break;
    }
  }
}

/* Builds a handout tree: Markdown for the frame, the documents' filtered
 * trees moved in whole. */
static void append_markdown(cmark_node *doc, const char *md) {
  diag *quiet = diag_new();
  cmark_node *t = md_parse(md, strlen(md), 1, "pack", quiet);
  diag_free(quiet);
  cmark_node *c;
  while ((c = cmark_node_first_child(t)))
    cmark_node_append_child(doc, c);
  cmark_node_free(t);
}

/* Moves a tree's blocks in, each heading one level down (under the item's heading). */
static void append_tree(cmark_node *doc, cmark_node *t) {
  cmark_node *c;
  cmark_iter *it = cmark_iter_new(t);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_ENTER && md_type_of(n) == MD_HEADING) {
      int l = cmark_node_get_heading_level(n) + 1;
      cmark_node_set_heading_level(n, l > 6 ? 6 : l);
    }
  }
  cmark_iter_free(it);
  while ((c = cmark_node_first_child(t)))
    cmark_node_append_child(doc, c);
  cmark_node_free(t);
}

static void md_escape(sbuf *b, const char *s) {
  for (; s && *s; s++) {
    if (strchr("\\`*_{}[]<>#|!", *s))
      sbuf_putc(b, '\\');
    sbuf_putc(b, *s);
  }
}

static cmark_node *handout_tree(pack_job *j, bool facilitator) {
  const vk_doc *p = j->pack;
  const vk_site *site = j->b->content->site;
  cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
  sbuf md = {0};
  if (facilitator) {
    sbuf_puts(&md, "# Dagordning\n\n| Tid | Punkt | Minuter |\n|---|---|--:|\n");
    int at = 0;
    for (size_t i = 0; i < p->n_agenda; i++) {
      const vk_agenda_item *it = &p->agenda[i];
      sbuf_printf(&md, "| %d:%02d | ", at / 60, at % 60);
      md_escape(&md, it->title ? it->title : agenda_label(it->kind));
      sbuf_printf(&md, " | %d |\n", it->minutes);
      at += it->minutes;
    }
    sbuf_puts(&md, "\n");
    append_markdown(doc, sbuf_str(&md));
    md.len = 0;
  }
  for (size_t i = 0; i < p->n_agenda; i++) {
    const vk_agenda_item *it = &p->agenda[i];
    sbuf_puts(&md, "# ");
    md_escape(&md, it->title ? it->title : agenda_label(it->kind));
    sbuf_puts(&md, "\n\n");
    if (it->text) {
      char *t = expand(j, it->text);
      sbuf_printf(&md, "%s\n\n", t);
      free(t);
    }
    if (it->kind == AGENDA_QUESTIONS) {
      sbuf_puts(&md, "## Frågor\n\n");
      for (size_t k = 0; k < it->items.n; k++) {
        char *q = expand(j, it->items.items[k]);
        sbuf_printf(&md, "%zu. ", k + 1);
        md_escape(&md, q);
        sbuf_puts(&md, "\n");
        free(q);
      }
      sbuf_puts(&md, "\n");
    }
    append_markdown(doc, sbuf_str(&md));
    md.len = 0;
    for (size_t k = 0; k < it->ids.n; k++) {
      const vk_doc *d = content_find(j->b->content, it->ids.items[k]);
      if (!d || !doc_applies(d, site, j->org, facilitator ? j->chef : j->viewer))
        continue;
      if (d->kind == KIND_DEFINITION || d->kind == KIND_ROUTINE) {
        sbuf_puts(&md, "**");
        md_escape(&md, d->kind == KIND_DEFINITION && d->term ? d->term : d->title);
        sbuf_puts(&md, "** – ");
        md_escape(&md, d->summary ? d->summary : "");
        sbuf_puts(&md, "\n\n");
        append_markdown(doc, sbuf_str(&md));
        md.len = 0;
      } else {
        sbuf_puts(&md, "## ");
        md_escape(&md, d->title);
        sbuf_puts(&md, "\n\n");
        append_markdown(doc, sbuf_str(&md));
        md.len = 0;
        append_tree(doc, tree_for(j, d, facilitator));
      }
    }
  }
  if (facilitator)
    append_markdown(
        doc, "# Att leda samtalet\n\n"
             "- Börja med att säga att det inte finns några fel svar: syftet är att hitta var "
             "gränsen går för just er arbetsplats.\n"
             "- Fråga efter egna exempel, men låt ingen behöva berätta mer än hen vill.\n"
             "- Skilj på vad som är tillåten påverkan (kritik, klagomål, granskning) och vad "
             "som är otillåten påverkan.\n"
             "- Tala om var ni drar gränsen för vad ni accepterar och tolererar, och vad ni "
             "gör när den passeras.\n\n"
             "# Efter träffen\n\n"
             "- [ ] Skicka en kort sammanfattning till alla, också till dem som inte var med.\n"
             "- [ ] Följ upp de åtgärder ni kom överens om, med ansvarig och datum.\n"
             "- [ ] Rapportera händelser som kom fram och inte rapporterats tidigare.\n"
             "- [ ] Berätta för skyddsombudet om risker som behöver bedömas.\n");
  sbuf_free(&md);
  return doc;
}

static int write_handout(pack_job *j, const char *dir, const char *file, bool facilitator) {
  cmark_node *tree = handout_tree(j, facilitator);
  char *path = path_join(dir, file);
  char minutes[16] = "";
  if (j->pack->duration)
    snprintf(minutes, sizeof minutes, "%d minuter", j->pack->duration);
  const char *fields[] = {"Organisation", j->org->name,     "Tid", minutes,
                          "Version",      j->pack->version, NULL,  NULL};
  odt_doc d = {j->pack->title,
               facilitator ? "HANDLEDNING FÖR SAMTALSLEDAREN" : "DELTAGARMATERIAL",
               j->pack->summary,
               j->org->name,
               j->pack->version,
               fields,
               tree,
               j->b->content->dir};
  int rc = odt_write_doc(&d, j->b->odf_theme, path, j->b->dg);
  free(path);
  cmark_node_free(tree);
  return rc;
}

static int add_to_zip(zip_t *z, const char *dir, const char *name, time_t t) {
  char *path = path_join(dir, name);
  size_t len;
  char *data = read_file(path, &len);
  free(path);
  if (!data)
    return -1;
  zip_source_t *src = zip_source_buffer(z, data, len, 1); /* libzip frees data */
  zip_int64_t idx = src ? zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8) : -1;
  if (idx < 0) {
    zip_source_free(src);
    return -1;
  }
  zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0); /* ODF is zipped already */
  zip_file_set_mtime(z, (zip_uint64_t)idx, t, 0);
  return 0;
}

static int write_zip(pack_job *j, const char *dir, const char **names, size_t n) {
  char *zip_name = xasprintf("%s.zip", j->pack->id);
  char *path = path_join(dir, zip_name);
  int err = 0;
  zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
  const char *e = getenv("SOURCE_DATE_EPOCH");
  time_t t = e && *e ? (time_t)strtoll(e, NULL, 10) : 946684800;
  int rc = z ? 0 : -1;
  for (size_t i = 0; z && i < n; i++)
    rc |= add_to_zip(z, dir, names[i], t);
  if (z && zip_close(z) != 0) {
    zip_discard(z);
    rc = -1;
  }
  if (rc)
    diag_error(j->b->dg, path, 0, 0, "cannot write the pack's zip file — check disk space");
  free(path);
  free(zip_name);
  return rc;
}

static int checklist_handout(pack_job *j, const char *dir, char **name_out) {
  for (size_t i = 0; i < j->pack->n_agenda; i++) {
    const vk_agenda_item *it = &j->pack->agenda[i];
    if (it->kind != AGENDA_CHECKLIST || !it->ids.n)
      continue;
    const vk_doc *d = content_find(j->b->content, it->ids.items[0]);
    if (!d || !doc_applies(d, j->b->content->site, j->org, j->viewer))
      continue;
    cmark_node *t = tree_for(j, d, false);
    vk_page page = {j->b->content->site, j->b->content, j->org,          j->viewer, d, t, NULL, 0,
                    REVIEW_NONE,         {0, 0, 0},     j->b->generated, NULL};
    *name_out = xasprintf("checklista-%s.odt", d->id);
    char *path = path_join(dir, *name_out);
    int rc = odt_write(&page, j->b->odf_theme, path, j->b->dg);
    free(path);
    cmark_node_free(t);
    return rc;
  }
  return 0;
}

int pack_files(vk_build *b, const vk_org *org, const vk_doc *pack) {
  if (!b->odf_theme)
    return 0;
  pack_job j = {b,
                org,
                pack,
                participant_role(b->content->site, pack),
                site_role(b->content->site, "chef"),
                NULL,
                NULL};
  if (!j.viewer)
    return 0;
  j.f_viewer = filters_new(b->content, org, j.viewer, "odp", b->dg);
  if (j.chef)
    j.f_chef = filters_new(b->content, org, j.chef, "odt", b->dg);
  char *dir = xasprintf("%s/apt/%s/%s", b->tmp, org->id, pack->id);
  mkdir_p(dir);
  odp_pack deck = {0};
  deck.title = xstrdup(pack->title);
  deck.subtitle = pack->summary ? xstrdup(pack->summary) : NULL;
  deck.org_name = xstrdup(org->name);
  deck.date = xstrdup(b->generated);
  deck.version = pack->version ? xstrdup(pack->version) : NULL;
  deck.footer = xasprintf("%s · %s", org->name, pack->title);
  deck.content_dir = b->content->dir;
  agenda_slides(&j, &deck);
  char *odp_path = path_join(dir, "bildspel.odp");
  int rc = odp_write(&deck, b->odf_theme, odp_path, b->dg);
  free(odp_path);
  odp_pack_free(&deck);
  rc |= write_handout(&j, dir, "deltagare.odt", false);
  const char *names[4] = {"bildspel.odp", "deltagare.odt", NULL, NULL};
  size_t n = 2;
  if (j.chef) {
    rc |= write_handout(&j, dir, "handledning.odt", true);
    names[n++] = "handledning.odt";
  }
  char *checklist = NULL;
  rc |= checklist_handout(&j, dir, &checklist);
  if (checklist)
    names[n++] = checklist;
  rc |= write_zip(&j, dir, names, n);
  free(checklist);
  free(dir);
  filters_free(j.f_viewer);
  filters_free(j.f_chef);
  return rc;
}
