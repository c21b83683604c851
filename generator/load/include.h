/* include.h — reusable blocks: `{{< include PATH >}}` on a line of its own
 * (Quarto's shortcode) in a document's body is replaced by the text of
 * another Markdown file, before the body is parsed, so containers,
 * {{variables}} and links work inside it as anywhere in the body.
 *
 * Invariants:
 *  - PATH is relative to the including file, or to the content folder when
 *    it starts with `/`; it is read only through safepath (a path or link
 *    that leaves the content folder is an error, never read).
 *  - Included files have no front matter and live outside the document
 *    folders (by convention in delar/), so they are never documents.
 *  - Cycles, missing files, paths outside the content folder, front matter
 *    invalid UTF-8, nesting deeper than INCLUDE_MAX_DEPTH and an expanded
 *    body past INCLUDE_MAX_BYTES are errors at the include
 *    line's file:line:col; the shortcode inside a fenced code block is text.
 *  - The expanded body replaces d->body, so the text hash of versions.lock
 *    (review.h) and the preview server's change check cover included text.
 *  - Every line of the expanded body is registered with diag_origin(), so
 *    an error inside included text names the included file and its line.
 */
#ifndef VK_INCLUDE_H
#define VK_INCLUDE_H

#include "content.h"

enum { INCLUDE_MAX_DEPTH = 16 };
/* An expanded body is cut off past this size (as a document's own, content.c). */
#define INCLUDE_MAX_BYTES (4u << 20)

/* Expands d's body in place (root: the content folder) and fills
 * d->includes. False when an include could not be expanded (reported). */
bool include_expand(const char *root, vk_doc *d, diag *dg);

#endif
