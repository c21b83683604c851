/* test_pattern.c — the step-counted pattern matcher (pattern.h) gives Lua
 * 5.4's own results and errors (compared with lstrlib on the same calls),
 * and a count hook stops a backtracking match inside C. */
#include "../check.h"
#include "pattern.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdbool.h>
#include <stdlib.h>

/* Calls chunk in L and returns its results (or its error) as one string. */
static char *run(lua_State *L, const char *chunk) {
  if (luaL_loadstring(L, chunk) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
    const char *e = lua_tostring(L, -1);
    const char *msg = e && strstr(e, "]:") ? strstr(e, "]:") : e; /* no chunk name */
    char *r = strdup(msg ? msg : "?");
    lua_settop(L, 0);
    return r;
  }
  char *r = strdup(lua_tostring(L, -1) ? lua_tostring(L, -1) : "nil");
  lua_settop(L, 0);
  return r;
}

static const char *const cases[] = {
    "return table.concat({string.find('hello world', 'o w')}, ',')",
    "return table.concat({string.find('hello world', 'l+')}, ',')",
    "return table.concat({string.find('hello', 'l', 1, true)}, ',')",
    "return table.concat({string.find('a.b', '.', 1, true)}, ',')",
    "return tostring(string.find('abc', 'x'))",
    "return table.concat({string.find('abc', '', 10)}, ',')",
    "return table.concat({string.find('abc', '', 4)}, ',')",
    "return table.concat({string.find('abc', 'b', -1)}, ',')",
    "return table.concat({('  trim me  '):match('^%s*(.-)%s*$')}, ',')",
    "return table.concat({('key=val; k2=v2'):match('(%w+)=(%w+)')}, ',')",
    "return table.concat({('hello'):match('()ll()')}, ',')",
    "return table.concat({('THE (quick) fox'):find('%((%a+)%)')}, ',')",
    "return ('f(a(b)c)d'):match('%b()')",
    "return ('THE quick'):match('%f[%a]%a+', 4)",
    "return table.concat({('x = [[a]] y'):match('%[(=*)%[(.-)%]%1%]')}, ',')",
    "return ('abcabc'):match('(abc)%1')",
    "return ('aaa'):match('^(a-)a$')",
    "return ('aaab'):match('a?a?b')",
    "return ('[x]'):match('[%]]')",
    "return ('a-b'):match('[a%-]+')",
    "return ('0x1F'):match('0[xX](%x+)')",
    "return ('åäö abc'):match('[\\128-\\255]+')",
    "local t = {} for k, v in ('a=1, b=2, c=3'):gmatch('(%w+)=(%w+)') do t[#t+1] = k .. v end "
    "return table.concat(t, ';')",
    "local t = {} for w in ('one two  three'):gmatch('%a+') do t[#t+1] = w end return "
    "table.concat(t, '|')",
    "local t = {} for p in ('abc'):gmatch('()') do t[#t+1] = p end return table.concat(t, ',')",
    "local t = {} for w in ('abcabc'):gmatch('b', 3) do t[#t+1] = w end return #t",
    "return table.concat({('hello world'):gsub('o', '0')}, ',')",
    "return table.concat({('hello world'):gsub('(%w+)', '<%1>')}, ',')",
    "return table.concat({('hello world'):gsub('%w+', '%0 %0', 1)}, ',')",
    "return table.concat({('abc'):gsub('', '-')}, ',')",
    "return table.concat({('$name is $age'):gsub('%$(%w+)', {name = 'Ann', age = 5})}, ',')",
    "return table.concat({('a,b'):gsub('%w', function(x) if x == 'a' then return 'A' end end)}, "
    "',')",
    "return table.concat({('abc'):gsub('^a', 'X')}, ',')",
    "return table.concat({('a b'):gsub('()', '%1')}, ',')",
    "return table.concat({('x'):gsub('x', '%%')}, ',')",
    "return select(2, pcall(string.gsub, 'x', 'x', '%2'))",
    "return select(2, pcall(string.gsub, 'x', 'x', '%z'))",
    "return select(2, pcall(string.find, 'x', '[a'))",
    "return select(2, pcall(string.find, 'x', '%'))",
    "return select(2, pcall(string.find, 'x', '(x'))",
    "return select(2, pcall(string.find, 'x', 'x)'))",
    "return select(2, pcall(string.find, 'x', '%1'))",
    "return select(2, pcall(string.find, 'x', '%f'))",
    "return select(2, pcall(string.find, 'x', '%b'))",
    "return select(2, pcall(string.gsub, 'x', 'x', true))",
    "return select(2, pcall(string.gsub, 'x', 'x', function() return {} end))",
    "return select(2, pcall(string.rep('(', 40) .. 'x' .. string.rep(')', 40) .. '', 'x'))",
    "return select(2, pcall(string.find, 'x', string.rep('(', 40) .. 'x' .. string.rep(')', 40)))",
    "return select(2, pcall(string.match, string.rep('a', 300), string.rep('a?', 300)))",
    "return tostring(('a\\0b'):find('\\0', 1, true))",
    "return tostring(('a\\0b'):find('%z'))",
    "return tostring(('a.b'):find('%.'))",
    NULL};

static lua_State *new_state(bool guarded) {
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  if (guarded)
    pattern_open(L);
  return L;
}

static void stop_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  luaL_error(L, "stopped by the hook");
}

int main(void) {
  lua_State *ref = new_state(false), *ours = new_state(true);
  for (const char *const *c = cases; *c; c++) {
    char *want = run(ref, *c), *got = run(ours, *c);
    CHECK(strcmp(want, got) == 0, "as Lua: %s (want '%s', got '%s')", *c, want, got);
    free(want);
    free(got);
  }
  /* A backtracking match runs in C; the count hook still stops it. */
  lua_sethook(ours, stop_hook, LUA_MASKCOUNT, 1000000);
  char *r = run(ours, "return string.find(string.rep('a', 3e4), '.-.-.-.-.-.-.-.-b')");
  CHECK(strstr(r, "stopped by the hook") != NULL, "the count hook stops a backtracking find (%s)",
        r);
  free(r);
  r = run(ours, "local n = 0 for _ in string.rep('a', 3e4):gmatch('a-a-a-a-a-b') do n = n + 1 end");
  CHECK(strstr(r, "stopped by the hook") != NULL, "… and gmatch (%s)", r);
  free(r);
  r = run(ours, "return (string.gsub(string.rep('ab', 2e4), '(a-)(b-)(a-)(b-)(a-)x', ''))");
  CHECK(strstr(r, "stopped by the hook") != NULL, "… and gsub (%s)", r);
  free(r);
  lua_close(ref);
  lua_close(ours);
  return check_failures ? 1 : 0;
}
