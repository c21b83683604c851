/* span.h — bracketed spans as in pandoc: `[text]{roles="ROLE" orgs="ORG"
 * formats="html" .class #id data-key=val}`.
 *
 * A pass over the parsed tree (after fence_end): cmark-gfm leaves a `[…]`
 * that is no link as text, so text nodes are merged and every `]{…}` whose
 * `[` is in the same inline list (same paragraph, heading, emphasis, link
 * text, table cell …; other inline nodes in between are taken along) becomes
 * an MD_SPAN node (CMARK_NODE_CUSTOM_INLINE) owning an md_attrs; md_attrs.line
 * and .col are the file position of the '['. Links are parsed first, so
 * `[text](url)` and `[text][ref]` stay links and a span is never one.
 * Nested spans work: the innermost `]{` is matched first.
 *
 * Attribute keys follow the containers' rules (fence_check_attrs). Errors
 * at file:line:col: bad attributes (also unclosed ones: `]{` … `=` without the
 * closing '}' in the same text); `]{…}` with roles=/orgs=/formats= but no
 * `[` before it in the same inline list; and such attributes right after a
 * link (a defined [text] reference made the brackets a link, or a link's own
 * {…}, which vaksam does not read) — both would show the text to everyone.
 */
#ifndef VK_SPAN_H
#define VK_SPAN_H

#include "diag.h"

#include <cmark-gfm.h>

void span_parse(cmark_node *root, const char *file, diag *dg);

#endif
