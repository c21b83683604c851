/* ics.c — see ics.h. */
#include "ics.h"

#include <stdio.h>
#include <string.h>

/* Appends one content line, folded: a line longer than 75 octets goes on
 * in a line that starts with a space (RFC 5545, 3.1). */
static void line(sbuf *out, const char *s) {
  size_t len = strlen(s), col = 0;
  for (size_t i = 0; i < len;) {
    size_t n = 1; /* the UTF-8 sequence starting at i */
    while (i + n < len && ((unsigned char)s[i + n] & 0xC0) == 0x80)
      n++;
    if (col + n > 75) {
      sbuf_puts(out, "\r\n ");
      col = 1;
    }
    sbuf_putn(out, s + i, n);
    col += n;
    i += n;
  }
  sbuf_puts(out, "\r\n");
}

static void text_prop(sbuf *out, const char *name, const char *value) {
  if (!value)
    return;
  sbuf b = {0};
  sbuf_printf(&b, "%s:", name);
  for (const char *p = value; *p; p++) {
    if (*p == '\\' || *p == ';' || *p == ',') {
      sbuf_putc(&b, '\\');
      sbuf_putc(&b, *p);
    } else if (*p == '\n') {
      sbuf_puts(&b, "\\n");
    } else if (*p != '\r') {
      sbuf_putc(&b, *p);
    }
  }
  line(out, sbuf_str(&b));
  sbuf_free(&b);
}

/* The civil date of a day count since 1970-01-01 (Howard Hinnant). */
static vk_date from_days(long z) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  int d = (int)(doy - (153 * mp + 2) / 5 + 1);
  int m = (int)(mp < 10 ? mp + 3 : mp - 9);
  return (vk_date){(int)(yoe + era * 400 + (m <= 2)), m, d};
}

static void date_prop(sbuf *out, const char *name, vk_date d) {
  char s[64];
  snprintf(s, sizeof s, "%s;VALUE=DATE:%04d%02d%02d", name, d.y, d.m, d.d);
  line(out, s);
}

void ics_write(const ics_calendar *cal, sbuf *out) {
  line(out, "BEGIN:VCALENDAR");
  line(out, "VERSION:2.0");
  line(out, "PRODID:-//vaksam//vaksam//SV");
  line(out, "CALSCALE:GREGORIAN");
  line(out, "METHOD:PUBLISH");
  text_prop(out, "X-WR-CALNAME", cal->name);
  char stamp[32];
  snprintf(stamp, sizeof stamp, "DTSTAMP:%04d%02d%02dT000000Z", cal->stamp.y, cal->stamp.m,
           cal->stamp.d);
  for (size_t i = 0; i < cal->n; i++) {
    const ics_event *e = &cal->events[i];
    line(out, "BEGIN:VEVENT");
    text_prop(out, "UID", e->uid);
    line(out, stamp);
    date_prop(out, "DTSTART", e->date);
    date_prop(out, "DTEND", from_days(date_days(e->date) + 1));
    text_prop(out, "SUMMARY", e->summary);
    text_prop(out, "DESCRIPTION", e->description);
    if (e->url) {
      sbuf u = {0};
      sbuf_printf(&u, "URL:%s", e->url);
      line(out, sbuf_str(&u));
      sbuf_free(&u);
    }
    line(out, "TRANSP:TRANSPARENT");
    line(out, "END:VEVENT");
  }
  line(out, "END:VCALENDAR");
}
