/* pdf.c — see pdf.h. */
#include "pdf.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static bool executable(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static char *find_soffice(void) {
  const char *given = getenv("VAKSAM_SOFFICE");
  if (given)
    return *given && executable(given) ? xstrdup(given) : NULL;
  const char *path = getenv("PATH");
  static const char *const names[] = {"soffice", "libreoffice"};
  for (size_t i = 0; i < 2; i++) {
    const char *p = path ? path : "/usr/bin:/bin", *word;
    size_t len;
    while (*p) {
      const char *colon = strchr(p, ':');
      len = colon ? (size_t)(colon - p) : strlen(p);
      word = p;
      char *cand = xasprintf("%.*s/%s", (int)len, word, names[i]);
      if (len && executable(cand))
        return cand;
      free(cand);
      p += len + (colon != NULL);
    }
  }
  return NULL;
}

char *pdf_converter(diag *dg) {
  char *s = find_soffice();
  if (!s)
    diag_error(dg, NULL, 0, 0,
               "--format pdf needs LibreOffice (soffice), which is not installed — install it "
               "(apt-get install libreoffice) or build without pdf");
  return s;
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file under dir ending in `suffix`, in sorted order. */
static void collect(const char *dir, const char *suffix, vec *out) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  vec names = {0};
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.')
      vec_push(&names, xstrdup(e->d_name));
  closedir(d);
  vk_sort(names.items, names.n, sizeof(void *), cmp_name);
  for (size_t i = 0; i < names.n; i++) {
    char *p = path_join(dir, names.items[i]);
    if (is_dir(p)) {
      collect(p, suffix, out);
      free(p);
    } else if (str_ends_with(p, suffix) && is_file(p)) {
      vec_push(out, p);
    } else {
      free(p);
    }
    free(names.items[i]);
  }
  vec_free(&names);
}

static int run(char *const argv[]) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
    }
    execv(argv[0], argv);
    _exit(127);
  }
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* One LibreOffice call for `files` (of one family): numbered links in
 * work/in, PDFs from work/out moved beside their sources; the profile lives
 * in `profile_dir`, shared by the calls of one build. */
static int convert_batch(const char *soffice, const char *profile_dir, const char *work,
                         const vec *files, const char *filter, const char *ext, diag *dg) {
  if (!files->n)
    return 0;
  char *in = path_join(work, "in"), *outdir = path_join(work, "out"),
       *profile = xasprintf("-env:UserInstallation=file://%s", profile_dir);
  mkdir_p(in);
  mkdir_p(outdir);
  char **argv = xcalloc(files->n + 8, sizeof *argv);
  size_t a = 0;
  argv[a++] = (char *)soffice;
  argv[a++] = profile;
  argv[a++] = "--headless";
  argv[a++] = "--convert-to";
  char *to = xasprintf("pdf:%s:{\"UseTaggedPDF\":{\"type\":\"boolean\",\"value\":\"true\"},"
                       "\"PDFUACompliance\":{\"type\":\"boolean\",\"value\":\"true\"}}",
                       filter);
  argv[a++] = to;
  argv[a++] = "--outdir";
  argv[a++] = outdir;
  int rc = 0;
  for (size_t i = 0; i < files->n; i++) {
    char *abs = realpath(files->items[i], NULL);
    char *link = xasprintf("%s/%05zu%s", in, i, ext);
    if (!abs || symlink(abs, link) != 0) {
      diag_error(dg, files->items[i], 0, 0, "cannot prepare the file for PDF (%s)",
                 strerror(errno));
      rc = 2;
    }
    argv[a++] = link;
    free(abs);
  }
  if (rc == 0 && run(argv) != 0) {
    diag_error(dg, NULL, 0, 0,
               "LibreOffice (%s) failed to convert the %s files to PDF — run it by hand to see why",
               soffice, ext);
    rc = 2;
  }
  for (size_t i = 0; rc == 0 && i < files->n; i++) {
    const char *src = files->items[i];
    char *pdf = xasprintf("%s/%05zu.pdf", outdir, i);
    char *dest = xasprintf("%.*s.pdf", (int)(strlen(src) - strlen(ext)), src);
    if (rename(pdf, dest) != 0) {
      diag_error(dg, src, 0, 0, "LibreOffice wrote no PDF of this file — open it in LibreOffice");
      rc = 2;
    }
    free(dest);
    free(pdf);
  }
  for (size_t i = 7; i < a; i++)
    free(argv[i]);
  free(argv);
  free(to);
  free(profile);
  free(outdir);
  free(in);
  return rc;
}

/* LibreOffice 7.4 converts at most 248 of the files named on one command
 * line and exits 0 without a word about the rest: calls of at most this
 * many files each. */
enum { PDF_BATCH = 200 };

/* `files` in calls of at most PDF_BATCH, each in its own folder below work. */
static int convert_all(const char *soffice, const char *work, const vec *files, const char *filter,
                       const char *ext, diag *dg) {
  char *profile = path_join(work, "profile");
  int rc = 0;
  for (size_t from = 0; rc == 0 && from < files->n; from += PDF_BATCH) {
    vec part = *files;
    part.items = files->items + from;
    part.n = files->n - from < PDF_BATCH ? files->n - from : PDF_BATCH;
    char *dir = xasprintf("%s/%s-%zu", work, ext + 1, from / PDF_BATCH);
    rc = convert_batch(soffice, profile, dir, &part, filter, ext, dg);
    free(dir);
  }
  free(profile);
  return rc;
}

int pdf_convert_tree(const char *root, diag *dg) {
  char *soffice = pdf_converter(dg);
  if (!soffice)
    return 2;
  vec odt = {0}, odp = {0};
  collect(root, ".odt", &odt);
  collect(root, ".odp", &odp);
  char *work = path_join(root, ".pdf-work");
  rm_rf(work);
  int rc = convert_all(soffice, work, &odt, "writer_pdf_Export", ".odt", dg);
  if (rc == 0)
    rc = convert_all(soffice, work, &odp, "impress_pdf_Export", ".odp", dg);
  rm_rf(work);
  free(work);
  vec_free_items(&odt);
  vec_free_items(&odp);
  vec_free(&odt);
  vec_free(&odp);
  free(soffice);
  return rc;
}
