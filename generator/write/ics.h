/* ics.h — the iCalendar writer (RFC 5545): a calendar of all-day events.
 *
 * Invariants (the writer contract, render.h):
 *  - A model in (ics_calendar), bytes out; it never names a file.
 *  - Lines end in CRLF and are folded at 75 octets, never inside a UTF-8
 *    sequence; TEXT values escape backslash, semicolon, comma and line
 *    breaks. Every event is an all-day event (DTSTART;VALUE=DATE, DTEND the
 *    day after) with a UID and a DTSTAMP, so calendar programs update an
 *    event instead of adding it twice when the file is fetched again.
 *  - Events come out in the order given: the caller sorts them.
 */
#ifndef VK_ICS_H
#define VK_ICS_H

#include "content.h"
#include "util.h"

typedef struct {
  const char *uid;         /* unique and stable across builds */
  const char *summary;     /* TEXT */
  const char *description; /* TEXT, may be NULL */
  const char *url;         /* an absolute URI, or NULL */
  vk_date date;
} ics_event;

typedef struct {
  const char *name; /* X-WR-CALNAME, may be NULL */
  vk_date stamp;    /* DTSTAMP of every event (the build's date) */
  const ics_event *events;
  size_t n;
} ics_calendar;

void ics_write(const ics_calendar *cal, sbuf *out);

#endif
