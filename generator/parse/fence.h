/* fence.h — fenced containers (pandoc's fenced_divs) as a cmark-gfm block
 * syntax extension, so that one parser reads a whole document.
 *
 *   ::: {roles="ROLE" .cls #id data-key=val}  (or ::: cls; trailing colons allowed)
 *   Keys other than roles=, orgs=, formats= and data-… are errors (near misses
 *   such as role= or ROLES= name the right spelling); formats= lists html,
 *   odt and/or odp.
 *   …blocks…
 *   :::
 *
 * A fence is a line of three or more colons, not indented (in a list item:
 * indented as the item's text; in a quote: right after the '>'), wherever a
 * block may start: at the top level, in list items, in block quotes, in
 * other containers; an opening fence also ends a paragraph (pandoc wants a
 * blank line before it; vaksam always did without). With attributes it opens a container
 * (a CMARK_NODE_CUSTOM_BLOCK owning an md_attrs; md_attrs.line is the file
 * line of the fence); alone it closes the innermost container that is open
 * around that line. Code blocks and HTML blocks keep their lines, so a `:::`
 * in a fenced code block is code.
 *
 * A closing fence leaves a marker node (a thematic break carrying this
 * extension) in the tree until fence_end() removes it: it swallows the line
 * without making it blank for cmark, so that lists around a container stay
 * tight. The container itself refuses the next line (md_attrs.end_line is
 * set), and cmark closes it.
 *
 * Thread safety: fence_extension() runs once in md_init(); the per-document
 * state (file, diagnostics) is thread-local, so documents may be parsed on
 * several threads at once.
 */
#ifndef VK_FENCE_H
#define VK_FENCE_H

#include "diag.h"
#include "markdown.h"

#include <cmark-gfm.h>

/* Containers nested deeper than this are an error (and are not opened). */
#define FENCE_MAX_DEPTH 63

/* The extension, made on the first call. Attach it to a parser before
 * the GFM extensions: the table extension would take a fence for a row. */
cmark_syntax_extension *fence_extension(void);

/* Errors of the fences of the document this thread parses next go to dg,
 * naming `file`; line numbers are the parser's. */
void fence_begin(const char *file, diag *dg);

/* Reports the keys of a container's or span's attributes (`what`) that are
 * not roles=, orgs=, formats= or data-…, and formats= words that are no
 * output format, at file:line:col. */
void fence_check_attrs(const md_attrs *a, const char *what, const char *file, int line, int col,
                       diag *dg);

/* After cmark_parser_finish(): removes the markers of closing fences,
 * reports containers that were never closed, and detaches the extension
 * from the containers (they are then like md_new_div() nodes). */
void fence_end(cmark_node *root);

#endif
