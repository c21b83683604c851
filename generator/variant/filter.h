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
 * (the root organisation's first), role filters. Before them come the
 * built-ins (variables, glossary): native steps in variant.c, or — when
 * site.yaml replaces one with a Lua file — that file, run as its own part
 * so that the order stays variables → glossary → chain.
 * `vaksam.glossary` lists the definitions the variant may read (term,
 * synonyms, id, path, url, title, summary); `vaksam.link_to(path)` makes a
 * link from the document being filtered to a content path.
 *
 * Sandbox: no os.execute/io.popen/require/load of C modules/debug library;
 * io.open and vaksam.read_file read only files inside the content folder.
 * A run is bounded in instructions, CPU time (checked in the count hook)
 * and memory; finalizers (__gc) cannot be set, and the pattern functions of
 * `string` run on a matcher with a step budget (C code the hook cannot
 * interrupt), so everything a filter starts ends. The first runaway filter
 * halts the build (diag_halt): later runs return -1 without a message.
 * Every string a filter leaves in the tree that a writer gets is checked
 * (UTF-8, no control characters XML 1.0 forbids) as the tree is rebuilt; on
 * a fault the document is filtered again with each function's result
 * checked, so that the error names the function. Errors name the filter's
 * full path:line, the document, organisation and role; the build then
 * fails with exit 1.
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
#define FILTER_MAX_MILLISECONDS 1000      /* CPU time per document and part of the chain */

/* The parts of a chain, run separately (native built-ins go in between). */
typedef enum {
  FILTERS_VARIABLES = BUILTIN_VARIABLES, /* a Lua replacement of the variables step */
  FILTERS_GLOSSARY = BUILTIN_GLOSSARY,   /* a Lua replacement of the glossary step */
  FILTERS_CHAIN = BUILTIN_COUNT,         /* site → organisation → role filters */
  FILTERS_PARTS
} vk_filter_part;

/* Loads the chain for (org, role); `format` is "html", "odt" or "odp".
 * Load errors are reported to dg; returns NULL when there is no filter
 * (nothing to run) or loading failed. */
vk_filters *filters_new(const vk_content *c, const vk_org *org, const vk_role *role,
                        const char *format, diag *dg);
/* Runs one part of the chain on *tree (which may be replaced). 0 ok (also
 * when f is NULL or the part is empty), -1 on error (reported; the tree is
 * then left as it was). */
int filters_run_part(vk_filters *f, vk_filter_part part, const vk_doc *d, cmark_node **tree,
                     diag *dg);
/* filters_run_part(f, FILTERS_CHAIN, …). */
int filters_run(vk_filters *f, const vk_doc *d, cmark_node **tree, diag *dg);
void filters_free(vk_filters *f);

#endif
