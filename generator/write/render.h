/* render.h — what every writer receives: one document as one (organisation,
 * role) sees it.
 *
 * The variant step (variant.h) clones a document's tree, drops containers
 * that do not apply, resolves organisation variables, runs the Lua filters
 * and rewrites links between documents for the output format. Writers
 * (html.h, odt.h, odp.h) then only walk `tree`; they never decide what
 * applies to whom. Every pointer here is borrowed for the call.
 */
#ifndef VK_RENDER_H
#define VK_RENDER_H

#include "content.h"
#include "review.h"
#include "site.h"

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

#endif
