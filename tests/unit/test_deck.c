/* test_deck.c — the slide model of an APT pack (assemble/deck.h).
 *
 * A small content folder with one pack (intro, a definition, a case with a
 * facilitator note, questions, a checklist with groups, sub-items and tasks,
 * a routine, closing): the deck has its slides in agenda order with their
 * types, a checklist keeps its groups and sub-items as structure, notes are
 * in the facilitator's deck only, and a container and a reference-style link
 * in an agenda item's intro are handled per role. */
#include "../check.h"
#include "deck.h"
#include "document.h"
#include "markdown.h"
#include "theme.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmp[64];

static void put(const char *rel, const char *text) {
  char *p = path_join(tmp, rel);
  put_file(p, text, strlen(text));
  free(p);
}

static void write_content(void) {
  put("site.yaml", "title: T\nbase_url: https://t/\norganisations:\n"
                   "  - {id: kommunen, name: K, variables: {incident_system: KIA}}\n"
                   "  - {id: annan, name: A}\n"
                   "roles:\n  - {id: chef, name: Chef, can: [handledning, granskning]}\n  - {id: "
                   "medarbetare, name: M}\n");
  put("definitions/hot.md", "---\nid: hot\ntitle: Hot\nterm: Hot\nsummary: Att antyda skada.\n"
                            "---\n\nText.\n");
  put("cases/fallet.md", "---\nid: fallet\ntitle: Fallet\nsummary: Ett fall.\n---\n\n"
                         "## Situation\n\nNågon ringer.\n\n"
                         "::: handledning\nFråga först om känslor.\n:::\n\n"
                         "## Frågor\n\n1. Vad gör du?\n2. Vem ringer du?\n");
  put("checklists/lista.md", "---\nid: lista\ntitle: Listan\nsummary: En lista.\n"
                             "when: Alltid.\n---\n\n## Före\n\n- [ ] Ring\n  - numret finns\n"
                             "- [x] Skriv\n\n## Efter\n\n- [ ] Rapportera\n");
  put("routines/rutin.md", "---\nid: rutin\ntitle: Rutinen\nsummary: Så gör vi.\nversion: \"1\"\n"
                           "status: approved\napproved: 2026-01-01\napproved_by: X\n"
                           "owner: Y\nreview_interval: 12\n---\n\nText.\n");
  put("apt/paket.md",
      "---\nid: paket\ntitle: Paketet\nsummary: Om paketet.\naudience: [chef, medarbetare]\n"
      "agenda:\n"
      "  - intro: |\n"
      "      Välkomna till [träffen][t].\n\n"
      "      [t]: https://example.org/traff\n\n"
      "      ::: {roles=chef}\n      Bara för chefer.\n      :::\n\n"
      "      ::: {orgs=annan}\n      Bara för annan.\n      :::\n\n"
      "      ::: handledning\n      Hälsa alla välkomna.\n      :::\n"
      "    minutes: 5\n"
      "  - definitions: [hot]\n"
      "  - case: fallet\n"
      "  - questions: [\"Hur gör vi i {{incident_system}}?\"]\n"
      "  - checklist: lista\n"
      "  - routines: [rutin]\n"
      "  - closing: \"Tack.\"\n"
      "---\n\nText.\n");
}

static bool has_text(cmark_node *n, const char *s) {
  if (!n)
    return false;
  sbuf t = {0};
  md_text_content(n, &t);
  bool yes = strstr(sbuf_str(&t), s) != NULL;
  sbuf_free(&t);
  return yes;
}

static bool has_url(cmark_node *n, const char *url) {
  cmark_iter *it = cmark_iter_new(n);
  cmark_event_type ev;
  bool yes = false;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
    if (ev == CMARK_EVENT_ENTER && md_type_of(cmark_iter_get_node(it)) == MD_LINK &&
        strcmp(cmark_node_get_url(cmark_iter_get_node(it)), url) == 0)
      yes = true;
  cmark_iter_free(it);
  return yes;
}

static const slide *find(const slide_deck *d, slide_type t) {
  for (size_t i = 0; i < d->n; i++)
    if (d->slides[i].type == t)
      return &d->slides[i];
  return NULL;
}

static size_t count_notes(const slide_deck *d) {
  size_t n = 0;
  for (size_t i = 0; i < d->n; i++)
    n += d->slides[i].notes != NULL;
  return n;
}

typedef struct {
  vk_build *b;
  const vk_doc *pack;
  deck_texts texts;
} fixture;

static void build(fixture *f, const char *org_id, const char *role_id, bool notes,
                  slide_deck *out) {
  const vk_site *s = f->b->content->site;
  const vk_org *org = site_org(s, org_id);
  deck_texts_parse(f->pack, org, &f->texts, f->b->dg);
  deck_view v = {f->b,
                 org,
                 f->pack,
                 &f->texts,
                 site_role(s, role_id),
                 NULL,
                 notes ? deck_facilitator_role(s, NULL) : NULL,
                 NULL,
                 NULL,
                 NULL};
  deck_build(&v, out);
  deck_texts_free(&f->texts);
}

static void check_order(const slide_deck *d) {
  static const slide_type want[] = {
      SLIDE_TITLE,      SLIDE_AGENDA,  SLIDE_DIVIDER,   SLIDE_TEXT,      SLIDE_DIVIDER,
      SLIDE_DEFINITION, SLIDE_DIVIDER, SLIDE_CASE,      SLIDE_QUESTIONS, SLIDE_DIVIDER,
      SLIDE_QUESTIONS,  SLIDE_DIVIDER, SLIDE_CHECKLIST, SLIDE_DIVIDER,   SLIDE_ROUTINES,
      SLIDE_DIVIDER,    SLIDE_CLOSING};
  bool same = d->n == sizeof want / sizeof *want;
  for (size_t i = 0; same && i < d->n; i++)
    same = d->slides[i].type == want[i];
  CHECK(same,
        "slides in agenda order, each item after its divider: title, agenda, intro, "
        "definition, case, its questions, questions, checklist, routines, closing (%zu slides)",
        d->n);
}

/* A divider before each agenda item: its progress, title and minutes. */
static void check_dividers(const slide_deck *d) {
  int n = 0;
  bool progress = true;
  const slide *first = NULL;
  for (size_t i = 0; i < d->n; i++) {
    const slide *s = &d->slides[i];
    if (s->type != SLIDE_DIVIDER)
      continue;
    first = first ? first : s;
    n++;
    char want[32];
    snprintf(want, sizeof want, "Punkt %d/7", n);
    progress = progress && s->kind && strcmp(s->kind, want) == 0 && s->item == n && i + 1 < d->n &&
               d->slides[i + 1].type != SLIDE_DIVIDER;
  }
  CHECK(n == 7, "one divider slide per agenda item (%d of 7)", n);
  CHECK(progress, "each divider names its item's place (\"Punkt 3/7\") and precedes its slides");
  CHECK(first && strcmp(first->title, "Inledning") == 0 && first->lead &&
            strcmp(first->lead, "5 min") == 0,
        "a divider has the item's title and its minutes (%s, %s)", first ? first->title : "-",
        first && first->lead ? first->lead : "-");
}

/* The routines summary and the closing slide with the contacts. */
static void check_routines_closing(const slide_deck *d, const char *contact) {
  const slide *r = find(d, SLIDE_ROUTINES), *c = find(d, SLIDE_CLOSING);
  cmark_node *h = r ? cmark_node_first_child(r->body) : NULL;
  CHECK(h && md_type_of(h) == MD_HEADING && has_text(h, "Rutinen") && cmark_node_next(h) &&
            has_text(cmark_node_next(h), "Så gör vi."),
        "the routines slide sums each routine up: its title as a group, its summary");
  bool want = contact != NULL;
  CHECK(c && (want ? c->contact && strcmp(c->contact, contact) == 0 : c->contact == NULL) && r &&
            (want ? r->contact != NULL : r->contact == NULL),
        "the closing and routines slides carry the organisation's contacts (%s)",
        c && c->contact ? c->contact : "none");
}

static void check_checklist(const slide_deck *d) {
  const slide *c = find(d, SLIDE_CHECKLIST);
  cmark_node *first = c ? cmark_node_first_child(c->body) : NULL;
  CHECK(first && md_type_of(first) == MD_HEADING && has_text(first, "Före"),
        "a checklist slide starts with its first group heading");
  cmark_node *list = first ? cmark_node_next(first) : NULL;
  cmark_node *item = list ? cmark_node_first_child(list) : NULL;
  CHECK(item && md_item_is_task(item) && !md_item_checked(item), "task items stay tasks");
  cmark_node *sub = item ? cmark_node_last_child(item) : NULL;
  CHECK(sub && md_type_of(sub) == MD_LIST && has_text(sub, "numret finns"),
        "a sub-item stays a list inside its item");
  CHECK(c && has_text(c->body, "Efter") && c->lead && strstr(c->lead, "Alltid."),
        "the second group and the 'when' lead are kept");
}

int main(void) {
  md_init();
  snprintf(tmp, sizeof tmp, "/tmp/vaksam-deck-XXXXXX");
  CHECK(mkdtemp(tmp) != NULL, "a temporary content folder");
  write_content();
  diag *dg = diag_new();
  vk_content *content = document_load(tmp, NULL, dg);
  const char *root = getenv("VAKSAM_ROOT") ? getenv("VAKSAM_ROOT") : ".";
  char *theme_dir = xasprintf("%s/themes/default", root);
  vk_theme *theme = theme_load(theme_dir, dg);
  CHECK(content && theme && diag_errors(dg) == 0, "the fixture loads without errors");
  vk_build_opts opts = {0};
  vk_build b = {
      .opts = &opts, .content = content, .theme = theme, .generated = "2026-01-01", .dg = dg};
  fixture f = {&b, content ? content_find(content, "paket") : NULL, {0}};
  if (!f.pack)
    return 1;

  slide_deck staff, facilitator, other;
  build(&f, "kommunen", "medarbetare", false, &staff);
  check_order(&staff);
  check_checklist(&staff);
  check_dividers(&staff);
  check_routines_closing(&staff, "Rapportera alltid i KIA.");
  CHECK(count_notes(&staff) == 0, "a deck without a notes role has no speaker notes");
  const slide *intro = find(&staff, SLIDE_TEXT);
  CHECK(intro && has_text(intro->body, "Välkomna") &&
            has_url(intro->body, "https://example.org/traff"),
        "a reference-style link in an intro is resolved");
  CHECK(intro && !has_text(intro->body, "Bara för chefer") && !has_text(intro->body, "annan") &&
            !has_text(intro->body, "Hälsa alla"),
        "containers in an intro apply per role and organisation; notes are not on the slide");
  const slide *q = find(&staff, SLIDE_QUESTIONS);
  CHECK(q && has_text(q->body, "Vad gör du?"), "a case's questions get their own slide");
  const slide *ag = &staff.slides[staff.n > 10 ? 10 : 0];
  CHECK(has_text(ag->body, "Hur gör vi i KIA?"),
        "agenda questions get the organisation's variables");

  build(&f, "kommunen", "medarbetare", true, &facilitator);
  const slide *cs = find(&facilitator, SLIDE_CASE);
  CHECK(cs && has_text(cs->notes, "Fråga först om känslor") && !has_text(cs->body, "Fråga först"),
        "the facilitator's deck has the case's note as speaker notes, not on the slide");
  const slide *fi = find(&facilitator, SLIDE_TEXT);
  CHECK(fi && has_text(fi->notes, "Hälsa alla välkomna"),
        "an intro's facilitator note becomes notes");

  build(&f, "annan", "chef", false, &other);
  const slide *oi = find(&other, SLIDE_TEXT);
  CHECK(oi && has_text(oi->body, "Bara för chefer") && has_text(oi->body, "Bara för annan"),
        "another role and organisation see their containers");
  check_routines_closing(&other, NULL);

  slides_free(&staff);
  slides_free(&facilitator);
  slides_free(&other);
  theme_free(theme);
  content_free(content);
  free(theme_dir);
  diag_free(dg);
  rm_rf(tmp);
  return check_failures ? 1 : 0;
}
