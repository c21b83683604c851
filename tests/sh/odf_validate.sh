#!/usr/bin/env bash
# Every ODT and ODP vaksam writes is strict ODF 1.3.
#  1. The official ../shared/odf/odf-validate --strict on the stress document
#     of all CommonMark/GFM examples, a table inside a list, a slide pack, and
#     one handout of each kind per role plus every pack file of one
#     organisation.
#  2. Every other handout and pack file of the sample site through the same
#     checks in bulk: package rules (mimetype first, stored, no extra field;
#     manifest lists exactly the parts) per file, then ONE jing run over all
#     their XML against the OASIS 1.3 schema (odf-validate starts two JVMs per
#     file, which for ~600 files takes longer than the rest of the suite).
. "$(dirname "$0")/../lib.sh"
odf=$VAKSAM_ROOT/tests/data/odf   # unmodified copy of ../shared/odf (validator, OASIS schemas, licence notes)
validate=$odf/odf-validate
if [ ! -x "$validate" ]; then
  notok "odf-validate found at $validate"
  exit 0
fi
mkdir -p "$TMP/stress"
"$VAKSAM_ROOT/build/asan/tests/test_odt" --out "$TMP/stress" >/dev/null
content=$VAKSAM_ROOT/content
[ -f "$content/site.yaml" ] || content=$VAKSAM_ROOT/tests/data/mini
run_vaksam build --content "$content" --theme "$THEME" -o "$TMP/d" --format odt,odp -q
check "sample documents build" [ "$RC" -eq 0 ]

# 1. the official validator on a sample
org=$(ls -d "$TMP/d/site"/*/ | xargs -n1 basename | sort | tail -n 1)
{
  ls "$TMP/stress"/*.od?
  for role in "$TMP/d/site/$org"/*/dokument; do
    for kind in routines cases checklists; do
      id=$(ls "$content/$kind" | sed 's/\.md$//' | while read -r i; do [ -e "$role/$i.odt" ] && echo "$i" && break; done)
      [ -n "$id" ] && echo "$role/$id.odt"
    done
  done
  find "$TMP/d/site/$org" -path '*/apt/*' -name '*.od?' | sort
} >"$TMP/sample"
xargs -P 2 -n 10 "$validate" --strict <"$TMP/sample" >"$TMP/results" 2>&1
n=$(wc -l <"$TMP/sample")
okn=$(grep -c '^OK ' "$TMP/results")
if [ "$okn" -eq "$n" ] && [ "$n" -ge 8 ]; then
  ok "odf-validate --strict: all $n sampled documents are ODF 1.3"
else
  notok "odf-validate --strict: $okn of $n OK: $(grep -A3 '^FAIL' "$TMP/results" | head -20)"
fi
for f in stress.odt tabell-i-lista.odt bildspel.odp; do
  check "$f validates" grep -q "^OK .*/$f " "$TMP/results"
done

# 2. every document, in bulk
find "$TMP/d" -type f \( -name '*.odt' -o -name '*.odp' \) | sort >"$TMP/all"
total=$(wc -l <"$TMP/all")
bad=0
i=0
mkdir -p "$TMP/x"
while read -r f; do
  i=$((i + 1))
  case $f in *.odt) want=application/vnd.oasis.opendocument.text ;; *) want=application/vnd.oasis.opendocument.presentation ;; esac
  if [[ $(head -c 38 "$f" | tail -c 8) != mimetype || $(od -An -j8 -N2 -tu2 "$f" | tr -d ' ') != 0 ||
    $(od -An -j28 -N2 -tu2 "$f" | tr -d ' ') != 0 || $(unzip -p "$f" mimetype) != "$want" ]]; then
    echo "# package rule broken: $f"
    bad=$((bad + 1))
    continue
  fi
  listed=$(unzip -p "$f" META-INF/manifest.xml | grep -o 'manifest:full-path="[^"]*"' | sed 's/.*="//; s/"$//' | grep -v '^/$' | sort)
  parts=$(zipinfo -1 "$f" | grep -v -e '/$' -e '^mimetype$' -e '^META-INF/' | sort)
  if [ "$listed" != "$parts" ]; then
    echo "# manifest does not match: $f"
    bad=$((bad + 1))
  fi
  mkdir -p "$TMP/x/$i"
  unzip -qq -o "$f" content.xml styles.xml meta.xml META-INF/manifest.xml -d "$TMP/x/$i"
done <"$TMP/all"
check "package rules hold for all $total documents" [ "$bad" -eq 0 ]
find "$TMP/x" -name '*.xml' ! -path '*/META-INF/*' | sort >"$TMP/xmls"
jing -i "$odf/schema/OpenDocument-v1.3-schema.rng" $(cat "$TMP/xmls") 2>&1 | grep -v "Unable to locate" >"$TMP/jing"
check "every content, styles and meta part of all $total documents is valid ODF 1.3 ($(wc -l <"$TMP/xmls") files)" [ ! -s "$TMP/jing" ]
[ -s "$TMP/jing" ] && head -5 "$TMP/jing" | sed 's/^/# /'
jing -i "$odf/schema/OpenDocument-v1.3-manifest-schema.rng" $(find "$TMP/x" -name manifest.xml | sort) 2>&1 | grep -v "Unable to locate" >"$TMP/jingm"
check "every manifest is valid" [ ! -s "$TMP/jingm" ]
