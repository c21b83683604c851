/* odt.h — the ODT writer: handouts of routines, cases and checklists, and
 * the text documents of APT packs.
 *
 * One walk with cmark's iterator and one switch over md_type_of(). ODF
 * forbids a table inside a list item, so a table there closes the open
 * lists, follows them, and the lists continue after it (list headers, so
 * no bullet or number repeats; numbering continues). Nothing is dropped
 * except raw HTML, which the build reports with its file:line.
 */
#ifndef VK_ODT_H
#define VK_ODT_H

#include "odf.h"
#include "render.h"

/* A handout of one document as one (organisation, role) sees it, as ODT
 * bytes appended to out (render.h). 0 or -1. */
int odt_write(const vk_page *p, const vk_write_opts *o, sbuf *out, diag *dg);

/* A free-standing document (APT participant handout, facilitator guide):
 * `kind` is the small line above the title; `fields` NULL-terminated
 * name/value pairs for the metadata table and meta.xml. */
typedef struct {
  const char *title, *kind, *subtitle, *org_name, *version;
  const char *const *fields;
  cmark_node *tree; /* ordered lists after a questions heading (labels) get ruled note lines */
} odt_doc;
int odt_write_doc(const odt_doc *d, const vk_write_opts *o, sbuf *out, diag *dg);

#endif
