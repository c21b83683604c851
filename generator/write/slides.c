/* slides.c — see slides.h. */
#include "slides.h"

#include <stdlib.h>
#include <string.h>

slide *slides_add(slide_deck *d, slide_type type, const char *kind, const char *title) {
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 16;
    d->slides = xrealloc(d->slides, d->cap * sizeof *d->slides);
  }
  slide *s = &d->slides[d->n++];
  memset(s, 0, sizeof *s);
  s->type = type;
  s->kind = kind ? xstrdup(kind) : NULL;
  s->title = xstrdup(title ? title : "");
  s->body = cmark_node_new(CMARK_NODE_DOCUMENT);
  return s;
}

void slides_add_image(slide *s, const char *path, const char *alt, const char *title) {
  slide_image *im = xcalloc(1, sizeof *im);
  im->path = xstrdup(path);
  im->alt = xstrdup(alt ? alt : "");
  im->title = title && *title ? xstrdup(title) : NULL;
  vec_push(&s->images, im);
}

cmark_node *slides_add_para(cmark_node *parent, const char *text) {
  cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH);
  cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
  cmark_node_set_literal(t, text ? text : "");
  cmark_node_append_child(p, t);
  cmark_node_append_child(parent, p);
  return p;
}

cmark_node *slides_add_list(cmark_node *parent, bool ordered) {
  cmark_node *l = cmark_node_new(CMARK_NODE_LIST);
  cmark_node_set_list_type(l, ordered ? CMARK_ORDERED_LIST : CMARK_BULLET_LIST);
  if (ordered)
    cmark_node_set_list_start(l, 1);
  cmark_node_set_list_tight(l, true);
  cmark_node_append_child(parent, l);
  return l;
}

cmark_node *slides_add_item(cmark_node *list, const char *text) {
  cmark_node *it = cmark_node_new(CMARK_NODE_ITEM);
  cmark_node_append_child(list, it);
  slides_add_para(it, text);
  return it;
}

static void slide_free(slide *s) {
  for (size_t i = 0; i < s->images.n; i++) {
    slide_image *im = s->images.items[i];
    free(im->path);
    free(im->alt);
    free(im->title);
    free(im);
  }
  vec_free(&s->images);
  free(s->kind);
  free(s->title);
  free(s->lead);
  free(s->contact);
  cmark_node_free(s->body);
  if (s->notes)
    cmark_node_free(s->notes);
}

void slides_free(slide_deck *d) {
  for (size_t i = 0; i < d->n; i++)
    slide_free(&d->slides[i]);
  free(d->slides);
  free(d->title);
  free(d->subtitle);
  free(d->org_name);
  free(d->date);
  free(d->version);
  free(d->footer);
}
