/* filter.c — see filter.h.
 *
 * The tree crosses into Lua as plain tables (t = element type), the chain
 * walks it in C (bottom-up, pandoc's return rules, calling the filter's Lua
 * functions), and the result is rebuilt as a cmark tree. The walk is in C
 * because Lua code runs every instruction through the count hook that
 * bounds a filter's instructions; only the filters' own code pays that.
 *
 * Invariant: text reaching the writers is valid UTF-8 without the
 * characters XML 1.0 forbids. The rebuild checks every string it reads, as
 * it reads it (text_k, read_attr) — and only those: a field the rebuild
 * ignores is no text for the writers. That is the whole cost on the way
 * every good filter takes. A fault (only a broken or hostile filter leaves
 * one) makes filters_run_part replay the document from its original tree
 * in diagnose mode, where what every function returns is checked too
 * (returned_text_check, doc_text_check), so that the error names the
 * function and its file:line; the build fails anyway, so what filters do
 * in a replay has no other effect. A filter that does not repeat the fault
 * in the replay gets the rebuild's own message (at the last position the
 * count hook saw).
 *
 * Field names and element types are Lua strings pushed once per document at
 * fixed stack slots (push_keys): no C string is interned again per element.
 */
#include "filter.h"
#include "markdown.h"
#include "pattern.h"
#include "safepath.h"

#include <lauxlib.h>
#include <limits.h>
#include <stdint.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_DEPTH 200

/* Freed small blocks are kept per size class (16-byte steps up to 256) and
 * handed out again: a document makes tens of thousands of small tables and
 * strings that die together, and malloc/free cost more than the lists. */
#define POOL_STEP 16
#define POOL_MAX 256
#define POOL_CLASSES (POOL_MAX / POOL_STEP)

struct vk_filters {
  lua_State *L;
  size_t mem_used;
  long instructions;
  struct timespec deadline;  /* thread CPU time at which the running filter is stopped */
  bool runaway;              /* the last error was a bound (time, instructions, memory) */
  vec paths;                 /* full paths of the loaded filter files (Lua shortens them) */
  char *content_real;        /* realpath of the content folder, for the sandbox */
  const vk_content *content; /* what the chain was loaded from: a replay loads it again */
  char *format;
  const vk_org *org;
  const vk_role *role;
  int chain_ref[FILTERS_PARTS]; /* Lua lists of filter tables, one per part */
  int n_filters[FILTERS_PARTS];
  int list_mt, element_mt; /* registry refs of the shared List and element metatables */
  int types;               /* registry ref of the table of element type codes */
  bool unlimited;          /* while an error is being reported, memory is not capped */
  bool converting;         /* the document is being converted: an error is the document's */
  bool diagnose;        /* replaying a document: every function's result is checked (text_fault) */
  bool text_fault;      /* the error raised is the rebuild's: text unfit for the writers */
  bool fn_fault;        /* the error raised is a diagnose check's: it names the function */
  char last_where[512]; /* "file:line: " of the filter code running lately */
  diag *dg;             /* while a document is filtered: where vaksam.warn reports */
  const vk_doc *doc;
  void *pool[POOL_CLASSES]; /* free lists of small blocks, linked through their first bytes */
};

/* ---- allocation cap and instruction bound ------------------------------ */

/* The size class of a small block (1..POOL_MAX bytes). Every block whose
 * size is at most POOL_MAX has room for its whole class: blocks are
 * allocated rounded up to it. */
static size_t pool_class(size_t n) {
  return (n + POOL_STEP - 1) / POOL_STEP - 1;
}

static void pool_put(vk_filters *f, void *ptr, size_t size) {
  size_t c = pool_class(size);
  memcpy(ptr, &f->pool[c], sizeof(void *));
  f->pool[c] = ptr;
}

static void *pool_take(vk_filters *f, size_t size) {
  size_t c = pool_class(size);
  void *p = f->pool[c];
  if (p)
    memcpy(&f->pool[c], p, sizeof(void *));
  return p;
}

static void pool_free(vk_filters *f) {
  for (size_t c = 0; c < POOL_CLASSES; c++)
    while (f->pool[c])
      free(pool_take(f, (c + 1) * POOL_STEP));
}

static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  vk_filters *f = ud;
  if (ptr == NULL)
    osize = 0; /* Lua passes the object's type */
  if (nsize == 0) {
    f->mem_used -= osize;
    if (osize >= sizeof(void *) && osize <= POOL_MAX)
      pool_put(f, ptr, osize);
    else
      free(ptr);
    return NULL;
  }
  if (nsize > osize && !f->unlimited && f->mem_used + (nsize - osize) > FILTER_MAX_MEMORY)
    return NULL; /* Lua raises "not enough memory" */
  void *p = ptr == NULL && nsize <= POOL_MAX ? pool_take(f, nsize) : NULL;
  if (!p)
    p = realloc(ptr, nsize <= POOL_MAX ? (pool_class(nsize) + 1) * POOL_STEP : nsize);
  if (p)
    f->mem_used = f->mem_used - osize + nsize;
  return p;
}

#define HOOK_EVERY 10000
#define STR_(x) #x
#define STR(x) STR_(x)
#define FILTER_TIME_MESSAGE                                                                        \
  "the filter ran for more than " STR(FILTER_MAX_MILLISECONDS) " ms on one document — look for " \
                                                               "an endless loop (the build stops " \
                                                               "at the first runaway filter)"
#define FILTER_INSTRUCTIONS_MESSAGE                                                                \
  "the filter ran more than 50 million instructions on one document — look for an endless loop " \
  "(the build stops at the first runaway filter)"

/* Finds the innermost frame, from `level` and at most `max` levels down,
 * that runs code from a filter file (their chunk names start with '@'). */
static bool filter_frame(lua_State *L, int level, int max, lua_Debug *ar) {
  for (; level < max && lua_getstack(L, level, ar); level++)
    if (lua_getinfo(L, "Sl", ar) && ar->source[0] == '@' && ar->currentline > 0)
      return true;
  return false;
}

/* Pushes "file:line:" of the innermost function from a filter file, or ""
 * when no filter is on the stack. */
static void push_filter_where(lua_State *L) {
  lua_Debug ar;
  if (filter_frame(L, 0, INT_MAX, &ar))
    lua_pushfstring(L, "%s:%d: ", ar.source + 1, ar.currentline);
  else
    lua_pushstring(L, "");
}

/* Filters are bounded in CPU time of the thread, not wall-clock time: a
 * loaded machine must not fail a good filter; a filter cannot sleep or
 * wait (no os, no sockets, files are read whole), so its time is CPU time. */
static struct timespec cpu_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t;
}

static void start_clock(vk_filters *f) {
  f->instructions = 0;
  f->runaway = false;
  f->last_where[0] = 0;
  f->deadline = cpu_now();
  f->deadline.tv_nsec += FILTER_MAX_MILLISECONDS % 1000 * 1000000L;
  f->deadline.tv_sec += FILTER_MAX_MILLISECONDS / 1000 + f->deadline.tv_nsec / 1000000000L;
  f->deadline.tv_nsec %= 1000000000L;
}

static bool past_deadline(const vk_filters *f) {
  struct timespec t = cpu_now();
  return t.tv_sec > f->deadline.tv_sec ||
         (t.tv_sec == f->deadline.tv_sec && t.tv_nsec > f->deadline.tv_nsec);
}

/* Raises the error of a filter that went past a bound: "file:line: msg". */
static int runaway_error(lua_State *L, vk_filters *f, const char *msg) {
  f->runaway = true;
  f->unlimited = true;
  push_filter_where(L);
  lua_pushstring(L, msg);
  lua_concat(L, 2);
  return lua_error(L);
}

static void count_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  vk_filters *f;
  lua_getallocf(L, (void **)&f);
  f->instructions += HOOK_EVERY;
  if (past_deadline(f))
    runaway_error(L, f, FILTER_TIME_MESSAGE);
  /* Remember where the filter is: a memory error has no position of its own
   * and Lua calls no message handler for it. */
  lua_Debug here; /* a few levels: the walk may be deep, and this runs often */
  if (filter_frame(L, 0, 16, &here))
    snprintf(f->last_where, sizeof f->last_where, "%s:%d: ", here.source + 1, here.currentline);
  if (f->instructions > FILTER_MAX_INSTRUCTIONS)
    runaway_error(L, f, FILTER_INSTRUCTIONS_MESSAGE);
}

/* Does a message start with "something:LINE:"? */
static bool has_position(const char *msg) {
  const char *c = strchr(msg, ':');
  while (c) {
    const char *d = c + 1;
    while (*d >= '0' && *d <= '9')
      d++;
    if (d > c + 1 && *d == ':')
      return true;
    c = strchr(c + 1, ':');
  }
  return false;
}

/* Message handler: errors without a position (out of memory, errors raised
 * by the walk on a filter's behalf) get the filter's file:line. */
static int message_handler(lua_State *L) {
  vk_filters *f;
  lua_getallocf(L, (void **)&f);
  f->unlimited = true;
  const char *msg = lua_tostring(L, 1);
  if (!msg)
    msg = "the filter raised an error that is not a text";
  if (has_position(msg) && strncmp(msg, "vaksam:", 7) != 0) {
    lua_pushstring(L, msg);
    return 1;
  }
  push_filter_where(L);
  lua_pushstring(L, msg);
  lua_concat(L, 2);
  return 1;
}

/* ---- sandbox ----------------------------------------------------------- */

static vk_filters *self(lua_State *L) {
  vk_filters *f;
  lua_getallocf(L, (void **)&f);
  return f;
}

/* Resolves `path` (relative to the content folder, or absolute) and checks
 * that it stays inside the content folder, symlinks included. */
static char *sandboxed_path(vk_filters *f, const char *path) {
  char *joined = path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", f->content_real, path);
  char real[PATH_MAX];
  char *ok = realpath(joined, real);
  free(joined);
  size_t n = strlen(f->content_real);
  if (!ok || strncmp(real, f->content_real, n) != 0 || (real[n] != '/' && real[n] != 0))
    return NULL;
  return xstrdup(real);
}

static int l_read_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  char *real = sandboxed_path(self(L), path);
  if (!real)
    return luaL_error(L, "'%s' is outside the content folder — filters may read only files in it",
                      path);
  size_t len;
  char *text = read_file(real, &len);
  free(real);
  if (!text)
    return luaL_error(L, "cannot read '%s'", path);
  lua_pushlstring(L, text, len);
  free(text);
  return 1;
}

/* io.open(path, "r") inside the content folder: returns a small file object
 * with :read("a"/"l") and :lines() and :close(). */
static int l_io_open(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  const char *mode = luaL_optstring(L, 2, "r");
  if (strcmp(mode, "r") != 0 && strcmp(mode, "rb") != 0)
    return luaL_error(L, "filters may only read files (mode \"r\")");
  char *real = sandboxed_path(self(L), path);
  if (!real) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: outside the content folder", path);
    return 2;
  }
  size_t len;
  char *text = read_file(real, &len);
  free(real);
  if (!text) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: cannot read", path);
    return 2;
  }
  lua_getglobal(L, "vaksam");
  lua_getfield(L, -1, "_file");
  lua_pushlstring(L, text, len);
  free(text);
  lua_call(L, 1, 1);
  return 1;
}

/* vaksam.warn(message): a warning in the build's report, at the filter's
 * file:line, naming the document and variant (an error with --strict). */
static int l_warn(lua_State *L) {
  vk_filters *f = self(L);
  const char *msg = luaL_checkstring(L, 1);
  if (f->diagnose)
    return 0; /* a replay (diagnose_text_fault): said the first time */
  lua_Debug ar;
  bool found = filter_frame(L, 1, INT_MAX, &ar);
  if (f->dg)
    diag_warn(f->dg, found ? ar.source + 1 : NULL, found ? ar.currentline : 0, 0,
              "%s (filtering %s for org=%s role=%s)", msg, f->doc ? f->doc->srcpath : "?",
              f->org->id, f->role ? f->role->id : "-");
  return 0;
}

static int l_print(lua_State *L) {
  if (self(L)->diagnose)
    return 0; /* a replay (diagnose_text_fault): printed the first time */
  int n = lua_gettop(L);
  lua_Debug ar;
  const char *where = "filter";
  if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "S", &ar))
    where = ar.short_src;
  fprintf(stderr, "%s: ", where);
  for (int i = 1; i <= n; i++) {
    fputs(luaL_tolstring(L, i, NULL), stderr);
    lua_pop(L, 1);
    fputc(i < n ? '\t' : '\n', stderr);
  }
  if (n == 0)
    fputc('\n', stderr);
  return 0;
}

static void remove_global(lua_State *L, const char *table, const char *name) {
  if (!table) {
    lua_pushnil(L);
    lua_setglobal(L, name);
    return;
  }
  lua_getglobal(L, table);
  if (lua_istable(L, -1)) {
    lua_pushnil(L);
    lua_setfield(L, -2, name);
  }
  lua_pop(L, 1);
}

static void open_sandboxed_libs(lua_State *L) {
  static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},
                                  {LUA_TABLIBNAME, luaopen_table},
                                  {LUA_STRLIBNAME, luaopen_string},
                                  {LUA_MATHLIBNAME, luaopen_math},
                                  {LUA_UTF8LIBNAME, luaopen_utf8},
                                  {LUA_OSLIBNAME, luaopen_os},
                                  {NULL, NULL}};
  for (const luaL_Reg *l = libs; l->func; l++) {
    luaL_requiref(L, l->name, l->func, 1);
    lua_pop(L, 1);
  }
  pattern_open(L); /* string.find & co. on a matcher that the count hook bounds */
  /* No loading of code from files or bytecode, no process control. */
  static const char *const gone[] = {"dofile", "loadfile", "collectgarbage", NULL};
  for (const char *const *g = gone; *g; g++)
    remove_global(L, NULL, *g);
  static const char *const os_gone[] = {"execute", "exit",   "remove",    "rename",
                                        "tmpname", "getenv", "setlocale", NULL};
  for (const char *const *g = os_gone; *g; g++)
    remove_global(L, "os", *g);
  lua_pushcfunction(L, l_print);
  lua_setglobal(L, "print");
  lua_newtable(L); /* io: open only */
  lua_pushcfunction(L, l_io_open);
  lua_setfield(L, -2, "open");
  lua_setglobal(L, "io");
}

/* ---- the Lua side: constructors and the walk ---------------------------- */

static const char prelude[] =
    "local V = {}\n"
    "vaksam = V\n"
    /* text chunks only: precompiled bytecode can crash the interpreter */
    "local raw_load = load\n"
    "load = function(...) local a = table.pack(...) a[3] = 't' return raw_load(table.unpack(a, 1, "
    "math.max(a.n, 3))) end\n"
    /* no finalizers: Lua runs them with hooks off (and at lua_close), where
       no bound reaches; a finalizer that loops would hang the build */
    "local raw_setmetatable, rawget, type, error = setmetatable, rawget, type, error\n"
    "setmetatable = function(t, mt)\n"
    "  if type(mt) == 'table' and rawget(mt, '__gc') ~= nil then\n"
    "    error('setmetatable: filters may not set finalizers (__gc): they run where no time '\n"
    "      .. 'bound reaches — remove __gc from the metatable', 2)\n"
    "  end\n"
    "  return raw_setmetatable(t, mt)\n"
    "end\n"
    "pandoc = V\n"
    /* pandoc.List: one protected metatable for every list (C sets it from the registry) */
    "local c_walk = __vaksam_walk\n"
    "local List = {}\n"
    "local ListMT = {__index = List, __metatable = 'List'}\n"
    "local function new_list(t) return raw_setmetatable(t or {}, ListMT) end\n"
    "local function as_list(t) if getmetatable(t) == nil then raw_setmetatable(t, ListMT) end"
    " return t end\n"
    "local function from(self, init) init = init or 1 if init < 0 then init = #self + init + 1 end"
    " if init < 1 then init = 1 end return init end\n"
    "function List:new(t) return new_list(t) end\n"
    "function List:clone() local r = new_list() for i = 1, #self do r[i] = self[i] end return r "
    "end\n"
    "function List:extend(l) local n = #self for i = 1, #l do self[n + i] = l[i] end end\n"
    "function List:find(x, init) for i = from(self, init), #self do if self[i] == x then "
    "return self[i], i end end return nil end\n"
    "function List:find_if(p, init) for i = from(self, init), #self do if p(self[i]) then "
    "return self[i], i end end return nil end\n"
    "function List:includes(x, init) return (List.find(self, x, init)) ~= nil end\n"
    "function List:filter(p) local r = new_list() for i = 1, #self do if p(self[i], i) then "
    "r[#r + 1] = self[i] end end return r end\n"
    "function List:map(f) local r = new_list() for i = 1, #self do r[i] = f(self[i], i) end "
    "return r end\n"
    "function List:insert(...) table.insert(self, ...) end\n"
    "function List:remove(...) return table.remove(self, ...) end\n"
    "function List:sort(c) table.sort(self, c) end\n"
    "function List:at(i, d) if i < 0 then i = #self + i + 1 end local v = self[i] if v == nil "
    "then return d end return v end\n"
    "function List:iter(step) step = step or 1 local i = step > 0 and 1 - step or #self - step"
    " return function() i = i + step return self[i] end end\n"
    "function List:walk(filter) return c_walk(self, filter) end\n"
    "V.List = raw_setmetatable(List, {__call = function(_, t) return new_list(t) end,"
    " __metatable = 'List'})\n"
    "local Element = {}\n"
    "local ElementMT = {__index = Element, __metatable = 'Element'}\n"
    "function Element:walk(filter) return c_walk(self, filter) end\n"
    "V._list_mt, V._element_mt = ListMT, ElementMT\n"
    "local function el(t, f) f = f or {} f.t = t f.tag = t return raw_setmetatable(f, ElementMT)"
    " end\n"
    "local function attr(a) a = a or {} return {identifier = a.identifier or a[1] or '',"
    " classes = as_list(a.classes or a[2] or {}), attributes = a.attributes or a[3] or {}} end\n"
    "V.Attr = function(id, classes, attributes) return attr({id, classes, attributes}) end\n"
    "local function list(x) if x == nil then return new_list() end if type(x) == 'string' then"
    " return new_list({el('Str', {text = x})}) end if x.t then return new_list({x}) end"
    " return as_list(x) end\n"
    "V.Inlines, V.Blocks = list, list\n"
    "V.Str = function(s) return el('Str', {text = s}) end\n"
    "V.Space = function() return el('Str', {text = ' '}) end\n"
    "V.SoftBreak = function() return el('SoftBreak') end\n"
    "V.LineBreak = function() return el('LineBreak') end\n"
    "V.Emph = function(c) return el('Emph', {content = list(c)}) end\n"
    "V.Strong = function(c) return el('Strong', {content = list(c)}) end\n"
    "V.Strikeout = function(c) return el('Strikeout', {content = list(c)}) end\n"
    "V.Span = function(c, a) return el('Span', {content = list(c), attr = attr(a)}) end\n"
    "V.Code = function(s) return el('Code', {text = s}) end\n"
    "V.RawInline = function(f, s) return el('RawInline', {format = f, text = s}) end\n"
    "V.Link = function(c, target, title, a) return el('Link', {content = list(c), target = target,"
    " title = title or '', attr = attr(a)}) end\n"
    "V.Image = function(c, src, title) return el('Image', {content = list(c), src = src,"
    " title = title or ''}) end\n"
    "V.Para = function(c) return el('Para', {content = list(c)}) end\n"
    "V.Plain = V.Para\n"
    "V.Header = function(level, c, a) return el('Header', {level = level, content = list(c),"
    " attr = attr(a)}) end\n"
    "V.BlockQuote = function(c) return el('BlockQuote', {content = list(c)}) end\n"
    "V.BulletList = function(items) return el('BulletList', {content = items or {}, tight = true})"
    " end\n"
    "V.OrderedList = function(items, start) return el('OrderedList', {content = items or {},"
    " start = start or 1, tight = true}) end\n"
    "V.CodeBlock = function(s, a) return el('CodeBlock', {text = s, attr = attr(a)}) end\n"
    "V.RawBlock = function(f, s) return el('RawBlock', {format = f, text = s}) end\n"
    "V.HorizontalRule = function() return el('HorizontalRule') end\n"
    "V.Div = function(c, a) return el('Div', {content = list(c), attr = attr(a)}) end\n"
    /* require: only modules in content/filters/, loaded once per state */
    "local loaded = {}\n"
    "require = function(name)\n"
    "  if type(name) ~= 'string' or not name:match('^[%w_%-]+$') then\n"
    "    error(\"require: '\" .. tostring(name) .. \"' is not a module in content/filters/ (write "
    "require('name') for filters/name.lua)\", 2)\n"
    "  end\n"
    "  if loaded[name] == nil then\n"
    "    local path = 'filters/' .. name .. '.lua'\n"
    "    local chunk, err = raw_load(V.read_file(path), '@' .. V._content_dir .. '/' .. path, "
    "'t')\n"
    "    if not chunk then error(err, 0) end\n"
    "    local r = chunk()\n"
    "    if r == nil then r = true end\n"
    "    loaded[name] = r\n"
    "  end\n"
    "  return loaded[name]\n"
    "end\n"
    "V.utils = {}\n"
    "local function stringify(x, out)\n"
    "  if type(x) == 'string' then out[#out + 1] = x return end\n"
    "  if type(x) ~= 'table' then return end\n"
    "  if x.t == 'Str' or x.t == 'Code' then out[#out + 1] = x.text return end\n"
    "  if x.t == 'SoftBreak' or x.t == 'LineBreak' then out[#out + 1] = ' ' return end\n"
    "  if x.content then stringify(x.content, out) return end\n"
    "  if x.blocks then stringify(x.blocks, out) return end\n"
    "  if x.t == 'Table' then stringify(x.head, out) stringify(x.body, out) return end\n"
    "  for _, v in ipairs(x) do stringify(v, out) end\n"
    "end\n"
    "V.utils.stringify = function(x) local out = {} stringify(x, out) return table.concat(out) "
    "end\n"
    "V._file = function(text)\n"
    "  local pos = 1\n"
    "  local f = {}\n"
    "  function f:read(fmt) fmt = fmt or 'l' if pos > #text then return nil end\n"
    "    if fmt == 'a' or fmt == '*a' then local r = text:sub(pos) pos = #text + 1 return r end\n"
    "    local e = text:find('\\n', pos, true) or (#text + 1) local r = text:sub(pos, e - 1)"
    " pos = e + 1 return r end\n"
    "  function f:lines() return function() return f:read('l') end end\n"
    "  function f:close() return true end\n"
    "  return f\n"
    "end\n"
    "V.link_to = function(path)\n"
    "  local d = V.context.document and V.context.document.path or ''\n"
    "  local _, up = d:gsub('/', '')\n"
    "  return string.rep('../', up) .. path\n"
    "end\n";

/* ---- cmark → Lua ------------------------------------------------------- */

static void push_blocks(lua_State *L, cmark_node *parent, int depth);
static void push_inlines(lua_State *L, cmark_node *parent, int depth);

static void set_str(lua_State *L, const char *k, const char *v) {
  lua_pushstring(L, v ? v : "");
  lua_setfield(L, -2, k);
}

/* The field names the conversions read and set, and the element types,
 * pushed once per document at fixed stack slots of run_protected (after its
 * four arguments): the conversions and the walk read and set them with
 * lua_pushvalue + raw access instead of interning the name again for every
 * element (lua_pushstring hashes it and searches the string cache). The
 * element types run in two ranges, inlines then blocks, and their slot
 * number is the type's code (type_code). */
enum {
  K_T,
  K_TAG,
  K_TEXT,
  K_CONTENT,
  K_BLOCKS, /* the function names Blocks and Inlines */
  K_INLINES,
  K_DOC_BLOCKS, /* doc.blocks */
  K_TARGET,
  K_SRC,
  K_TITLE,
  K_ATTR,
  K_IDENTIFIER,
  K_CLASSES,
  K_ATTRIBUTES,
  K_FORMAT,
  K_LEVEL,
  K_START,
  K_TIGHT,
  K_CHECKED,
  K_ALIGNS,
  K_HEAD,
  K_BODY,
  K_HTML,
  K_STR, /* inline types: K_STR … K_SPAN */
  K_SPACE,
  K_CODE,
  K_RAWINLINE,
  K_SOFTBREAK,
  K_LINEBREAK,
  K_EMPH,
  K_STRONG,
  K_STRIKEOUT,
  K_LINK,
  K_IMAGE,
  K_SPAN,
  K_PARA, /* block types: K_PARA … K_TABLE */
  K_PLAIN,
  K_HEADER,
  K_BLOCKQUOTE,
  K_DIV,
  K_BULLETLIST,
  K_ORDEREDLIST,
  K_CODEBLOCK,
  K_RAWBLOCK,
  K_HORIZONTALRULE,
  K_TABLE,
  K_LIST_MT,    /* the shared metatables, pushed after the names, */
  K_ELEMENT_MT, /* then the table of type codes */
  K_TYPES,      /* (keep these three last) */
  K_COUNT
};
#define RUN_ARGS 4
#define KEY_SLOT(k) (RUN_ARGS + 1 + (k))

static const char *const key_names[K_LIST_MT] = {
    "t",          "tag",         "text",      "content",    "Blocks",
    "Inlines",    "blocks",      "target",    "src",        "title",
    "attr",       "identifier",  "classes",   "attributes", "format",
    "level",      "start",       "tight",     "checked",    "aligns",
    "head",       "body",        "html",      "Str",        "Space",
    "Code",       "RawInline",   "SoftBreak", "LineBreak",  "Emph",
    "Strong",     "Strikeout",   "Link",      "Image",      "Span",
    "Para",       "Plain",       "Header",    "BlockQuote", "Div",
    "BulletList", "OrderedList", "CodeBlock", "RawBlock",   "HorizontalRule",
    "Table"};

static void push_keys(lua_State *L) {
  luaL_checkstack(L, K_COUNT + LUA_MINSTACK, "the document is nested too deeply");
  for (int k = 0; k < K_LIST_MT; k++)
    lua_pushstring(L, key_names[k]);
  lua_rawgeti(L, LUA_REGISTRYINDEX, self(L)->list_mt);
  lua_rawgeti(L, LUA_REGISTRYINDEX, self(L)->element_mt);
  lua_rawgeti(L, LUA_REGISTRYINDEX, self(L)->types);
}

/* The table of type codes (type name → its K_ slot), made once per state. */
static int types_table(lua_State *L) {
  lua_createtable(L, 0, K_LIST_MT - K_STR);
  for (int k = K_STR; k < K_LIST_MT; k++) {
    lua_pushinteger(L, k);
    lua_setfield(L, -2, key_names[k]);
  }
  return luaL_ref(L, LUA_REGISTRYINDEX);
}

/* The code (K_STR … K_TABLE) of the element type named by the string at
 * idx, or -1 when it names none. */
static int type_code(lua_State *L, int idx) {
  lua_pushvalue(L, idx);
  int k = lua_rawget(L, KEY_SLOT(K_TYPES)) == LUA_TNUMBER ? (int)lua_tointeger(L, -1) : -1;
  lua_pop(L, 1);
  return k;
}

static bool is_inline_code(int k) {
  return k >= K_STR && k <= K_SPAN;
}

static bool is_block_code(int k) {
  return k >= K_PARA && k <= K_TABLE;
}

/* Gives the table on the top the shared List (or element) metatable. */
static void set_mt(lua_State *L, int k) {
  lua_pushvalue(L, KEY_SLOT(k));
  lua_setmetatable(L, -2);
}

static void new_list(lua_State *L, int n) {
  lua_createtable(L, n, 0);
  set_mt(L, K_LIST_MT);
}

/* t[key k] = the value on the top (raw), t just below it; pops the value. */
static void set_k(lua_State *L, int k) {
  lua_pushvalue(L, KEY_SLOT(k));
  lua_rotate(L, -2, 1);
  lua_rawset(L, -3);
}

/* t[key k] = the value on the top (raw), t two below it (under one more
 * value); pops the value. */
static void set_k_under(lua_State *L, int k) {
  lua_pushvalue(L, KEY_SLOT(k));
  lua_rotate(L, -2, 1);
  lua_rawset(L, -4);
}

/* t[key k] = v (a C string; "" for NULL). */
static void set_kstr(lua_State *L, int k, const char *v) {
  lua_pushstring(L, v ? v : "");
  set_k(L, k);
}

/* t[key k] = the name in slot v (a constant such as "html"). */
static void set_kname(lua_State *L, int k, int v) {
  lua_pushvalue(L, KEY_SLOT(v));
  set_k(L, k);
}

static void set_text(lua_State *L, const char *v) {
  set_kstr(L, K_TEXT, v);
}

/* Pushes t[key k] (raw) of the table at idx and returns its type. */
static int raw_k(lua_State *L, int idx, int k) {
  lua_pushvalue(L, KEY_SLOT(k));
  return lua_rawget(L, idx < 0 ? idx - 1 : idx);
}

/* `fields`: how many the element gets (t and tag included), so that filling
 * them in does not rehash the table. */
static void new_el_n(lua_State *L, int t, int fields) {
  lua_createtable(L, 0, fields);
  set_mt(L, K_ELEMENT_MT);
  lua_pushvalue(L, KEY_SLOT(K_T));
  lua_pushvalue(L, KEY_SLOT(t));
  lua_rawset(L, -3);
  lua_pushvalue(L, KEY_SLOT(K_TAG));
  lua_pushvalue(L, KEY_SLOT(t));
  lua_rawset(L, -3);
}

static void new_el(lua_State *L, int t) {
  new_el_n(L, t, 4);
}

static void push_attr(lua_State *L, const md_attrs *a) {
  lua_createtable(L, 0, 3);
  set_kstr(L, K_IDENTIFIER, a && a->id ? a->id : "");
  new_list(L, a ? (int)a->classes.n : 0);
  for (size_t i = 0; a && i < a->classes.n; i++) {
    lua_pushstring(L, a->classes.items[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  set_k(L, K_CLASSES);
  lua_createtable(L, 0, a ? (int)a->keys.n : 0);
  for (size_t i = 0; a && i < a->keys.n; i++) {
    lua_pushstring(L, a->vals.items[i]);
    lua_setfield(L, -2, a->keys.items[i]);
  }
  set_k(L, K_ATTRIBUTES);
  set_k(L, K_ATTR);
}

/* Every level of the conversions keeps a few values on the Lua stack, which
 * the C API guarantees only 20 slots of: grow it as the tree deepens. */
static void check_depth(lua_State *L, int depth) {
  if (depth > MAX_DEPTH && self(L)->converting)
    luaL_error(L, "the document is nested more than %d levels deep", MAX_DEPTH);
  if (depth > MAX_DEPTH) /* rebuilding: the filter's doing (no filter on the stack) */
    luaL_error(L,
               "%sa filter left elements nested more than %d levels deep (a table that "
               "contains itself?)",
               self(L)->last_where, MAX_DEPTH);
  luaL_checkstack(L, 16, "the document is nested too deeply");
}

static void push_inline(lua_State *L, cmark_node *n, int depth) {
  switch (md_type_of(n)) {
  case MD_TEXT:
    new_el(L, K_STR);
    set_text(L, cmark_node_get_literal(n));
    return;
  case MD_CODE:
    new_el(L, K_CODE);
    set_text(L, cmark_node_get_literal(n));
    return;
  case MD_HTML_INLINE:
    new_el(L, K_RAWINLINE);
    set_kname(L, K_FORMAT, K_HTML);
    set_text(L, cmark_node_get_literal(n));
    return;
  case MD_SOFTBREAK: new_el(L, K_SOFTBREAK); return;
  case MD_LINEBREAK: new_el(L, K_LINEBREAK); return;
  case MD_EMPH:
  case MD_STRONG:
  case MD_STRIKETHROUGH:
    new_el(L, md_type_of(n) == MD_EMPH     ? K_EMPH
              : md_type_of(n) == MD_STRONG ? K_STRONG
                                           : K_STRIKEOUT);
    break;
  case MD_LINK:
    new_el_n(L, K_LINK, 6);
    set_kstr(L, K_TARGET, cmark_node_get_url(n));
    set_kstr(L, K_TITLE, cmark_node_get_title(n));
    push_attr(L, md_attrs_of(n));
    break;
  case MD_SPAN:               /* pandoc's Span: content and attr */
    lua_createtable(L, 0, 4); /* no metatable, as before */
    set_kname(L, K_T, K_SPAN);
    set_kname(L, K_TAG, K_SPAN);
    push_attr(L, md_attrs_of(n));
    break;
  case MD_IMAGE:
    new_el_n(L, K_IMAGE, 5);
    set_kstr(L, K_SRC, cmark_node_get_url(n));
    set_kstr(L, K_TITLE, cmark_node_get_title(n));
    break;
  default: /* footnote references and the like: their text */
    new_el(L, K_STR);
    {
      sbuf t = {0};
      md_text_content(n, &t);
      set_text(L, sbuf_str(&t));
      sbuf_free(&t);
    }
    return;
  }
  push_inlines(L, n, depth + 1);
  set_k(L, K_CONTENT);
}

/* Lists are created at their final size: growing them one element at a
 * time rehashes them again and again. */
static int count_children(cmark_node *parent) {
  int n = 0;
  for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c))
    n++;
  return n;
}

static void push_inlines(lua_State *L, cmark_node *parent, int depth) {
  check_depth(L, depth);
  new_list(L, count_children(parent));
  int i = 1;
  for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c)) {
    push_inline(L, c, depth);
    lua_rawseti(L, -2, i++);
  }
}

static void push_list(lua_State *L, cmark_node *n, int depth) {
  bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
  new_el_n(L, ordered ? K_ORDEREDLIST : K_BULLETLIST, 6);
  if (ordered) {
    lua_pushinteger(L, cmark_node_get_list_start(n));
    set_k(L, K_START);
  }
  lua_pushboolean(L, cmark_node_get_list_tight(n));
  set_k(L, K_TIGHT);
  new_list(L, count_children(n)); /* items */
  lua_newtable(L);                /* checked: true/false for task items */
  int i = 1;
  for (cmark_node *item = cmark_node_first_child(n); item; item = cmark_node_next(item), i++) {
    if (md_item_is_task(item)) {
      lua_pushboolean(L, md_item_checked(item));
      lua_rawseti(L, -2, i);
    }
    push_blocks(L, item, depth + 1);
    lua_rawseti(L, -3, i);
  }
  set_k_under(L, K_CHECKED);
  set_k(L, K_CONTENT);
}

static void push_table(lua_State *L, cmark_node *n, int depth) {
  new_el_n(L, K_TABLE, 5);
  int cols = md_table_columns(n);
  lua_createtable(L, cols, 0);
  for (int c = 0; c < cols; c++) {
    char a = md_table_align(n, c);
    lua_pushstring(L, a == 'l'   ? "AlignLeft"
                      : a == 'c' ? "AlignCenter"
                      : a == 'r' ? "AlignRight"
                                 : "AlignDefault");
    lua_rawseti(L, -2, c + 1);
  }
  set_k(L, K_ALIGNS);
  lua_newtable(L); /* head */
  lua_newtable(L); /* body */
  int h = 1, b = 1;
  for (cmark_node *row = cmark_node_first_child(n); row; row = cmark_node_next(row)) {
    bool header = md_row_is_header(row);
    lua_createtable(L, count_children(row), 0);
    int i = 1;
    for (cmark_node *cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell)) {
      push_inlines(L, cell, depth + 1);
      lua_rawseti(L, -2, i++);
    }
    lua_rawseti(L, header ? -3 : -2, header ? h++ : b++);
  }
  set_k_under(L, K_BODY);
  set_k(L, K_HEAD);
}

static void push_block(lua_State *L, cmark_node *n, int depth) {
  switch (md_type_of(n)) {
  case MD_PARAGRAPH:
    new_el(L, K_PARA);
    push_inlines(L, n, depth + 1);
    set_k(L, K_CONTENT);
    return;
  case MD_HEADING:
    new_el_n(L, K_HEADER, 5);
    lua_pushinteger(L, cmark_node_get_heading_level(n));
    set_k(L, K_LEVEL);
    push_attr(L, md_attrs_of(n));
    push_inlines(L, n, depth + 1);
    set_k(L, K_CONTENT);
    return;
  case MD_BLOCK_QUOTE:
  case MD_DIV:
    new_el_n(L, md_type_of(n) == MD_DIV ? K_DIV : K_BLOCKQUOTE, 4);
    if (md_type_of(n) == MD_DIV)
      push_attr(L, md_attrs_of(n));
    push_blocks(L, n, depth + 1);
    set_k(L, K_CONTENT);
    return;
  case MD_LIST: push_list(L, n, depth); return;
  case MD_CODE_BLOCK: {
    new_el(L, K_CODEBLOCK);
    set_text(L, cmark_node_get_literal(n));
    md_attrs tmp = {0};
    const char *info = cmark_node_get_fence_info(n);
    char *lang = info && *info ? xstrndup(info, strcspn(info, " \t")) : NULL;
    if (lang)
      vec_push(&tmp.classes, lang);
    push_attr(L, &tmp);
    free(lang);
    vec_free(&tmp.classes);
    return;
  }
  case MD_HTML_BLOCK:
    new_el(L, K_RAWBLOCK);
    set_kname(L, K_FORMAT, K_HTML);
    set_text(L, cmark_node_get_literal(n));
    return;
  case MD_THEMATIC_BREAK: new_el(L, K_HORIZONTALRULE); return;
  case MD_TABLE: push_table(L, n, depth); return;
  default:
    new_el(L, K_RAWBLOCK);
    set_kstr(L, K_FORMAT, "unknown");
    set_text(L, "");
    return;
  }
}

static void push_blocks(lua_State *L, cmark_node *parent, int depth) {
  check_depth(L, depth);
  new_list(L, count_children(parent));
  int i = 1;
  for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c)) {
    push_block(L, c, depth);
    lua_rawseti(L, -2, i++);
  }
}

static void push_value(lua_State *L, const vk_value *v, int depth) {
  if (!v || depth > 64) {
    lua_pushnil(L);
    return;
  }
  switch (v->type) {
  case VK_NULL: lua_pushnil(L); break;
  case VK_BOOL: lua_pushboolean(L, v->u.b); break;
  case VK_INT: lua_pushinteger(L, (lua_Integer)v->u.i); break;
  case VK_STRING: lua_pushlstring(L, v->u.str.s, v->u.str.len); break;
  case VK_LIST:
    lua_createtable(L, (int)v->u.list.n, 0);
    for (size_t i = 0; i < v->u.list.n; i++) {
      push_value(L, v->u.list.items[i], depth + 1);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    break;
  case VK_MAP:
    lua_createtable(L, 0, (int)v->u.map.n);
    for (size_t i = 0; i < v->u.map.n; i++) {
      push_value(L, v->u.map.vals[i], depth + 1);
      lua_setfield(L, -2, v->u.map.keys[i]);
    }
    break;
  }
}

/* ---- what a filter leaves: text fit for every writer ------------------- */

/* Invariant: every string that reaches the writers from a filtered tree is
 * UTF-8 without the characters XML 1.0 forbids. The rebuild (Lua → cmark,
 * below) checks each string where it reads it — one look at each string the
 * writers get, and only at those. When it finds a fault (only a broken or
 * hostile filter leaves one), filters_run_part runs the chain on the
 * document again, from its original tree, in diagnose mode: there what
 * every function returns (or, returning nil, the element it got and may
 * have changed in place) is checked as well — the whole tree before and
 * after each Doc and Meta function —, so the error names the function that
 * left the fault. */

/* Does s hold only text fit for the writers? One pass, as utf8_valid and
 * text_fault decide together. */
static bool text_fit(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    if (c >= 0x20 && c < 0x80) {
      i++;
      continue;
    }
    if (c < 0x20) {
      if (c != '\t' && c != '\n' && c != '\r')
        return false;
      i++;
      continue;
    }
    size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > n)
      return false;
    unsigned cp = c & (0x7Fu >> len);
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xC0) != 0x80)
        return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF || cp == 0xFFFE || cp == 0xFFFF)
      return false;
    i += len;
  }
  return true;
}

/* Why s cannot go into a document, or NULL: it must be UTF-8 without the
 * characters XML 1.0 forbids (C0 controls but tab, newline and carriage
 * return — NUL included —, U+FFFE and U+FFFF). *at: the byte's offset. */
static const char *text_fault(const char *s, size_t n, size_t *at) {
  if (!utf8_valid(s, n, at))
    return "is not valid UTF-8";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    *at = i;
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
      return "holds a control character that XML forbids";
    if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
        ((unsigned char)s[i + 2] & 0xFE) == 0xBE)
      return "holds U+FFFE or U+FFFF, which XML forbids";
  }
  return NULL;
}

/* A text fault found in what a filter left: written into `msg`. */
typedef struct {
  char msg[512];
} text_fault_msg;

/* Checks the value at idx (the field `what` of an element of type t); on a
 * fault describes it in *m and returns false. Values of other types are
 * skipped (the rebuild ignores them). */
static bool text_ok(lua_State *L, int idx, const char *t, const char *what, text_fault_msg *m) {
  if (lua_type(L, idx) != LUA_TSTRING)
    return true;
  size_t n, at;
  const char *s = lua_tolstring(L, idx, &n);
  if (text_fit(s, n))
    return true;
  const char *why = text_fault(s, n, &at);
  if (!why)
    return true; /* not reached: text_fit and text_fault agree */
  snprintf(m->msg, sizeof m->msg,
           "left a %s whose %s %s (byte %zu: 0x%02x) — filters must give UTF-8 text "
           "(utf8.char(…), not \\xNN bytes) without control characters",
           t, what, why, at + 1, (unsigned)(unsigned char)s[at]);
  return false;
}

/* ---- diagnose mode: the checks of what each function left -------------- */

static bool field_text_ok(lua_State *L, int idx, const char *t, int key, text_fault_msg *m) {
  raw_k(L, idx, key);
  bool ok = text_ok(L, -1, t, key_names[key], m);
  lua_pop(L, 1);
  return ok;
}

/* The strings of the element's attr that read_attr reads. */
static bool attr_text_ok(lua_State *L, int el, const char *t, text_fault_msg *m) {
  int top = lua_gettop(L);
  bool ok = true;
  if (raw_k(L, el, K_ATTR) == LUA_TTABLE) {
    int a = lua_gettop(L);
    ok = field_text_ok(L, a, t, K_IDENTIFIER, m);
    if (ok && raw_k(L, a, K_CLASSES) == LUA_TTABLE) {
      lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
      for (lua_Integer i = 1; ok && i <= n; i++) {
        lua_rawgeti(L, -1, i);
        ok = text_ok(L, -1, t, "class", m);
        lua_pop(L, 1);
      }
    }
    lua_settop(L, a);
    if (ok && raw_k(L, a, K_ATTRIBUTES) == LUA_TTABLE) {
      lua_pushnil(L);
      while (ok && lua_next(L, -2)) {
        if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING)
          ok = text_ok(L, -1, t, "attribute value", m) && text_ok(L, -2, t, "attribute name", m);
        lua_pop(L, 1);
      }
    }
  }
  lua_settop(L, top);
  return ok;
}

/* The element's own strings that the rebuild reads (not its children's):
 * the same fields, by type, as new_inline, build_block and new_leaf_block. */
static bool fields_text_ok(lua_State *L, int idx, int code, const char *t, text_fault_msg *m) {
  switch (code) {
  case K_STR:
  case K_CODE:
  case K_RAWINLINE:
  case K_RAWBLOCK: return field_text_ok(L, idx, t, K_TEXT, m);
  case K_CODEBLOCK: return field_text_ok(L, idx, t, K_TEXT, m) && attr_text_ok(L, idx, t, m);
  case K_LINK:
    return field_text_ok(L, idx, t, K_TARGET, m) && field_text_ok(L, idx, t, K_TITLE, m) &&
           attr_text_ok(L, idx, t, m);
  case K_IMAGE: return field_text_ok(L, idx, t, K_SRC, m) && field_text_ok(L, idx, t, K_TITLE, m);
  case K_SPAN:
  case K_HEADER:
  case K_DIV: return attr_text_ok(L, idx, t, m);
  default: return true;
  }
}

/* Checks every string the rebuild reads from the element or list at idx and
 * below (raw access, as the rebuild reads). On a fault describes it in *m
 * and returns false. Deeper than the rebuild goes is left to its own error. */
static bool tree_text_ok(lua_State *L, int idx, int depth, text_fault_msg *m) {
  if (!lua_istable(L, idx) || depth > 3 * MAX_DEPTH)
    return true;
  luaL_checkstack(L, 8, "the document is nested too deeply");
  int top = lua_gettop(L);
  bool ok = true;
  if (raw_k(L, idx, K_T) != LUA_TSTRING) { /* a list (of elements, items, rows or cells) */
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    for (lua_Integer i = 1; ok && i <= n; i++) {
      lua_rawgeti(L, idx, i);
      ok = tree_text_ok(L, lua_gettop(L), depth + 1, m);
      lua_pop(L, 1);
    }
    lua_settop(L, top);
    return ok;
  }
  ok = fields_text_ok(L, idx, type_code(L, -1), lua_tostring(L, -1), m);
  static const int lists[] = {K_CONTENT, K_HEAD, K_BODY};
  for (size_t i = 0; ok && i < sizeof lists / sizeof *lists; i++) {
    raw_k(L, idx, lists[i]);
    ok = tree_text_ok(L, lua_gettop(L), depth + 1, m);
    lua_pop(L, 1);
  }
  lua_settop(L, top);
  return ok;
}

/* ---- Lua → cmark ------------------------------------------------------- */

/* Reads the tables a filter left with raw access only: a metamethod could
 * run Lua code (or return a string nothing else holds) half-way through
 * building. Every node is attached to its parent before its children are
 * built, and every string a node gets is read (and checked) before the
 * node is made, so an error (luaL_error jumps out) leaves nothing unowned. */

/* Raises the rebuild's error for text unfit for the writers (m). The filter
 * is no longer on the stack: the last position the count hook saw names it,
 * if any — filters_run_part then diagnoses which function left it. */
static int rebuild_fault(lua_State *L, const text_fault_msg *m) {
  vk_filters *f = self(L);
  f->text_fault = true;
  return luaL_error(L, "%sa filter %s", f->last_where, m->msg);
}

/* The value at idx if it is a string (else NULL); a string unfit for the
 * writers is recorded in *m (the first one) and *bad set. */
static const char *fit_str(lua_State *L, int idx, const char *t, const char *what,
                           text_fault_msg *m, bool *bad) {
  if (lua_type(L, idx) != LUA_TSTRING)
    return NULL;
  if (!*bad && !text_ok(L, idx, t, what, m))
    *bad = true;
  return lua_tostring(L, idx);
}

/* t[key k] (raw) of the element at idx (type t) if it is a string, checked
 * for the writers; NULL when it is not a string. The string stays alive:
 * the table references it. */
static const char *text_k(lua_State *L, int idx, int k, const char *t) {
  raw_k(L, idx, k);
  text_fault_msg m;
  bool bad = false;
  const char *s = fit_str(L, -1, t, key_names[k], &m, &bad);
  if (bad)
    rebuild_fault(L, &m);
  lua_pop(L, 1);
  return s;
}

/* Sorts the strings of v (insertion sort: attributes are few). */
static void sort_strings(vec *v) {
  for (size_t i = 1; i < v->n; i++)
    for (size_t j = i; j > 0 && strcmp(v->items[j - 1], v->items[j]) > 0; j--) {
      void *t = v->items[j];
      v->items[j] = v->items[j - 1];
      v->items[j - 1] = t;
    }
}

/* The attr of the element at idx (type t), its strings checked; NULL when
 * it has none or it is empty. */
static md_attrs *read_attr(lua_State *L, int idx, const char *t) {
  if (raw_k(L, idx, K_ATTR) != LUA_TTABLE) {
    lua_pop(L, 1);
    return NULL;
  }
  int a = lua_gettop(L);
  text_fault_msg fm;
  bool bad = false;
  md_attrs *m = md_attrs_new();
  raw_k(L, a, K_IDENTIFIER);
  const char *id = fit_str(L, -1, t, key_names[K_IDENTIFIER], &fm, &bad);
  if (id && *id)
    m->id = xstrdup(id);
  lua_pop(L, 1);
  if (raw_k(L, a, K_CLASSES) == LUA_TTABLE) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, -1, i);
      const char *c = fit_str(L, -1, t, "class", &fm, &bad);
      if (c)
        vec_push(&m->classes, xstrdup(c));
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  if (raw_k(L, a, K_ATTRIBUTES) == LUA_TTABLE) {
    /* Sorted keys: pairs() order is not stable, output must be. */
    vec keys = {0};
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING) {
        fit_str(L, -1, t, "attribute value", &fm, &bad);
        vec_push(&keys, xstrdup(fit_str(L, -2, t, "attribute name", &fm, &bad)));
      }
      lua_pop(L, 1);
    }
    sort_strings(&keys);
    for (size_t i = 0; i < keys.n; i++) {
      vec_push(&m->keys, keys.items[i]);
      lua_pushstring(L, keys.items[i]);
      lua_rawget(L, -2);
      vec_push(&m->vals, xstrdup(lua_tostring(L, -1)));
      lua_pop(L, 1);
    }
    vec_free(&keys);
  }
  lua_pop(L, 2);
  if (bad || (!m->id && !m->classes.n && !m->keys.n)) {
    md_attrs_free(m);
    if (bad)
      rebuild_fault(L, &fm);
    return NULL;
  }
  return m;
}

static void build_blocks(lua_State *L, int idx, cmark_node *parent, int depth);
static void build_block(lua_State *L, int idx, cmark_node *parent, int depth);
static void build_inlines(lua_State *L, int idx, cmark_node *parent, int depth);

static cmark_node *literal_node(cmark_node_type t, const char *text) {
  cmark_node *n = cmark_node_new(t);
  cmark_node_set_literal(n, text ? text : "");
  return n;
}

/* Appends n to parent; cmark refuses a child the parent cannot hold, and
 * then n is freed and the filter gets an error. */
static void attach(lua_State *L, cmark_node *parent, cmark_node *n) {
  if (cmark_node_append_child(parent, n))
    return;
  const char *what = cmark_node_get_type_string(n), *where = cmark_node_get_type_string(parent);
  lua_pushfstring(L, "a filter put a %s inside a %s, which cannot hold it", what, where);
  cmark_node_free(n);
  lua_error(L);
}

/* The element type of the table at idx, and its code in *code (-1: no
 * element type); an error when it has no string t. */
static const char *element_type(lua_State *L, int idx, const char *where, int *code) {
  if (raw_k(L, idx, K_T) != LUA_TSTRING)
    luaL_error(L,
               "a filter left a table without a field t in a list of %s — lists hold only "
               "elements (vaksam.Str, vaksam.Para, …)",
               where);
  *code = type_code(L, -1);
  const char *t = lua_tostring(L, -1);
  lua_pop(L, 1); /* the string stays alive: the table references it (raw access) */
  return t;
}

static cmark_node *new_link(lua_State *L, int idx, int code, const char *t) {
  bool link = code == K_LINK;
  const char *url = text_k(L, idx, link ? K_TARGET : K_SRC, t);
  const char *title = text_k(L, idx, K_TITLE, t);
  md_attrs *a = link ? read_attr(L, idx, t) : NULL;
  cmark_node *n = cmark_node_new(link ? CMARK_NODE_LINK : CMARK_NODE_IMAGE);
  cmark_node_set_url(n, url ? url : "");
  cmark_node_set_title(n, title ? title : "");
  if (link)
    md_set_attrs(n, a);
  return n;
}

static cmark_node *new_inline(lua_State *L, int idx, int code, const char *t) {
  switch (code) {
  case K_STR: return literal_node(CMARK_NODE_TEXT, text_k(L, idx, K_TEXT, t));
  case K_SPACE: return literal_node(CMARK_NODE_TEXT, " ");
  case K_CODE: return literal_node(CMARK_NODE_CODE, text_k(L, idx, K_TEXT, t));
  case K_RAWINLINE: return literal_node(CMARK_NODE_HTML_INLINE, text_k(L, idx, K_TEXT, t));
  case K_SOFTBREAK: return cmark_node_new(CMARK_NODE_SOFTBREAK);
  case K_LINEBREAK: return cmark_node_new(CMARK_NODE_LINEBREAK);
  case K_EMPH: return cmark_node_new(CMARK_NODE_EMPH);
  case K_STRONG: return cmark_node_new(CMARK_NODE_STRONG);
  case K_STRIKEOUT: return md_new_strikethrough();
  case K_SPAN: return md_new_span(read_attr(L, idx, t));
  default: return new_link(L, idx, code, t);
  }
}

static void build_inline(lua_State *L, int idx, cmark_node *parent, int depth) {
  int code;
  const char *t = element_type(L, idx, "inlines", &code);
  if (!is_inline_code(code))
    luaL_error(L,
               "a filter left a '%s' where an inline element belongs (in a Para, Header, "
               "Emph, Link, …) — use an inline such as vaksam.Str or vaksam.Emph",
               t);
  cmark_node *n = new_inline(L, idx, code, t);
  attach(L, parent, n);
  if (code == K_STR || code == K_SPACE || code == K_CODE || code == K_RAWINLINE)
    return;
  if (raw_k(L, idx, K_CONTENT) == LUA_TTABLE)
    build_inlines(L, lua_gettop(L), n, depth + 1);
  lua_pop(L, 1);
}

/* Calls `one` for every entry of the list at idx; entries must be tables. */
static void build_each(lua_State *L, int idx, cmark_node *parent, int depth, bool blocks) {
  check_depth(L, depth);
  lua_Integer len = (lua_Integer)lua_rawlen(L, idx);
  for (lua_Integer i = 1; i <= len; i++) {
    if (lua_rawgeti(L, idx, i) != LUA_TTABLE)
      luaL_error(L, "a filter left a %s in a list of %s — lists hold only elements",
                 luaL_typename(L, -1), blocks ? "blocks" : "inlines");
    if (blocks)
      build_block(L, lua_gettop(L), parent, depth);
    else
      build_inline(L, lua_gettop(L), parent, depth);
    lua_pop(L, 1);
  }
}

static void build_inlines(lua_State *L, int idx, cmark_node *parent, int depth) {
  build_each(L, idx, parent, depth, false);
}

static void build_list(lua_State *L, int idx, cmark_node *parent, bool ordered, int depth) {
  cmark_node *list = cmark_node_new(CMARK_NODE_LIST);
  attach(L, parent, list);
  cmark_node_set_list_type(list, ordered ? CMARK_ORDERED_LIST : CMARK_BULLET_LIST);
  if (ordered) {
    raw_k(L, idx, K_START);
    lua_Integer start = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 1;
    lua_pop(L, 1);
    cmark_node_set_list_start(list, start < 0 ? 0 : start > 999999999 ? 999999999 : (int)start);
    cmark_node_set_list_delim(list, CMARK_PERIOD_DELIM);
  }
  raw_k(L, idx, K_TIGHT);
  cmark_node_set_list_tight(list, lua_isnil(L, -1) || lua_toboolean(L, -1));
  lua_pop(L, 1);
  raw_k(L, idx, K_CHECKED);
  int checked = lua_gettop(L);
  raw_k(L, idx, K_CONTENT);
  int items = lua_gettop(L);
  if (lua_istable(L, items)) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, items);
    for (lua_Integer i = 1; i <= n; i++) {
      cmark_node *item = NULL;
      if (lua_istable(L, checked)) {
        if (lua_rawgeti(L, checked, i) == LUA_TBOOLEAN)
          item = md_new_task_item(lua_toboolean(L, -1));
        lua_pop(L, 1);
      }
      if (!item)
        item = cmark_node_new(CMARK_NODE_ITEM);
      attach(L, list, item);
      if (lua_rawgeti(L, items, i) != LUA_TTABLE)
        luaL_error(L, "a list item must be a list of blocks, not a %s", luaL_typename(L, -1));
      build_blocks(L, lua_gettop(L), item, depth + 1);
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 2);
}

static void build_rows(lua_State *L, int idx, int key, bool header, cmark_node *table, int cols,
                       int depth) {
  if (raw_k(L, idx, key) == LUA_TTABLE) {
    int rows = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, rows);
    for (lua_Integer r = 1; r <= n; r++) {
      lua_rawgeti(L, rows, r);
      cmark_node *row = md_new_table_row(header);
      attach(L, table, row);
      for (int c = 1; c <= cols; c++) { /* every row has exactly `cols` cells */
        cmark_node *cell = md_new_table_cell();
        attach(L, row, cell);
        if (lua_istable(L, -1)) {
          if (lua_rawgeti(L, -1, c) == LUA_TTABLE)
            build_inlines(L, lua_gettop(L), cell, depth + 1);
          lua_pop(L, 1);
        }
      }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
}

static void build_table(lua_State *L, int idx, cmark_node *parent, int depth) {
  raw_k(L, idx, K_ALIGNS);
  int cols = lua_istable(L, -1) && lua_rawlen(L, -1) <= 1000 ? (int)lua_rawlen(L, -1) : 0;
  if (cols < 1)
    luaL_error(L, "a Table needs `aligns` with one entry per column (at most 1000)");
  char align[1001] = {0};
  for (int c = 0; c < cols; c++) {
    const char *a = lua_rawgeti(L, -1, c + 1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    align[c] = !a                              ? 0
               : strcmp(a, "AlignLeft") == 0   ? 'l'
               : strcmp(a, "AlignCenter") == 0 ? 'c'
               : strcmp(a, "AlignRight") == 0  ? 'r'
                                               : 0;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  cmark_node *table = md_new_table(cols, align);
  attach(L, parent, table);
  build_rows(L, idx, K_HEAD, true, table, cols, depth);
  build_rows(L, idx, K_BODY, false, table, cols, depth);
}

/* Block elements without block children; NULL for the others. */
static cmark_node *new_leaf_block(lua_State *L, int idx, int code, const char *t) {
  if (code == K_CODEBLOCK) {
    const char *text = text_k(L, idx, K_TEXT, t);
    md_attrs *a = read_attr(L, idx, t);
    cmark_node *n = literal_node(CMARK_NODE_CODE_BLOCK, text);
    cmark_node_set_fenced(n, 1, 3, 0, '`');
    cmark_node_set_fence_info(n, a && a->classes.n ? a->classes.items[0] : "");
    md_attrs_free(a);
    return n;
  }
  if (code == K_RAWBLOCK)
    return literal_node(CMARK_NODE_HTML_BLOCK, text_k(L, idx, K_TEXT, t));
  if (code == K_HORIZONTALRULE)
    return cmark_node_new(CMARK_NODE_THEMATIC_BREAK);
  return NULL;
}

static cmark_node *new_heading(lua_State *L, int idx, const char *t) {
  raw_k(L, idx, K_LEVEL);
  lua_Integer level = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 1;
  lua_pop(L, 1);
  md_attrs *a = read_attr(L, idx, t);
  cmark_node *n = cmark_node_new(CMARK_NODE_HEADING);
  cmark_node_set_heading_level(n, level < 1 ? 1 : level > 6 ? 6 : (int)level);
  md_set_attrs(n, a);
  return n;
}

static void build_block(lua_State *L, int idx, cmark_node *parent, int depth) {
  int code;
  const char *t = element_type(L, idx, "blocks", &code);
  cmark_node *n;
  bool blocks = false;
  switch (code) {
  case K_PARA:
  case K_PLAIN: n = cmark_node_new(CMARK_NODE_PARAGRAPH); break;
  case K_HEADER: n = new_heading(L, idx, t); break;
  case K_DIV:
    n = md_new_div(read_attr(L, idx, t));
    blocks = true;
    break;
  case K_BLOCKQUOTE:
    n = cmark_node_new(CMARK_NODE_BLOCK_QUOTE);
    blocks = true;
    break;
  case K_BULLETLIST:
  case K_ORDEREDLIST: build_list(L, idx, parent, code == K_ORDEREDLIST, depth); return;
  case K_TABLE: build_table(L, idx, parent, depth); return;
  default:
    if ((n = new_leaf_block(L, idx, code, t))) {
      attach(L, parent, n);
      return;
    }
    luaL_error(L,
               "a filter left a '%s' where a block element belongs (in the document, a Div, "
               "BlockQuote or list item) — wrap inlines in vaksam.Para{…}",
               t);
    return;
  }
  attach(L, parent, n);
  if (raw_k(L, idx, K_CONTENT) == LUA_TTABLE)
    build_each(L, lua_gettop(L), n, depth + 1, blocks);
  lua_pop(L, 1);
}

static void build_blocks(lua_State *L, int idx, cmark_node *parent, int depth) {
  build_each(L, idx, parent, depth, true);
}

/* ---- the walk --------------------------------------------------------- */

/* Bottom-up, pandoc's return rules: for each element its children first,
 * then the filter's function for its type (nil keeps, an element replaces,
 * a list splices, an empty list deletes), then Blocks/Inlines for the list.
 * Done in C: a walk in Lua ran every instruction through the count hook. */

typedef struct {
  int filter;    /* stack index of the filter table */
  uint64_t has;  /* bit k: the filter has a function for code k (K_BLOCKS, K_STR …) */
  bool inlines;  /* the filter has inline functions: walk into inlines */
  bool topdown;  /* traverse = "topdown": parents first, (x, false) skips x's children */
  bool diagnose; /* check what each function returns (see "what a filter leaves") */
} walk_ctx;

/* Raises "file:line: the T function MSG" with the line where fn is defined
 * (it has returned: it is no longer on the stack). x is the element it got. */
static int walk_bad(lua_State *L, int fn, int x, const char *msg) {
  lua_Debug ar;
  bool where = false;
  if (lua_isfunction(L, fn)) {
    lua_pushvalue(L, fn);
    where = lua_getinfo(L, ">S", &ar) && ar.source[0] == '@' && ar.linedefined > 0;
  }
  if (where)
    lua_pushfstring(L, "%s:%d: ", ar.source + 1, ar.linedefined);
  else
    lua_pushliteral(L, "");
  if (lua_getfield(L, x, "t") == LUA_TNIL || !lua_isstring(L, -1))
    return luaL_error(L, "attempt to concatenate a %s value (field 't')", luaL_typename(L, -1));
  lua_pushfstring(L, "the %s function %s", lua_tostring(L, -1), msg);
  lua_remove(L, -2);
  lua_concat(L, 2);
  return lua_error(L);
}

/* Raises "file:line: the NAME function MSG" (fn: the function, not running). */
static int fn_bad(lua_State *L, int fn, const char *name, const char *msg) {
  lua_Debug ar;
  lua_pushvalue(L, fn);
  if (lua_isfunction(L, -1) && lua_getinfo(L, ">S", &ar) && ar.source[0] == '@' &&
      ar.linedefined > 0)
    return luaL_error(L, "%s:%d: the %s function %s", ar.source + 1, ar.linedefined, name, msg);
  return luaL_error(L, "the %s function %s", name, msg);
}

/* Diagnose mode: what the function at fn returned (at r, or — nil — what it
 * got, at x, and may have changed in place) must hold only text fit for the
 * writers. */
static void returned_text_check(lua_State *L, bool diagnose, int fn, const char *name, int x,
                                int r) {
  text_fault_msg m;
  if (diagnose && !tree_text_ok(L, lua_isnil(L, r) ? x : r, 0, &m)) {
    self(L)->fn_fault = true;
    fn_bad(L, fn, name, m.msg);
  }
}

static int not_element(lua_State *L, int x, const char *what) {
  return luaL_error(L, "a filter left a %s in a list of %s — lists hold only elements",
                    luaL_typename(L, x), what);
}

/* An element y returned for x must be of x's kind (block: x is a block). */
static void walk_check(lua_State *L, int fn, int x, int y, bool block) {
  if (!lua_istable(L, y)) {
    lua_pushfstring(L,
                    "returned a list holding a %s — return nil, an element or a list of "
                    "elements",
                    luaL_typename(L, y));
    walk_bad(L, fn, x, lua_tostring(L, -1));
  }
  if (raw_k(L, y, K_T) != LUA_TSTRING)
    walk_bad(L, fn, x,
             "returned a table that is not an element (no field t) — build elements with "
             "vaksam.Str, vaksam.Para, …");
  const char *t = lua_tostring(L, -1);
  int code = type_code(L, -1);
  if (block && !is_block_code(code)) {
    lua_pushfstring(L, "returned a %s where a block belongs — wrap inlines in vaksam.Para{…}", t);
    walk_bad(L, fn, x, lua_tostring(L, -1));
  } else if (!block && !is_inline_code(code)) {
    lua_pushfstring(L,
                    "returned a %s where an inline belongs — return inlines such as vaksam.Str "
                    "or vaksam.Emph",
                    t);
    walk_bad(L, fn, x, lua_tostring(L, -1));
  }
  int c = raw_k(L, y, K_CONTENT);
  if (c != LUA_TNIL && c != LUA_TTABLE) {
    lua_pushfstring(L, "returned a %s whose content is a %s, not a list of elements", t,
                    lua_typename(L, c));
    walk_bad(L, fn, x, lua_tostring(L, -1));
  }
  lua_pop(L, 2);
}

/* Appends what fn returned for x (r, not nil) to out, which holds *n. */
static void walk_splice(lua_State *L, int out, lua_Integer *n, int fn, int x, int r) {
  if (!lua_istable(L, r)) {
    lua_pushfstring(L, "must return nil, an element or a list of elements, not a %s",
                    luaL_typename(L, r));
    walk_bad(L, fn, x, lua_tostring(L, -1));
  }
  raw_k(L, x, K_T); /* x's kind (x has a string t), once for all that replaces it */
  bool block = is_block_code(type_code(L, -1));
  lua_pop(L, 1);
  lua_pushvalue(L, KEY_SLOT(K_T));
  if (lua_gettable(L, r) != LUA_TNIL) { /* r.t, as a filter would read it */
    lua_pop(L, 1);
    walk_check(L, fn, x, r, block);
    lua_pushvalue(L, r);
    lua_rawseti(L, out, ++*n);
    return;
  }
  lua_pop(L, 1);
  for (lua_Integer i = 1; lua_geti(L, r, i) != LUA_TNIL; i++) {
    walk_check(L, fn, x, lua_gettop(L), block);
    lua_rawseti(L, out, ++*n);
  }
  lua_pop(L, 1);
}

static void walk_any(lua_State *L, const walk_ctx *w, int list, int d, bool blocks);

/* The walk reads lists raw (no metamethods): what it reads must be a table. */
static void not_a_list(lua_State *L, int idx) {
  if (!lua_istable(L, idx))
    luaL_error(L, "attempt to index a %s value (a filter left it where a list belongs)",
               luaL_typename(L, idx));
}

/* t.content = walk(t.content) */
static void walk_content(lua_State *L, const walk_ctx *w, int t, int d, bool blocks) {
  lua_pushvalue(L, KEY_SLOT(K_CONTENT));
  lua_gettable(L, t);
  walk_any(L, w, lua_gettop(L), d, blocks);
  lua_pushvalue(L, KEY_SLOT(K_CONTENT));
  lua_insert(L, -2);
  lua_settable(L, t);
  lua_pop(L, 1);
}

/* for i, v in ipairs(t) do t[i] = walk(v) end */
static void walk_each(lua_State *L, const walk_ctx *w, int t, int d, bool blocks) {
  not_a_list(L, t);
  for (lua_Integer i = 1; lua_rawgeti(L, t, i) != LUA_TNIL; i++) {
    walk_any(L, w, lua_gettop(L), d, blocks);
    lua_seti(L, t, i);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

static void walk_table(lua_State *L, const walk_ctx *w, int x, int d) {
  static const int parts[] = {K_HEAD, K_BODY};
  for (int p = 0; p < 2; p++) {
    lua_pushvalue(L, KEY_SLOT(parts[p]));
    lua_gettable(L, x);
    if (!lua_toboolean(L, -1)) { /* x.head or {} */
      lua_pop(L, 1);
      continue;
    }
    int rows = lua_gettop(L);
    for (lua_Integer r = 1; lua_geti(L, rows, r) != LUA_TNIL; r++)
      walk_each(L, w, lua_gettop(L), d, false);
    lua_pop(L, 2);
  }
}

/* The children of the element at x (of type code k). d: nesting depth; a
 * table that contains itself must not recurse for ever. */
static void walk_children(lua_State *L, const walk_ctx *w, int x, int k, int d) {
  if (d > MAX_DEPTH)
    luaL_error(L,
               "a filter left elements nested more than %d levels deep (a table that "
               "contains itself?)",
               MAX_DEPTH);
  d++;
  if (k == K_BULLETLIST || k == K_ORDEREDLIST) {
    lua_pushvalue(L, KEY_SLOT(K_CONTENT));
    lua_gettable(L, x);
    walk_each(L, w, lua_gettop(L), d, true);
  } else if (k == K_BLOCKQUOTE || k == K_DIV) {
    walk_content(L, w, x, d, true);
  } else if (!w->inlines) {
    return;
  } else if (k == K_TABLE) {
    walk_table(L, w, x, d);
  } else {
    walk_content(L, w, x, d, false);
  }
}

/* Walks the children of x if it is an element with any (x: a table). */
static void walk_into_code(lua_State *L, const walk_ctx *w, int x, int k, int d) {
  if (!w->inlines && k != K_BULLETLIST && k != K_ORDEREDLIST && k != K_BLOCKQUOTE && k != K_DIV)
    return; /* walk_children would do nothing */
  bool content = raw_k(L, x, K_CONTENT) != LUA_TNIL;
  lua_pop(L, 1);
  if (content || k == K_TABLE)
    walk_children(L, w, x, k, d);
}

static void walk_into(lua_State *L, const walk_ctx *w, int x, int d) {
  if (raw_k(L, x, K_T) != LUA_TSTRING) {
    lua_pop(L, 1);
    return;
  }
  int k = type_code(L, -1);
  lua_pop(L, 1);
  walk_into_code(L, w, x, k, d);
}

/* Pushes the filter's function for the element type or list (code k, name
 * at slot t), or nil: known types without one are not looked up again. */
static void walk_function(lua_State *L, const walk_ctx *w, int k, int t) {
  if (k >= 0 && !(w->has >> k & 1)) {
    lua_pushnil(L);
    return;
  }
  lua_pushvalue(L, t);
  lua_gettable(L, w->filter);
}

/* Calls the filter's function for the element at x, children first (top-down: after); fn is
 * left on the stack, then its result (nil: no function or it kept x). Returns whether the
 * children are still to be walked (top-down and the function did not return false second). */
static bool walk_element(lua_State *L, const walk_ctx *w, int x, const char *what, int d) {
  if (!lua_istable(L, x))
    not_element(L, x, what);
  if (raw_k(L, x, K_T) != LUA_TSTRING)
    not_element(L, x, what);
  int t = lua_gettop(L);
  int k = type_code(L, t);
  if (!w->topdown)
    walk_into_code(L, w, x, k, d);
  walk_function(L, w, k, t);
  bool descend = w->topdown;
  if (lua_toboolean(L, -1)) {
    lua_pushvalue(L, -1);
    lua_pushvalue(L, x);
    lua_call(L, 1, w->topdown ? 2 : 1);
    if (w->topdown) {
      descend = !(lua_isboolean(L, -1) && !lua_toboolean(L, -1));
      lua_pop(L, 1);
    }
    returned_text_check(L, w->diagnose, lua_gettop(L) - 1, lua_tostring(L, t), x, lua_gettop(L));
  } else {
    lua_pushnil(L);
  }
  return descend;
}

/* Pushes the walked list (the list at `list` itself unless a function
 * replaced an element: it is copied from the first replaced one). */
static void walk_list(lua_State *L, const walk_ctx *w, int list, int d, const char *what) {
  luaL_checkstack(L, 24, "the document is nested too deeply");
  not_a_list(L, list);
  lua_pushnil(L); /* out */
  int out = lua_gettop(L);
  lua_Integer n = 0;
  for (lua_Integer i = 1;; i++) {
    if (lua_rawgeti(L, list, i) == LUA_TNIL) {
      lua_pop(L, 1);
      break;
    }
    int x = lua_gettop(L);
    bool descend = walk_element(L, w, x, what, d);
    int r = lua_gettop(L);
    lua_Integer before = n;
    if (!lua_isnil(L, r)) {
      if (lua_isnil(L, out)) {
        new_list(L, (int)(i - 1 < INT_MAX ? i - 1 : 0));
        for (lua_Integer k = 1; k < i; k++) {
          lua_rawgeti(L, list, k);
          lua_rawseti(L, -2, k);
        }
        lua_replace(L, out);
        n = i - 1;
      }
      before = n;
      walk_splice(L, out, &n, r - 1, x, r);
    } else if (!lua_isnil(L, out)) {
      lua_pushvalue(L, x);
      lua_rawseti(L, out, ++n);
    }
    if (descend && lua_isnil(L, r)) {
      walk_into(L, w, x, d);
    } else if (descend) { /* top-down: the children of what replaced x */
      for (lua_Integer k = before + 1; k <= n; k++) {
        lua_rawgeti(L, out, k);
        walk_into(L, w, lua_gettop(L), d);
        lua_pop(L, 1);
      }
    }
    lua_settop(L, out);
  }
  if (lua_isnil(L, out)) {
    lua_pop(L, 1);
    lua_pushvalue(L, list);
  }
}

/* Top-down: Blocks/Inlines first (its result replaces the list; false as a second result
 * leaves the list's elements unwalked), then the list's elements. Pushes the result. */
static void walk_any_topdown(lua_State *L, const walk_ctx *w, int list, int d, bool blocks) {
  walk_function(L, w, blocks ? K_BLOCKS : K_INLINES, KEY_SLOT(blocks ? K_BLOCKS : K_INLINES));
  if (!lua_toboolean(L, -1)) {
    lua_pop(L, 1);
    walk_list(L, w, list, d, blocks ? "blocks" : "inlines");
    return;
  }
  int fn = lua_gettop(L);
  lua_pushvalue(L, fn);
  lua_pushvalue(L, list);
  lua_call(L, 1, 2);
  bool descend = !(lua_isboolean(L, -1) && !lua_toboolean(L, -1));
  lua_pop(L, 1);
  returned_text_check(L, w->diagnose, fn, blocks ? "Blocks" : "Inlines", list, fn + 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushvalue(L, list);
  }
  if (descend) {
    if (!lua_istable(L, -1))
      fn_bad(L, fn, blocks ? "Blocks" : "Inlines", "must return nil or a list of elements");
    walk_list(L, w, lua_gettop(L), d, blocks ? "blocks" : "inlines");
    lua_replace(L, -2);
  }
  lua_remove(L, fn);
}

/* Walks a list of blocks or of inlines: pushes walk_list's result, then
 * what Blocks/Inlines made of it. */
static void walk_any(lua_State *L, const walk_ctx *w, int list, int d, bool blocks) {
  if (w->topdown) {
    walk_any_topdown(L, w, list, d, blocks);
    return;
  }
  walk_list(L, w, list, d, blocks ? "blocks" : "inlines");
  walk_function(L, w, blocks ? K_BLOCKS : K_INLINES, KEY_SLOT(blocks ? K_BLOCKS : K_INLINES));
  if (lua_toboolean(L, -1)) {
    lua_pushvalue(L, -1);
    lua_pushvalue(L, -3);
    lua_call(L, 1, 1);
    int r = lua_gettop(L);
    returned_text_check(L, w->diagnose, r - 1, blocks ? "Blocks" : "Inlines", r - 2, r);
    lua_remove(L, r - 1);
    if (!lua_isnil(L, -1))
      lua_replace(L, -2);
    else
      lua_pop(L, 1);
  } else {
    lua_pop(L, 1);
  }
}

/* Which parts of the tree the filter has functions for: none (only
 * Meta/Doc: no walk), blocks only (no walk into inlines), or inlines. */
static void walk_needs(lua_State *L, int filter, bool *blocks, bool *inlines) {
  *blocks = *inlines = false;
  if (!lua_istable(L, filter))
    luaL_error(L,
               "a filter file returned a list holding a %s — a filter is a table of "
               "functions",
               luaL_typename(L, filter));
  lua_pushnil(L);
  while (lua_next(L, filter)) {
    if (lua_type(L, -2) == LUA_TSTRING) {
      int k = type_code(L, -2);
      if (is_inline_code(k) || lua_rawequal(L, -2, KEY_SLOT(K_INLINES)))
        *inlines = true;
      else if (is_block_code(k) || lua_rawequal(L, -2, KEY_SLOT(K_BLOCKS)))
        *blocks = true;
    }
    lua_pop(L, 1);
  }
}

/* Diagnose mode: the blocks of the document at doc (if it is a table: else
 * run_protected says what is wrong) must hold only text fit for the
 * writers; else the error names the function at fn (called `name`) — or,
 * when fn is 0, no function: the text was changed in place earlier, through
 * a reference a filter kept (the last position the count hook saw names
 * it, if any). */
static void doc_text_check(lua_State *L, int fn, const char *name, int doc) {
  if (!self(L)->diagnose || !lua_istable(L, doc))
    return;
  raw_k(L, doc, K_DOC_BLOCKS);
  text_fault_msg m;
  if (!tree_text_ok(L, lua_gettop(L), 0, &m)) {
    self(L)->fn_fault = true;
    if (fn)
      fn_bad(L, fn, name, m.msg);
    luaL_error(L, "%sa filter %s (changed in place through a reference kept from an earlier call)",
               self(L)->last_where, m.msg);
  }
  lua_pop(L, 1);
}

/* If the function on the stack's top is not nil/false, calls it with doc[key] (or the doc
 * when key is NULL) and stores a result that is not nil. */
static void run_doc_function(lua_State *L, int doc, const char *key) {
  if (!lua_toboolean(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  lua_Debug ar; /* the rebuild's errors name this function when the hook saw nothing later */
  lua_pushvalue(L, -1);
  if (lua_getinfo(L, ">S", &ar) && ar.source[0] == '@' && ar.linedefined > 0)
    snprintf(self(L)->last_where, sizeof self(L)->last_where, "%s:%d: ", ar.source + 1,
             ar.linedefined);
  doc_text_check(L, 0, NULL, doc); /* what was there before it ran */
  lua_pushvalue(L, -1);
  if (key)
    lua_getfield(L, doc, key);
  else
    lua_pushvalue(L, doc);
  lua_call(L, 1, 1);
  /* the blocks are rebuilt (meta is not): Doc's result, or what Meta may have changed in place */
  int r = lua_gettop(L);
  doc_text_check(L, r - 1, key ? "Meta" : "Doc", key || lua_isnil(L, r) ? doc : r);
  lua_remove(L, -2);
  if (lua_isnil(L, -1))
    lua_pop(L, 1);
  else if (key)
    lua_setfield(L, doc, key);
  else
    lua_replace(L, doc);
}

/* The filter's traverse field: true for "topdown"; nil and "typewise" walk bottom-up. */
static bool traverse_topdown(lua_State *L, int filter) {
  lua_getfield(L, filter, "traverse");
  const char *t = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  bool topdown = t && strcmp(t, "topdown") == 0;
  if (!lua_isnil(L, -1) && !topdown && !(t && strcmp(t, "typewise") == 0))
    luaL_error(L, "a filter's traverse is '%s' — write traverse = 'topdown' or leave it out",
               luaL_tolstring(L, -1, NULL));
  lua_pop(L, 1);
  return topdown;
}

/* Does filter[name k] (as a filter reads it, metamethods included) hold a function? */
static bool has_function(lua_State *L, int filter, int k) {
  lua_pushvalue(L, KEY_SLOT(k));
  lua_gettable(L, filter);
  bool has = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return has;
}

/* Sets up the walk of the filter at `filter`: whether there is anything to walk. */
static bool walk_setup(lua_State *L, walk_ctx *w, int filter) {
  bool blocks;
  w->filter = filter;
  walk_needs(L, filter, &blocks, &w->inlines);
  w->topdown = traverse_topdown(L, filter);
  w->diagnose = self(L)->diagnose;
  /* Which functions the filter has, read once per walk as pandoc does: the
   * walk then looks up only those for each element. */
  w->has = 0;
  static const int lists[] = {K_BLOCKS, K_INLINES};
  for (int i = 0; i < 2; i++)
    w->has |= (uint64_t)has_function(L, filter, lists[i]) << lists[i];
  for (int k = K_STR; k <= K_TABLE && (blocks || w->inlines); k++)
    w->has |= (uint64_t)has_function(L, filter, k) << k;
  return blocks || w->inlines;
}

static void walk_doc_blocks(lua_State *L, const walk_ctx *w, int doc) {
  lua_pushvalue(L, KEY_SLOT(K_DOC_BLOCKS));
  lua_gettable(L, doc);
  walk_any(L, w, lua_gettop(L), 0, true);
  lua_pushvalue(L, KEY_SLOT(K_DOC_BLOCKS));
  lua_insert(L, -2);
  lua_settable(L, doc);
  lua_pop(L, 1);
}

static void run_doc_functions(lua_State *L, const walk_ctx *w, int doc) {
  lua_getfield(L, w->filter, "Meta");
  run_doc_function(L, doc, "meta");
  lua_getfield(L, w->filter, "Doc");
  if (!lua_toboolean(L, -1)) {
    lua_pop(L, 1);
    lua_getfield(L, w->filter, "Pandoc");
  }
  run_doc_function(L, doc, NULL);
}

/* Runs each filter of the chain (stack index) in turn on the document at
 * doc, which the last Doc function may replace. Top-down: Meta and Doc first. */
static void run_chain(lua_State *L, int chain, int doc) {
  for (lua_Integer k = 1; lua_geti(L, chain, k) != LUA_TNIL; k++) {
    walk_ctx w;
    bool walk = walk_setup(L, &w, lua_gettop(L));
    if (w.topdown)
      run_doc_functions(L, &w, doc);
    if (walk)
      walk_doc_blocks(L, &w, doc);
    if (!w.topdown)
      run_doc_functions(L, &w, doc);
    lua_settop(L, w.filter - 1);
  }
  lua_pop(L, 1);
}

/* element:walk(filter), list:walk(filter), doc:walk(filter): the filter applied to what the
 * element holds (not to the element itself), in place; returns what it walked. */
static int l_walk(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, RUN_ARGS); /* the key slots, as in run_protected */
  push_keys(L);
  walk_ctx w;
  bool walk = walk_setup(L, &w, 2);
  lua_pushliteral(L, "blocks");
  bool doc = lua_rawget(L, 1) == LUA_TTABLE && raw_k(L, 1, K_T) == LUA_TNIL;
  lua_settop(L, KEY_SLOT(K_COUNT - 1));
  if (!walk) {
  } else if (doc) {
    walk_doc_blocks(L, &w, 1);
  } else if (raw_k(L, 1, K_T) == LUA_TSTRING) {
    lua_pop(L, 1);
    walk_into(L, &w, 1, 0);
  } else { /* a list: of blocks if its first element is one */
    bool blocks = lua_rawgeti(L, 1, 1) == LUA_TTABLE && raw_k(L, -1, K_T) == LUA_TSTRING &&
                  is_block_code(type_code(L, -1));
    lua_settop(L, KEY_SLOT(K_COUNT - 1));
    walk_any(L, &w, 1, 0, blocks);
    return 1;
  }
  lua_pushvalue(L, 1);
  return 1;
}

/* ---- loading and running ----------------------------------------------- */

/* Splits a Lua error "path:line: message" into its parts for the diag. */
static void report_lua_error(diag *dg, const char *msg, const char *context) {
  const char *p = msg;
  char *file = NULL;
  int line = 0;
  const char *colon = strchr(p, ':');
  while (colon) {
    char *end;
    long l = strtol(colon + 1, &end, 10);
    if (end != colon + 1 && *end == ':') {
      file = xstrndup(p, (size_t)(colon - p));
      line = (int)l;
      msg = end + 1;
      while (*msg == ' ')
        msg++;
      break;
    }
    colon = strchr(colon + 1, ':');
  }
  diag_error(dg, file, line, 0, "%s%s — fix the filter", msg, context ? context : "");
  free(file);
}

/* Lua shortens chunk names to LUA_IDSIZE characters ("...tail/x.lua:3:");
 * reports msg with the full path of the filter whose path ends in that tail. */
static void report_filter_error(const vk_filters *f, diag *dg, const char *msg,
                                const char *context) {
  char *full = NULL;
  if (strncmp(msg, "...", 3) == 0) {
    const char *tail = msg + 3, *colon = strchr(tail, ':');
    for (size_t i = 0; colon && i < f->paths.n; i++) {
      const char *p = f->paths.items[i];
      size_t n = strlen(p), k = (size_t)(colon - tail);
      if (n >= k && strncmp(p + n - k, tail, k) == 0) {
        full = xasprintf("%s%s", p, colon);
        break;
      }
    }
  }
  report_lua_error(dg, full ? full : msg, context);
  free(full);
}

/* Pushes the filter tables a file returned (a table of functions, a list of
 * them, or — returning nothing — the functions it defined as globals). */
static void add_to_chain(vk_filters *f, int env, vk_filter_part part) {
  lua_State *L = f->L;
  int ret = lua_gettop(L);
  int *n_filters = &f->n_filters[part];
  lua_rawgeti(L, LUA_REGISTRYINDEX, f->chain_ref[part]);
  int chain = lua_gettop(L);
  if (lua_istable(L, ret) && lua_rawlen(L, ret) > 0) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, ret);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, ret, i);
      lua_rawseti(L, chain, ++*n_filters);
    }
  } else if (lua_istable(L, ret)) {
    lua_pushvalue(L, ret);
    lua_rawseti(L, chain, ++*n_filters);
  } else {
    lua_pushvalue(L, env);
    lua_rawseti(L, chain, ++*n_filters);
  }
  lua_settop(L, ret - 1);
}

static bool load_filter(vk_filters *f, const vk_content *c, const char *name, vk_filter_part part,
                        diag *dg) {
  lua_State *L = f->L;
  char *path = xasprintf("%s/filters/%s", c->dir, name);
  size_t len;
  safepath_status st;
  char *src = safepath_read(c->dir, path, &len, &st);
  if (!src) {
    diag_error(dg, path, 0, 0,
               st == SAFEPATH_OUTSIDE
                   ? "the filter named in site.yaml is outside the content folder (a link, or "
                     "../ in its name) — put the filter in the content folder's filters/"
                   : "cannot read the filter named in site.yaml — create it or fix the name");
    free(path);
    return false;
  }
  /* Each file gets its own environment that reads through to the globals,
   * so functions a file defines globally do not leak into the next file. */
  lua_newtable(L);
  int env = lua_gettop(L);
  lua_newtable(L);
  lua_pushglobaltable(L);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, env);
  vec_push(&f->paths, xstrdup(path));
  char *chunk = xasprintf("@%s", path);
  bool ok = luaL_loadbufferx(L, src, len, chunk, "t") == LUA_OK;
  if (ok) {
    lua_pushvalue(L, env);
    lua_setupvalue(L, -2, 1); /* _ENV */
    start_clock(f);
    lua_pushcfunction(L, message_handler);
    lua_insert(L, -2);
    int rc = lua_pcall(L, 0, 1, lua_gettop(L) - 1);
    lua_remove(L, -2);
    ok = rc == LUA_OK;
    if (rc == LUA_ERRMEM)
      f->runaway = true;
  }
  f->unlimited = false;
  if (ok) {
    add_to_chain(f, env, part);
  } else if (f->runaway && !has_position(lua_tostring(L, -1))) { /* memory: no position */
    char *msg = xasprintf("%s%s while loading the filter — it may use at most %u MB (the build "
                          "stops at the first runaway filter)",
                          f->last_where, lua_tostring(L, -1), FILTER_MAX_MEMORY >> 20);
    if (diag_halt(dg)) { /* else another thread's runaway filter was reported */
      if (f->last_where[0])
        report_filter_error(f, dg, msg, NULL);
      else
        diag_error(dg, path, 0, 0, "%s — fix the filter", msg);
    }
    free(msg);
  } else if (!f->runaway || diag_halt(dg)) { /* only the first runaway filter is reported */
    report_filter_error(f, dg, lua_tostring(L, -1), NULL);
  }
  lua_settop(L, env - 1);
  free(chunk);
  free(src);
  free(path);
  return ok;
}

static void set_context(vk_filters *f, const char *format) {
  lua_State *L = f->L;
  lua_getglobal(L, "vaksam");
  lua_createtable(L, 0, 4);
  lua_createtable(L, 0, 3);
  set_str(L, "id", f->org->id);
  set_str(L, "name", f->org->name);
  if (f->org->parent)
    set_str(L, "parent", f->org->parent->id);
  push_value(L, f->org->vars, 0);
  lua_setfield(L, -2, "vars");
  lua_setfield(L, -2, "org");
  lua_createtable(L, 0, 2);
  set_str(L, "id", f->role ? f->role->id : "");
  set_str(L, "name", f->role ? f->role->name : "");
  lua_setfield(L, -2, "role");
  set_str(L, "format", format);
  lua_setfield(L, -2, "context");
  lua_pop(L, 1);
}

/* vaksam.glossary: the definitions this variant may read, in content order. */
static void push_glossary(lua_State *L, const vk_content *c, const vk_org *org,
                          const vk_role *role) {
  vk_doc **defs = NULL;
  size_t n = c->n_docs ? content_of_kind(c, KIND_DEFINITION, &defs) : 0;
  lua_createtable(L, (int)n, 0);
  int k = 1;
  for (size_t i = 0; i < n; i++) {
    const vk_doc *d = defs[i];
    if (!d->term || !doc_applies(d, c->site, org, role))
      continue;
    lua_createtable(L, 0, 6);
    set_str(L, "term", d->term);
    lua_createtable(L, (int)d->synonyms.n, 0);
    for (size_t s = 0; s < d->synonyms.n; s++) {
      lua_pushstring(L, d->synonyms.items[s]);
      lua_rawseti(L, -2, (lua_Integer)s + 1);
    }
    lua_setfield(L, -2, "synonyms");
    set_str(L, "id", d->id);
    set_str(L, "path", d->path);
    set_str(L, "title", d->title);
    set_str(L, "summary", d->summary ? d->summary : d->title);
    lua_rawseti(L, -2, k++);
  }
  lua_setfield(L, -2, "glossary");
}

/* The file names of each part of the chain for (org, role). */
static size_t chain_names(const vk_content *c, const vk_org *org, const vk_role *role,
                          vec names[FILTERS_PARTS]) {
  for (int b = 0; b < BUILTIN_COUNT; b++) {
    const vk_builtin_cfg *cfg = site_builtin(c->site, org, (vk_builtin)b);
    if (cfg->mode == BUILTIN_LUA)
      vec_push(&names[b], cfg->file);
  }
  vec *chain = &names[FILTERS_CHAIN];
  for (size_t i = 0; i < c->site->filters.n; i++)
    vec_push(chain, c->site->filters.items[i]);
  const vk_org *orgs[64];
  int depth = 0;
  for (const vk_org *o = org; o && depth < 64; o = o->parent)
    orgs[depth++] = o;
  while (depth-- > 0)
    for (size_t i = 0; i < orgs[depth]->filters.n; i++)
      vec_push(chain, orgs[depth]->filters.items[i]);
  for (size_t i = 0; role && i < role->filters.n; i++)
    vec_push(chain, role->filters.items[i]);
  size_t total = 0;
  for (int p = 0; p < FILTERS_PARTS; p++)
    total += names[p].n;
  return total;
}

static void open_state(vk_filters *f, const vk_content *c, const char *format, diag *dg) {
  char real[PATH_MAX];
  f->content_real = xstrdup(realpath(c->dir, real) ? real : c->dir);
  f->L = lua_newstate(capped_alloc, f);
  lua_State *L = f->L;
  open_sandboxed_libs(L);
  lua_pushcfunction(L, l_read_file);
  lua_setglobal(L, "__vaksam_read_file");
  lua_pushcfunction(L, l_walk);
  lua_setglobal(L, "__vaksam_walk");
  if (luaL_loadbuffer(L, prelude, sizeof prelude - 1, "=vaksam") != LUA_OK ||
      lua_pcall(L, 0, 0, 0) != LUA_OK) {
    diag_error(dg, NULL, 0, 0, "internal error in the filter prelude: %s", lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  lua_pushnil(L);
  lua_setglobal(L, "__vaksam_walk");
  lua_getglobal(L, "vaksam");
  lua_getfield(L, -1, "_list_mt");
  f->list_mt = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_getfield(L, -1, "_element_mt");
  f->element_mt = luaL_ref(L, LUA_REGISTRYINDEX);
  f->types = types_table(L);
  lua_pushnil(L);
  lua_setfield(L, -2, "_list_mt");
  lua_pushnil(L);
  lua_setfield(L, -2, "_element_mt");
  lua_getglobal(L, "__vaksam_read_file");
  lua_setfield(L, -2, "read_file");
  lua_pushstring(L, c->dir);
  lua_setfield(L, -2, "_content_dir");
  lua_pushcfunction(L, l_warn);
  lua_setfield(L, -2, "warn");
  lua_pushcfunction(L, l_print);
  lua_setfield(L, -2, "log");
  push_glossary(L, c, f->org, f->role);
  lua_pop(L, 1);
  lua_pushnil(L);
  lua_setglobal(L, "__vaksam_read_file");
  set_context(f, format);
  for (int p = 0; p < FILTERS_PARTS; p++) {
    lua_newtable(L);
    f->chain_ref[p] = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
  /* A document's tables are garbage once it is filtered: collect only when
   * the heap has grown fourfold (the memory cap still forces a collection). */
  lua_gc(L, LUA_GCINC, 400, 0, 0);
}

/* filters_new; `diagnose`: a state for a replay (diagnose_text_fault). */
static vk_filters *filters_load(const vk_content *c, const vk_org *org, const vk_role *role,
                                const char *format, diag *dg, bool diagnose) {
  vec names[FILTERS_PARTS] = {{0}};
  if (diag_halted(dg) || chain_names(c, org, role, names) == 0) {
    for (int p = 0; p < FILTERS_PARTS; p++)
      vec_free(&names[p]);
    return NULL;
  }
  vk_filters *f = xcalloc(1, sizeof *f);
  f->content = c;
  f->format = xstrdup(format);
  f->org = org;
  f->role = role;
  f->diagnose = diagnose;
  open_state(f, c, format, dg);
  bool ok = true;
  for (int p = 0; p < FILTERS_PARTS; p++) {
    for (size_t i = 0; i < names[p].n; i++)
      ok = load_filter(f, c, names[p].items[i], (vk_filter_part)p, dg) && ok;
    vec_free(&names[p]);
  }
  if (!ok) {
    filters_free(f);
    return NULL;
  }
  return f;
}

vk_filters *filters_new(const vk_content *c, const vk_org *org, const vk_role *role,
                        const char *format, diag *dg) {
  return filters_load(c, org, role, format, dg, false);
}

/* Runs in protected mode: converts, walks, converts back. Upvalue-free so
 * that every Lua error (memory, instructions, bad elements) lands in pcall. */
static int run_protected(lua_State *L) {
  cmark_node *tree = lua_touserdata(L, 1);
  const vk_doc *d = lua_touserdata(L, 2);
  cmark_node **out = lua_touserdata(L, 3);
  int part = (int)lua_tointeger(L, 4);
  vk_filters *f = self(L);
  f->unlimited = true; /* converting: the document's size, not the filter's doing */
  lua_settop(L, RUN_ARGS);
  push_keys(L);
  /* meta and the document's part of the context */
  push_value(L, d->meta, 0);
  lua_setglobal(L, "meta");
  lua_getglobal(L, "vaksam");
  lua_getfield(L, -1, "context");
  lua_createtable(L, 0, 4);
  set_str(L, "id", d->id);
  set_str(L, "kind", kind_name(d->kind));
  set_str(L, "path", d->path);
  set_str(L, "title", d->title);
  lua_setfield(L, -2, "document");
  lua_pop(L, 1);
  lua_rawgeti(L, LUA_REGISTRYINDEX, f->chain_ref[part]);
  int chain = lua_gettop(L);
  lua_createtable(L, 0, 2);
  set_mt(L, K_ELEMENT_MT); /* doc:walk(filter) */
  f->converting = true;
  push_blocks(L, tree, 0);
  f->converting = false;
  lua_setfield(L, -2, "blocks");
  lua_getglobal(L, "meta");
  lua_setfield(L, -2, "meta");
  f->unlimited = false;
  run_chain(L, chain, lua_gettop(L));
  f->unlimited = true;
  if (!lua_istable(L, -1))
    return luaL_error(L, "Doc() must return the document or nil");
  lua_getfield(L, -1, "blocks");
  if (!lua_istable(L, -1))
    return luaL_error(L, "the document has no block list after filtering");
  cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
  *out = doc; /* owned by the caller even if building fails half-way */
  build_blocks(L, lua_gettop(L), doc, 0);
  return 0;
}

int filters_run(vk_filters *f, const vk_doc *d, cmark_node **tree, diag *dg) {
  return filters_run_part(f, FILTERS_CHAIN, d, tree, dg);
}

/* Runs the part on tree once, in protected mode (start_clock: a run has
 * the whole bounds). LUA_OK with the rebuilt tree in *result, or the error
 * with its message on the stack's top (and *result NULL). */
static int run_once(vk_filters *f, vk_filter_part part, const vk_doc *d, cmark_node *tree,
                    cmark_node **result) {
  lua_State *L = f->L;
  lua_settop(L, 0);
  start_clock(f);
  f->text_fault = f->fn_fault = false;
  *result = NULL;
  lua_pushcfunction(L, message_handler);
  lua_pushcfunction(L, run_protected);
  lua_pushlightuserdata(L, tree);
  lua_pushlightuserdata(L, (void *)d);
  lua_pushlightuserdata(L, result);
  lua_pushinteger(L, part);
  int rc = lua_pcall(L, 4, 0, 1);
  f->unlimited = false;
  if (rc != LUA_OK && *result) {
    cmark_node_free(*result);
    *result = NULL;
  }
  return rc;
}

/* One diagnose run of the part on tree in the state g: the message of a
 * check that named a function (a copy), or NULL. */
static char *replay(vk_filters *g, vk_filter_part part, const vk_doc *d, cmark_node *tree) {
  cmark_node *result = NULL;
  int rc = run_once(g, part, d, tree, &result);
  char *named = NULL;
  if (rc == LUA_OK)
    cmark_node_free(result);
  else if (g->fn_fault && !g->text_fault && lua_isstring(g->L, -1))
    named = xstrdup(lua_tostring(g->L, -1));
  lua_settop(g->L, 0);
  g->text_fault = g->fn_fault = false;
  return named;
}

/* The rebuild found text unfit for the writers (its message on the stack's
 * top): runs the part again on the original tree in diagnose mode, where
 * every function's result is checked, so that the error names the function
 * that left it. First in a fresh state, the chain loaded again — a filter
 * that keeps elements or counts calls in its variables does the same as it
 * did then, unless it carries state from one document to the next —, then
 * in this state. Leaves the message to report on the stack's top — a
 * replay's when a check named a function, else (a filter that does not do
 * the same twice, a bound reached in a replay) the rebuild's own — and
 * returns LUA_ERRRUN. The build fails either way, so what the filters do in
 * a replay has no other effect (vaksam.warn and print are silent there). */
static int diagnose_text_fault(vk_filters *f, vk_filter_part part, const vk_doc *d,
                               cmark_node *tree) {
  lua_State *L = f->L;
  char *first = xstrdup(lua_isstring(L, -1) ? lua_tostring(L, -1) : "filter error");
  lua_settop(L, 0);
  diag *scratch = diag_new(); /* the chain loaded before: no new messages */
  vk_filters *g = filters_load(f->content, f->org, f->role, f->format, scratch, true);
  char *named = NULL;
  if (g) {
    g->doc = d;
    named = replay(g, part, d, tree);
    filters_free(g);
  }
  diag_free(scratch);
  if (!named) {
    lua_gc(L, LUA_GCCOLLECT); /* the first run's tables: the replay gets the whole cap */
    f->diagnose = true;
    named = replay(f, part, d, tree);
    f->diagnose = false;
  }
  lua_pushstring(L, named ? named : first);
  f->runaway = false; /* the first run ran within its bounds */
  f->converting = false;
  free(named);
  free(first);
  return LUA_ERRRUN;
}

int filters_run_part(vk_filters *f, vk_filter_part part, const vk_doc *d, cmark_node **tree,
                     diag *dg) {
  if (!f || f->n_filters[part] == 0)
    return 0;
  if (diag_halted(dg))
    return -1; /* a runaway filter stopped the build; it has been reported */
  lua_State *L = f->L;
  f->dg = dg;
  f->doc = d;
  cmark_node *result = NULL;
  int rc = run_once(f, part, d, *tree, &result);
  if (rc != LUA_OK && f->text_fault && !f->converting)
    rc = diagnose_text_fault(f, part, d, *tree);
  if (rc != LUA_OK && f->converting) { /* not a filter's fault: the document's */
    f->converting = false;
    diag_error(dg, d->srcpath, 0, 0,
               "%s — filters get documents nested at most %d levels deep (lists, quotes, "
               "containers): flatten the document",
               lua_tostring(L, -1), MAX_DEPTH);
    lua_settop(L, 0);
    f->dg = NULL;
    f->doc = NULL;
    return -1;
  }
  if (rc != LUA_OK) {
    char *context = xasprintf(" (filtering %s for org=%s role=%s)", d->srcpath, f->org->id,
                              f->role ? f->role->id : "-");
    const char *msg = lua_tostring(L, -1);
    char *with_where = NULL;
    if (rc == LUA_ERRMEM) {
      f->runaway = true;
      msg = with_where =
          xasprintf("%s%s — the filter may use at most %u MB (the build stops at "
                    "the first runaway filter)",
                    f->last_where, msg ? msg : "not enough memory", FILTER_MAX_MEMORY >> 20);
    }
    if (!f->runaway || diag_halt(dg)) /* only the first runaway filter is reported */
      report_filter_error(f, dg, msg ? msg : "filter error", context);
    free(with_where);
    f->dg = NULL;
    f->doc = NULL;
    free(context);
    lua_settop(L, 0);
    lua_gc(L, LUA_GCCOLLECT);
    return -1;
  }
  lua_settop(L, 0);
  f->dg = NULL;
  f->doc = NULL;
  /* No full collection per document: it would mark the whole state each
   * time (see the collector's setting in open_state). */
  cmark_node_free(*tree);
  *tree = result;
  return 0;
}

void filters_free(vk_filters *f) {
  if (!f)
    return;
  lua_close(f->L); /* runs no Lua code: filters cannot set finalizers */
  pool_free(f);
  for (size_t i = 0; i < f->paths.n; i++)
    free(f->paths.items[i]);
  vec_free(&f->paths);
  free(f->content_real);
  free(f->format);
  free(f);
}
