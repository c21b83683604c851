/* odp.h — the ODP writer: APT slide packs from a deck (slides.h).
 *
 * Slides are plain text by design (a heading, a lead line, paragraphs,
 * bullets with one level of sub-items, a checklist's groups, speaker
 * notes): what a room can read from the back. An image of the content (a
 * diagram in a case) gets a slide of its own, fitted to it. Text that would
 * not fit is split onto continuation slides (label slides.continued) by a
 * line budget computed from the frame size and font size, so nothing
 * overflows. Speaker notes go to presentation:notes, never onto the slide.
 * Follows the writer contract of render.h.
 */
#ifndef VK_ODP_H
#define VK_ODP_H

#include "odf.h"
#include "render.h"
#include "slides.h"

/* The deck as ODP bytes appended to out. 0 or -1. */
int odp_write(const slide_deck *d, const vk_write_opts *o, sbuf *out, diag *dg);

#endif
