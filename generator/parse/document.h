/* document.h — the parse stage for a whole content folder: every
 * document's body parsed once (md_parse, containers included) into its
 * tree, then each tree checked against the loaded content — links to other
 * documents and their anchors, local images (their URLs become
 * content-relative paths, image.h), raw HTML, organisation and role ids in
 * containers.
 *
 * Invariants: load/ reads files and front matter and knows no Markdown
 * syntax; every caller that needs trees loads through document_load(), so
 * that a vk_content it gets has every document parsed and checked, drafts
 * included (a draft cannot hide an error that appears when it is published).
 */
#ifndef VK_DOCUMENT_H
#define VK_DOCUMENT_H

#include "content.h"

/* content_load() with every body parsed and checked. */
vk_content *document_load(const char *dir, const vk_load_opts *opts, diag *dg);
/* Parses d's body into d->tree (once). */
void document_parse_body(vk_doc *d, diag *dg);
/* doc_parse() and its body parsed (tests, fuzzing); no checks against
 * other documents. */
vk_doc *document_from_text(const char *text, size_t len, const char *path, const char *srcpath,
                           const vk_site *site, diag *dg);

#endif
