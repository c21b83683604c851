#!/usr/bin/env bash
# A pack item that does not apply to a variant (a case limited to another
# organisation, a checklist for other roles) leaves nothing behind: no empty
# heading in the handouts or on the pack page, no line (nor minutes) in the
# agendas, no slide. Sample: "När det har hänt" has a case for
# arbetsmarknadsnamnden only.
. "$(dirname "$0")/../lib.sh"
content=$VAKSAM_ROOT/content
[ -f "$content/site.yaml" ] || { notok "sample content exists"; exit 0; }
for org in kommunen arbetsmarknadsnamnden; do
  run_vaksam build --content "$content" --theme "$THEME" -o "$TMP/$org" --org "$org" -q
  check "sample builds for $org" [ "$RC" -eq 0 ]
done
# level-1 sections of a handout with nothing in them, per file
cat >"$TMP/empty.py" <<'EOF'
import re, sys, zipfile
bad = 0
for f in sys.argv[1:]:
    xml = zipfile.ZipFile(f).read("content.xml").decode()
    body = xml.split("<office:text>", 1)[-1]
    parts = re.findall(r'<text:h [^>]*text:outline-level="1"[^>]*>(.*?)</text:h>(.*?)(?=<text:h [^>]*text:outline-level="1"|</office:text>)', body, re.S)
    for title, rest in parts:
        if not re.search(r"<text:(p|h|list|table)|<table:table", rest):
            print(f"# empty section '{title}' in {f}")
            bad += 1
sys.exit(1 if bad else 0)
EOF
handouts=$(find "$TMP/kommunen/site" "$TMP/arbetsmarknadsnamnden/site" -path '*/apt/*' -name '*.odt' | sort)
check "the packs have handouts" [ -n "$handouts" ]
check "no handout of a pack has an empty section ($(echo "$handouts" | wc -l) files)" python3 "$TMP/empty.py" $handouts
pages=$(find "$TMP/kommunen/site" "$TMP/arbetsmarknadsnamnden/site" -path '*/apt/*.html' -not -path '*/bildspel/*' | sort)
check "no pack page has an agenda item with only its heading ($(echo "$pages" | wc -l) pages)" \
  bash -c "! grep -Pzo '</h2>\s*</section>' $(echo $pages) >/dev/null"
fall() { # ORG FILE PART: how many "Fall" items stand in that part
  unzip -p "$TMP/$1/site/$1/chef/apt/nar-det-har-hant/$2" content.xml | grep -o "$3" | wc -l
}
check "the participant handout of kommunen has one case item, arbetsmarknadsnamnden's two" \
  bash -c "[ $(fall kommunen deltagare.odt '>Fall</text:h>') -eq 1 ] && [ $(fall arbetsmarknadsnamnden deltagare.odt '>Fall</text:h>') -eq 2 ]"
check "the facilitator's agenda table drops the case with its minutes (kommunen 1 row, arbetsmarknadsnamnden 2)" \
  bash -c "[ $(fall kommunen handledning.odt '>Fall</text:p>') -eq 1 ] && [ $(fall arbetsmarknadsnamnden handledning.odt '>Fall</text:p>') -eq 2 ]"
check "the agenda slide lists the case once for kommunen, twice for arbetsmarknadsnamnden" \
  bash -c "[ $(fall kommunen bildspel.odp '>Fall (15 min)') -eq 1 ] && [ $(fall arbetsmarknadsnamnden bildspel.odp '>Fall (15 min)') -eq 2 ]"
minutes() { # ORG: the minutes of the facilitator's agenda table, summed
  unzip -p "$TMP/$1/site/$1/chef/apt/nar-det-har-hant/handledning.odt" content.xml |
    grep -o 'P_Right">[0-9]*<' | grep -o '[0-9]*' | awk '{s += $1} END {print s + 0}'
}
check "the dropped case's minutes leave the agenda ($(minutes arbetsmarknadsnamnden) − $(minutes kommunen) min)" \
  [ $(($(minutes arbetsmarknadsnamnden) - $(minutes kommunen))) -gt 0 ]
