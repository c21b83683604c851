# scripts/bench.d/packs.sh — sourced by scripts/bench (N, BIN, W, C, timeit, calc).
# Times APT packs and ODT handouts with an embedded image:
#   1. packs: ORGS organisations × P packs (each with definitions, a case, a
#      checklist and routines from the corpus), --format odp (writes
#      bildspel.odp, deltagare.odt, handledning.odt, the checklist and the
#      zip of every pack), -j 1; reported per pack and organisation.
#   2. handouts: the corpus routines with a PNG in each, --format odt -j 1,
#      per handout; and the same without images, to show what images cost.
# Each time includes loading the content once; with many outputs that is small.
PK=$W/packs-content
rm -rf "$PK"
mkdir -p "$PK/definitions" "$PK/cases" "$PK/checklists" "$PK/apt" "$PK/images"
cp -R "$C/routines" "$PK/routines"
ORGS=4
P=5
{
  echo "title: Benchmark"
  echo "base_url: https://bench.example/"
  echo "organisations:"
  for o in $(seq 1 $ORGS); do
    printf '  - id: org%d\n    name: Förvaltning %d\n    variables: {incident_system: KIA}\n' "$o" "$o"
  done
  printf 'roles:\n  - id: chef\n    name: Chef\n    can: [handledning, granskning]\n  - id: medarbetare\n    name: Medarbetare\n'
} >"$PK/site.yaml"
for d in 1 2 3; do
  printf -- '---\nid: begrepp-%d\ntitle: Begrepp %d\nsummary: Ett begrepp om påverkan nummer %d.\n---\n\nEtt begrepp förklaras här med ett par meningar om vad det är och inte är.\n\n## Exempel\n\n- Ett exempel.\n- Ett annat exempel.\n' "$d" "$d" "$d" >"$PK/definitions/begrepp-$d.md"
done
printf -- '---\nid: fallet\ntitle: Fallet på fredagen\nsummary: En handläggare får ett hotfullt samtal.\nduration: 15\n---\n\n## Situation\n\nEn handläggare får ett samtal från en missnöjd person som säger att hen vet var handläggaren bor.\n\n![Kedjan från rapport till åtgärd](../images/kedja.png)\n\n## Frågor\n\n1. Vad skulle du göra?\n2. Vem berättar du det för?\n\n::: {.handledning}\nLyft fram rutinen för rapportering.\n:::\n' >"$PK/cases/fallet.md"
printf -- '---\nid: efter\ntitle: Efter ett hotfullt samtal\nwhen: Direkt efter samtalet\n---\n\n## Direkt\n\n- [ ] Skriv ner vad som sades\n- [ ] Berätta för din chef\n- [ ] Rapportera i {{incident_system}}\n' >"$PK/checklists/efter.md"
cp content/images/rapporteringskedjan.png "$PK/images/kedja.png"
rfiles=("$PK"/routines/*.md) # a glob, not ls | head: no SIGPIPE under pipefail
routines=$(for f in "${rfiles[@]:0:3}"; do basename "$f" .md; done | paste -sd, -)
for p in $(seq 1 $P); do
  printf -- '---\nid: pack-%d\ntitle: Arbetsplatsträff %d\nsummary: En träff om otillåten påverkan.\naudience: [chef, medarbetare]\nduration: 60\nversion: "1.0"\nagenda:\n  - intro: "Vi pratar om påverkan i {{incident_system}}."\n    minutes: 5\n  - definitions: [begrepp-1, begrepp-2, begrepp-3]\n    minutes: 10\n  - case: fallet\n    minutes: 20\n  - questions: {title: "Hur har vi det?", items: ["Var går gränsen?", "Vad gör vi då?"]}\n    minutes: 15\n  - checklist: efter\n  - routines: [%s]\n  - closing: "Tack!"\n    minutes: 5\n---\n' "$p" "$p" "$routines" >"$PK/apt/pack-$p.md"
done
label_run "vaksam packs ($P packs × $ORGS orgs, odp, -j 1)" "$BIN" build --content "$PK" -o "$W/dist-packs" --format odp -j 1 -q
T_P=$T
n_packs=$(find "$W/dist-packs/site" -path "*/apt/*" -name bildspel.odp | wc -l)
echo "per APT pack and organisation (bildspel.odp, deltagare/handledning/checklist .odt, zip): $(calc "1000 * $T_P / ($n_packs > 0 ? $n_packs : 1)") ms ($n_packs packs)"

# handouts with an image: the corpus routines, one org, one role
HI=$W/handouts-img
rm -rf "$HI"
cp -R "$C" "$HI"
mkdir -p "$HI/images"
cp content/images/rapporteringskedjan.png "$HI/images/kedja.png"
for f in "$HI"/routines/*.md; do
  printf '\n![Kedjan från rapport till åtgärd](../images/kedja.png "Kedjan")\n' >>"$f"
done
label_run "vaksam odt handouts without images (-j 1)" "$BIN" build --content "$C" -o "$W/dist-noimg" --format odt -j 1 -q
T_H0=$T
label_run "vaksam odt handouts with an image (-j 1)" "$BIN" build --content "$HI" -o "$W/dist-img" --format odt -j 1 -q
T_H1=$T
n_h=$(find "$W/dist-img/site" -path '*/dokument/*.odt' | wc -l)
echo "per ODT handout: $(calc "1000 * $T_H1 / ($n_h > 0 ? $n_h : 1)") ms with a 30 KiB PNG, $(calc "1000 * $T_H0 / ($n_h > 0 ? $n_h : 1)") ms without ($n_h handouts)"
