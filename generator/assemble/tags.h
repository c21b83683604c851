/* tags.h — the tag pages of a variant and the tag list of each page.
 *
 * A document's `tags:` (content.h, duplicates by slug removed) give every
 * (organisation, role) a page per tag, taggar/<slug>.html, listing the
 * documents of that variant with the tag, and a list of all tags,
 * taggar/index.html (paths from links.h). Plain HTML: no script is needed
 * to read them.
 *
 * Invariants:
 *  - Only documents the variant shows and that are not retired are listed
 *    or counted, so a tag page names no document the variant may not read
 *    and a tag used only by such documents has no page in that variant.
 *  - Tags are ordered by slug, documents by kind, then id.
 */
#ifndef VK_TAGS_H
#define VK_TAGS_H

#include "assembly.h"

/* Writes the tag pages of the variant (none when no document has tags). */
int tags_write(vk_build *b, const vk_org *org, const vk_role *role);
/* d's tags as links from the page at `from`: a list of {name, slug, url}. */
vk_value *tags_doc_list(const vk_org *org, const vk_role *role, const vk_doc *d, const char *from);
/* The tags of the variant's documents ("slug\tname" sorted, owned strings). */
void tags_of_variant(const vk_build *b, const vk_org *org, const vk_role *role, vec *out);

#endif
