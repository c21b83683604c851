# filters.sh — cost of the Lua filter chain (issue #3), sourced by scripts/bench.
#
# An HTML build of all N routines ($W/routines-all, kept by scripts/bench
# before it cuts $C down to 200) for one variant with the deepest sample
# chain — site.lua, kommunen.lua, socialnamnden.lua, chef.lua (and
# vanliga.lua through require) — against the same build with the same
# site.yaml minus its `filters:` lines. Best of 3 runs each, -j 1.
# Target (issue #3): with filters ≤ 1.3× without.
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
best3() { # label, content dir → best of three in T
  local label=$1 dir=$2 best="" i
  for i in 1 2 3; do
    timeit "$label (run $i)" "$BIN" build --content "$dir" -o "$FB/out" --format html \
      --org socialnamnden --role chef -j 1 -q
    if [ -z "$best" ] || [ "$(calc "$T < $best")" = "1.000" ]; then best=$T; fi
  done
  T=$best
}
best3 "html, $NR routines, no filters" "$FB/plain"
T_NOF=$T
best3 "html, $NR routines, sample filters" "$FB/filtered"
T_F=$T
echo "filters: best no filters $T_NOF s, best sample filters $T_F s"
echo "ratio with / without filters: $(calc "$T_F / $T_NOF")  (target ≤ 1.3)"
rm -rf "$FB"
