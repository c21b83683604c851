/* variant.h — one document as one (organisation, role) sees it.
 *
 * variant_tree() is the built-in part of the filter chain, in this order:
 *   1. clone the parsed tree (the original is shared by all variants);
 *   2. remove containers and spans whose roles=/orgs= do not include this
 *      variant, or whose formats= does not include ctx.format (so nothing
 *      later, not even a Lua filter, can see restricted text);
 *   3. the built-in `variables`: replace {{variable}} in text and link targets
 *      with the organisation's value (unknown names are reported by
 *      variant_check_variables);
 *   3b. the built-in `glossary`: link the first mention of each glossary
 *      term to its definition (only where ctx.glossary is set: HTML);
 *      site.yaml `builtins:` may switch 3 or 3b off or replace it with a
 *      Lua filter (then run in its place, see filter.h);
 *   4. run the Lua filters (site → organisation, parent first → role);
 *   5. rewrite links between documents to the output's URLs; a link to a
 *      document outside this variant becomes plain text.
 */
#ifndef VK_VARIANT_H
#define VK_VARIANT_H

#include "content.h"
#include "diag.h"
#include "filter.h"
#include "markdown.h"

#include <cmark-gfm.h>

/* The terms (and synonyms) of the definitions one variant may read. */
typedef struct vk_glossary vk_glossary;
vk_glossary *variant_glossary_new(const vk_content *c, const vk_org *org, const vk_role *role);
void variant_glossary_free(vk_glossary *g);

typedef struct {
  const vk_content *content;
  const vk_org *org;
  const vk_role *role; /* NULL = no role restriction applies (pack participant views pass one) */
  vk_filters *filters; /* NULL = no Lua filters */
  /* Returns the URL (malloc'd) of `target` (and `anchor`, may be NULL) as seen
   * from the page being written, or NULL when the target is not part of this
   * variant — the link then becomes plain text. */
  char *(*link_url)(void *ud, const vk_doc *target, const char *anchor);
  void *link_ud;
  /* When set, the first mention of each term becomes a link to its
   * definition (class glossary-term, attribute definition = summary). */
  const vk_glossary *glossary;
  /* The output: "html", "odt" or "odp" (containers and spans with formats=
   * appear only in those); NULL = every format's content (checks only). */
  const char *format;
} vk_variant_ctx;

/* Returns the filtered tree (caller frees with cmark_node_free). Errors are
 * reported to dg; a tree is returned even then, so callers can go on. */
cmark_node *variant_tree(const vk_variant_ctx *v, const vk_doc *d, diag *dg);

/* Removes every container with class `cls` (e.g. "handledning": facilitator
 * notes never go on slides or participant handouts). */
void variant_strip_class(cmark_node *tree, const char *cls);

/* Does a container with these attributes apply to (org, role)? A
 * `.handledning` container (facilitator notes) applies only to a role with
 * `can: [handledning]`; role or org NULL: any. */
bool variant_container_applies(const vk_site *s, const md_attrs *a, const vk_org *org,
                               const vk_role *role);

/* Does a container or span with these attributes appear in `format`
 * (formats= lists it, or there is no formats=; format NULL: any)? */
bool variant_format_applies(const md_attrs *a, const char *format);

/* Reports every {{name}} that some organisation the document applies to
 * does not define, at its file:line:col. Run once per build. */
void variant_check_variables(const vk_content *c, diag *dg);

/* Replaces {{name}} in `text` with the organisation's variables; unknown names
 * are reported at file:line:col (dg may be NULL). Returns a new string. */
char *variant_expand(const char *text, const vk_org *org, const char *file, int line, int col,
                     diag *dg);

#endif
