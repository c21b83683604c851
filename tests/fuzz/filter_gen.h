/* filter_gen.h — turns fuzzer bytes into a Lua filter whose functions
 * return random, often wrong-typed values: numbers, strings, booleans,
 * nested tables, elements of the wrong kind (blocks where inlines belong
 * and the reverse), tables without `t`, cyclic tables, metatables, the
 * element itself or parts of it. Shared by tests/fuzz/fuzz_filter.c and
 * the crasher replay in tests/unit/test_filter.c.
 *
 * The generated text is always valid Lua: the bytes only choose among
 * productions, so every input exercises the bridge, not the Lua parser.
 */
#ifndef VK_FILTER_GEN_H
#define VK_FILTER_GEN_H

#include "util.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
  const uint8_t *p;
  size_t n;
} fg_bytes;

static unsigned fg_next(fg_bytes *b) {
  if (!b->n)
    return 0;
  b->n--;
  return *b->p++;
}

static const char *const fg_types[] = {
    "Para",      "Plain",     "Header",         "BlockQuote", "BulletList", "OrderedList",
    "CodeBlock", "RawBlock",  "HorizontalRule", "Div",        "Table",      "Str",
    "Space",     "Emph",      "Strong",         "Strikeout",  "Code",       "Link",
    "Image",     "SoftBreak", "LineBreak",      "RawInline",  "Doc",        "Meta",
    "Bogus",     ""};
#define FG_NTYPES (sizeof fg_types / sizeof *fg_types)

static const char *const fg_fields[] = {"content", "text",  "level",   "attr",   "target",
                                        "src",     "title", "start",   "aligns", "head",
                                        "body",    "tight", "checked", "format", "blocks"};
#define FG_NFIELDS (sizeof fg_fields / sizeof *fg_fields)

static void fg_expr(fg_bytes *b, sbuf *o, int depth);

static void fg_list(fg_bytes *b, sbuf *o, int depth) {
  unsigned n = fg_next(b) % 4;
  sbuf_putc(o, '{');
  for (unsigned i = 0; i < n; i++) {
    if (i)
      sbuf_puts(o, ", ");
    fg_expr(b, o, depth + 1);
  }
  sbuf_putc(o, '}');
}

static void fg_element(fg_bytes *b, sbuf *o, int depth) {
  sbuf_printf(o, "{t = '%s'", fg_types[fg_next(b) % FG_NTYPES]);
  unsigned mask = fg_next(b) | fg_next(b) << 8;
  for (unsigned f = 0; f < FG_NFIELDS; f++)
    if (mask & (1u << f)) {
      sbuf_printf(o, ", %s = ", fg_fields[f]);
      fg_expr(b, o, depth + 1);
    }
  sbuf_putc(o, '}');
}

static void fg_constructor(fg_bytes *b, sbuf *o, int depth) {
  static const char *const ctors[] = {
      "Para",     "Header", "BlockQuote", "BulletList", "OrderedList", "CodeBlock",
      "RawBlock", "Div",    "Str",        "Emph",       "Strong",      "Strikeout",
      "Code",     "Link",   "Image",      "Attr",       "SoftBreak",   "HorizontalRule"};
  sbuf_printf(o, "vaksam.%s(", ctors[fg_next(b) % (sizeof ctors / sizeof *ctors)]);
  unsigned n = fg_next(b) % 4;
  for (unsigned i = 0; i < n; i++) {
    if (i)
      sbuf_puts(o, ", ");
    fg_expr(b, o, depth + 1);
  }
  sbuf_putc(o, ')');
}

static void fg_expr(fg_bytes *b, sbuf *o, int depth) {
  static const char *const atoms[] = {
      "nil",
      "42",
      "-1",
      "0.5",
      "1e308",
      "0/0",
      "math.maxinteger",
      "true",
      "false",
      "''",
      "'x'",
      "'Para'",
      "'Str'",
      "'{{incident_system}}'",
      "('a'):rep(300)",
      "x",
      "x.content",
      "x.t",
      "{}",
      "{{}}",
      "x.content and x.content[1]",
      "x.attr",
      "x.text",
      "print",
      "(function() local t = {} t[1] = t t.t = 'Div' t.content = t return t end)()",
      "(function() local t = {t = 'Emph'} t.content = {t} return t end)()",
      "setmetatable({}, {__index = function() return 'Para' end})",
      "setmetatable({t = 'Str'}, {__len = function() return 1e9 end})",
      "{n = 1}",
      "{[2] = vaksam.Str('a')}",
      "vaksam.Str(nil)",
      "vaksam.Para({{}})"};
  unsigned c = fg_next(b) % (depth > 5 ? 2 : 6);
  switch (c) {
  case 0:
  case 1: sbuf_puts(o, atoms[fg_next(b) % (sizeof atoms / sizeof *atoms)]); return;
  case 2: fg_list(b, o, depth); return;
  case 3: fg_element(b, o, depth); return;
  case 4: fg_constructor(b, o, depth); return;
  default:
    sbuf_puts(o, "(function() x.content = ");
    fg_expr(b, o, depth + 1);
    sbuf_puts(o, " return x end)()");
    return;
  }
}

/* A filter file: one or two filter tables, each with functions for some
 * element types (and Blocks, Inlines, Meta, Doc) returning an expression. */
static char *fg_filter(const uint8_t *data, size_t size) {
  static const char *const fns[] = {
      "Str",        "Emph",  "Para",   "Header",  "Div",  "Link", "Code",  "CodeBlock",
      "BulletList", "Table", "Blocks", "Inlines", "Meta", "Doc",  "Image", "OrderedList"};
  fg_bytes b = {data, size};
  sbuf o = {0};
  unsigned n_filters = 1 + fg_next(&b) % 2;
  sbuf_puts(&o, "return {\n");
  for (unsigned f = 0; f < n_filters; f++) {
    sbuf_puts(&o, "  {\n");
    unsigned mask = fg_next(&b) | fg_next(&b) << 8;
    for (unsigned k = 0; k < sizeof fns / sizeof *fns; k++)
      if (mask & (1u << k)) {
        sbuf_printf(&o, "    %s = function(x) return ", fns[k]);
        fg_expr(&b, &o, 0);
        sbuf_puts(&o, " end,\n");
      }
    sbuf_puts(&o, "  },\n");
  }
  sbuf_puts(&o, "}\n");
  return sbuf_take(&o);
}

/* A document with every element type the bridge converts. */
static const char fg_document[] =
    "---\nid: x\ntitle: Titel\n---\n"
    "# Rubrik *med* `kod`\n\n"
    "Text med *emfas*, **fetstil**, ~~struket~~, [länk](https://a.se \"t\"), "
    "![bild](b.png), `kod` och <b>html</b>  \nny rad\nmjuk.\n\n"
    "> citat\n\n"
    "- en\n- två\n  - tre\n\n"
    "3. a\n4. b\n\n"
    "- [ ] uppgift\n- [x] klar\n\n"
    "| A | B |\n|:--|--:|\n| 1 | *2* |\n\n"
    "```lua\nkod\n```\n\n"
    "<div>rå html</div>\n\n"
    "---\n\n"
    "::: {.tips #id data=x}\nI en behållare.\n:::\n";

#endif
