/* filter.h — Lua 5.4 filters, the way pandoc users know them.
 *
 * A filter file returns a table of functions named after element types
 * (Para, Header, Div, Link, Str, …; or a list of such tables, run in turn).
 * Functions are called bottom-up; returning nil keeps the element, an
 * element replaces it, a list of elements replaces it with all of them, an
 * empty list deletes it. `Meta(meta)` and `Doc(doc)` run last. Globals
 * `meta` (the front matter) and `vaksam.context` (org, role, format,
 * document) are readable; `pandoc` is an alias of `vaksam`.
 * See docs/filters.md for the element fields.
 *
 * Chain order per (organisation, role): site filters, organisation filters
 * (the root organisation's first), role filters.
 *
 * Sandbox: no os.execute/io.popen/require/load of C modules/debug library;
 * io.open and vaksam.read_file read only files inside the content folder.
 * A run is bounded in instructions (an endless loop is an error) and
 * memory. Errors name the filter's file:line, the document, organisation
 * and role; the build then fails with exit 1.
 *
 * One vk_filters belongs to one thread.
 */
#ifndef VK_FILTER_H
#define VK_FILTER_H

#include "content.h"
#include "diag.h"
#include "site.h"

#include <cmark-gfm.h>

typedef struct vk_filters vk_filters;

#define FILTER_MAX_INSTRUCTIONS 50000000L /* per document and chain */
#define FILTER_MAX_MEMORY (64u << 20)     /* bytes per Lua state */

/* Loads the chain for (org, role); `format` is "html", "odt" or "odp".
 * Load errors are reported to dg; returns NULL when there is no filter
 * (nothing to run) or loading failed. */
vk_filters *filters_new(const vk_content *c, const vk_org *org, const vk_role *role,
                        const char *format, diag *dg);
/* Runs the chain on *tree (which may be replaced). 0 ok, -1 on error
 * (reported; the tree is then left as it was). */
int filters_run(vk_filters *f, const vk_doc *d, cmark_node **tree, diag *dg);
void filters_free(vk_filters *f);

#endif
