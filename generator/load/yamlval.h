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

#include "util.h"

#include <stdbool.h>
#include <stddef.h>

/* Returns the root value (a map for a mapping document), or NULL after
 * reporting an error. An empty document gives an empty map. */
vk_value *yaml_to_value(const char *text, size_t len, const char *file, int line_offset, diag *dg);

/* Field helpers for typed structures read from YAML maps. */
/* Ids are [a-z0-9_-]+. */
bool yv_valid_id(const char *s);
/* map[key] as a new string (ints are printed); reports a missing required key or a wrong type. */
char *yv_string(const vk_value *map, const char *key, bool required, const char *file, diag *dg);
/* map["filters"] as a list of file names under content/filters/ into out (char*, owned). */
void yv_filters(const vk_value *map, vec *out, const char *file, diag *dg);
/* Warns about keys of map not in the NULL-terminated `known` list. */
void yv_check_keys(const vk_value *map, const char *const *known, const char *what,
                   const char *file, diag *dg);

#endif
