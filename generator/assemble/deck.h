/* deck.h — an APT pack as one audience sees it: the slide deck (slides.h)
 * and the variant trees the pack's handouts are made of.
 *
 * Invariants:
 *  - Everything is built from filtered variant trees (variant.h) and nodes
 *    made with the cmark node API: no Markdown text is put together and
 *    parsed again. The only parse is of the agenda items' front-matter
 *    texts (intro/closing), once per pack and organisation
 *    (deck_texts_parse); their trees then go through the variant step like
 *    any body, so their containers apply per role and organisation.
 *  - Facilitator notes (`.handledning` containers) reach only what is made
 *    for the facilitator: speaker notes of a deck with `facilitator` set,
 *    and the facilitator's handout. Participant trees are stripped of them.
 *  - Which roles facilitate is data: `can: [handledning]` in site.yaml,
 *    read through deck_is_facilitator() alone; no role id is known here.
 *  - Words added for the reader come from the theme's labels.
 */
#ifndef VK_DECK_H
#define VK_DECK_H

#include "assembly.h"
#include "filter.h"
#include "slides.h"

/* A role with `can: [handledning]` (r may be NULL). */
bool deck_is_facilitator(const vk_role *r);
/* Whose view the facilitator guide and the speaker notes show: the first
 * audience role of the pack (may be NULL) that facilitates, else the first
 * such role of site.yaml; NULL when no role facilitates. */
const vk_role *deck_facilitator_role(const vk_site *s, const vk_doc *pack);
/* Whose eyes the slides and the participant handout are for: the pack's
 * `participants`, else site.yaml's `packs.participants` when the pack's
 * audience has it, else the first audience role that does not facilitate,
 * else the first such role of site.yaml, else the first role. */
const vk_role *deck_participant_role(const vk_site *s, const vk_doc *pack);

/* The agenda items' intro/closing texts parsed, as documents the variant
 * step takes (entry i is NULL when item i has no text). */
typedef struct {
  vk_doc *docs; /* n_agenda; docs[i].tree NULL when no text */
  size_t n;
} deck_texts;
/* Variables are expanded before parsing, as an autolink or a link target
 * may come from one. */
void deck_texts_parse(const vk_doc *pack, const vk_org *org, deck_texts *out, diag *dg);
void deck_texts_free(deck_texts *t);

/* One audience of a pack in one organisation. */
typedef struct {
  vk_build *b;
  const vk_org *org;
  const vk_doc *pack;
  const deck_texts *texts;
  const vk_role *role;       /* the audience (participants or facilitator) */
  vk_filters *filters;       /* told this output's format; may be NULL */
  const vk_role *notes_role; /* whose speaker notes the deck gets; NULL: none */
  vk_filters *notes_filters; /* for the notes' trees; may be NULL */
  /* URL of a document (and anchor) from the output (variant.h link_url). */
  char *(*link_url)(void *ud, const vk_doc *target, const char *anchor);
  void *link_ud;
  const char *format; /* "html", "odt" or "odp" (variant.h) */
} deck_view;

/* A document as the view's audience sees it (facilitator notes stripped
 * unless the audience facilitates). */
cmark_node *deck_doc_tree(const deck_view *v, const vk_doc *d);
/* Agenda item i's text tree for the audience, or NULL. */
cmark_node *deck_text_tree(const deck_view *v, size_t i);
/* Whether agenda item i is for the view's audience: false for a case,
 * checklist or definitions item none of whose documents applies to the
 * view's organisation and role. Such an item has no heading, no slide and
 * no line (nor minutes) in any agenda of the view. */
bool deck_item_applies(const deck_view *v, size_t i);
/* The label of an agenda item: its title, else its kind's label. */
const char *deck_item_label(const vk_labels *l, const vk_agenda_item *it);

/* The slides of the pack for the view; notes when v->notes_role is set. */
void deck_build(const deck_view *v, slide_deck *out);

/* Template data of the HTML slide view (slides.mustache): a list of slides
 * with type flags, kind, title, lead, body (HTML), images, the agenda item
 * (`item`, when the slide has one) and speaker notes (`notes`, HTML, only
 * when the deck has notes, i.e. was built with a notes role). */
vk_value *deck_template_data(const slide_deck *d, const char *image_prefix,
                             const vk_labels *labels);

#endif
