/* pages.h — the intranet site's pages (dist/site/).
 *
 * Layout, relative to dist/site/ (every link is relative, so the site works
 * from any base path and from file://):
 *   index.html                       choose organisation
 *   <org>/index.html                 choose role
 *   <org>/<role>/index.html          what applies to this role
 *   <org>/<role>/<kind>/index.html   one list per kind (rutiner, fall, checklistor)
 *   <org>/<role>/<kind>/<id>.html    one page per document
 *   <org>/<role>/begrepp/index.html  the glossary, one anchor per term
 *   <org>/<role>/apt/<id>.html       APT pack page (can: handledning) or training page
 *   <org>/<role>/granskning.html     review dashboard (roles with can: granskning)
 *   <org>/<role>/sok.html, sok/…     search page, its index shards and page bundles (search.h)
 *   <org>/<role>/feed.xml            Atom feed of changed routines
 *   404.html, tillganglighet.html, sitemap.xml, assets/
 *   <org>/<role>/dokument/<id>.odt   ODT handouts (linked from pages
 * whether or not this run writes them). Every path and URL comes from links.h.
 *
 * A variant's pages and its handouts are separate jobs: each runs the
 * variant step with its own format's filters ("html", "odt").
 */
#ifndef VK_PAGES_H
#define VK_PAGES_H

#include "assembly.h"

/* What a serve session keeps of one variant between rebuilds: the search
 * entry of every document, by index in content->docs (url NULL when the
 * document is not in the variant). */
typedef struct {
  char *url, *title, *kind, *summary, *terms, *text;
  char *kind_id, *tags; /* search facets (search_facets) */
} pages_search_entry;

typedef struct pages_cache {
  pages_search_entry *entries;
  size_t n;
} pages_cache;

void pages_cache_clear(pages_cache *c);

/* The site of one (organisation, role): pages, APT pages, search index,
 * feed. Fills `cache` (may be NULL) for pages_variant_update. */
int pages_variant(vk_build *b, const vk_org *org, const vk_role *role, pages_cache *cache);
/* The ODT handouts of one (organisation, role). */
int pages_handouts(vk_build *b, const vk_org *org, const vk_role *role);

/* After only the bodies of the documents marked in `changed` (routines,
 * cases, checklists; parallel to content->docs) changed: rewrites their
 * pages, the APT pages that show them and the search index of this variant.
 * Everything else of the variant depends on front matter only. */
int pages_variant_update(vk_build *b, const vk_org *org, const vk_role *role, pages_cache *cache,
                         const bool *changed);
/* Pages outside any variant: choosers, 404, accessibility statement; the theme's assets
 * and the site's images (the sitemap follows the jobs, build.c). */
int pages_global(vk_build *b);

#endif
