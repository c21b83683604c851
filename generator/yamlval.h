/* yamlval.h — YAML (front matter, site.yaml) to vk_value, with positions.
 *
 * One YAML document is read with libyaml's event parser. Plain scalars are
 * typed (true/false → bool, integers → int, null/~/empty → null); quoted
 * scalars stay strings. Dates stay strings (fields check their format).
 * Anchors/aliases, duplicate keys, non-scalar keys and nesting deeper than
 * 64 are errors. Errors go to `dg` as file:line:col; `line_offset` is added
 * to every line (front matter starts after the opening `---`).
 */
#ifndef VK_YAMLVAL_H
#define VK_YAMLVAL_H

#include "diag.h"
#include "value.h"

#include <stddef.h>

/* Returns the root value (a map for a mapping document), or NULL after
 * reporting an error. An empty document gives an empty map. */
vk_value *yaml_to_value(const char *text, size_t len, const char *file, int line_offset, diag *dg);

#endif
