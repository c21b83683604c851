/* card.h — the emergency card ("akutkort") of every organisation.
 *
 * Invariants:
 *  - site.yaml's `card: <routine id>` names the routine the card is for;
 *    without it no card is written. The routine must be one every role of
 *    the site may read in every organisation built (the card lies outside
 *    the role folders, "site/<org>/akutkort.html" and ".odt" beside it, so
 *    anyone may fetch it): otherwise loading the content (content.h)
 *    reports an error at `card:`, in `vaksam check` and `vaksam build`.
 *  - Every word on the card comes from the theme's labels (card.*); the
 *    steps and the numbers are variable texts (theme.h labels_render) of
 *    the organisation's variables, one line each, empty lines left out.
 *  - The QR code holds the absolute URL (base_url) of the routine's page
 *    for the site's first role; the card shows the routine's version and
 *    the build date, so a stale printed card can be recognised.
 */
#ifndef VK_ASSEMBLE_CARD_H
#define VK_ASSEMBLE_CARD_H

#include "assembly.h"

/* Writes the card of every organisation the build wants (HTML with
 * FMT_HTML, ODT with FMT_ODT; publish/pdf.c converts the ODT with the
 * others). Problems go to b->dg. */
void card_write_all(vk_build *b);
/* Whether this build writes cards (site.yaml has `card:`), for the pages
 * that link them. */
bool card_enabled(const vk_build *b);

#endif
