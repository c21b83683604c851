/* value.c — see value.h. */
#include "value.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vk_value *value_new(vk_type t) {
  vk_value *v = xcalloc(1, sizeof *v);
  v->type = t;
  return v;
}

enum { MAP_INDEXED = 12 }; /* keys from which a map keeps a hash index */

static size_t key_hash(const char *s) {
  size_t h = 1469598103934665603u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

/* The index slot of key: holding its position + 1, or 0 (free). */
static size_t *index_slot(const vk_value *map, const char *key) {
  size_t mask = map->u.map.index_cap - 1;
  for (size_t i = key_hash(key) & mask;; i = (i + 1) & mask) {
    size_t *e = &map->u.map.index[i];
    if (!*e || strcmp(map->u.map.keys[*e - 1], key) == 0)
      return e;
  }
}

static void index_rebuild(vk_value *map) {
  free(map->u.map.index);
  map->u.map.index_cap = 32;
  while (map->u.map.index_cap < 4 * map->u.map.n)
    map->u.map.index_cap *= 2;
  map->u.map.index = xcalloc(map->u.map.index_cap, sizeof *map->u.map.index);
  for (size_t i = 0; i < map->u.map.n; i++)
    *index_slot(map, map->u.map.keys[i]) = i + 1;
}

vk_value *vk_null(void) {
  return value_new(VK_NULL);
}

vk_value *vk_bool(bool b) {
  vk_value *v = value_new(VK_BOOL);
  v->u.b = b;
  return v;
}

vk_value *vk_int(long long i) {
  vk_value *v = value_new(VK_INT);
  v->u.i = i;
  return v;
}

vk_value *vk_strn(const char *s, size_t len) {
  vk_value *v = value_new(VK_STRING);
  v->u.str.s = xmalloc(len + 1);
  memcpy(v->u.str.s, s, len);
  v->u.str.s[len] = '\0';
  v->u.str.len = len;
  return v;
}

vk_value *vk_str(const char *s) {
  return vk_strn(s, strlen(s));
}
vk_value *vk_list(void) {
  return value_new(VK_LIST);
}
vk_value *vk_map(void) {
  return value_new(VK_MAP);
}

void vk_value_free(vk_value *v) {
  if (!v)
    return;
  switch (v->type) {
  case VK_STRING: free(v->u.str.s); break;
  case VK_LIST:
    for (size_t i = 0; i < v->u.list.n; i++)
      vk_value_free(v->u.list.items[i]);
    free(v->u.list.items);
    break;
  case VK_MAP:
    for (size_t i = 0; i < v->u.map.n; i++) {
      free(v->u.map.keys[i]);
      vk_value_free(v->u.map.vals[i]);
    }
    free(v->u.map.keys);
    free(v->u.map.vals);
    free(v->u.map.index);
    break;
  default: break;
  }
  free(v);
}

vk_value *vk_value_copy(const vk_value *v) {
  if (!v)
    return NULL;
  vk_value *c;
  switch (v->type) {
  case VK_NULL: c = vk_null(); break;
  case VK_BOOL: c = vk_bool(v->u.b); break;
  case VK_INT: c = vk_int(v->u.i); break;
  case VK_STRING: c = vk_strn(v->u.str.s, v->u.str.len); break;
  case VK_LIST:
    c = vk_list();
    for (size_t i = 0; i < v->u.list.n; i++)
      vk_list_push(c, vk_value_copy(v->u.list.items[i]));
    break;
  default: /* the keys are unique already: no vk_map_set search per key */
    c = vk_map();
    c->u.map.cap = c->u.map.n = v->u.map.n;
    c->u.map.keys = xmalloc((v->u.map.n ? v->u.map.n : 1) * sizeof(char *));
    c->u.map.vals = xmalloc((v->u.map.n ? v->u.map.n : 1) * sizeof(vk_value *));
    for (size_t i = 0; i < v->u.map.n; i++) {
      c->u.map.keys[i] = xstrdup(v->u.map.keys[i]);
      c->u.map.vals[i] = vk_value_copy(v->u.map.vals[i]);
    }
    if (c->u.map.n >= MAP_INDEXED)
      index_rebuild(c);
    break;
  }
  c->line = v->line;
  c->col = v->col;
  c->quoted = v->quoted;
  return c;
}

void vk_list_push(vk_value *list, vk_value *item) {
  if (list->u.list.n == list->u.list.cap) {
    list->u.list.cap = list->u.list.cap ? list->u.list.cap * 2 : 4;
    list->u.list.items = xrealloc(list->u.list.items, list->u.list.cap * sizeof(vk_value *));
  }
  list->u.list.items[list->u.list.n++] = item;
}

/* The position of key in map, or -1. */
static long map_find(const vk_value *map, const char *key) {
  if (map->u.map.index) {
    size_t e = *index_slot(map, key);
    return e ? (long)e - 1 : -1;
  }
  for (size_t i = 0; i < map->u.map.n; i++)
    if (strcmp(map->u.map.keys[i], key) == 0)
      return (long)i;
  return -1;
}

void vk_map_set(vk_value *map, const char *key, vk_value *val) {
  long at = map_find(map, key);
  if (at >= 0) {
    vk_value_free(map->u.map.vals[at]);
    map->u.map.vals[at] = val;
    return;
  }
  if (map->u.map.n == map->u.map.cap) {
    map->u.map.cap = map->u.map.cap ? map->u.map.cap * 2 : 4;
    map->u.map.keys = xrealloc(map->u.map.keys, map->u.map.cap * sizeof(char *));
    map->u.map.vals = xrealloc(map->u.map.vals, map->u.map.cap * sizeof(vk_value *));
  }
  map->u.map.keys[map->u.map.n] = xstrdup(key);
  map->u.map.vals[map->u.map.n] = val;
  map->u.map.n++;
  if (map->u.map.index && 2 * map->u.map.n <= map->u.map.index_cap)
    *index_slot(map, key) = map->u.map.n;
  else if (map->u.map.n >= MAP_INDEXED)
    index_rebuild(map);
}

vk_value *vk_map_get(const vk_value *map, const char *key) {
  if (!map || map->type != VK_MAP)
    return NULL;
  long at = map_find(map, key);
  return at >= 0 ? map->u.map.vals[at] : NULL;
}

const char *vk_map_str(const vk_value *map, const char *key) {
  const vk_value *v = vk_map_get(map, key);
  return v && v->type == VK_STRING ? v->u.str.s : NULL;
}

bool vk_truthy(const vk_value *v) {
  if (!v)
    return false;
  switch (v->type) {
  case VK_NULL: return false;
  case VK_BOOL: return v->u.b;
  case VK_STRING: return v->u.str.len > 0;
  case VK_LIST: return v->u.list.n > 0;
  default: return true;
  }
}

/* Copies runs of plain characters at once: most text needs no escape. */
void vk_json_string(sbuf *b, const char *s, size_t len) {
  sbuf_grow(b, len + 2);
  sbuf_putc(b, '"');
  size_t start = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\' && c != '<')
      continue;
    sbuf_putn(b, s + start, i - start);
    start = i + 1;
    switch (c) {
    case '"': sbuf_puts(b, "\\\""); break;
    case '\\': sbuf_puts(b, "\\\\"); break;
    case '\n': sbuf_puts(b, "\\n"); break;
    case '\r': sbuf_puts(b, "\\r"); break;
    case '\t': sbuf_puts(b, "\\t"); break;
    case '<': sbuf_puts(b, "\\u003c"); break; /* safe to embed in a <script> element too */
    default: sbuf_printf(b, "\\u%04x", c);
    }
  }
  sbuf_putn(b, s + start, len - start);
  sbuf_putc(b, '"');
}

static void json_indent(sbuf *b, bool pretty, int depth) {
  if (!pretty)
    return;
  sbuf_putc(b, '\n');
  for (int i = 0; i < depth; i++)
    sbuf_puts(b, "  ");
}

static void json_value(sbuf *b, const vk_value *v, bool pretty, int depth) {
  switch (v->type) {
  case VK_NULL: sbuf_puts(b, "null"); break;
  case VK_BOOL: sbuf_puts(b, v->u.b ? "true" : "false"); break;
  case VK_INT: sbuf_printf(b, "%lld", v->u.i); break;
  case VK_STRING: vk_json_string(b, v->u.str.s, v->u.str.len); break;
  case VK_LIST:
    sbuf_putc(b, '[');
    for (size_t i = 0; i < v->u.list.n; i++) {
      if (i)
        sbuf_putc(b, ',');
      json_indent(b, pretty, depth + 1);
      json_value(b, v->u.list.items[i], pretty, depth + 1);
    }
    if (v->u.list.n)
      json_indent(b, pretty, depth);
    sbuf_putc(b, ']');
    break;
  case VK_MAP:
    sbuf_putc(b, '{');
    for (size_t i = 0; i < v->u.map.n; i++) {
      if (i)
        sbuf_putc(b, ',');
      json_indent(b, pretty, depth + 1);
      vk_json_string(b, v->u.map.keys[i], strlen(v->u.map.keys[i]));
      sbuf_puts(b, pretty ? ": " : ":");
      json_value(b, v->u.map.vals[i], pretty, depth + 1);
    }
    if (v->u.map.n)
      json_indent(b, pretty, depth);
    sbuf_putc(b, '}');
    break;
  }
}

char *vk_to_json(const vk_value *v, bool pretty) {
  sbuf b = {0};
  json_value(&b, v, pretty, 0);
  if (pretty)
    sbuf_putc(&b, '\n');
  return sbuf_take(&b);
}

void vk_map_put(vk_value *map, const char *key, const char *s) {
  if (s)
    vk_map_set(map, key, vk_str(s));
}

void vk_map_put_owned(vk_value *map, const char *key, char *s) {
  vk_map_put(map, key, s);
  free(s);
}
