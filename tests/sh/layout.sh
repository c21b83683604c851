#!/usr/bin/env bash
# layout.sh — generator/ shows the pipeline's stages, and modules depend on
# their own stage or earlier ones only (so there are no cycles between
# modules), as the Makefile's STAGES lists them.
. "$(dirname "$0")/../lib.sh"
cd "$VAKSAM_ROOT/generator" || exit 1
stages=$(sed -n 's/^STAGES := //p' ../Makefile)
check "the Makefile names the stages (base load parse variant write assemble publish)" \
  [ "$stages" = "base load parse variant write assemble publish" ]
declare -A rank # header name → stage rank
i=0
for s in $stages; do
  check "generator/$s/ holds modules" [ -n "$(compgen -G "$s/*.c")" ]
  for h in "$s"/*.h; do rank[$(basename "$h")]=$i; done
  i=$((i + 1))
done
loose=$(find . -maxdepth 1 -name '*.[ch]' ! -name main.c | sort)
check "no module outside a stage folder but main.c${loose:+: $loose}" [ -z "$loose" ]

bad=()
i=0
for s in $stages; do
  for f in "$s"/*.[ch]; do
    while read -r inc; do
      r=${rank[$inc]:-}
      if [ -z "$r" ]; then
        bad+=("$f includes $inc, which is in no stage")
      elif [ "$r" -gt "$i" ]; then
        bad+=("$f ($s) includes $inc of a later stage")
      fi
    done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
  done
  i=$((i + 1))
done
check "every include goes to the same or an earlier stage${bad:+: ${bad[*]}}" [ ${#bad[@]} -eq 0 ]
for b in "${bad[@]}"; do echo "# $b"; done

# Every module's header opens with a comment (its concern and invariants).
nohead=()
for h in */*.h; do head -1 "$h" | grep -q '^/\*' || nohead+=("$h"); done
check "every header starts with a comment stating its concern${nohead:+: ${nohead[*]}}" \
  [ ${#nohead[@]} -eq 0 ]

# The README's module table names every module.
missing=()
for c in */*.c; do
  m=$(basename "$c" .c)
  grep -q "\`$m\`" ../README.md || missing+=("$m")
done
check "the README's module table names every module${missing:+: ${missing[*]}}" \
  [ ${#missing[@]} -eq 0 ]
