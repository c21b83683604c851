/* value.h — a small typed data tree (null, bool, int, string, list, map).
 *
 * Used for YAML front matter and site.yaml (with source positions), for the
 * data handed to Mustache templates, for Lua `meta`, and for JSON output.
 *
 * Ownership: a value owns its children and its strings; vk_value_free()
 * releases the whole tree. Map keys keep insertion order (YAML order);
 * small maps are searched linearly; from MAP_INDEXED keys on a map keeps a
 * hash index of its keys (the theme's labels, large template data), which
 * only vk_map_set and vk_value_copy maintain — code that writes u.map.keys
 * directly must not rename keys.
 * Strings are NUL-terminated UTF-8; `len` excludes the NUL.
 */
#ifndef VK_VALUE_H
#define VK_VALUE_H

#include "util.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum { VK_NULL, VK_BOOL, VK_INT, VK_STRING, VK_LIST, VK_MAP } vk_type;

typedef struct vk_value vk_value;

struct vk_value {
  vk_type type;
  int line, col; /* 1-based source position, 0 when built in code */
  bool quoted;   /* scalar was quoted in YAML (so "12" stays a string) */
  union {
    bool b;
    long long i;
    struct {
      char *s;
      size_t len;
    } str;
    struct {
      vk_value **items;
      size_t n, cap;
    } list;
    struct {
      char **keys;
      vk_value **vals;
      size_t n, cap;
      size_t *index; /* key hash → position + 1, open addressing (NULL: small map) */
      size_t index_cap;
    } map;
  } u;
};

vk_value *vk_null(void);
vk_value *vk_bool(bool b);
vk_value *vk_int(long long i);
vk_value *vk_str(const char *s);
vk_value *vk_strn(const char *s, size_t len);
vk_value *vk_list(void);
vk_value *vk_map(void);
void vk_value_free(vk_value *v);
vk_value *vk_value_copy(const vk_value *v);

/* Appends / sets take ownership of `item`. vk_map_set replaces an existing key. */
void vk_list_push(vk_value *list, vk_value *item);
void vk_map_set(vk_value *map, const char *key, vk_value *val);
vk_value *vk_map_get(const vk_value *map, const char *key);
/* Template data helpers: set map[key] to a copy of `s`, or nothing when s
 * is NULL (Mustache then sees the key as missing). _owned also frees s. */
void vk_map_put(vk_value *map, const char *key, const char *s);
void vk_map_put_owned(vk_value *map, const char *key, char *s);
/* Convenience: string value of map[key] or NULL when absent / not a string. */
const char *vk_map_str(const vk_value *map, const char *key);

/* Truthiness as Mustache sees it: null, false, "", empty list are false. */
bool vk_truthy(const vk_value *v);

/* Appends s as a JSON string literal (quotes, escapes; '<' as \u003c). */
void vk_json_string(sbuf *b, const char *s, size_t len);

/* Writes v as JSON (UTF-8, keys in map order) to a malloc'd string. */
char *vk_to_json(const vk_value *v, bool pretty);

#endif
