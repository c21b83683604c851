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
# Best of 3 of wall time (T), of CPU time, user + system (CPU), and of user
# time alone (USR): on a shared machine the CPU time is steadier than the
# wall time, and the user time steadier still (writing the output costs
# system time that varies with the machine's load, not with the filters).
best3() { # label, content dir
  local label=$1 dir=$2 best="" cpu="" usr="" i c u
  for i in 1 2 3; do
    timeit "$label (run $i)" /usr/bin/time -f "%U %S" -o "$FB/cpu" "$BIN" build --content "$dir" \
      -o "$FB/out" --format html --org socialnamnden --role chef -j 1 -q
    c=$(awk '{ print $1 + $2 }' "$FB/cpu")
    u=$(awk '{ print $1 }' "$FB/cpu")
    if [ -z "$best" ] || [ "$(calc "$T < $best")" = "1.000" ]; then best=$T; fi
    if [ -z "$cpu" ] || [ "$(calc "$c < $cpu")" = "1.000" ]; then cpu=$c; fi
    if [ -z "$usr" ] || [ "$(calc "$u < $usr")" = "1.000" ]; then usr=$u; fi
  done
  T=$best
  CPU=$cpu
  USR=$usr
}
best3 "html, $NR routines, no filters" "$FB/plain"
T_NOF=$T C_NOF=$CPU U_NOF=$USR
best3 "html, $NR routines, sample filters" "$FB/filtered"
T_F=$T C_F=$CPU U_F=$USR
echo "filters: best wall $T_NOF s → $T_F s, best CPU $C_NOF s → $C_F s"
echo "filters: best user CPU $U_NOF s → $U_F s"
echo "ratio with / without filters: wall $(calc "$T_F / $T_NOF"), CPU $(calc "$C_F / $C_NOF"), user CPU $(calc "$U_F / $U_NOF")  (target ≤ 1.3)"
rm -rf "$FB"
