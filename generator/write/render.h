/* render.h — the writer contract, and what every writer receives: one
 * document as one (organisation, role) sees it.
 *
 * The variant step (variant.h) clones a document's tree, drops containers
 * that do not apply, resolves organisation variables, runs the Lua filters
 * (told the output format: "html", "odt", "odp") and rewrites links
 * between documents for that output. Writers then only walk what they get.
 *
 * The contract every writer follows:
 *
 *   int WRITER(const MODEL *m, const vk_write_opts *o, sbuf *out, diag *dg);
 *
 *  - MODEL is the filtered tree with its page/document model (vk_page,
 *    odt_doc) or a slide deck (slides.h); the writer only reads it.
 *  - It appends the output's bytes to `out` and returns 0 (or -1, reported
 *    to dg). It never opens, writes or names a file: the assembler hands
 *    the bytes to build_write (assembly.h), so publishing sees every file.
 *  - It knows nothing of YAML, Lua, review rules or roles' rights; words
 *    it adds for the reader come from o->labels (the theme's labels.yaml).
 *  - Same input, same bytes (zip times from SOURCE_DATE_EPOCH).
 *
 * html_render (html.h) has the same shape with html_opts for its options;
 * odt_write, odt_write_doc (odt.h) and odp_write (odp.h) take
 * vk_write_opts. Every pointer here is borrowed for the call.
 */
#ifndef VK_RENDER_H
#define VK_RENDER_H

#include "content.h"
#include "review.h"
#include "site.h"
#include "theme.h"

#include <cmark-gfm.h>

typedef struct {
  const vk_site *site;
  const vk_content *content;
  const vk_org *org;
  const vk_role *role;
  const vk_doc *doc;
  cmark_node *tree;         /* filtered variant; links already point at output URLs */
  const vk_change *history; /* newest first: Git history, else front matter `changes` */
  size_t n_history;
  vk_review_state review;
  vk_date review_due;    /* unset when unknown */
  const char *generated; /* YYYY-MM-DD, from SOURCE_DATE_EPOCH or --today */
  const char *site_url;  /* absolute URL of this page in the site (for ODT "read online") */
} vk_page;

typedef struct odf_theme odf_theme; /* odf.h */

/* Options of the ODF writers. */
typedef struct {
  const odf_theme *odf;    /* styles and fonts (odf.h) */
  const vk_labels *labels; /* the words the writer adds (theme.h); never NULL */
  const char *content_dir; /* where the model's local images are (image.h); may be NULL */
} vk_write_opts;

#endif
