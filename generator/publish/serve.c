/* serve.c — see serve.h.
 *
 * Threads: the main thread builds, watches and handles signals (SIGINT and
 * SIGTERM are blocked everywhere else and delivered only inside pselect);
 * libmicrohttpd answers each connection on its own thread. Shared state
 * (generation, errors, number of event streams) is guarded by `lock`.
 *
 * Slow clients: a thread per connection is cheap, so the connection limit
 * is high (MAX_CONNECTIONS); a guard thread shuts down every connection
 * that has not finished a request's headers within HEADER_TIMEOUT_S of
 * connecting or of its previous answer (the idle timeout alone does not
 * stop a client that sends a byte now and then). All clients come from
 * 127.0.0.1, so a per-IP limit would be the same as the global one.
 * The list of connections (`conns`) is guarded by `conn_lock`.
 */
#include "serve.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
  MAX_CONNECTIONS = 1000, /* each waits on poll(), not select(): no FD_SETSIZE bound */
  HEADER_TIMEOUT_S = 10,  /* to send a request's headers (a slow client is shut out) */
  MAX_STREAMS = 32,       /* event streams; the rest is kept for pages */
  IDLE_TIMEOUT_S = 60,    /* idle connections are closed */
  KEEPALIVE_S = 10,       /* comment on an idle event stream */
  QUIET_MS = 20,          /* debounce: rebuild once files are quiet this long */
  MAX_SETTLE_MS = 1000,   /* … but not later than this after the first change */
  PUBLISH_RETRIES = 40,   /* 5 ms each: the output folder is briefly absent while published */
};

/* One open connection: its socket and since when it has been waiting for
 * a request's headers (0 while a request is being answered). */
typedef struct conn_rec {
  struct conn_rec *next, *prev;
  int fd;
  time_t waiting_since; /* CLOCK_MONOTONIC seconds */
} conn_rec;

typedef struct {
  char root[PATH_MAX]; /* realpath of the output folder */
  char *reload_js;     /* <theme>/assets/reload.js, served at /__vaksam/reload.js */
  pthread_mutex_t lock;
  pthread_cond_t changed;
  unsigned long instance;   /* distinguishes server runs in the reload token */
  unsigned long generation; /* bumped after every rebuild */
  char *errors;             /* diagnostics of the failed last build, or NULL */
  char *printed;            /* diagnostics last printed (main thread only) */
  int streams;              /* open event streams */
  bool stopping;
  vk_session *session; /* what the last build loaded (main thread only) */
  pthread_mutex_t conn_lock;
  conn_rec *conns; /* every open connection */
} server;

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

/* ---- paths and types ----------------------------------------------------- */

/* Refuses what could leave the folder or confuse a header: "." and ".."
 * segments, backslashes, control characters, and percent escapes that
 * survived the server's decoding (double encoding). */
static bool url_is_clean(const char *url) {
  if (!url || url[0] != '/')
    return false;
  for (const char *p = url; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c < 0x20 || c == 0x7f || c == '\\')
      return false;
    if (c == '%' && (strncasecmp(p, "%2e", 3) == 0 || strncasecmp(p, "%2f", 3) == 0 ||
                     strncasecmp(p, "%5c", 3) == 0))
      return false;
  }
  for (const char *seg = url; seg; seg = strchr(seg + 1, '/')) {
    size_t n = strcspn(seg + 1, "/");
    if ((n == 1 && seg[1] == '.') || (n == 2 && seg[1] == '.' && seg[2] == '.'))
      return false;
  }
  return true;
}

static bool inside(const char *root, const char *real) {
  size_t n = strlen(root);
  return strncmp(real, root, n) == 0 && (real[n] == '/' || real[n] == 0);
}

char *serve_resolve(const char *root_real, const char *url) {
  if (!url_is_clean(url))
    return NULL;
  char *joined = xasprintf("%s%s", root_real, url);
  if (is_dir(joined)) {
    char *index = path_join(joined, "index.html");
    free(joined);
    joined = index;
  }
  char real[PATH_MAX];
  char *ok = realpath(joined, real);
  free(joined);
  if (!ok || !inside(root_real, real))
    return NULL; /* missing, or a symlink pointing out of the folder */
  return xstrdup(real);
}

const char *serve_content_type(const char *path) {
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
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".pdf", "application/pdf"},
      {".odt", "application/vnd.oasis.opendocument.text"},
      {".odp", "application/vnd.oasis.opendocument.presentation"},
      {".zip", "application/zip"},
      {".csv", "text/csv; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
  };
  const char *slash = strrchr(path, '/');
  const char *dot = strrchr(slash ? slash : path, '.');
  for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
    if (strcasecmp(dot, types[i][0]) == 0)
      return types[i][1];
  return "application/octet-stream";
}

static bool is_html(const char *path) {
  return strncmp(serve_content_type(path), "text/html", 9) == 0;
}

unsigned serve_formats(unsigned requested) {
  if (requested == 0)
    return FMT_HTML;
  return requested | FMT_HTML;
}

/* Opens the file for url. The build publishes by renaming the old folder
 * away and the new one into place, so for a moment the root is missing:
 * wait for it rather than answer 404. *real is the file's realpath or NULL. */
static int open_in_root(const char *root, const char *url, char **real) {
  for (int i = 0;; i++) {
    *real = serve_resolve(root, url);
    if (*real) {
      int fd = open(*real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
      if (fd >= 0)
        return fd;
      free(*real);
      *real = NULL;
    }
    if (is_dir(root) || i == PUBLISH_RETRIES || !url_is_clean(url))
      return -1;
    usleep(5000);
  }
}

/* ---- responses ----------------------------------------------------------- */

static enum MHD_Result queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r,
                             const char *type) {
  if (type)
    MHD_add_response_header(r, "Content-Type", type);
  MHD_add_response_header(r, "Cache-Control", "no-store");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  enum MHD_Result ret = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ret;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *type,
                                 const char *text) {
  struct MHD_Response *r =
      MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
  return queue(c, status, r, type);
}

static enum MHD_Result send_empty(struct MHD_Connection *c, unsigned status, const char *header,
                                  const char *value) {
  struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
  MHD_add_response_header(r, header, value);
  return queue(c, status, r, NULL);
}

/* Sends an open file (takes fd). */
static enum MHD_Result send_fd(struct MHD_Connection *c, int fd, const char *path,
                               unsigned status) {
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return send_text(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", "Hittades inte.\n");
  }
  struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
  return queue(c, status, r, serve_content_type(path));
}

static enum MHD_Result send_path(struct MHD_Connection *c, const char *path, unsigned status) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return send_text(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", "Hittades inte.\n");
  return send_fd(c, fd, path, status);
}

static enum MHD_Result send_errors(struct MHD_Connection *c, const char *errors) {
  sbuf b = {0};
  sbuf_puts(&b, "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<title>Fel i innehållet – vaksam</title><style>"
                "body{font:1rem/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;"
                "padding:0 1rem;color:#1a1a1a}h1{color:#a00}pre{white-space:pre-wrap;"
                "background:#fff4f4;border-left:4px solid #a00;padding:1rem;font-size:.9rem}"
                "</style></head><body><main><h1>Bygget misslyckades</h1>"
                "<p>Rätta felen nedan och spara filen. Sidan laddas om av sig själv; "
                "under tiden visar förhandsvisningen den senaste fungerande versionen "
                "av filer som inte är sidor.</p><pre>");
  html_escape(&b, errors, strlen(errors));
  sbuf_puts(&b, "</pre></main><script src=\"/__vaksam/reload.js\"></script></body></html>\n");
  enum MHD_Result r =
      send_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", sbuf_str(&b));
  sbuf_free(&b);
  return r;
}

/* Percent-encodes everything but unreserved characters and '/' (Location). */
static char *path_escape(const char *s) {
  sbuf b = {0};
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
        strchr("-._~/", *p))
      sbuf_putc(&b, (char)*p);
    else
      sbuf_printf(&b, "%%%02X", *p);
  }
  return sbuf_take(&b);
}

/* ---- server-sent events -------------------------------------------------- */

typedef struct {
  server *s;
  int fd; /* the connection's socket, -1 if unknown */
  unsigned long seen;
  bool greeted;
} sse_stream;

/* The browser closed the stream (a reload, a closed tab): the peer's FIN
 * reads as 0 bytes. Checked while waiting, so that closed streams free
 * their place at once instead of at the next write. */
static bool peer_closed(int fd) {
  char byte;
  return fd >= 0 && recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

/* Returns the message's length, or ends the stream if it does not fit. */
static ssize_t sse_message(size_t max, int n) {
  return n > 0 && (size_t)n < max ? n : MHD_CONTENT_READER_END_WITH_ERROR;
}

/* The first message names the current build ("hello"); reload.js compares
 * it with the one it last saw, so a rebuild between a page load and its
 * stream opening still reloads the page. Then "reload" after every
 * rebuild and a comment every KEEPALIVE_S (a closed browser is noticed at
 * the next write). Runs on the connection's own thread, so it may block. */
static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max) {
  (void)pos;
  sse_stream *st = cls;
  server *s = st->s;
  pthread_mutex_lock(&s->lock);
  if (!st->greeted) {
    st->greeted = true;
    st->seen = s->generation;
    int n =
        snprintf(buf, max, "retry: 1000\nevent: hello\ndata: %lx-%lu\n\n", s->instance, st->seen);
    pthread_mutex_unlock(&s->lock);
    return sse_message(max, n);
  }
  bool closed = false;
  for (int waited = 0; !s->stopping && s->generation == st->seen && waited < KEEPALIVE_S;
       waited++) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 1;
    pthread_cond_timedwait(&s->changed, &s->lock, &until);
    if ((closed = peer_closed(st->fd)))
      break;
  }
  bool stopping = s->stopping || closed, changed = s->generation != st->seen;
  st->seen = s->generation;
  unsigned long instance = s->instance;
  pthread_mutex_unlock(&s->lock);
  if (stopping)
    return MHD_CONTENT_READER_END_OF_STREAM;
  if (changed)
    return sse_message(max,
                       snprintf(buf, max, "event: reload\ndata: %lx-%lu\n\n", instance, st->seen));
  return sse_message(max, snprintf(buf, max, ": keep-alive\n\n"));
}

static void sse_free(void *cls) {
  sse_stream *st = cls;
  pthread_mutex_lock(&st->s->lock);
  st->s->streams--;
  pthread_mutex_unlock(&st->s->lock);
  free(st);
}

static enum MHD_Result send_events(struct MHD_Connection *c, server *s) {
  pthread_mutex_lock(&s->lock);
  bool full = s->streams >= MAX_STREAMS;
  if (!full)
    s->streams++;
  pthread_mutex_unlock(&s->lock);
  if (full)
    return send_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8",
                     "För många öppna flikar.\n");
  sse_stream *st = xcalloc(1, sizeof *st);
  st->s = s;
  const union MHD_ConnectionInfo *info =
      MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
  st->fd = info ? info->connect_fd : -1;
  struct MHD_Response *r =
      MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 256, sse_read, st, sse_free);
  return queue(c, MHD_HTTP_OK, r, "text/event-stream");
}

/* ---- slow clients -------------------------------------------------------- */

static time_t mono_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec;
}

/* Sets since when the connection waits for headers (0: being answered). */
static void conn_waiting(server *s, struct MHD_Connection *c, time_t since) {
  const union MHD_ConnectionInfo *info =
      MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  if (!info || !info->socket_context)
    return;
  pthread_mutex_lock(&s->conn_lock);
  ((conn_rec *)info->socket_context)->waiting_since = since;
  pthread_mutex_unlock(&s->conn_lock);
}

/* MHD_OPTION_NOTIFY_CONNECTION: keeps `conns` true. Called on the
 * connection's thread before its socket is closed. */
static void on_connection(void *cls, struct MHD_Connection *c, void **ctx,
                          enum MHD_ConnectionNotificationCode what) {
  server *s = cls;
  pthread_mutex_lock(&s->conn_lock);
  if (what == MHD_CONNECTION_NOTIFY_STARTED) {
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    conn_rec *r = xcalloc(1, sizeof *r);
    r->fd = info ? info->connect_fd : -1;
    r->waiting_since = mono_now();
    r->next = s->conns;
    if (s->conns)
      s->conns->prev = r;
    s->conns = r;
    *ctx = r;
  } else if (*ctx) {
    conn_rec *r = *ctx;
    if (r->prev)
      r->prev->next = r->next;
    else
      s->conns = r->next;
    if (r->next)
      r->next->prev = r->prev;
    free(r);
    *ctx = NULL;
  }
  pthread_mutex_unlock(&s->conn_lock);
}

/* MHD_OPTION_NOTIFY_COMPLETED: a kept-alive connection waits for the next
 * request's headers from now. */
static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)con_cls;
  (void)toe;
  conn_waiting(cls, c, mono_now());
}

/* Shuts down the connections that waited too long for headers; their
 * threads then see the end of the stream and close them. */
static void shut_slow(server *s) {
  time_t now = mono_now();
  pthread_mutex_lock(&s->conn_lock);
  for (conn_rec *r = s->conns; r; r = r->next)
    if (r->fd >= 0 && r->waiting_since && now - r->waiting_since >= HEADER_TIMEOUT_S) {
      shutdown(r->fd, SHUT_RDWR);
      r->waiting_since = 0; /* once */
    }
  pthread_mutex_unlock(&s->conn_lock);
}

/* The guard thread: every second until the server stops. */
static void *guard_run(void *arg) {
  server *s = arg;
  pthread_mutex_lock(&s->lock);
  while (!s->stopping) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 1;
    pthread_cond_timedwait(&s->changed, &s->lock, &until);
    pthread_mutex_unlock(&s->lock);
    shut_slow(s);
    pthread_mutex_lock(&s->lock);
  }
  pthread_mutex_unlock(&s->lock);
  return NULL;
}

/* ---- requests ------------------------------------------------------------ */

static char *current_errors(server *s) {
  pthread_mutex_lock(&s->lock);
  char *e = s->errors ? xstrdup(s->errors) : NULL;
  pthread_mutex_unlock(&s->lock);
  return e;
}

/* A folder asked for without its slash: redirect, or its relative links break. */
static bool wants_slash(const char *url, const char *real) {
  return !str_ends_with(url, "/") && str_ends_with(real, "/index.html") &&
         !str_ends_with(url, "/index.html");
}

/* Requests that arrive while the first build runs wait for it (the port
 * is opened first, so that a port in use fails before a long build). */
static bool wait_first_build(server *s) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += IDLE_TIMEOUT_S;
  pthread_mutex_lock(&s->lock);
  while (s->generation == 0 && !s->stopping)
    if (pthread_cond_timedwait(&s->changed, &s->lock, &until) == ETIMEDOUT)
      break;
  bool ready = s->generation > 0; /* root is set before the first build */
  pthread_mutex_unlock(&s->lock);
  return ready;
}

static enum MHD_Result send_site_file(struct MHD_Connection *c, server *s, const char *url) {
  if (!wait_first_build(s))
    return send_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8",
                     "Förhandsvisningen är inte redo.\n");
  char *real;
  int fd = open_in_root(s->root, url, &real);
  char *errors = current_errors(s);
  enum MHD_Result ret;
  if (fd >= 0 && wants_slash(url, real)) {
    close(fd);
    char *enc = path_escape(url);
    char *loc = xasprintf("%s/", enc);
    ret = send_empty(c, MHD_HTTP_MOVED_PERMANENTLY, "Location", loc);
    free(loc);
    free(enc);
  } else if (errors && (fd < 0 || is_html(real))) {
    if (fd >= 0)
      close(fd);
    ret = send_errors(c, errors);
  } else if (fd >= 0) {
    ret = send_fd(c, fd, real, MHD_HTTP_OK);
  } else {
    char *nf;
    int nfd = open_in_root(s->root, "/site/404.html", &nf);
    ret = nfd >= 0
              ? send_fd(c, nfd, nf, MHD_HTTP_NOT_FOUND)
              : send_text(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", "Hittades inte.\n");
    free(nf);
  }
  free(errors);
  free(real);
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
  conn_waiting(s, c, 0);
  if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
    return send_empty(c, MHD_HTTP_METHOD_NOT_ALLOWED, "Allow", "GET, HEAD");
  if (strcmp(url, "/") == 0)
    return send_empty(c, MHD_HTTP_FOUND, "Location", "/site/index.html");
  if (strcmp(url, "/__vaksam/events") == 0)
    return send_events(c, s);
  if (strcmp(url, "/__vaksam/reload.js") == 0)
    return send_path(c, s->reload_js, MHD_HTTP_OK);
  return send_site_file(c, s, url);
}

/* ---- watching ------------------------------------------------------------ */

enum {
  WATCH_MASK = IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR
};

typedef struct {
  int fd;
  const char *dirs[2]; /* content and theme folders */
  bool warned;         /* about running out of inotify watches */
} watcher;

/* Adds a watch on dir and every folder below it (again for folders already
 * watched: inotify keeps one watch per folder). Hidden folders are skipped. */
static void watch_tree(watcher *w, const char *dir) {
  if (inotify_add_watch(w->fd, dir, WATCH_MASK) < 0) {
    if (errno == ENOSPC && !w->warned) {
      w->warned = true;
      fprintf(stderr, "vaksam: cannot watch %s — raise fs.inotify.max_user_watches\n", dir);
    }
    return;
  }
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char *sub = path_join(dir, e->d_name);
    if (is_dir(sub))
      watch_tree(w, sub);
    free(sub);
  }
  closedir(d);
}

static void watch_all(watcher *w) {
  for (size_t i = 0; i < 2; i++)
    watch_tree(w, w->dirs[i]);
}

/* Reads all pending events; true when one of them matters. New folders
 * (and lost events) re-scan the trees so that their files are watched. */
static bool drain_events(watcher *w) {
  char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
  bool relevant = false, rescan = false;
  ssize_t n;
  while ((n = read(w->fd, buf, sizeof buf)) > 0) {
    for (char *p = buf; p < buf + n;) {
      const struct inotify_event *ev = (const struct inotify_event *)p;
      p += sizeof *ev + ev->len;
      if (ev->mask & IN_Q_OVERFLOW) {
        relevant = rescan = true;
        continue;
      }
      if (ev->len == 0 || is_editor_file(ev->name))
        continue;
      relevant = true;
      if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)))
        rescan = true;
    }
  }
  if (rescan)
    watch_all(w);
  return relevant;
}

static long ms_since(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (long)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Editors save in several steps: wait until the files are quiet. */
static void settle(watcher *w) {
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  struct pollfd p = {w->fd, POLLIN, 0};
  while (!stop_requested && ms_since(&start) < MAX_SETTLE_MS && poll(&p, 1, QUIET_MS) > 0)
    drain_events(w);
}

/* ---- building ------------------------------------------------------------ */

/* Builds once (incrementally when it can: build.h), prints the diagnostics
 * and publishes the outcome to the pages (errors) and the event streams
 * (generation). Returns build_run's code. */
static int rebuild(server *s, bool verbose) {
  diag *dg = diag_new();
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  bool incremental;
  int rc = build_session_run(s->session, dg, &incremental);
  long ms = ms_since(&t0);
  char *text = diag_text(dg);
  /* the same warnings after every save would bury what is new */
  bool repeated = rc == 0 && s->printed && strcmp(text, s->printed) == 0;
  if (!repeated)
    fputs(text, stderr);
  if (rc != 0)
    fprintf(stderr,
            "vaksam: the build failed (%d error%s) — the browser shows them until they are "
            "fixed\n",
            diag_errors(dg), diag_errors(dg) == 1 ? "" : "s");
  else if (verbose)
    fprintf(stderr, "vaksam: built in %ld ms%s%s\n", ms, incremental ? " (incremental)" : "",
            repeated && *text ? " (warnings as before)" : "");
  pthread_mutex_lock(&s->lock);
  free(s->errors);
  s->errors = rc == 0 ? NULL : xstrdup(*text ? text : "error: the build failed\n");
  s->generation++;
  pthread_cond_broadcast(&s->changed);
  pthread_mutex_unlock(&s->lock);
  free(s->printed);
  s->printed = text;
  diag_free(dg);
  return rc;
}

/* Why the output folder cannot be where it is, or NULL. Inside a watched
 * folder every build would start the next; around the content or theme,
 * publishing (which replaces the whole folder) would delete them. */
static const char *misplaced_root(const char *out_real, const char *const dirs[2]) {
  for (size_t i = 0; i < 2; i++) {
    char real[PATH_MAX];
    if (!realpath(dirs[i], real))
      continue;
    if (inside(real, out_real))
      return "the output folder is inside the content or theme folder — choose another with -o";
    if (inside(out_real, real))
      return "the output folder contains the content or theme folder, and every build replaces "
             "it — choose another with -o";
  }
  return NULL;
}

/* Creates the output folder (a first failed build has nothing to show
 * yet) and checks where it is. */
static int prepare_root(server *s, const vk_build_opts *o, diag *dg) {
  bool created = !is_dir(o->out_dir);
  if (created && mkdir_p(o->out_dir) != 0) {
    diag_error(dg, o->out_dir, 0, 0,
               "cannot create the output folder (%s) — choose another with -o", strerror(errno));
    return 2;
  }
  if (!realpath(o->out_dir, s->root)) {
    diag_error(dg, o->out_dir, 0, 0, "cannot resolve the output folder (%s)", strerror(errno));
    return 2;
  }
  const char *dirs[2] = {o->content_dir, o->theme_dir};
  const char *why = misplaced_root(s->root, dirs);
  if (why) {
    diag_error(dg, o->out_dir, 0, 0, "%s", why);
    if (created)
      rmdir(s->root);
    return 2;
  }
  return 0;
}

static struct MHD_Daemon *start_daemon(server *s, int port) {
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                              MHD_USE_POLL | MHD_USE_ERROR_LOG,
                          (uint16_t)port, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR,
                          (struct sockaddr *)&addr, MHD_OPTION_CONNECTION_LIMIT,
                          (unsigned)MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
                          (unsigned)IDLE_TIMEOUT_S, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
                          MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
}

static void stop_streams(server *s) {
  pthread_mutex_lock(&s->lock);
  s->stopping = true;
  pthread_cond_broadcast(&s->changed);
  pthread_mutex_unlock(&s->lock);
}

/* Starts watching before the first build, so that a save during it counts. */
static void watcher_open(watcher *w, const vk_build_opts *o) {
  *w = (watcher){.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC),
                 .dirs = {o->content_dir, o->theme_dir}};
  if (w->fd < 0)
    fprintf(stderr, "vaksam: cannot watch for changes (%s) — restart serve after editing\n",
            strerror(errno));
  else
    watch_all(w);
}

/* Watches and rebuilds until a signal arrives. Signals are blocked except
 * inside pselect, so one arriving during a build is acted on right after it. */
static void watch_loop(server *s, watcher *w, const sigset_t *wait_mask, bool verbose) {
  while (!stop_requested) {
    fd_set in;
    FD_ZERO(&in);
    if (w->fd >= 0)
      FD_SET(w->fd, &in);
    if (pselect(w->fd + 1, &in, NULL, NULL, NULL, wait_mask) <= 0 || !drain_events(w))
      continue;
    settle(w);
    if (!stop_requested)
      rebuild(s, verbose);
  }
}

static void server_free(server *s) {
  free(s->errors);
  free(s->printed);
  free(s->reload_js);
  build_session_free(s->session);
  pthread_cond_destroy(&s->changed);
  pthread_mutex_destroy(&s->lock);
  pthread_mutex_destroy(&s->conn_lock);
}

int serve_run(const vk_build_opts *given, int port, diag *dg) {
  vk_build_opts o = *given;
  o.serve = true;
  o.quiet = true; /* no progress bars between the rebuild lines */
  o.formats = serve_formats(given->formats);
  bool verbose = !given->quiet;

  sigset_t block, orig;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &block, &orig);
  struct sigaction sa = {0}, old_int, old_term;
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  stop_requested = 0;

  server s = {.instance = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16)};
  pthread_mutex_init(&s.lock, NULL);
  pthread_cond_init(&s.changed, NULL);
  pthread_mutex_init(&s.conn_lock, NULL);
  s.reload_js = path_join(o.theme_dir, "assets/reload.js");
  int rc = 0;
  struct MHD_Daemon *d = start_daemon(&s, port);
  if (!d) {
    diag_error(dg, NULL, 0, 0, "cannot listen on 127.0.0.1:%d — is the port in use? Try --port",
               port);
    rc = 2;
  }
  pthread_t guard;
  bool guarded = d && pthread_create(&guard, NULL, guard_run, &s) == 0;
  if (rc == 0)
    rc = prepare_root(&s, &o, dg);
  watcher w = {.fd = -1};
  if (rc == 0)
    watcher_open(&w, &o);
  s.session = build_session_new(&o);
  if (rc == 0 && rebuild(&s, verbose) == 2)
    rc = 2; /* cannot write the output or unknown --org/--role: nothing to wait for */
  if (rc == 0) {
    fprintf(stderr, "vaksam: serving http://127.0.0.1:%d/ (Ctrl-C stops)\n", port);
    watch_loop(&s, &w, &orig, verbose);
  }
  if (w.fd >= 0)
    close(w.fd);
  if (d) {
    stop_streams(&s);
    if (guarded)
      pthread_join(guard, NULL);
    MHD_stop_daemon(d);
  }
  if (rc == 0 && verbose)
    fprintf(stderr, "vaksam: stopped\n");
  diag_flush(dg);
  server_free(&s);
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  pthread_sigmask(SIG_SETMASK, &orig, NULL);
  return rc;
}
