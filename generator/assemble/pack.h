/* pack.h — APT discussion packs (content/apt/ID.md).
 *
 * A pack's agenda names definitions, cases, a checklist and routines by id.
 * For every organisation the pack applies to, pack.c assembles those
 * documents as two audiences see them (deck.h decides which roles): the
 * participants (slides and deltagare.odt) and the facilitator, a role with
 * `can: [handledning]` (handledning.odt and the speaker notes; neither when
 * no role facilitates). Facilitator notes (`.handledning` containers)
 * therefore reach only the facilitator's files.
 *
 *   site/<org>/<role>/apt/<pack>.html          pack page (facilitating roles) / training page
 *   site/<org>/<role>/apt/<pack>/bildspel/index.html  HTML slide view (facilitating roles)
 *   apt/<org>/<pack>/bildspel.odp, deltagare.odt, handledning.odt, <pack>.zip
 */
#ifndef VK_PACK_H
#define VK_PACK_H

#include "assembly.h"
#include "filter.h"

/* The pack's page in one (organisation, role) variant of the site. */
int pack_page(vk_build *b, const vk_org *org, const vk_role *role, const vk_doc *pack,
              vk_filters *filters);
/* The downloadable files of one pack for one organisation. */
int pack_files(vk_build *b, const vk_org *org, const vk_doc *pack);

#endif
