#!/usr/bin/env bash
# lint.sh — the sources are cppcheck clean and formatted as .clang-format says.
. "$(dirname "$0")/../lib.sh"
cd "$VAKSAM_ROOT" || exit 1
srcs=(generator/*.c generator/*/*.c generator/*/*.h tests/unit/*.c tests/fuzz/*.c tests/tools/*.c)
if command -v cppcheck >/dev/null; then
  if make -s lint >"$TMP/cppcheck" 2>&1; then
    ok "cppcheck finds nothing (make lint)"
  else
    notok "cppcheck finds nothing (make lint)"
    grep -E 'warning|error' "$TMP/cppcheck" | head -20 | sed 's/^/# /'
  fi
else
  notok "cppcheck is installed (scripts/setup test installs it)"
fi
if command -v clang-format >/dev/null; then
  unformatted=()
  for f in "${srcs[@]}"; do
    clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
  done
  check "every C source is clang-formatted (make format)${unformatted:+: ${unformatted[*]}}" \
    [ ${#unformatted[@]} -eq 0 ]
else
  notok "clang-format is installed (scripts/setup test installs it)"
fi
