/* frame.h — the template data every site page shares: site, organisation,
 * role, `root` (the relative prefix to the site root), the navigation with
 * the current section marked, and breadcrumbs.
 *
 * Invariant: pages and packs both build their frame here, so a page of
 * either kind has the same navigation and the same keys for the layout.
 */
#ifndef VK_FRAME_H
#define VK_FRAME_H

#include "assembly.h"

vk_value *frame_data(const vk_build *b, const vk_org *org, const vk_role *role, const char *root,
                     const char *title, const char *section);
/* Renders page template `tpl` into `main`, wraps it in the layout and
 * writes it to location `loc`; frees `data`. */
int frame_write_page(vk_build *b, const char *loc, const char *tpl, vk_value *data);
/* The same into `page` (appended), writing nothing: safe on several threads
 * at once (it reads the build and the theme only). Frees `data`. */
void frame_render_page(const vk_build *b, const char *tpl, vk_value *data, sbuf *page);
void frame_add_crumb(vk_value *data, const char *label, const char *url);
/* Words a reader sees, from the theme's labels.yaml: a kind's plural
 * ("kinds.<name>", lists and navigation), its singular ("page_kind.<name>")
 * and any other key. Never NULL. */
const char *frame_kind_label(const vk_build *b, vk_kind k);
const char *frame_kind_singular(const vk_build *b, vk_kind k);
const char *frame_label(const vk_build *b, const char *key);
/* Does this role get the review dashboard (and its link in the navigation)?
 * Yes with `can: [granskning]` in site.yaml. */
bool frame_role_sees_review(const vk_role *r);

#endif
