# scripts/bench.d/compounds.sh — Swedish compounds in search: recall and index size.
# Sourced by scripts/bench (BIN, W set), or run alone: bash scripts/bench.d/compounds.sh
# Writes one case per compound of the list below (a sentence with the
# compound and nothing else that matches), builds the site twice — compounds
# off (VAKSAM_COMPOUNDS=0, "before") and on ("after", the word list of
# compound.h) — and runs each query (a part of the compound) through the
# site's own search.js in node against the built index. Reports recall (the
# compound's page among the hits) before and after, and the index size
# (meta.json + idx-*.json) of this corpus and of the sample content's
# kommunen/medarbetare variant before and after. Quick: a few seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
BIN=${BIN:-${VAKSAM_BIN:-build/release/vaksam}}
[ -x "$BIN" ] || make -s build/release/vaksam
CW=${W:-$(mktemp -d)}/compounds
rm -rf "$CW" && mkdir -p "$CW/content/cases"
cp tests/data/mini/site.yaml "$CW/content/"
# query:compound — the query is a part of the compound (head or tail)
PAIRS="våld:våldsincident incident:våldsincidenten hot:telefonhot telefon:telefonhotet hot:dödshot
brev:hotbrevet larm:personlarm person:personlarmet larm:överfallslarm bedömning:riskbedömning
plan:handlingsplanen ombud:skyddsombudet rapport:incidentrapport anmälan:polisanmälan
samordnare:säkerhetssamordnaren träff:arbetsplatsträffen besök:hembesöket arbete:ensamarbete
dialog:medborgardialogen situation:jävssituation tvist:vårdnadstvisten ärende:bygglovsärendet
samtal:kvällssamtalet försök:mutförsöket kontroll:larmkontrollen plats:arbetsplatsen
miljö:arbetsmiljön chef:enhetschefen möte:sammanträdesmötet väg:flyktvägen
kollega:arbetskollegan ansvar:arbetsmiljöansvaret"
i=0
for p in $PAIRS; do
  i=$((i + 1))
  printf -- '---\nid: fall-%02d\ntitle: "Fall %02d"\n---\n\nEn mening om %s.\n' "$i" "$i" "${p#*:}" \
    >"$CW/content/cases/fall-$(printf %02d $i).md"
done
VAKSAM_COMPOUNDS=0 "$BIN" build --content "$CW/content" -o "$CW/before" --format html -q
"$BIN" build --content "$CW/content" -o "$CW/after" --format html -q
VAKSAM_COMPOUNDS=0 "$BIN" build --content content -o "$CW/sample-before" --format html -q --org kommunen --role medarbetare
"$BIN" build --content content -o "$CW/sample-after" --format html -q --org kommunen --role medarbetare
node - "$CW" "$PWD/themes/default/assets/search.js" "$PAIRS" <<'JS'
"use strict";
const fs = require("fs"), path = require("path");
const [cw, js, pairsText] = process.argv.slice(2);
const s = require(js);
const pairs = pairsText.split(/\s+/).filter(Boolean).map((p, i) => ({ q: p.split(":")[0], w: p.split(":")[1], n: i + 1 }));
const dir = (out) => path.join(cw, out, "site/kommunen/medarbetare/sok");
const size = (d) => fs.readdirSync(d).filter((f) => /^idx-.*\.json$|^meta\.json$/.test(f))
  .reduce((a, f) => a + fs.statSync(path.join(d, f)).size, 0);
async function recall(out) {
  const d = dir(out);
  const ix = s.createIndex((name) => Promise.resolve(JSON.parse(fs.readFileSync(path.join(d, name), "utf8"))));
  let found = 0;
  const missed = [];
  for (const p of pairs) {
    const res = await ix.query(p.q);
    const docs = await Promise.all(res.hits.map((h) => ix.doc(h.doc)));
    const want = `fall/fall-${String(p.n).padStart(2, "0")}.html`;
    if (docs.some((x) => x.u.endsWith(want))) found++; else missed.push(p.q + "→" + p.w);
  }
  return { found, missed };
}
(async () => {
  const b = await recall("before"), a = await recall("after");
  const pct = (x) => (100 * x / pairs.length).toFixed(0) + " %";
  console.log(`compounds: ${pairs.length} queries (a part of a compound each)`);
  console.log(`  recall before (no splitting): ${b.found}/${pairs.length} = ${pct(b.found)}`);
  console.log(`  recall after  (word list + glossary): ${a.found}/${pairs.length} = ${pct(a.found)}`);
  if (a.missed.length) console.log("  missed after: " + a.missed.join(", "));
  const kib = (x) => (x / 1024).toFixed(1) + " KiB";
  console.log(`  index size, this corpus: ${kib(size(dir("before")))} before, ${kib(size(dir("after")))} after`);
  const sb = size(dir("sample-before")), sa = size(dir("sample-after"));
  console.log(`  index size, sample content (kommunen/medarbetare): ${kib(sb)} before, ${kib(sa)} after (+${(100 * (sa - sb) / sb).toFixed(1)} %)`);
})();
JS
