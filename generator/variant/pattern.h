/* pattern.h — Lua 5.4's pattern functions with a step budget.
 *
 * string.find, string.match, string.gmatch and string.gsub as Lua 5.4
 * defines them (same results, same errors), on a matcher written for the
 * filter sandbox: a backtracking pattern such as '.-.-.-.-b' takes time
 * exponential in its quantifiers, and Lua's own matcher runs all of it
 * inside C, where the instruction hook never fires. This one calls the
 * state's count hook (lua_gethook) after every PATTERN_STEPS steps of
 * matching — as the VM calls it after every N instructions — so the
 * instruction and time bounds of the hook (filter.c) hold inside matching
 * too: the hook raises its error and the match is abandoned. The matcher
 * holds no memory of its own (only the Lua stack and luaL_Buffer), so an
 * error leaves nothing behind. Without a count hook it runs unbounded.
 */
#ifndef VK_PATTERN_H
#define VK_PATTERN_H

#include <lua.h>

#define PATTERN_STEPS 10000 /* matching steps per call of the count hook */

/* Replaces find, match, gmatch and gsub in the `string` table (and so in
 * the methods of every string) of L. */
void pattern_open(lua_State *L);

#endif
