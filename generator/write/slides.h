/* slides.h — the slide model: a deck of typed slides, as the ODP writer
 * (odp.h) and the HTML slide view (assemble/deck.h builds its template data)
 * both receive it.
 *
 * Invariants:
 *  - A deck is built once per (organisation, pack, audience) by
 *    assemble/deck.c from filtered variant trees; nothing here knows of
 *    YAML, Lua, roles or files.
 *  - Slide text is structure, not Markdown: `body` is a cmark document node
 *    of blocks (paragraphs, lists whose items may be tasks or hold sub-lists,
 *    headings for a checklist's `##` groups). Writers walk it.
 *  - `notes` (speaker notes) is a document node or NULL; only a deck built
 *    for the facilitator has notes.
 *  - Images are the slide content's local images (content-relative paths,
 *    image.h), each shown on a slide of its own after the text.
 *  - Every agenda item shown starts with a SLIDE_DIVIDER; the routines and
 *    closing slides carry the organisation's contacts (`contact`, rendered
 *    from the theme's variable text `slides.contact`) when it has any.
 *  - The deck owns every node and string in it.
 */
#ifndef VK_SLIDES_H
#define VK_SLIDES_H

#include "util.h"

#include <cmark-gfm.h>

typedef enum {
  SLIDE_TITLE,      /* the pack's title, subtitle, organisation, date, version */
  SLIDE_AGENDA,     /* the agenda items with their minutes */
  SLIDE_TEXT,       /* an intro agenda item: its text */
  SLIDE_DEFINITION, /* a term and its short definition (lead) */
  SLIDE_CASE,       /* a case's situation */
  SLIDE_QUESTIONS,  /* numbered questions (an agenda item's or a case's) */
  SLIDE_CHECKLIST,  /* groups (headings), items, sub-items, tasks */
  SLIDE_ROUTINES,   /* the routines in short, and where to report */
  SLIDE_CLOSING,    /* the closing text, where the material is online, the contacts */
  SLIDE_DIVIDER     /* before an agenda item's slides: its title and minutes (lead) */
} slide_type;

typedef struct {
  char *path;        /* content-relative (image.h) */
  char *alt, *title; /* title may be NULL */
} slide_image;

typedef struct {
  slide_type type;
  char *kind;        /* small label above the title ("Begrepp", "Fall" …), may be NULL */
  char *title;       /* never NULL */
  char *lead;        /* one large line under the title, may be NULL */
  char *contact;     /* the organisation's contacts (a card at the bottom), may be NULL */
  cmark_node *body;  /* document node with the slide's blocks (never NULL) */
  cmark_node *notes; /* speaker notes, a document node, or NULL */
  vec images;        /* slide_image* */
  int item, items;   /* agenda progress: item (1-based) of items shown; 0: none */
} slide;

typedef struct {
  char *title, *subtitle, *org_name, *date, *version, *footer;
  slide *slides;
  size_t n, cap;
} slide_deck;

/* Appends a slide with an empty body (owned by the deck) and returns it;
 * the pointer is valid until the next slides_add. */
slide *slides_add(slide_deck *d, slide_type type, const char *kind, const char *title);
/* Adds an image to a slide (copies the strings). */
void slides_add_image(slide *s, const char *path, const char *alt, const char *title);
/* A paragraph with one text node appended to `parent` (a body, an item). */
cmark_node *slides_add_para(cmark_node *parent, const char *text);
/* A list appended to `parent`; items with slides_add_item. */
cmark_node *slides_add_list(cmark_node *parent, bool ordered);
/* An item of `list` holding a paragraph with `text`. */
cmark_node *slides_add_item(cmark_node *list, const char *text);
void slides_free(slide_deck *d); /* frees the slides, nodes and strings, not d */

#endif
