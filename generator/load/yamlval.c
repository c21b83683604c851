/* yamlval.c — see yamlval.h. */
#include "yamlval.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 64

typedef struct {
  yaml_parser_t parser;
  const char *text; /* the input, for finding an unclosed bracket or quote */
  size_t len;
  const char *file;
  int line_offset;
  diag *dg;
  bool failed;
} yreader;

static void report(yreader *r, const yaml_mark_t *m, const char *what) {
  if (r->failed)
    return;
  r->failed = true;
  diag_error(r->dg, r->file, (int)m->line + 1 + r->line_offset, (int)m->column + 1, "%s", what);
}

/* In one line [p, end): the column (0-based) of the last opener ('[', '{',
 * '"' or '\'') that the line leaves open, or -1. Only a value is looked at:
 * the text after the first ": " (or "- "), so apostrophes in keys or plain
 * text ("don't") are not taken for quotes. */
static int unclosed_in_line(const char *p, const char *end, char *what) {
  const char *v = p;
  while (v < end && (*v == ' ' || *v == '\t'))
    v++;
  if (v + 1 < end && v[0] == '-' && v[1] == ' ')
    v += 2;
  else {
    const char *colon = v;
    while (colon + 1 < end && !(colon[0] == ':' && colon[1] == ' ') && *colon != '#')
      colon++;
    if (colon + 1 >= end || *colon != ':')
      return -1;
    v = colon + 2;
  }
  while (v < end && *v == ' ')
    v++;
  if (v >= end || !strchr("[{\"'", *v))
    return -1;
  int stack[64], n = 0;
  char quote = 0;
  int qcol = -1;
  for (const char *c = v; c < end; c++) {
    if (quote == '"' && *c == '\\' && c + 1 < end)
      c++;
    else if (quote == '\'' && *c == '\'' && c + 1 < end && c[1] == '\'')
      c++;
    else if (quote && *c == quote)
      quote = 0;
    else if (!quote && (*c == '"' || *c == '\'') &&
             (c == v || strchr("[{, ", c[-1]))) { /* a quote starts a scalar only */
      quote = *c;
      qcol = (int)(c - p);
    } else if (!quote && (*c == '[' || *c == '{') && n < 64)
      stack[n++] = (int)(c - p);
    else if (!quote && (*c == ']' || *c == '}') && n > 0)
      n--;
    else if (!quote && *c == '#' && c > v && c[-1] == ' ')
      break; /* a comment */
  }
  if (quote) {
    *what = quote;
    return qcol;
  }
  if (n) {
    *what = p[stack[n - 1]];
    return stack[n - 1];
  }
  return -1;
}

/* The first line up to `upto` (0-based) whose value leaves a bracket or a
 * quote open: the culprit of most YAML errors that libyaml reports later,
 * where the bracket or quote finally fails. */
static bool find_unclosed(const char *text, size_t len, size_t upto, int *line, int *col,
                          char *what) {
  const char *p = text, *end = text + len;
  for (size_t l = 0; p < end && l <= upto; l++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    int c = unclosed_in_line(p, le, what);
    if (c >= 0) {
      *line = (int)l;
      *col = c;
      return true;
    }
    p = nl ? nl + 1 : end;
  }
  return false;
}

static void report_unclosed(yreader *r, int line, int col, char what) {
  const char *close = what == '[' ? "]" : what == '{' ? "}" : what == '"' ? "\"" : "'";
  diag_error(r->dg, r->file, line + 1 + r->line_offset, col + 1,
             "malformed YAML: %s opened here is never closed — end it with `%s` on the same line%s",
             what == '['   ? "this list's `[`"
             : what == '{' ? "this map's `{`"
                           : "this quote",
             close, what == '[' ? ", e.g. `related: [hot, vald]`" : "");
}

static bool next_event(yreader *r, yaml_event_t *ev) {
  if (!yaml_parser_parse(&r->parser, ev)) {
    if (!r->failed) {
      r->failed = true;
      int line, col;
      char what;
      if (r->text &&
          find_unclosed(r->text, r->len, r->parser.problem_mark.line, &line, &col, &what)) {
        report_unclosed(r, line, col, what);
        return false;
      }
      const char *problem = r->parser.problem ? r->parser.problem : "malformed YAML";
      diag_error(r->dg, r->file, (int)r->parser.problem_mark.line + 1 + r->line_offset,
                 (int)r->parser.problem_mark.column + 1,
                 "malformed YAML: %s%s%s — check indentation, quoting and colons near here",
                 problem, r->parser.context ? " " : "", r->parser.context ? r->parser.context : "");
    }
    return false;
  }
  return true;
}

static bool is_int(const char *s, long long *out) {
  if (!*s)
    return false;
  const char *p = s;
  if (*p == '-' || *p == '+')
    p++;
  if (!*p)
    return false;
  for (const char *q = p; *q; q++)
    if (*q < '0' || *q > '9')
      return false;
  if (strlen(p) > 1 && p[0] == '0')
    return false; /* "0123" is a phone number or an id, not an octal int */
  errno = 0;
  long long v = strtoll(s, NULL, 10);
  if (errno)
    return false;
  *out = v;
  return true;
}

static vk_value *scalar_value(const yaml_event_t *ev) {
  const char *s = (const char *)ev->data.scalar.value;
  size_t len = ev->data.scalar.length;
  bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
  vk_value *v;
  long long i;
  if (plain && (len == 0 || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
                strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0))
    v = vk_null();
  else if (plain && (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 || strcmp(s, "TRUE") == 0))
    v = vk_bool(true);
  else if (plain && (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 || strcmp(s, "FALSE") == 0))
    v = vk_bool(false);
  else if (plain && is_int(s, &i))
    v = vk_int(i);
  else
    v = vk_strn(s, len);
  v->quoted = !plain;
  return v;
}

static vk_value *read_node(yreader *r, yaml_event_t *ev, int depth);

static void set_pos(yreader *r, vk_value *v, const yaml_mark_t *m) {
  v->line = (int)m->line + 1 + r->line_offset;
  v->col = (int)m->column + 1;
}

static vk_value *read_sequence(yreader *r, int depth) {
  vk_value *list = vk_list();
  for (;;) {
    yaml_event_t ev;
    if (!next_event(r, &ev))
      break;
    if (ev.type == YAML_SEQUENCE_END_EVENT) {
      yaml_event_delete(&ev);
      return list;
    }
    vk_value *item = read_node(r, &ev, depth + 1);
    yaml_event_delete(&ev);
    if (!item)
      break;
    vk_list_push(list, item);
  }
  vk_value_free(list);
  return NULL;
}

static vk_value *read_mapping(yreader *r, int depth) {
  vk_value *map = vk_map();
  for (;;) {
    yaml_event_t kev;
    if (!next_event(r, &kev))
      break;
    if (kev.type == YAML_MAPPING_END_EVENT) {
      yaml_event_delete(&kev);
      return map;
    }
    if (kev.type != YAML_SCALAR_EVENT) {
      report(r, &kev.start_mark, "a key must be a plain name — write `key: value`");
      yaml_event_delete(&kev);
      break;
    }
    char *key = xstrndup((const char *)kev.data.scalar.value, kev.data.scalar.length);
    yaml_mark_t kmark = kev.start_mark;
    yaml_event_delete(&kev);
    if (vk_map_get(map, key)) {
      char *msg = xasprintf("duplicate key '%s' — keep only one of them", key);
      report(r, &kmark, msg);
      free(msg);
      free(key);
      break;
    }
    yaml_event_t vev;
    if (!next_event(r, &vev)) {
      free(key);
      break;
    }
    vk_value *val = read_node(r, &vev, depth + 1);
    yaml_event_delete(&vev);
    if (!val) {
      free(key);
      break;
    }
    /* The key's position is the one users look for in error messages. */
    if (val->type == VK_LIST || val->type == VK_MAP || val->type == VK_NULL)
      set_pos(r, val, &kmark);
    vk_map_set(map, key, val);
    free(key);
  }
  vk_value_free(map);
  return NULL;
}

static vk_value *read_node(yreader *r, yaml_event_t *ev, int depth) {
  if (depth > MAX_DEPTH) {
    report(r, &ev->start_mark, "nesting is too deep (more than 64 levels) — flatten the data");
    return NULL;
  }
  vk_value *v = NULL;
  switch (ev->type) {
  case YAML_SCALAR_EVENT:
    if (ev->data.scalar.anchor) {
      report(r, &ev->start_mark, "YAML anchors (&name) are not supported — write the value out");
      return NULL;
    }
    v = scalar_value(ev);
    break;
  case YAML_SEQUENCE_START_EVENT: v = read_sequence(r, depth); break;
  case YAML_MAPPING_START_EVENT: v = read_mapping(r, depth); break;
  case YAML_ALIAS_EVENT:
    report(r, &ev->start_mark, "YAML aliases (*name) are not supported — write the value out");
    return NULL;
  default: report(r, &ev->start_mark, "unexpected YAML structure — expected a value"); return NULL;
  }
  if (v && v->line == 0)
    set_pos(r, v, &ev->start_mark);
  return v;
}

vk_value *yaml_to_value(const char *text, size_t len, const char *file, int line_offset, diag *dg) {
  yreader r = {.text = text, .len = len, .file = file, .line_offset = line_offset, .dg = dg};
  yaml_parser_initialize(&r.parser);
  yaml_parser_set_input_string(&r.parser, (const unsigned char *)text, len);
  vk_value *root = NULL;
  yaml_event_t ev;
  /* stream start, document start (or stream end for empty input) */
  while (!r.failed && next_event(&r, &ev)) {
    yaml_event_type_t t = ev.type;
    if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_START_EVENT) {
      yaml_event_delete(&ev);
      continue;
    }
    if (t == YAML_STREAM_END_EVENT || t == YAML_DOCUMENT_END_EVENT) {
      yaml_event_delete(&ev);
      break;
    }
    if (root) {
      report(&r, &ev.start_mark, "more than one YAML document — remove the extra `---`");
      yaml_event_delete(&ev);
      break;
    }
    root = read_node(&r, &ev, 0);
    yaml_event_delete(&ev);
    if (!root)
      break;
  }
  yaml_parser_delete(&r.parser);
  if (r.failed) {
    vk_value_free(root);
    return NULL;
  }
  if (!root || root->type == VK_NULL) {
    vk_value_free(root);
    root = vk_map();
    root->line = line_offset + 1;
    root->col = 1;
  }
  return root;
}

/* Field helpers shared by site.c and content.c. */

bool yv_valid_id(const char *s) {
  if (!*s)
    return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
      return false;
  return true;
}

/* Reads map[key] as a string; reports a type error. Returns a copy or NULL. */
char *yv_string(const vk_value *map, const char *key, bool required, const char *file, diag *dg) {
  vk_value *v = vk_map_get(map, key);
  if (!v || v->type == VK_NULL) {
    if (required)
      diag_error(dg, file, map->line, map->col, "missing required key '%s' — add `%s: …`", key,
                 key);
    return NULL;
  }
  if (v->type == VK_INT)
    return xasprintf("%lld", v->u.i);
  if (v->type != VK_STRING) {
    diag_error(dg, file, v->line, v->col, "'%s' must be a text — write it as `%s: \"…\"`", key,
               key);
    return NULL;
  }
  return xstrdup(v->u.str.s);
}

void yv_filters(const vk_value *map, vec *out, const char *file, diag *dg) {
  vk_value *v = vk_map_get(map, "filters");
  if (!v || v->type == VK_NULL)
    return;
  if (v->type != VK_LIST) {
    diag_error(dg, file, v->line, v->col,
               "'filters' must be a list of file names — write `filters: [name.lua]`");
    return;
  }
  for (size_t i = 0; i < v->u.list.n; i++) {
    vk_value *f = v->u.list.items[i];
    if (f->type != VK_STRING || strstr(f->u.str.s, "..") || f->u.str.s[0] == '/') {
      diag_error(dg, file, f->line, f->col,
                 "a filter must be a file name under content/filters/ — e.g. `name.lua`");
      continue;
    }
    vec_push(out, xstrdup(f->u.str.s));
  }
}

void yv_check_keys(const vk_value *map, const char *const *known, const char *what,
                   const char *file, diag *dg) {
  for (size_t i = 0; i < map->u.map.n; i++) {
    bool ok = false;
    for (const char *const *k = known; *k; k++)
      if (strcmp(*k, map->u.map.keys[i]) == 0)
        ok = true;
    if (!ok) {
      const vk_value *v = map->u.map.vals[i];
      diag_warn(dg, file, v->line, v->col,
                "unknown key '%s' in %s — check the spelling or remove it", map->u.map.keys[i],
                what);
    }
  }
}
