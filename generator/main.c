/* main.c — the vaksam command line.
 *
 * Exit codes: 0 ok, 1 content errors (or, with --strict, warnings and
 * overdue reviews), 2 usage errors or output that cannot be written.
 */
#include "build.h"
#include "document.h"
#include "content.h"
#include "diag.h"
#include "history.h"
#include "markdown.h"
#include "render.h"
#include "review.h"
#include "safepath.h"
#include "serve.h"
#include "util.h"
#include "versions.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "usage: vaksam COMMAND [options]\n"
    "\n"
    "Commands:\n"
    "  build            build the site, handouts and APT packs into the output folder\n"
    "  check            check the content (front matter, links, filters, versions.lock)\n"
    "  serve            build and preview on http://127.0.0.1:PORT, rebuilding on save\n"
    "  new KIND TITLE   create a document (KIND: routine, case, definition, checklist, pack)\n"
    "  review           print the review state of every routine\n"
    "  review --mark ID --by NAME [--date D]\n"
    "                   record in versions.lock that routine ID was reviewed and left unchanged\n"
    "  lock             record each routine's version and content hash in versions.lock\n"
    "\n"
    "Options:\n"
    "  --content DIR    content folder (default: ./content)\n"
    "  --theme DIR      theme folder (default: ./themes/default, else the installed theme)\n"
    "  -o, --out DIR    output folder (default: ./dist)\n"
    "  --org ID         build only this organisation\n"
    "  --role ID        build only this role\n"
    "  --format LIST    build: html,odt,odp,pdf (default: html,odt,odp; pdf: the ODT and ODP\n"
    "                   files as tagged PDF too, needs LibreOffice); review: text, csv or json\n"
    "  -j, --jobs N     threads in all, rendering or writing files (default: number of cores)\n"
    "  --drafts         include drafts\n"
    "  --strict         warnings are errors; check fails on overdue routines\n"
    "  --today DATE     compute review states as of DATE (YYYY-MM-DD)\n"
    "  --force          build: build even when nothing changed since the last build\n"
    "  --port N         serve: port (default 8080)\n"
    "  -q, --quiet      no progress output\n"
    "  -h, --help       show this help\n"
    "  --version        show the version\n";

typedef struct {
  vk_build_opts b;
  const char *format;
  int port;
  const char *mark, *by, *date; /* review --mark ID --by NAME --date D */
  bool force;                   /* build: even when the output is up to date */
} cli;

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "vaksam: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, " — see `vaksam --help`\n");
  return 2;
}

static bool parse_formats(const char *s, unsigned *out) {
  unsigned f = 0;
  char *copy = xstrdup(s);
  bool ok = true;
  for (char *save = NULL, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    if (strcmp(t, "html") == 0)
      f |= FMT_HTML;
    else if (strcmp(t, "odt") == 0)
      f |= FMT_ODT;
    else if (strcmp(t, "odp") == 0)
      f |= FMT_ODP;
    else if (strcmp(t, "pdf") == 0)
      f |= FMT_PDF | FMT_ODT | FMT_ODP;
    else
      ok = false;
  }
  free(copy);
  *out = f;
  return ok && f;
}

/* The theme: --theme, else ./themes/default, else the one beside the
 * binary (build tree or installed share/vaksam). */
static char *find_theme(const char *given) {
  if (given)
    return xstrdup(given);
  if (is_dir("themes/default/templates"))
    return xstrdup("themes/default");
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash)
      *slash = 0;
    const char *rels[] = {"../share/vaksam/themes/default", "../../themes/default"};
    for (size_t i = 0; i < 2; i++) {
      char *p = xasprintf("%s/%s", exe, rels[i]);
      char *t = xasprintf("%s/templates", p);
      bool ok = is_dir(t);
      free(t);
      if (ok)
        return p;
      free(p);
    }
  }
  return xstrdup(VAKSAM_DATADIR "/themes/default");
}

static int cmd_build(cli *c, diag *dg) {
  bool up_to_date = false;
  int rc = build_run(&c->b, c->force, &up_to_date, dg);
  diag_flush(dg);
  if (rc == 0 && !c->b.quiet && up_to_date)
    fprintf(stderr,
            "vaksam: %s is up to date — nothing it depends on changed since the build that made "
            "it (--force builds anyway)\n",
            c->b.out_dir);
  else if (rc == 0 && !c->b.quiet)
    fprintf(stderr, "vaksam: built %s\n", c->b.out_dir);
  return rc;
}

static int cmd_check(cli *c, diag *dg) {
  int rc = build_check(&c->b, dg);
  int errors = diag_errors(dg), warnings = diag_warnings(dg);
  diag_flush(dg);
  if (!c->b.quiet)
    fprintf(stderr, "vaksam: %d error%s, %d warning%s\n", errors, errors == 1 ? "" : "s", warnings,
            warnings == 1 ? "" : "s");
  return rc;
}

static int cmd_lock(cli *c, diag *dg) {
  md_init();
  vk_load_opts lo = {true, c->b.today};
  vk_content *content = document_load(c->b.content_dir, &lo, dg);
  int rc = 1;
  if (content && !diag_errors(dg)) {
    char *path = path_join(content->dir, "versions.lock");
    rc = lock_write(content, path, dg) == 0 ? 0 : 2;
    if (rc == 0 && !c->b.quiet)
      fprintf(stderr, "vaksam: wrote %s\n", path);
    free(path);
  }
  content_free(content);
  diag_flush(dg);
  return rc;
}

/* The review table for a terminal: most urgent first is what the security
 * coordinator reads, but a stable id order diffs better in CI logs. */
static char *review_text(const vk_content *c, int due_soon) {
  sbuf b = {0};
  sbuf_printf(&b, "%-28s %-10s %-8s %-12s %s\n", "ROUTINE", "DUE", "VERSION", "STATE", "OWNER");
  vk_doc **docs;
  size_t n = content_of_kind(c, KIND_ROUTINE, &docs);
  for (size_t i = 0; i < n; i++) {
    vk_date due;
    vk_review_state st = review_state(docs[i], c->today, due_soon, &due);
    char ds[11];
    date_format(due, ds);
    sbuf_printf(&b, "%-28s %-10s %-8s %-12s %s\n", docs[i]->id, ds[0] ? ds : "-",
                docs[i]->version ? docs[i]->version : "-", review_state_name(st),
                docs[i]->owner ? docs[i]->owner : "-");
  }
  return sbuf_take(&b);
}

/* Each routine's approved versions, from Git or its `changes:`. */
static void load_versions(vk_content *content, diag *dg) {
  vk_history *h = content->site->history_changes ? NULL : history_open(content->dir);
  for (size_t i = 0; i < content->n_docs; i++) {
    vk_change *ch = NULL;
    size_t n = 0;
    if (h && content->docs[i]->kind == KIND_ROUTINE)
      history_for(h, content->docs[i]->path, &ch, &n);
    versions_derive(content->docs[i], ch, n, content->site, content->dir, dg);
    changes_free(ch, n);
  }
  history_free(h);
}

static int cmd_mark(cli *c, vk_content *content, diag *dg) {
  if (!c->by || !*c->by) {
    fprintf(stderr, "vaksam: review --mark needs --by \"Name\" (who reviewed it) — see "
                    "`vaksam --help`\n");
    return 2;
  }
  vk_date when = date_today(c->date ? c->date : c->b.today);
  char *path = path_join(content->dir, "versions.lock");
  int rc = lock_mark(content, path, c->mark, c->by, when, dg);
  if (rc == 0 && !c->b.quiet)
    fprintf(stderr, "vaksam: marked %s as reviewed without change in %s\n", c->mark, path);
  free(path);
  return rc;
}

static int cmd_review(cli *c, diag *dg) {
  md_init();
  vk_load_opts lo = {c->mark != NULL, c->b.today};
  vk_content *content = document_load(c->b.content_dir, &lo, dg);
  if (!content || diag_errors(dg)) {
    content_free(content);
    diag_flush(dg);
    return 1;
  }
  if (c->mark) {
    int rc = cmd_mark(c, content, dg);
    content_free(content);
    diag_flush(dg);
    return rc;
  }
  review_load_marks(content);
  load_versions(content, dg);
  int due_soon = content->site->due_soon_days > 0 ? content->site->due_soon_days : 60;
  const char *fmt = c->format ? c->format : "text";
  char *out = NULL;
  if (strcmp(fmt, "json") == 0)
    out = review_report_json(content, content->today, due_soon);
  else if (strcmp(fmt, "csv") == 0)
    out = review_report_csv(content, content->today, due_soon);
  else
    out = review_text(content, due_soon);
  fputs(out, stdout);
  free(out);
  int rc = 0;
  if (c->b.strict) {
    vk_doc **docs;
    size_t n = content_of_kind(content, KIND_ROUTINE, &docs);
    for (size_t i = 0; i < n; i++) {
      vk_date due;
      if (review_state(docs[i], content->today, due_soon, &due) == REVIEW_OVERDUE)
        rc = 1;
    }
  }
  content_free(content);
  diag_flush(dg);
  return rc;
}

static bool kind_by_name(const char *s, vk_kind *out) {
  for (int k = 0; k < KIND_COUNT; k++)
    if (strcmp(s, kind_name((vk_kind)k)) == 0 || strcmp(s, kind_folder((vk_kind)k)) == 0) {
      *out = (vk_kind)k;
      return true;
    }
  if (strcmp(s, "apt") == 0) {
    *out = KIND_PACK;
    return true;
  }
  return false;
}

/* Front matter for a new document, with every field the kind uses. */
static char *scaffold(vk_kind k, const char *id, const char *title, const char *today) {
  sbuf b = {0};
  sbuf_printf(&b, "---\nid: %s\ntitle: \"%s\"\nsummary: \"\"\n", id, title);
  switch (k) {
  case KIND_ROUTINE:
    sbuf_printf(&b,
                "version: \"0.1\"\nstatus: draft\napproved: %s\napproved_by: \"\"\n"
                "reference: \"\"\nowner: \"\"\nreview_interval: 12\n# orgs: [<organisation id>]\n"
                "# roles: [<role id>]\nrelated: []\n---\n\n## Före\n\n1. \n\n"
                "## Under\n\n1. \n\n## Efter\n\n1. \n",
                today);
    break;
  case KIND_CASE:
    sbuf_puts(&b, "duration: 15\nrelated: []\n---\n\n## Situation\n\n\n\n## Frågor\n\n1. \n\n"
                  "::: handledning\nAnteckningar för samtalsledaren.\n:::\n");
    break;
  case KIND_DEFINITION:
    sbuf_printf(&b,
                "term: \"%s\"\nsynonyms: []\nsource: \"\"\n---\n\n\n\n## Exempel\n\n- \n\n"
                "## Vad det inte är\n\n- \n",
                title);
    break;
  case KIND_CHECKLIST:
    sbuf_puts(&b, "when: \"\"\n---\n\n## Före\n\n- [ ] \n\n## Efter\n\n- [ ] \n");
    break;
  case KIND_PACK:
    sbuf_puts(&b, "# audience: [<role id>]\nduration: 60\nversion: \"0.1\"\ndraft: true\n"
                  "agenda:\n  - intro: \"\"\n    minutes: 5\n  - closing: \"\"\n    minutes: 5\n"
                  "---\n");
    break;
  default: sbuf_puts(&b, "---\n");
  }
  return sbuf_take(&b);
}

static int cmd_new(cli *c, int argc, char **argv) {
  if (argc != 2)
    return usage_error("new needs KIND and a title, e.g. `vaksam new routine \"%s\"`",
                       "Hot i telefon");
  vk_kind k;
  if (!kind_by_name(argv[0], &k))
    return usage_error("unknown kind '%s' — use routine, case, definition, checklist or pack",
                       argv[0]);
  char *id = slugify(argv[1]);
  if (!*id) {
    free(id);
    return usage_error("the title '%s' gives an empty id — use letters or digits", argv[1]);
  }
  char *dir = path_join(c->b.content_dir, kind_folder(k));
  char *file = xasprintf("%s/%s.md", dir, id);
  int rc = 0;
  if (is_file(file)) {
    fprintf(stderr, "vaksam: %s already exists — choose another title or edit that file\n", file);
    rc = 1;
  } else {
    char today[11];
    date_format(date_today(c->b.today), today);
    char *text = scaffold(k, id, argv[1], today);
    if (mkdir_p(dir) != 0 || write_file(file, text, strlen(text)) != 0) {
      fprintf(stderr, "vaksam: cannot write %s — check the folder's permissions\n", file);
      rc = 2;
    } else {
      printf("%s\n", file);
    }
    free(text);
  }
  free(file);
  free(dir);
  free(id);
  return rc;
}

enum {
  OPT_CONTENT = 256,
  OPT_THEME,
  OPT_ORG,
  OPT_ROLE,
  OPT_FORMAT,
  OPT_DRAFTS,
  OPT_STRICT,
  OPT_TODAY,
  OPT_PORT,
  OPT_VERSION,
  OPT_MARK,
  OPT_BY,
  OPT_DATE,
  OPT_FORCE
};

static const struct option long_opts[] = {{"content", required_argument, NULL, OPT_CONTENT},
                                          {"theme", required_argument, NULL, OPT_THEME},
                                          {"out", required_argument, NULL, 'o'},
                                          {"org", required_argument, NULL, OPT_ORG},
                                          {"role", required_argument, NULL, OPT_ROLE},
                                          {"format", required_argument, NULL, OPT_FORMAT},
                                          {"jobs", required_argument, NULL, 'j'},
                                          {"drafts", no_argument, NULL, OPT_DRAFTS},
                                          {"strict", no_argument, NULL, OPT_STRICT},
                                          {"today", required_argument, NULL, OPT_TODAY},
                                          {"port", required_argument, NULL, OPT_PORT},
                                          {"mark", required_argument, NULL, OPT_MARK},
                                          {"by", required_argument, NULL, OPT_BY},
                                          {"date", required_argument, NULL, OPT_DATE},
                                          {"force", no_argument, NULL, OPT_FORCE},
                                          {"quiet", no_argument, NULL, 'q'},
                                          {"help", no_argument, NULL, 'h'},
                                          {"version", no_argument, NULL, OPT_VERSION},
                                          {NULL, 0, NULL, 0}};

static int parse_int(const char *s, int min, int max, int *out) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*s == 0 || *end || v < min || v > max)
    return -1;
  *out = (int)v;
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return fputs(usage, stderr), 2;
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0)
    return fputs(usage, stdout), 0;
  if (strcmp(cmd, "--version") == 0)
    return printf("vaksam %s\n", VAKSAM_VERSION), 0;
  /* formats stay 0 until --format: serve's default differs from build's */
  cli c = {.b = {.content_dir = "content", .out_dir = "dist", .formats = 0}, .port = 8080};
  const char *theme_arg = NULL;
  int opt;
  optind = 2;
  while ((opt = getopt_long(argc, argv, "o:j:qh", long_opts, NULL)) != -1) {
    switch (opt) {
    case OPT_CONTENT: c.b.content_dir = optarg; break;
    case OPT_THEME: theme_arg = optarg; break;
    case 'o': c.b.out_dir = optarg; break;
    case OPT_ORG: c.b.org = optarg; break;
    case OPT_ROLE: c.b.role = optarg; break;
    case OPT_FORMAT:
      c.format = optarg;
      if (strcmp(cmd, "review") != 0 && !parse_formats(optarg, &c.b.formats))
        return usage_error("--format '%s' is not a list of html, odt, odp, pdf", optarg);
      break;
    case 'j':
      if (parse_int(optarg, 1, 256, &c.b.jobs) != 0)
        return usage_error("-j '%s' must be a number from 1 to 256", optarg);
      break;
    case OPT_DRAFTS: c.b.drafts = true; break;
    case OPT_STRICT: c.b.strict = true; break;
    case OPT_TODAY: {
      vk_date d;
      if (!date_parse(optarg, &d))
        return usage_error("--today '%s' must be a date YYYY-MM-DD", optarg);
      c.b.today = optarg;
      break;
    }
    case OPT_PORT:
      if (parse_int(optarg, 1, 65535, &c.port) != 0)
        return usage_error("--port '%s' must be a number from 1 to 65535", optarg);
      break;
    case OPT_MARK: c.mark = optarg; break;
    case OPT_BY: c.by = optarg; break;
    case OPT_DATE: {
      vk_date d;
      if (!date_parse(optarg, &d))
        return usage_error("--date '%s' must be a date YYYY-MM-DD", optarg);
      c.date = optarg;
      break;
    }
    case OPT_FORCE: c.force = true; break;
    case 'q': c.b.quiet = true; break;
    case 'h': return fputs(usage, stdout), 0;
    case OPT_VERSION: return printf("vaksam %s\n", VAKSAM_VERSION), 0;
    default: return 2;
    }
  }
  if (c.b.formats == 0 && strcmp(cmd, "serve") != 0)
    c.b.formats = FMT_ALL;
  if (!is_dir(c.b.content_dir) && strcmp(cmd, "new") != 0)
    return usage_error("no content folder '%s' — pass --content DIR", c.b.content_dir);
  char *theme = find_theme(theme_arg);
  c.b.theme_dir = theme;
  diag *dg = diag_new();
  diag_set_strict(dg, c.b.strict);
  int rc;
  if (strcmp(cmd, "build") == 0)
    rc = optind == argc ? cmd_build(&c, dg) : usage_error("unexpected argument '%s'", argv[optind]);
  else if (strcmp(cmd, "check") == 0)
    rc = cmd_check(&c, dg);
  else if (strcmp(cmd, "lock") == 0)
    rc = cmd_lock(&c, dg);
  else if (strcmp(cmd, "review") == 0)
    rc = cmd_review(&c, dg);
  else if (strcmp(cmd, "new") == 0)
    rc = cmd_new(&c, argc - optind, argv + optind);
  else if (strcmp(cmd, "serve") == 0)
    rc = serve_run(&c.b, c.port, dg);
  else
    rc = usage_error("unknown command '%s'", cmd);
  safepath_release();
  diag_free(dg);
  free(theme);
  return rc;
}
