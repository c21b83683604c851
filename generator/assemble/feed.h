/* feed.h — machine-readable site files: the Atom feed of changed routines
 * per (organisation, role) and sitemap.xml. Written with xmlTextWriter.
 *
 * The feed is per role as well as per organisation: a routine for managers
 * only must not reach staff through their feed reader.
 */
#ifndef VK_FEED_H
#define VK_FEED_H

#include "assembly.h"

int feed_write_variant(vk_build *b, const vk_org *org, const vk_role *role);
/* Lists every page written under site/ (call after all jobs finished). */
int feed_write_sitemap(vk_build *b, const vec *site_pages);

#endif
