/* serve.c — see serve.h. */
#include "serve.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  char root_real[PATH_MAX]; /* realpath of the output folder */
  pthread_mutex_t lock;
  pthread_cond_t changed;
  unsigned long generation; /* bumped after every rebuild */
  char *errors;             /* diagnostics of a failed build, or NULL */
  volatile bool stopping;
} server;

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

/* ---- paths ------------------------------------------------------------- */

char *serve_resolve(const char *root_real, const char *url) {
  if (!url || url[0] != '/' || strchr(url, '\\') || strstr(url, "/../") || strstr(url, "/..\0") ||
      strstr(url, "%2e") || strstr(url, "%2E"))
    return NULL;
  size_t ul = strlen(url);
  if (ul >= 3 && strcmp(url + ul - 3, "/..") == 0)
    return NULL;
  char *joined = xasprintf("%s%s", root_real, url);
  struct stat st;
  if (stat(joined, &st) == 0 && S_ISDIR(st.st_mode)) {
    char *index = xasprintf("%s/index.html", joined);
    free(joined);
    joined = index;
  }
  char real[PATH_MAX];
  char *ok = realpath(joined, real);
  free(joined);
  size_t n = strlen(root_real);
  if (!ok || strncmp(real, root_real, n) != 0 || (real[n] != '/' && real[n] != 0))
    return NULL; /* missing, or a symlink pointing out of the folder */
  return xstrdup(real);
}

static const char *content_type(const char *path) {
  static const char *const types[][2] = {
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".xml", "application/xml"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".odt", "application/vnd.oasis.opendocument.text"},
      {".odp", "application/vnd.oasis.opendocument.presentation"},
      {".zip", "application/zip"},
      {".csv", "text/csv; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
  };
  const char *dot = strrchr(path, '.');
  for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
    if (strcmp(dot, types[i][0]) == 0)
      return types[i][1];
  return "application/octet-stream";
}

/* ---- responses --------------------------------------------------------- */

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *type,
                                 const char *text) {
  struct MHD_Response *r =
      MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
  MHD_add_response_header(r, "Content-Type", type);
  MHD_add_response_header(r, "Cache-Control", "no-store");
  enum MHD_Result ret = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ret;
}

static enum MHD_Result send_errors(struct MHD_Connection *c, const char *errors) {
  sbuf b = {0};
  sbuf_puts(&b, "<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\">"
                "<title>Fel i innehållet – vaksam</title></head><body>"
                "<main><h1>Bygget misslyckades</h1><p>Rätta felen nedan och spara filen; "
                "sidan laddas om av sig själv.</p><pre>");
  html_escape(&b, errors, strlen(errors));
  sbuf_puts(&b, "</pre></main><script src=\"/site/assets/reload.js\"></script></body></html>");
  enum MHD_Result r = send_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", sbuf_str(&b));
  sbuf_free(&b);
  return r;
}

static enum MHD_Result send_file(struct MHD_Connection *c, const char *path, unsigned status) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0)
      close(fd);
    return send_text(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", "Hittades inte.\n");
  }
  struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
  MHD_add_response_header(r, "Content-Type", content_type(path));
  MHD_add_response_header(r, "Cache-Control", "no-store");
  enum MHD_Result ret = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ret;
}

typedef struct {
  server *s;
  unsigned long seen;
  bool greeted;
} sse_stream;

/* Server-sent events: "reload" after each rebuild, a comment every 15 s
 * (keeps proxies and the browser from closing the stream). */
static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max) {
  (void)pos;
  sse_stream *st = cls;
  server *s = st->s;
  if (!st->greeted) {
    st->greeted = true;
    return snprintf(buf, max, "retry: 1000\n\n");
  }
  pthread_mutex_lock(&s->lock);
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 15;
  while (!s->stopping && s->generation == st->seen)
    if (pthread_cond_timedwait(&s->changed, &s->lock, &until) == ETIMEDOUT)
      break;
  bool stopping = s->stopping, changed = s->generation != st->seen;
  st->seen = s->generation;
  pthread_mutex_unlock(&s->lock);
  if (stopping)
    return MHD_CONTENT_READER_END_OF_STREAM;
  if (changed)
    return snprintf(buf, max, "event: reload\ndata: %lu\n\n", st->seen);
  return snprintf(buf, max, ": keep-alive\n\n");
}

static enum MHD_Result send_events(struct MHD_Connection *c, server *s) {
  sse_stream *st = xcalloc(1, sizeof *st);
  st->s = s;
  pthread_mutex_lock(&s->lock);
  st->seen = s->generation;
  pthread_mutex_unlock(&s->lock);
  struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 256, sse_read, st, free);
  MHD_add_response_header(r, "Content-Type", "text/event-stream");
  MHD_add_response_header(r, "Cache-Control", "no-store");
  enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
  MHD_destroy_response(r);
  return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls) {
  (void)version;
  (void)upload;
  (void)upload_size;
  (void)con_cls;
  server *s = cls;
  if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
    struct MHD_Response *r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Allow", "GET, HEAD");
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, r);
    MHD_destroy_response(r);
    return ret;
  }
  if (strcmp(url, "/") == 0) {
    struct MHD_Response *r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Location", "/site/index.html");
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_FOUND, r);
    MHD_destroy_response(r);
    return ret;
  }
  if (strcmp(url, "/__vaksam/events") == 0)
    return send_events(c, s);
  char *path = serve_resolve(s->root_real, url);
  pthread_mutex_lock(&s->lock);
  char *errors = s->errors ? xstrdup(s->errors) : NULL;
  pthread_mutex_unlock(&s->lock);
  enum MHD_Result ret;
  if (errors && (!path || strcmp(content_type(path), "text/html; charset=utf-8") == 0)) {
    ret = send_errors(c, errors);
  } else if (path) {
    ret = send_file(c, path, MHD_HTTP_OK);
  } else {
    char *nf = xasprintf("%s/site/404.html", s->root_real);
    ret = send_file(c, nf, MHD_HTTP_NOT_FOUND);
    free(nf);
  }
  free(errors);
  free(path);
  return ret;
}

/* ---- watching ---------------------------------------------------------- */

static void watch_tree(int fd, const char *dir) {
  inotify_add_watch(fd, dir, IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                                 IN_MODIFY | IN_ONLYDIR);
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char *sub = path_join(dir, e->d_name);
    if (is_dir(sub))
      watch_tree(fd, sub);
    free(sub);
  }
  closedir(d);
}

/* True when something changed (new folders are watched as well). */
static bool drain_events(int fd, const vk_build_opts *o) {
  char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
  bool any = false;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    any = true;
    for (char *p = buf; p < buf + n;) {
      struct inotify_event *ev = (struct inotify_event *)p;
      if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO))) {
        /* re-scan: cheap, and inotify gives only the name, not the folder path */
        watch_tree(fd, o->content_dir);
      }
      p += sizeof *ev + ev->len;
    }
  }
  return any;
}

static void rebuild(server *s, const vk_build_opts *o) {
  diag *dg = diag_new();
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int rc = build_run(o, dg);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  char *text = diag_text(dg);
  if (*text)
    fputs(text, stderr);
  double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
  if (!o->quiet)
    fprintf(stderr, "vaksam: %s in %.0f ms\n", rc == 0 ? "rebuilt" : "build failed", ms);
  pthread_mutex_lock(&s->lock);
  free(s->errors);
  s->errors = rc == 0 ? NULL : xstrdup(*text ? text : "the build failed");
  s->generation++;
  pthread_cond_broadcast(&s->changed);
  pthread_mutex_unlock(&s->lock);
  free(text);
  diag_free(dg);
}

int serve_run(const vk_build_opts *given, int port, diag *dg) {
  vk_build_opts o = *given;
  o.serve = true;
  o.formats = FMT_HTML;
  server s = {0};
  pthread_mutex_init(&s.lock, NULL);
  pthread_cond_init(&s.changed, NULL);
  rebuild(&s, &o);
  if (!realpath(o.out_dir, s.root_real)) {
    diag_error(dg, o.out_dir, 0, 0, "nothing was built, so there is nothing to serve — fix the errors above");
    diag_flush(dg);
    return 1;
  }
  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  struct MHD_Daemon *d = MHD_start_daemon(
      MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
      (uint16_t)port, NULL, NULL, handle, &s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
      MHD_OPTION_CONNECTION_LIMIT, 64u, MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
  if (!d) {
    diag_error(dg, NULL, 0, 0, "cannot listen on 127.0.0.1:%d — is the port in use? Try --port", port);
    diag_flush(dg);
    free(s.errors);
    return 2;
  }
  fprintf(stderr, "vaksam: serving http://127.0.0.1:%d/ (Ctrl-C stops)\n", port);
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  watch_tree(fd, o.content_dir);
  watch_tree(fd, o.theme_dir);
  while (!stop_requested) {
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, 250) <= 0 || !drain_events(fd, &o))
      continue;
    /* Editors write a file in several steps: wait until it is quiet. */
    do
      usleep(60 * 1000);
    while (drain_events(fd, &o));
    rebuild(&s, &o);
  }
  close(fd);
  pthread_mutex_lock(&s.lock);
  s.stopping = true;
  pthread_cond_broadcast(&s.changed);
  pthread_mutex_unlock(&s.lock);
  MHD_stop_daemon(d);
  free(s.errors);
  pthread_cond_destroy(&s.changed);
  pthread_mutex_destroy(&s.lock);
  fprintf(stderr, "vaksam: stopped\n");
  return 0;
}
