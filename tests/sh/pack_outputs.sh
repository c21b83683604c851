#!/usr/bin/env bash
# APT pack files: filters are told their format (handouts "odt", slides
# "odp"), and every absolute link in a pack file points at a file and
# anchor that exist in the built site.
. "$(dirname "$0")/../lib.sh"
c=$TMP/content
cp -r "$VAKSAM_ROOT/content" "$c"
cat >"$c/filters/format.lua" <<'LUA'
-- appends the output format to every case's first paragraph
return {Para = function(p)
  if vaksam.context.document.kind == "case" then
    table.insert(p.content, pandoc.Str(" [format:" .. vaksam.context.format .. "]"))
    return p
  end
end}
LUA
sed -i 's/^filters: \[site.lua\]/filters: [site.lua, format.lua]/' "$c/site.yaml"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/d" -q
check "build with a format filter exits 0" [ "$RC" -eq 0 ]
pack=$(dirname "$(find "$TMP/d/site" -path '*/apt/*/handledning.odt' | sort | head -1)")
text() { unzip -p "$1" content.xml; }
check "deltagare.odt's filters see odt" bash -c "unzip -p '$pack/deltagare.odt' content.xml | grep -q 'format:odt' && ! unzip -p '$pack/deltagare.odt' content.xml | grep -q 'format:odp'"
check "handledning.odt's filters see odt" bash -c "unzip -p '$pack/handledning.odt' content.xml | grep -q 'format:odt'"
check "bildspel.odp's filters see odp" bash -c "unzip -p '$pack/bildspel.odp' content.xml | grep -q 'format:odp' && ! unzip -p '$pack/bildspel.odp' content.xml | grep -q 'format:odt'"
base=$(sed -n 's/^base_url: *//p' "$c/site.yaml")
bad=0 n=0
while read -r url; do
  n=$((n + 1))
  path=${url#"$base"}
  file=${path%%#*}
  anchor=
  [[ $url == *#* ]] && anchor=${url#*#}
  if [ ! -f "$TMP/d/site/$file" ]; then
    echo "# missing file: $url"
    bad=$((bad + 1))
  elif [ -n "$anchor" ] && ! grep -q "id=\"$anchor\"" "$TMP/d/site/$file"; then
    echo "# missing anchor: $url"
    bad=$((bad + 1))
  fi
done < <(find "$TMP/d/site" -path '*/apt/*' \( -name '*.odt' -o -name '*.odp' \) | while read -r f; do
  unzip -p "$f" content.xml | grep -o 'xlink:href="[^"]*"' | sed 's/^xlink:href="//; s/"$//'
done | grep "^$base" | sed 's/&amp;/\&/g' | sort -u)
check "pack files link to files and anchors that exist in the site ($n links, $bad broken)" [ "$n" -gt 0 -a "$bad" -eq 0 ]
