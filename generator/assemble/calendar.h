/* calendar.h — the review calendars: per organisation, an iCalendar file
 * (write/ics.h) per organisation and reviewing role of the next review of
 * every approved routine that role may read, and one per owner.
 *
 * Invariants:
 *  - The paths come from links.h (link_review_calendar); the review dashboard
 *    links to them. An owner's file holds exactly the routines the dashboard
 *    narrowed to that owner lists (calendar_owners gives the same grouping).
 *  - Events are sorted by date, then routine id; a routine's UID names the
 *    organisation, the routine and its version, so a new version or a
 *    review mark moves the event instead of adding one.
 *  - Written with the reports (full and serve builds), when HTML is built.
 */
#ifndef VK_CALENDAR_H
#define VK_CALENDAR_H

#include "assembly.h"

/* The owners of the routines that apply to org and role, one per slug (the first
 * name in id order), sorted by name: char* borrowed from the documents. */
void calendar_owners(const vk_build *b, const vk_org *org, const vk_role *role, vec *out);
/* Is d one of owner's routines (the same slug; owner NULL: every routine)? */
bool calendar_owns(const char *owner, const vk_doc *d);
void calendar_write(vk_build *b);

#endif
