/* theme.h — a theme folder: Mustache templates, static assets, ODF references.
 *
 *   themes/<name>/templates/NAME.mustache page templates; every one is also a partial
 *   themes/<name>/assets/…               copied as-is to dist/site/assets/
 *   themes/<name>/odf/…                  reference.odt / reference.odp (odf.h)
 *
 * theme_load() compiles every template once; rendering is thread-safe.
 */
#ifndef VK_THEME_H
#define VK_THEME_H

#include "diag.h"
#include "util.h"
#include "value.h"

#include <stdbool.h>

typedef struct vk_theme vk_theme;

vk_theme *theme_load(const char *dir, diag *dg);
void theme_free(vk_theme *t);
const char *theme_dir(const vk_theme *t);
bool theme_has(const vk_theme *t, const char *name);
/* Renders template `name` (file stem) with `data` into out. An unknown name
 * is reported once and renders nothing. */
void theme_render(const vk_theme *t, const char *name, const vk_value *data, sbuf *out);
/* Copies assets/ recursively into `dest` (created). Returns 0 or -1. */
int theme_copy_assets(const vk_theme *t, const char *dest, diag *dg);

#endif
