/* html.h — the HTML writer: a (filtered) document tree to an HTML fragment.
 *
 * One walk with cmark's iterator and one switch over md_type_of(), as
 * cmark's own html.c. The page frame comes from the theme's templates.
 *
 * Differences from cmark-gfm's renderer, on purpose:
 *  - raw HTML is escaped unless allow_raw_html (authors are not trusted to
 *    inject scripts into the intranet);
 *  - headings get stable ids (slug of their text, -1, -2 … when repeated;
 *    an #id attribute wins) and are shifted by heading_offset;
 *  - tables are wrapped in a scrollable, focusable region; header cells
 *    get scope="col"; alignment is a style, not the obsolete align=;
 *  - task items are real checkboxes with labels (ids from id_prefix);
 *  - containers become <div class> / <aside class="handledning"> / note boxes;
 *  - glossary links (class glossary-term) carry their short definition in
 *    a tooltip that also shows on keyboard focus.
 */
#ifndef VK_HTML_H
#define VK_HTML_H

#include "theme.h"
#include "util.h"

#include <cmark-gfm.h>
#include <stdbool.h>

typedef struct {
  int heading_offset;     /* 1: Markdown `#` becomes <h2> (the page title is <h1>) */
  bool interactive_tasks; /* enabled checkboxes (checklists); else disabled */
  bool allow_raw_html;    /* pass raw HTML through (tests); else escape it */
  const char *id_prefix;  /* for checkbox and tooltip ids; NULL → "x" */
  /* Pages that hold several documents (the glossary, APT pages) prefix
   * heading ids with this, so two "Exempel" headings get distinct ids. */
  const char *heading_id_prefix;
  /* Local images (content-relative paths after content_load, image.h) get
   * this in front, e.g. "../../../bilder/" from a document page. */
  const char *image_prefix;
  /* The theme's words for container boxes (box.*); NULL: labels_none(). */
  const vk_labels *labels;
} html_opts;

void html_render(cmark_node *root, const html_opts *o, sbuf *out);
/* The inline content of one node (e.g. a heading) as HTML. */
void html_render_inline(cmark_node *node, sbuf *out);

typedef struct {
  int level; /* after heading_offset */
  char *id;
  char *text;
} html_toc_entry;

/* Headings of the tree with the ids html_render gives them. */
size_t html_toc(cmark_node *root, const html_opts *o, html_toc_entry **out);
void html_toc_free(html_toc_entry *toc, size_t n);

#endif
