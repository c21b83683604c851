/* versions.h — a routine's approved versions and the version at each change.
 *
 * Invariants:
 *  - versions_derive() reads, for every Git change that carries the file's
 *    text (vk_change.source), its front matter (doc_parse, errors of old
 *    versions ignored) and sets that change's `version` when it has none.
 *  - d->versions lists the approved versions oldest first, one entry per
 *    version: the first commit where the version had that number while the
 *    status was approved. Without Git they come from the `changes:` entries
 *    that name a version; an entry's `file:` (relative to the content
 *    folder, outside the kind folders, e.g. arkiv/x-1.0.md) holds that
 *    version's text and front matter, as a Git commit would. The routine's current version, when
 * approved, is always the last entry, with its fields as the working tree has them.
 *  - The electoral term (mandatperiod) helpers count Swedish terms of office:
 *    they start on 15 October of an election year (…, 2022, 2026, 2030, …).
 */
#ifndef VK_VERSIONS_H
#define VK_VERSIONS_H

#include "content.h"

/* Fills the changes' versions and d->versions (replacing what it held).
 * `dir` is the content folder (for `changes:` entries' `file:`); a file that
 * cannot be read is an error in dg at the routine. */
void versions_derive(vk_doc *d, vk_change *changes, size_t n, const vk_site *site, const char *dir,
                     diag *dg);
void versions_free(vk_version *v, size_t n);

/* The first day of the electoral term that holds `d`. */
vk_date term_start(vk_date d);
/* The last day by which a routine last reviewed on `d` must be reviewed
 * again with review_interval: mandatperiod — the end of the next term, so
 * that every term holds a review. */
vk_date term_review_due(vk_date d);

#endif
