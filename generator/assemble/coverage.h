/* coverage.h — which documents answer which requirement, per variant.
 *
 * The requirements are content/krav.yaml (requirements.h); a document
 * answers them with `answers:` in its front matter. Every (organisation,
 * role) gets a page krav.html and a CSV krav.csv (paths from links.h):
 * each requirement in file order, the documents of that variant that
 * answer it (kind, then id order), and the requirements nothing answers.
 *
 * Invariants:
 *  - Only documents the variant shows count (doc_applies; retired routines
 *    do not answer anything), so a variant's coverage names no document
 *    that variant may not read.
 *  - Without a requirements file nothing is written.
 */
#ifndef VK_COVERAGE_H
#define VK_COVERAGE_H

#include "assembly.h"

/* Writes krav.html and krav.csv of the variant. */
int coverage_write(vk_build *b, const vk_org *org, const vk_role *role);
/* The requirements document d answers, as links from the page at `from`:
 * a list of {id, title, url}; empty without requirements. */
vk_value *coverage_doc_answers(const vk_build *b, const vk_org *org, const vk_role *role,
                               const vk_doc *d, const char *from);
/* Does the variant count d as answering anything? (shown and not retired) */
bool coverage_counts(const vk_build *b, const vk_org *org, const vk_role *role, const vk_doc *d);

#endif
