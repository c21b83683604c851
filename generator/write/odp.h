/* odp.h — the ODP writer: APT slide packs.
 *
 * Slides are plain text by design (a heading, a lead line, paragraphs or
 * bullets, speaker notes): what a room can read from the back. An image of
 * the content (a diagram in a case) gets a slide of its own, fitted to it. Text that
 * would not fit is split onto continuation slides ("forts.") by a line
 * budget computed from the frame size and font size, so nothing overflows.
 * Speaker notes go to presentation:notes, never onto the slide.
 */
#ifndef VK_ODP_H
#define VK_ODP_H

#include "odf.h"

typedef struct {
  char *path;        /* content-relative (image.h) */
  char *alt, *title; /* title may be NULL */
} odp_image;

typedef struct {
  char *kind; /* small label above the title ("Begrepp", "Fall" …), may be NULL */
  char *title;
  char *lead;  /* one large line under the title, may be NULL */
  vec paras;   /* char*: paragraphs */
  vec bullets; /* char*: bullet points (after the paragraphs) */
  bool numbered;
  char *notes; /* speaker notes, may be NULL */
  vec images;  /* odp_image*: each on a slide of its own after the text */
} odp_slide;

typedef struct {
  char *title, *subtitle, *org_name, *date, *version, *footer;
  odp_slide *slides;
  size_t n, cap;
  const char *content_dir; /* where the slides' images are (borrowed) */
} odp_pack;

/* Adds an image to a slide (copies the strings). */
void odp_add_image(odp_slide *s, const char *path, const char *alt, const char *title);
/* Appends an empty slide (owned by the pack) and returns it. */
odp_slide *odp_add_slide(odp_pack *p, const char *kind, const char *title);
void odp_pack_free(odp_pack *p); /* frees the slides and strings, not p */

int odp_write(const odp_pack *p, const odf_theme *theme, const char *out_path, diag *dg);

#endif
