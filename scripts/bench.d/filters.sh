# filters.sh — cost of the Lua filter chain (issue #3), sourced by scripts/bench.
#
# An HTML build of all N routines ($W/routines-all, kept by scripts/bench
# before it cuts $C down to 200) for one variant with the deepest sample
# chain — site.lua, kommunen.lua, socialnamnden.lua, chef.lua (and
# vanliga.lua through require) — against the same build with the same
# site.yaml minus its `filters:` lines. Best of 3 runs each, -j 1.
# Target (issue #3): with filters ≤ 1.3× without.
[ -x /usr/bin/time ] || { echo "filters: skipped (needs /usr/bin/time)"; return 0; }
FB=$W/filters-bench
rm -rf "$FB"
for v in plain filtered; do
  mkdir -p "$FB/$v"
  cp -r "$W/routines-all" "$FB/$v/routines"
done
cp content/site.yaml "$FB/filtered/site.yaml"
grep -v '^ *filters:' content/site.yaml >"$FB/plain/site.yaml"
cp -r content/filters "$FB/filtered/filters"
NR=$(ls "$FB/plain/routines" | wc -l)
# Best of 3 of wall time (T) and of CPU time, user + system (CPU): on a
# shared machine the CPU time is the steadier of the two.
best3() { # label, content dir
  local label=$1 dir=$2 best="" cpu="" i c
  for i in 1 2 3; do
    timeit "$label (run $i)" /usr/bin/time -f "%U %S" -o "$FB/cpu" "$BIN" build --content "$dir" \
      -o "$FB/out" --format html --org socialnamnden --role chef -j 1 -q
    c=$(awk '{ print $1 + $2 }' "$FB/cpu")
    if [ -z "$best" ] || [ "$(calc "$T < $best")" = "1.000" ]; then best=$T; fi
    if [ -z "$cpu" ] || [ "$(calc "$c < $cpu")" = "1.000" ]; then cpu=$c; fi
  done
  T=$best
  CPU=$cpu
}
best3 "html, $NR routines, no filters" "$FB/plain"
T_NOF=$T C_NOF=$CPU
best3 "html, $NR routines, sample filters" "$FB/filtered"
T_F=$T C_F=$CPU
echo "filters: best wall $T_NOF s → $T_F s, best CPU $C_NOF s → $C_F s"
echo "ratio with / without filters: wall $(calc "$T_F / $T_NOF"), CPU $(calc "$C_F / $C_NOF")  (target ≤ 1.3)"
rm -rf "$FB"
