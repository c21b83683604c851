/* cardpage.h — the emergency card ("akutkort"): one printable page per
 * organisation, as ODT and as a print-ready HTML page, with a QR code.
 *
 * Invariants:
 *  - Writers of the render.h contract: a model in, bytes out; they never
 *    name a file. Every word on the card is in the model (the assembler
 *    takes it from the theme's labels and the organisation's variables);
 *    the writers add none of their own.
 *  - The QR code (libqrencode, error correction level M) encodes `url`
 *    byte for byte; it is drawn as SVG (inline in the HTML page, an
 *    embedded picture in the ODT), dark modules on white with the quiet
 *    zone of four modules the standard asks for.
 *  - Same model, same bytes.
 */
#ifndef VK_CARDPAGE_H
#define VK_CARDPAGE_H

#include "odf.h"
#include "render.h"

typedef struct {
  const char *lang;          /* "sv" */
  const char *kind;          /* small line above the title ("Akutkort") */
  const char *title;         /* the routine's title */
  const char *org_name;      /* the organisation */
  const char *steps_heading; /* "Gör så här" */
  const char *const *steps;  /* n_steps lines */
  size_t n_steps;
  const char *contacts_heading; /* "Viktiga nummer" */
  const char *const *contacts;  /* n_contacts lines */
  size_t n_contacts;
  const char *qr_caption;   /* text beside the QR code */
  const char *qr_alt;       /* the QR code's text alternative */
  const char *url;          /* absolute URL of the routine (the QR code) */
  const char *version_line; /* "Version 3 · skapat 2026-12-02" */
  const char *stylesheet;   /* HTML: URL of the card's CSS, or NULL */
} card_model;

/* The QR code of `url` as an SVG element (no XML declaration) of `size`
 * (a CSS/SVG length such as "4cm"), appended to out. 0, or -1 when the
 * text does not fit a QR code (reported to dg). */
int card_qr_svg(const char *url, const char *size, const char *alt, sbuf *out, diag *dg);

/* The card as a standalone HTML page (A4 print-ready). 0 or -1. */
int card_write_html(const card_model *m, sbuf *out, diag *dg);
/* The card as an ODT (one A4 page). 0 or -1. */
int card_write_odt(const card_model *m, const vk_write_opts *o, sbuf *out, diag *dg);

#endif
