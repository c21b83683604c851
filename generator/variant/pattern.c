/* pattern.c — see pattern.h. The matcher follows the semantics of Lua
 * 5.4's lstrlib.c (a recursive backtracking matcher over a flat sequence
 * of single-character classes with quantifiers, captures, %b, %f and back
 * references); every loop of it counts steps. */
#define _GNU_SOURCE /* memmem: linear (two-way) search for plain find */
#include "pattern.h"

#include <ctype.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stddef.h>
#include <string.h>

#define L_ESC '%'
#define SPECIALS "^$*+?.([%-"
#define MAX_CAPTURES 32
#define CAP_UNFINISHED (-1)
#define CAP_POSITION (-2)
#define MAX_MATCH_CALLS 200

typedef struct {
  const char *src_init, *src_end, *p_end;
  lua_State *L;
  int matchdepth;
  int level;
  unsigned long steps;
  struct {
    const char *init;
    ptrdiff_t len;
  } capture[MAX_CAPTURES];
} match_state;

static unsigned char uc(char c) {
  return (unsigned char)c;
}

/* Counts n steps; every PATTERN_STEPS of them the count hook may stop us. */
static void tick(match_state *ms, size_t n) {
  ms->steps += n;
  if (ms->steps < PATTERN_STEPS)
    return;
  ms->steps = 0;
  lua_Hook h = lua_gethook(ms->L);
  if (h && (lua_gethookmask(ms->L) & LUA_MASKCOUNT)) {
    lua_Debug ar;
    memset(&ar, 0, sizeof ar);
    ar.event = LUA_HOOKCOUNT;
    h(ms->L, &ar);
  }
}

static const char *match(match_state *ms, const char *s, const char *p);

static int check_capture(match_state *ms, int l) {
  l -= '1';
  if (l < 0 || l >= ms->level || ms->capture[l].len == CAP_UNFINISHED)
    return luaL_error(ms->L, "invalid capture index %%%d", l + 1);
  return l;
}

static int capture_to_close(match_state *ms) {
  for (int level = ms->level - 1; level >= 0; level--)
    if (ms->capture[level].len == CAP_UNFINISHED)
      return level;
  return luaL_error(ms->L, "invalid pattern capture");
}

static const char *class_end(match_state *ms, const char *p) {
  switch (*p++) {
  case L_ESC:
    if (p == ms->p_end)
      luaL_error(ms->L, "malformed pattern (ends with '%%')");
    return p + 1;
  case '[':
    if (*p == '^')
      p++;
    do { /* look for a ']' */
      if (p == ms->p_end)
        luaL_error(ms->L, "malformed pattern (missing ']')");
      if (*(p++) == L_ESC && p < ms->p_end)
        p++; /* skip escapes (e.g. '%]') */
    } while (*p != ']');
    return p + 1;
  default: return p;
  }
}

static int match_class(int c, int cl) {
  int res;
  switch (tolower(cl)) {
  case 'a': res = isalpha(c); break;
  case 'c': res = iscntrl(c); break;
  case 'd': res = isdigit(c); break;
  case 'g': res = isgraph(c); break;
  case 'l': res = islower(c); break;
  case 'p': res = ispunct(c); break;
  case 's': res = isspace(c); break;
  case 'u': res = isupper(c); break;
  case 'w': res = isalnum(c); break;
  case 'x': res = isxdigit(c); break;
  case 'z': res = c == 0; break; /* deprecated, still in Lua 5.4 */
  default: return cl == c;
  }
  if (isupper(cl))
    res = !res;
  return res;
}

/* p at '[', ec at its ']' */
static int match_bracket_class(int c, const char *p, const char *ec) {
  int sig = 1;
  if (*(p + 1) == '^') {
    sig = 0;
    p++;
  }
  while (++p < ec) {
    if (*p == L_ESC) {
      p++;
      if (match_class(c, uc(*p)))
        return sig;
    } else if (*(p + 1) == '-' && p + 2 < ec) {
      p += 2;
      if (uc(*(p - 2)) <= c && c <= uc(*p))
        return sig;
    } else if (uc(*p) == c) {
      return sig;
    }
  }
  return !sig;
}

static int single_match(match_state *ms, const char *s, const char *p, const char *ep) {
  if (s >= ms->src_end)
    return 0;
  int c = uc(*s);
  switch (*p) {
  case '.': return 1;
  case L_ESC: return match_class(c, uc(*(p + 1)));
  case '[': return match_bracket_class(c, p, ep - 1);
  default: return uc(*p) == c;
  }
}

static const char *match_balance(match_state *ms, const char *s, const char *p) {
  if (p >= ms->p_end - 1)
    luaL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
  if (s >= ms->src_end || *s != *p)
    return NULL;
  int b = *p, e = *(p + 1), cont = 1;
  while (++s < ms->src_end) {
    tick(ms, 1);
    if (*s == e) {
      if (--cont == 0)
        return s + 1;
    } else if (*s == b) {
      cont++;
    }
  }
  return NULL;
}

static const char *max_expand(match_state *ms, const char *s, const char *p, const char *ep) {
  ptrdiff_t i = 0;
  while (single_match(ms, s + i, p, ep)) {
    tick(ms, 1);
    i++;
  }
  for (; i >= 0; i--) { /* try with the longest run first */
    tick(ms, 1);
    const char *res = match(ms, s + i, ep + 1);
    if (res)
      return res;
  }
  return NULL;
}

static const char *min_expand(match_state *ms, const char *s, const char *p, const char *ep) {
  for (;;) {
    tick(ms, 1);
    const char *res = match(ms, s, ep + 1);
    if (res)
      return res;
    if (!single_match(ms, s, p, ep))
      return NULL;
    s++;
  }
}

static const char *start_capture(match_state *ms, const char *s, const char *p, int what) {
  if (ms->level >= MAX_CAPTURES)
    luaL_error(ms->L, "too many captures");
  ms->capture[ms->level].init = s;
  ms->capture[ms->level].len = what;
  ms->level++;
  const char *res = match(ms, s, p);
  if (!res)
    ms->level--; /* undo capture */
  return res;
}

static const char *end_capture(match_state *ms, const char *s, const char *p) {
  int l = capture_to_close(ms);
  ms->capture[l].len = s - ms->capture[l].init;
  const char *res = match(ms, s, p);
  if (!res)
    ms->capture[l].len = CAP_UNFINISHED;
  return res;
}

static const char *match_capture(match_state *ms, const char *s, int l) {
  l = check_capture(ms, l);
  size_t len = (size_t)ms->capture[l].len;
  tick(ms, len);
  if ((size_t)(ms->src_end - s) >= len && memcmp(ms->capture[l].init, s, len) == 0)
    return s + len;
  return NULL;
}

/* A single class item at p (ending at ep) and its quantifier. */
static const char *match_item(match_state *ms, const char *s, const char *p, const char **next) {
  const char *ep = class_end(ms, p);
  *next = NULL;
  if (!single_match(ms, s, p, ep)) {
    if (*ep == '*' || *ep == '?' || *ep == '-') { /* accept empty */
      *next = ep + 1;
      return s;
    }
    return NULL;
  }
  switch (*ep) {
  case '?': {
    const char *res = match(ms, s + 1, ep + 1);
    if (res)
      return res;
    *next = ep + 1;
    return s;
  }
  case '+': return max_expand(ms, s + 1, p, ep);
  case '*': return max_expand(ms, s, p, ep);
  case '-': return min_expand(ms, s, p, ep);
  default: *next = ep; return s + 1;
  }
}

/* %f[set] at p (after "%f"): *next is where matching goes on, or NULL. */
static void frontier(match_state *ms, const char *s, const char *p, const char **next) {
  if (*p != '[')
    luaL_error(ms->L, "missing '[' after '%%f' in pattern");
  const char *ep = class_end(ms, p);
  int previous = s == ms->src_init ? 0 : uc(*(s - 1));
  int current = s < ms->src_end ? uc(*s) : 0;
  *next = !match_bracket_class(previous, p, ep - 1) && match_bracket_class(current, p, ep - 1)
              ? ep
              : NULL;
}

static const char *match(match_state *ms, const char *s, const char *p) {
  if (ms->matchdepth-- == 0)
    luaL_error(ms->L, "pattern too complex");
  while (s && p != ms->p_end) {
    tick(ms, 1);
    const char *next = NULL;
    if (*p == '(') {
      s = p[1] == ')' ? start_capture(ms, s, p + 2, CAP_POSITION)
                      : start_capture(ms, s, p + 1, CAP_UNFINISHED);
    } else if (*p == ')') {
      s = end_capture(ms, s, p + 1);
    } else if (*p == '$' && p + 1 == ms->p_end) {
      s = s == ms->src_end ? s : NULL;
    } else if (*p == L_ESC && p[1] == 'b') {
      s = match_balance(ms, s, p + 2);
      next = s ? p + 4 : NULL;
    } else if (*p == L_ESC && p[1] == 'f') {
      frontier(ms, s, p + 2, &next);
      s = next ? s : NULL;
    } else if (*p == L_ESC && isdigit(uc(p[1]))) {
      s = match_capture(ms, s, uc(p[1]));
      next = s ? p + 2 : NULL;
    } else {
      s = match_item(ms, s, p, &next);
    }
    if (!next)
      break;
    p = next;
  }
  ms->matchdepth++;
  return s;
}

/* ---- captures and the four functions (as lstrlib.c) ----------------------- */

static ptrdiff_t get_onecapture(match_state *ms, int i, const char *s, const char *e,
                                const char **cap) {
  if (i >= ms->level) {
    if (i != 0)
      luaL_error(ms->L, "invalid capture index %%%d", i + 1);
    *cap = s;
    return e - s;
  }
  ptrdiff_t capl = ms->capture[i].len;
  *cap = ms->capture[i].init;
  if (capl == CAP_UNFINISHED)
    luaL_error(ms->L, "unfinished capture");
  else if (capl == CAP_POSITION)
    lua_pushinteger(ms->L, (ms->capture[i].init - ms->src_init) + 1);
  return capl;
}

static void push_onecapture(match_state *ms, int i, const char *s, const char *e) {
  const char *cap;
  ptrdiff_t l = get_onecapture(ms, i, s, e, &cap);
  if (l != CAP_POSITION)
    lua_pushlstring(ms->L, cap, (size_t)l);
}

static int push_captures(match_state *ms, const char *s, const char *e) {
  int n = ms->level == 0 && s ? 1 : ms->level;
  luaL_checkstack(ms->L, n, "too many captures");
  for (int i = 0; i < n; i++)
    push_onecapture(ms, i, s, e);
  return n;
}

static void prep_state(match_state *ms, lua_State *L, const char *s, size_t ls, const char *p,
                       size_t lp) {
  memset(ms, 0, sizeof *ms);
  ms->L = L;
  ms->src_init = s;
  ms->src_end = s + ls;
  ms->p_end = p + lp;
}

static void reprep_state(match_state *ms) {
  ms->level = 0;
  ms->matchdepth = MAX_MATCH_CALLS;
}

static size_t start_index(lua_Integer pos, size_t len) {
  if (pos > 0)
    return (size_t)pos;
  if (pos == 0 || pos < -(lua_Integer)len)
    return 1;
  return len + (size_t)pos + 1;
}

static int no_specials(const char *p, size_t l) {
  size_t upto = 0;
  do {
    if (strpbrk(p + upto, SPECIALS))
      return 0;
    upto += strlen(p + upto) + 1; /* may have more after a \0 */
  } while (upto <= l);
  return 1;
}

static int find_aux(lua_State *L, int find) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  size_t init = start_index(luaL_optinteger(L, 3, 1), ls) - 1;
  if (init > ls) {
    luaL_pushfail(L);
    return 1;
  }
  if (find && (lua_toboolean(L, 4) || no_specials(p, lp))) {
    const char *s2 = lp == 0 ? s + init : memmem(s + init, ls - init, p, lp); /* linear */
    if (s2) {
      lua_pushinteger(L, (s2 - s) + 1);
      lua_pushinteger(L, (lua_Integer)((size_t)(s2 - s) + lp));
      return 2;
    }
  } else {
    match_state ms;
    const char *s1 = s + init;
    int anchor = *p == '^';
    if (anchor) {
      p++;
      lp--;
    }
    prep_state(&ms, L, s, ls, p, lp);
    do {
      reprep_state(&ms);
      const char *res = match(&ms, s1, p);
      if (res) {
        if (find) {
          lua_pushinteger(L, (s1 - s) + 1);
          lua_pushinteger(L, res - s);
          return push_captures(&ms, NULL, 0) + 2;
        }
        return push_captures(&ms, s1, res);
      }
      tick(&ms, 1);
    } while (s1++ < ms.src_end && !anchor);
  }
  luaL_pushfail(L);
  return 1;
}

static int l_find(lua_State *L) {
  return find_aux(L, 1);
}

static int l_match(lua_State *L) {
  return find_aux(L, 0);
}

typedef struct {
  const char *src, *p, *lastmatch;
  match_state ms;
} gmatch_state;

static int gmatch_aux(lua_State *L) {
  gmatch_state *gm = lua_touserdata(L, lua_upvalueindex(3));
  gm->ms.L = L;
  for (const char *src = gm->src; src <= gm->ms.src_end; src++) {
    reprep_state(&gm->ms);
    const char *e = match(&gm->ms, src, gm->p);
    if (e && e != gm->lastmatch) {
      gm->src = gm->lastmatch = e;
      return push_captures(&gm->ms, src, e);
    }
    tick(&gm->ms, 1);
  }
  return 0;
}

static int l_gmatch(lua_State *L) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  size_t init = start_index(luaL_optinteger(L, 3, 1), ls) - 1;
  lua_settop(L, 2); /* the string and the pattern stay alive as upvalues */
  gmatch_state *gm = lua_newuserdatauv(L, sizeof *gm, 0);
  if (init > ls)
    init = ls + 1; /* start after the end: no match */
  prep_state(&gm->ms, L, s, ls, p, lp);
  gm->src = s + init;
  gm->p = p;
  gm->lastmatch = NULL;
  lua_pushcclosure(L, gmatch_aux, 3);
  return 1;
}

static void add_s(match_state *ms, luaL_Buffer *b, const char *s, const char *e) {
  size_t l;
  lua_State *L = ms->L;
  const char *news = lua_tolstring(L, 3, &l);
  const char *p;
  while ((p = memchr(news, L_ESC, l))) {
    luaL_addlstring(b, news, (size_t)(p - news));
    p++;
    if (*p == L_ESC) {
      luaL_addchar(b, *p);
    } else if (*p == '0') {
      luaL_addlstring(b, s, (size_t)(e - s));
    } else if (isdigit(uc(*p))) {
      const char *cap;
      ptrdiff_t resl = get_onecapture(ms, *p - '1', s, e, &cap);
      if (resl == CAP_POSITION)
        luaL_addvalue(b);
      else
        luaL_addlstring(b, cap, (size_t)resl);
    } else {
      luaL_error(L, "invalid use of '%c' in replacement string", L_ESC);
    }
    l -= (size_t)(p + 1 - news);
    news = p + 1;
  }
  luaL_addlstring(b, news, l);
}

static int add_value(match_state *ms, luaL_Buffer *b, const char *s, const char *e, int tr) {
  lua_State *L = ms->L;
  if (tr == LUA_TFUNCTION) {
    lua_pushvalue(L, 3);
    int n = push_captures(ms, s, e);
    lua_call(L, n, 1);
  } else if (tr == LUA_TTABLE) {
    push_onecapture(ms, 0, s, e);
    lua_gettable(L, 3);
  } else {
    add_s(ms, b, s, e);
    return 1;
  }
  if (!lua_toboolean(L, -1)) { /* nil or false: keep the original text */
    lua_pop(L, 1);
    luaL_addlstring(b, s, (size_t)(e - s));
    return 0;
  }
  if (!lua_isstring(L, -1))
    return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
  luaL_addvalue(b);
  return 1;
}

static int l_gsub(lua_State *L) {
  size_t srcl, lp;
  const char *src = luaL_checklstring(L, 1, &srcl);
  const char *p = luaL_checklstring(L, 2, &lp);
  const char *lastmatch = NULL;
  int tr = lua_type(L, 3);
  lua_Integer max_s = luaL_optinteger(L, 4, (lua_Integer)srcl + 1);
  int anchor = *p == '^';
  lua_Integer n = 0;
  int changed = 0;
  match_state ms;
  luaL_Buffer b;
  luaL_argexpected(
      L, tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION || tr == LUA_TTABLE, 3,
      "string/function/table");
  luaL_buffinit(L, &b);
  if (anchor) {
    p++;
    lp--;
  }
  prep_state(&ms, L, src, srcl, p, lp);
  while (n < max_s) {
    reprep_state(&ms);
    const char *e = match(&ms, src, p);
    tick(&ms, 1);
    if (e && e != lastmatch) {
      n++;
      changed = add_value(&ms, &b, src, e, tr) | changed;
      src = lastmatch = e;
    } else if (src < ms.src_end) {
      luaL_addchar(&b, *src++);
    } else {
      break;
    }
    if (anchor)
      break;
  }
  if (!changed) {
    lua_pushvalue(L, 1);
  } else {
    luaL_addlstring(&b, src, (size_t)(ms.src_end - src));
    luaL_pushresult(&b);
  }
  lua_pushinteger(L, n);
  return 2;
}

void pattern_open(lua_State *L) {
  static const luaL_Reg fns[] = {
      {"find", l_find}, {"match", l_match}, {"gmatch", l_gmatch}, {"gsub", l_gsub}, {NULL, NULL}};
  lua_getglobal(L, LUA_STRLIBNAME);
  luaL_setfuncs(L, fns, 0);
  lua_pop(L, 1);
}
