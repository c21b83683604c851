/* archive.h — archived versions of routines and what changed between them.
 *
 * Invariants:
 *  - For every routine of a variant with more than one approved version
 *    (d->versions, load/versions.h, from Git), each older version gets a
 *    read-only page: a banner names the version, from when to when it
 *    applied and links the current page; the title says "arkiverad"; the
 *    page carries noindex. Its body is the version's text as it was
 *    committed, through the same variant filtering (containers, variables,
 *    Lua filters) as the current page, so no role sees another's text.
 *  - Until the newest version's valid_from, the version in force is shown on
 *    the routine's page (pages.c asks archive_in_force) and the newest one
 *    gets its page here, with a banner saying from when it applies.
 *  - Every version after the first gets a "Visa ändringar" page: a
 *    word-level comparison with the approved version before it (libgit2's
 *    diff over one word per line), insertions in <ins> and deletions in
 *    <del>, each also announced in words for screen readers; front-matter
 *    changes (owner, decided by, reference, review interval) in a table.
 *  - Archived and change pages are not added to search, lists, feeds or the
 *    sitemap (links.h: link_is_archive); all paths come from links.h.
 */
#ifndef VK_ARCHIVE_H
#define VK_ARCHIVE_H

#include "assembly.h"
#include "filter.h"

/* Until the newest version's valid_from, the routine's page shows the
 * version in force: that version as a document (owned, doc_free), else NULL. */
vk_doc *archive_in_force(const vk_build *b, const vk_doc *d);
/* Then the URL (from location `from`) of the newest version's own page, else NULL. */
char *archive_upcoming_url(const vk_build *b, const vk_org *org, const vk_role *role,
                           const vk_doc *d, const char *from);
/* The URL (from `from`) of the comparison of `version` with the approved
 * version before it, or NULL when there is none. */
char *archive_changes_url(const vk_build *b, const vk_org *org, const vk_role *role,
                          const vk_doc *d, const char *version, const char *from);
/* Writes the handouts (ODT) of d's archived (and upcoming) versions for a
 * variant, titled with the version ("… (arkiverad version 1.0)"). */
void archive_handouts(vk_build *b, const vk_org *org, const vk_role *role, vk_filters *filters,
                      const vk_doc *d);
/* Writes the archived and change pages of every routine of the variant. */
void archive_variant(vk_build *b, const vk_org *org, const vk_role *role, vk_filters *filters);
/* The versions for the current page's list, linked from location `from`:
 * version, from/to dates, url (archived page; none for the current one),
 * changes_url (none for the first). An empty list when there is one version. */
vk_value *archive_links(const vk_build *b, const vk_org *org, const vk_role *role, const vk_doc *d,
                        const char *from);

#endif
