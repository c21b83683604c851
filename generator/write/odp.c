/* odp.c — see odp.h. */
#include "odp.h"
#include "markdown.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

/* The slide (16:9) and its frames, in cm. */
#define SLIDE_W 28.0
#define SLIDE_H 15.75
#define MARGIN 1.6
#define BODY_W (SLIDE_W - 2 * MARGIN)
#define BODY_BOTTOM 14.3 /* above the master's footer bar (14.75 cm) */
#define TOP 0.8
#define KIND_H 0.8

/* Line budget: 24 pt body text (readable from the back of a meeting room)
 * is about 1.0 cm a line, and Liberation Sans at 24 pt fits about 54
 * characters on the 23.7 cm beside a bullet; 50 leaves room for long words.
 * A 30 pt title fits about 45 characters a line; 38 is safe. Frames also
 * shrink their text when it overflows after all (gr_text), so an estimate
 * that is off never puts text over text. */
#define BODY_LINE_CM 1.0
#define BODY_CHARS 50
#define GAP_LINES 0.25
#define TITLE_LINE_CM 1.25
#define TITLE_CHARS 38
#define BODY_PT "24pt"
/* A definition's term: 48 pt, about 24 characters a line. */
#define TERM_LINE_CM 1.95
#define TERM_CHARS 24
#define TERM_TOP 1.6 /* extra space above the term: it stands mid-slide */
/* A card (a case's situation, the contacts): its text inset by CARD_PAD. */
#define CARD_PAD 0.45
#define CARD_CHARS 47
#define CARD_FIT_CHARS 54

#define L(o, key) labels_get((o)->labels, key)

/* ---- fitting text ------------------------------------------------------ */

static size_t utf8_len(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static double lines_in(const char *s, size_t chars) {
  size_t n = utf8_len(s);
  return (double)((n + chars - 1) / chars + (n == 0)) + GAP_LINES;
}

static double lines_of(const char *s) {
  return lines_in(s, BODY_CHARS);
}

/* The height of a title frame: as many lines as its text needs (a
 * definition's term is larger). */
static double title_height(const slide *s, const char *title) {
  bool term = s->type == SLIDE_DEFINITION;
  size_t n = utf8_len(title), chars = term ? TERM_CHARS : TITLE_CHARS;
  size_t lines = n ? (n + chars - 1) / chars : 1;
  return (double)lines * (term ? TERM_LINE_CM : TITLE_LINE_CM) + 0.15;
}

static double lead_height(const char *lead) {
  return lead ? lines_of(lead) * BODY_LINE_CM + 0.2 : 0;
}

/* How a slide type sets its body: the line height and width budget, the
 * paragraph and numbered-list styles, the frame (a card is inset). */
typedef struct {
  double line_cm;
  size_t chars;
  const char *para, *numbers, *frame;
  double pad;
} layout;

static layout layout_of(const slide *s) {
  switch (s->type) {
  case SLIDE_QUESTIONS: /* 28 pt questions, their numbers large */
    return (layout){1.3, 44, "P_Question", "L_Question", "gr_text", 0};
  case SLIDE_ROUTINES: /* short summaries: the full width's budget (24 pt fits 60) */
    return (layout){BODY_LINE_CM, 56, "P_Body", "L_Number", "gr_text", 0};
  case SLIDE_CASE: /* the situation as a card */
    return (layout){BODY_LINE_CM, CARD_CHARS, "P_Body", "L_Number", "gr_card", CARD_PAD};
  default: return (layout){BODY_LINE_CM, BODY_CHARS, "P_Body", "L_Number", "gr_text", 0};
  }
}

/* The contacts' card at the bottom of the slide: its height with the gap
 * above it (0 without contacts). */
static double contact_height(const slide *s) {
  return s->contact ? lines_in(s->contact, CARD_CHARS) * BODY_LINE_CM + 2 * CARD_PAD + 0.3 : 0;
}

/* Where the slide's body ends: above the footer bar and the contacts. */
static double body_bottom(const slide *s) {
  return BODY_BOTTOM - contact_height(s);
}

/* A slide's body flattened to what a slide shows: paragraphs, group
 * headings, list items (numbered or not) and their sub-items. */
typedef enum { B_PARA, B_GROUP, B_ITEM, B_SUB } block_kind;

typedef enum { MARK_NONE, MARK_OPEN, MARK_DONE } task_mark;

typedef struct {
  char *text; /* owned */
  block_kind kind;
  bool numbered;  /* B_ITEM of an ordered list */
  task_mark task; /* a task item: its box is its list marker */
} block;

typedef struct {
  block *b;
  size_t n, cap;
  size_t chars; /* characters a line of the slide's body */
} blocks;

static void push_block(blocks *bs, char *text, block_kind kind, bool numbered, task_mark task) {
  if (bs->n == bs->cap) {
    bs->cap = bs->cap ? bs->cap * 2 : 16;
    bs->b = xrealloc(bs->b, bs->cap * sizeof *bs->b);
  }
  bs->b[bs->n++] = (block){text, kind, numbered, task};
}

static task_mark mark_of(cmark_node *item) {
  return !md_item_is_task(item) ? MARK_NONE : md_item_checked(item) ? MARK_DONE : MARK_OPEN;
}

static char *plain(cmark_node *n) {
  sbuf t = {0};
  md_text_content(n, &t);
  return sbuf_take(&t);
}

/* An item's own text (not its sub-lists'). */
static char *item_text(cmark_node *item) {
  sbuf t = {0};
  for (cmark_node *c = cmark_node_first_child(item); c; c = cmark_node_next(c))
    if (md_type_of(c) != MD_LIST) {
      if (t.len && t.s[t.len - 1] != ' ')
        sbuf_putc(&t, ' ');
      md_text_content(c, &t);
    }
  return sbuf_take(&t);
}

static void flatten(cmark_node *parent, blocks *bs) {
  for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
    switch (md_type_of(n)) {
    case MD_HEADING: push_block(bs, plain(n), B_GROUP, false, MARK_NONE); break;
    case MD_DIV: flatten(n, bs); break;
    case MD_LIST: {
      bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
      for (cmark_node *it = cmark_node_first_child(n); it; it = cmark_node_next(it)) {
        push_block(bs, item_text(it), B_ITEM, ordered, mark_of(it));
        for (cmark_node *c = cmark_node_first_child(it); c; c = cmark_node_next(c))
          if (md_type_of(c) == MD_LIST)
            for (cmark_node *sub = cmark_node_first_child(c); sub; sub = cmark_node_next(sub))
              push_block(bs, plain(sub), B_SUB, false, mark_of(sub));
      }
      break;
    }
    default: push_block(bs, plain(n), B_PARA, false, MARK_NONE); break;
    }
  }
}

static void blocks_free(blocks *bs) {
  for (size_t i = 0; i < bs->n; i++)
    free(bs->b[i].text);
  free(bs->b);
}

/* Cuts text longer than `max` characters at the last sentence end or space
 * before it; returns the length in bytes of the first piece. */
static size_t cut_point(const char *s, size_t max_chars) {
  size_t bytes = 0, chars = 0, last_space = 0, last_sentence = 0;
  while (s[bytes] && chars < max_chars) {
    if (s[bytes] == ' ') {
      last_space = bytes;
      if (bytes > 0 && strchr(".!?", s[bytes - 1]))
        last_sentence = bytes;
    }
    if (((unsigned char)s[bytes] & 0xC0) != 0x80)
      chars++;
    bytes++;
  }
  while (((unsigned char)s[bytes] & 0xC0) == 0x80) /* never split a character */
    bytes++;
  if (!s[bytes])
    return bytes;
  if (last_sentence > bytes / 2)
    return last_sentence + 1;
  return last_space ? last_space + 1 : bytes;
}

/* ---- XML pieces -------------------------------------------------------- */

static void frame_styled(odf_xml *x, const char *style, const char *cls, double px, double py,
                         double w, double h) {
  odf_start(x, "draw:frame");
  odf_attr(x, "draw:style-name", style);
  if (cls) {
    odf_attr(x, "presentation:class", cls);
    odf_attr(x, "presentation:user-transformed", "true");
  }
  odf_attrf(x, "svg:x", "%.2fcm", px);
  odf_attrf(x, "svg:y", "%.2fcm", py);
  odf_attrf(x, "svg:width", "%.2fcm", w);
  odf_attrf(x, "svg:height", "%.2fcm", h);
  odf_start(x, "draw:text-box");
}

static void frame_open(odf_xml *x, const char *cls, double px, double py, double w, double h) {
  frame_styled(x, "gr_text", cls, px, py, w, h);
}

static void frame_close(odf_xml *x) {
  odf_end(x);
  odf_end(x);
}

static void text_frame(odf_xml *x, const char *cls, const char *style, const char *text, double px,
                       double py, double w, double h) {
  frame_open(x, cls, px, py, w, h);
  odf_text_element(x, "text:p", style, text);
  frame_close(x);
}

typedef struct {
  odf_xml x;
  odf_package *pkg;
  const vk_write_opts *o;
  const char *master; /* the master page every slide uses */
  int number;         /* of the next slide */
} odp_writer;

static void notes_text(odf_xml *x, cmark_node *parent) {
  for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
    if (md_type_of(n) == MD_DIV) {
      notes_text(x, n);
    } else if (md_type_of(n) == MD_LIST) {
      for (cmark_node *it = cmark_node_first_child(n); it; it = cmark_node_next(it)) {
        char *t = plain(it), *line = xasprintf("– %s", t);
        odf_text_element(x, "text:p", "P_Notes", line);
        free(line);
        free(t);
      }
    } else {
      char *t = plain(n);
      odf_text_element(x, "text:p", "P_Notes", t);
      free(t);
    }
  }
}

static void write_notes(odf_xml *x, cmark_node *notes) {
  odf_start(x, "presentation:notes");
  odf_start(x, "draw:page-thumbnail");
  odf_attr(x, "presentation:class", "page");
  odf_attr(x, "svg:x", "2cm");
  odf_attr(x, "svg:y", "1.5cm");
  odf_attr(x, "svg:width", "17cm");
  odf_attr(x, "svg:height", "9.56cm");
  odf_end(x);
  frame_open(x, "notes", 2, 12, 17, 14);
  notes_text(x, notes);
  frame_close(x);
  odf_end(x);
}

/* The pack's slides use the first master page of the theme's reference.odp,
 * else the built-in one; the footer text is the pack's (footer-decl "ftr1"),
 * so a master page serves every pack. */
static void page_open(odp_writer *w) {
  char num[16];
  snprintf(num, sizeof num, "%d", w->number++);
  char *name = labels_format(w->o->labels, "slides.page", num);
  odf_start(&w->x, "draw:page");
  odf_attr(&w->x, "draw:name", name);
  odf_attr(&w->x, "draw:style-name", "dp1");
  odf_attr(&w->x, "draw:master-page-name", w->master);
  odf_attr(&w->x, "presentation:use-footer-name", "ftr1");
  free(name);
}

/* Items of one kind [i, end) as a text:list. */
static size_t write_list(odp_writer *w, const layout *lay, const block *bs, size_t i, size_t to,
                         int *numbered_before) {
  block_kind kind = bs[i].kind;
  bool numbered = kind == B_ITEM && bs[i].numbered;
  task_mark task = bs[i].task;
  static const char *const styles[2][3] = {{"L_Bullet", "L_Task_Open", "L_Task_Done"},
                                           {"L_Sub", "L_Sub_Task_Open", "L_Sub_Task_Done"}};
  odf_start(&w->x, "text:list");
  odf_attr(&w->x, "text:style-name",
           numbered && !task ? lay->numbers : styles[kind == B_SUB][task]);
  for (bool first = true;
       i < to && bs[i].kind == kind && bs[i].numbered == numbered && bs[i].task == task;
       i++, first = false) {
    odf_start(&w->x, "text:list-item");
    if (first && numbered && !task && *numbered_before > 0)
      odf_attrf(&w->x, "text:start-value", "%d", *numbered_before + 1);
    odf_text_element(&w->x, "text:p", kind == B_SUB ? "P_Sub" : lay->para, bs[i].text);
    odf_end(&w->x);
    *numbered_before += numbered;
  }
  odf_end(&w->x);
  return i;
}

/* The slide's number and, on an agenda item's slides, the meeting's
 * progress ("Punkt 3/7"), right in the master's footer bar. */
static void slide_number(odp_writer *w, const slide *s) {
  char num[32];
  if (s->item) {
    snprintf(num, sizeof num, "%d/%d", s->item, s->items);
    char *progress = labels_format(w->o->labels, "slides.progress", num);
    snprintf(num, sizeof num, "%s · %d", progress, w->number - 1);
    free(progress);
  } else {
    snprintf(num, sizeof num, "%d", w->number - 1);
  }
  text_frame(&w->x, NULL, "P_Number", num, SLIDE_W - MARGIN - 8, SLIDE_H - 0.78, 8, 0.7);
}

/* One slide, written from the blocks [from, to) of its content, under
 * `carry` (the group heading the first item continues, or NULL). */
static void write_slide(odp_writer *w, const slide *s, bool continued, const block *bs, size_t from,
                        size_t to, const char *carry, int *numbered_before) {
  odf_xml *x = &w->x;
  layout lay = layout_of(s);
  page_open(w);
  double y = TOP + (s->type == SLIDE_DEFINITION ? TERM_TOP : 0);
  if (s->kind) {
    text_frame(x, NULL, "P_Kind", s->kind, MARGIN, y, BODY_W, KIND_H);
    y += KIND_H;
  }
  char *title =
      continued ? labels_format(w->o->labels, "slides.continued", s->title) : xstrdup(s->title);
  double th = title_height(s, title);
  text_frame(x, "title", s->type == SLIDE_DEFINITION ? "P_Term" : "P_Title", title, MARGIN, y,
             BODY_W, th);
  free(title);
  y += th + 0.3;
  if (s->lead && !continued) {
    text_frame(x, NULL, "P_Lead", s->lead, MARGIN, y, BODY_W, lead_height(s->lead));
    y += lead_height(s->lead);
  }
  if (to > from) {
    double h = body_bottom(s) - y;
    if (lay.pad > 0) { /* a card about as tall as its text (24 pt fits 58 a line in it) */
      double lines = 0.5 + (carry ? lines_in(carry, CARD_FIT_CHARS) : 0);
      for (size_t i = from; i < to; i++)
        lines += lines_in(bs[i].text, CARD_FIT_CHARS);
      if (lines * lay.line_cm + 2 * lay.pad < h)
        h = lines * lay.line_cm + 2 * lay.pad;
    }
    frame_styled(x, lay.frame, "outline", MARGIN, y, BODY_W, h);
    if (carry)
      odf_text_element(x, "text:p", "P_Group", carry);
    for (size_t i = from; i < to;) {
      if (bs[i].kind == B_PARA || bs[i].kind == B_GROUP) {
        odf_text_element(x, "text:p", bs[i].kind == B_GROUP ? "P_Group" : lay.para, bs[i].text);
        i++;
      } else {
        i = write_list(w, &lay, bs, i, to, numbered_before);
      }
    }
    frame_close(x);
  }
  if (s->contact) {
    double ch = contact_height(s) - 0.3;
    frame_styled(x, "gr_contact", NULL, MARGIN, BODY_BOTTOM - ch, BODY_W, ch);
    odf_text_element(x, "text:p", "P_Contact", s->contact);
    frame_close(x);
  }
  slide_number(w, s);
  if (s->notes && !continued)
    write_notes(x, s->notes);
  odf_end(x);
}

/* One image of a slide's content, fitted under `title` and centred. false
 * when it cannot be read (the parse stage (document.h) checked every authored image). */
static bool image_slide(odp_writer *w, const slide *s, const slide_image *im, const char *title,
                        cmark_node *notes) {
  double th = title_height(s, title), top = TOP + (s->kind ? KIND_H : 0) + th + 0.3;
  odf_picture pic;
  if (!odf_picture_add(w->pkg, w->o->content_dir, im->path, BODY_W, BODY_BOTTOM - top, &pic))
    return false;
  int number = w->number;
  page_open(w);
  if (s->kind)
    text_frame(&w->x, NULL, "P_Kind", s->kind, MARGIN, TOP, BODY_W, KIND_H);
  text_frame(&w->x, "title", "P_Title", title, MARGIN, top - th - 0.3, BODY_W, th);
  /* centred in the space under the title */
  odf_picture_frame(&w->x, &pic, "gr_image", number, NULL, MARGIN + (BODY_W - pic.w) / 2,
                    top + (BODY_BOTTOM - top - pic.h) / 2, im->title, im->alt);
  slide_number(w, s);
  if (notes)
    write_notes(&w->x, notes);
  odf_end(&w->x);
  free(pic.part);
  return true;
}

/* A slide's blocks cut into pieces that each fit a slide's width budget. */
static void pieces_of(const slide *s, size_t max_chars, blocks *out) {
  blocks bs = {0};
  flatten(s->body, &bs);
  for (size_t i = 0; i < bs.n; i++) {
    const char *t = bs.b[i].text;
    do { /* a paragraph too long for one slide becomes several */
      size_t cut = cut_point(t, max_chars);
      push_block(out, xstrndup(t, cut), bs.b[i].kind, bs.b[i].numbered, bs.b[i].task);
      t += cut;
      while (*t == ' ')
        t++;
    } while (*t);
  }
  blocks_free(&bs);
}

static double block_lines(const blocks *bs, size_t i) {
  return lines_in(bs->b[i].text, bs->chars);
}

/* Where a slide's body starts: under the kind label, the title (as many
 * lines as it needs) and, on the first slide, the lead. */
static double body_top(odp_writer *w, const slide *s, bool continued) {
  char *title =
      continued ? labels_format(w->o->labels, "slides.continued", s->title) : xstrdup(s->title);
  double y = TOP + (s->type == SLIDE_DEFINITION ? TERM_TOP : 0) + (s->kind ? KIND_H : 0) +
             title_height(s, title) + 0.3;
  free(title);
  return y + (continued ? 0 : lead_height(s->lead));
}

/* The blocks [from, to) of one slide: at most `cap` lines, about `target`
 * lines (so continuation slides are balanced), at least one block; a group
 * heading is not left alone at the bottom. */
static size_t take(const blocks *bs, size_t from, double cap, double target) {
  double used = 0;
  size_t to = from;
  while (to < bs->n) {
    double b = block_lines(bs, to);
    if (to > from && (used + b > cap || used + b / 2 > target))
      break;
    if (to > from && bs->b[to].kind == B_GROUP && to + 1 < bs->n &&
        (used + b + block_lines(bs, to + 1) > cap || used + b > target))
      break;
    used += b;
    to++;
  }
  return to;
}

/* The group heading ("## Före mötet") whose items continue at block
 * `from`, or NULL when `from` is not an item of a group. */
static const block *group_of(const blocks *bs, size_t from) {
  size_t i = from;
  while (i > 0 && (bs->b[i].kind == B_ITEM || bs->b[i].kind == B_SUB))
    i--;
  return i < from && bs->b[i].kind == B_GROUP ? &bs->b[i] : NULL;
}

/* How many slides the blocks need when each is filled to the brim. */
static size_t slides_needed(const blocks *bs, double first_cap, double cap) {
  size_t n = 0;
  for (size_t from = 0; from < bs->n; n++)
    from = take(bs, from, n ? cap : first_cap, 1e9);
  return n ? n : 1;
}

/* Splits a slide's content over as few slides as its text needs, the text
 * shared evenly between them (no continuation slide with a lone item); its
 * images follow, one a slide. A slide of images only has no text slide. */
static void write_content_slides(odp_writer *w, const slide *s) {
  layout lay = layout_of(s);
  double inset = 2 * lay.pad, bottom = body_bottom(s);
  double first_cap = (bottom - inset - body_top(w, s, false)) / lay.line_cm,
         cap = (bottom - inset - body_top(w, s, true)) / lay.line_cm;
  size_t max_chars = (size_t)((first_cap - 0.5) * (double)lay.chars);
  if (max_chars < lay.chars)
    max_chars = lay.chars;
  blocks bs = {.chars = lay.chars};
  pieces_of(s, max_chars, &bs);
  double total = 0;
  for (size_t i = 0; i < bs.n; i++)
    total += block_lines(&bs, i);
  size_t left = slides_needed(&bs, first_cap, cap), from = 0;
  bool continued = false;
  int numbered_before = 0;
  bool text_slide = bs.n > 0 || s->images.n == 0 || s->lead;
  for (bool more = text_slide; more; more = from < bs.n) {
    /* a group split over slides repeats its heading, marked continued */
    const block *g = continued ? group_of(&bs, from) : NULL;
    char *carry = NULL;
    if (g) {
      size_t n = strlen(g->text);
      while (n && g->text[n - 1] == ' ')
        n--;
      char *head = xstrndup(g->text, n);
      carry = labels_format(w->o->labels, "slides.continued", head);
      free(head);
    }
    double carried = carry ? lines_in(carry, bs.chars) : 0;
    size_t to =
        take(&bs, from, (continued ? cap : first_cap) - carried, total / (double)(left ? left : 1));
    for (size_t i = from; i < to; i++)
      total -= block_lines(&bs, i);
    write_slide(w, s, continued, bs.b, from, to, carry, &numbered_before);
    free(carry);
    from = to;
    continued = true;
    left -= left > 1;
  }
  /* the first image stands in for a text slide the slide did not need:
   * it carries the slide's title and notes */
  for (size_t i = 0; i < s->images.n; i++) {
    const slide_image *im = s->images.items[i];
    bool first = i == 0 && !text_slide;
    image_slide(w, s, im, first || !im->title ? s->title : im->title, first ? s->notes : NULL);
  }
  blocks_free(&bs);
}

/* Before an agenda item's slides: where the meeting is ("Punkt 3/7"), the
 * item's title large beside an accent bar, its minutes. */
static void divider_slide(odp_writer *w, const slide *s) {
  odf_xml *x = &w->x;
  page_open(w);
  size_t n = utf8_len(s->title), lines = n ? (n + 25) / 26 : 1; /* 40 pt beside the bar */
  double th = (double)lines * 1.65 + 0.2, lh = s->lead ? 1.3 : 0;
  double h = KIND_H + 0.2 + th + lh, y = (BODY_BOTTOM - h) / 2, left = MARGIN + 0.9;
  if (y < TOP)
    y = TOP;
  odf_start(x, "draw:rect");
  odf_attr(x, "draw:style-name", "gr_accent");
  odf_attrf(x, "svg:x", "%.2fcm", MARGIN);
  odf_attrf(x, "svg:y", "%.2fcm", y);
  odf_attr(x, "svg:width", "0.35cm");
  odf_attrf(x, "svg:height", "%.2fcm", h);
  odf_end(x);
  if (s->kind)
    text_frame(x, NULL, "P_Kind", s->kind, left, y, BODY_W - 0.9, KIND_H);
  text_frame(x, "title", "P_BigTitle", s->title, left, y + KIND_H + 0.2, BODY_W - 0.9, th);
  if (s->lead)
    text_frame(x, NULL, "P_Lead", s->lead, left, y + KIND_H + 0.2 + th, BODY_W - 0.9, lh);
  slide_number(w, s);
  if (s->notes)
    write_notes(x, s->notes);
  odf_end(x);
}

static void title_slide(odp_writer *w, const slide_deck *d, const slide *s) {
  odf_xml *x = &w->x;
  page_open(w);
  size_t n = utf8_len(s->title), lines = n ? (n + 27) / 28 : 1; /* 40 pt: 28 characters a line */
  double th = (double)lines * 1.65 + 0.2, lh = lead_height(s->lead);
  double y = 2.2 + (lines < 3 ? 0.6 * (double)(3 - lines) : 0);
  text_frame(x, NULL, "P_Kind", s->kind ? s->kind : "", MARGIN, y, BODY_W, 0.9);
  y += 1.0;
  text_frame(x, "title", "P_BigTitle", s->title, MARGIN, y, BODY_W, th);
  y += th + 0.3;
  if (s->lead)
    text_frame(x, "subtitle", "P_Lead", s->lead, MARGIN, y, BODY_W, lh);
  y += lh + 0.4;
  char *meta = xasprintf("%s%s%s%s%s", d->org_name ? d->org_name : "", d->date ? " · " : "",
                         d->date ? d->date : "", d->version ? L(w->o, "slides.version") : "",
                         d->version ? d->version : "");
  text_frame(x, NULL, "P_Body", meta, MARGIN, y < 12.9 ? y : 12.9, BODY_W, 1.2);
  free(meta);
  if (s->notes)
    write_notes(x, s->notes);
  odf_end(x);
}

/* ---- styles ------------------------------------------------------------ */

/* `line_height` a percentage or NULL (single). */
static void para_style_spaced(odf_xml *x, const char *font, const char *name, const char *size,
                              bool bold, const char *color, const char *space_below,
                              const char *line_height) {
  odf_start(x, "style:style");
  odf_attr(x, "style:name", name);
  odf_attr(x, "style:family", "paragraph");
  odf_start(x, "style:paragraph-properties");
  odf_attr(x, "fo:margin-top", "0cm");
  odf_attr(x, "fo:margin-bottom", space_below);
  if (line_height)
    odf_attr(x, "fo:line-height", line_height);
  odf_end(x);
  odf_start(x, "style:text-properties");
  odf_attr(x, "style:font-name", font);
  odf_attr(x, "fo:font-size", size);
  if (bold)
    odf_attr(x, "fo:font-weight", "bold");
  odf_attr(x, "fo:color", color);
  odf_attr(x, "fo:language", "sv");
  odf_attr(x, "fo:country", "SE");
  odf_end(x);
  odf_end(x);
}

static void para_style(odf_xml *x, const char *font, const char *name, const char *size, bool bold,
                       const char *color, const char *space_below) {
  para_style_spaced(x, font, name, size, bold, color, space_below, NULL);
}

/* A one-level list style: numbers with `suffix`, else `bullet`; its marker
 * as large as the text (Impress draws it smaller otherwise). */
static void list_style_at(odf_xml *x, const char *name, const char *suffix, const char *bullet,
                          const char *indent, const char *color, const char *size,
                          const char *label_width) {
  odf_start(x, "text:list-style");
  odf_attr(x, "style:name", name);
  odf_start(x, suffix ? "text:list-level-style-number" : "text:list-level-style-bullet");
  odf_attr(x, "text:level", "1");
  if (suffix) {
    odf_attr(x, "style:num-suffix", suffix);
    odf_attr(x, "style:num-format", "1");
  } else {
    odf_attr(x, "text:bullet-char", bullet);
    odf_attr(x, "text:bullet-relative-size", "100%");
  }
  odf_start(x, "style:list-level-properties");
  odf_attr(x, "text:space-before", indent);
  odf_attr(x, "text:min-label-width", label_width);
  odf_end(x);
  odf_start(x, "style:text-properties");
  odf_attr(x, "fo:font-size", size); /* of the item's text, as Impress writes it */
  odf_attr(x, "fo:color", color);
  if (suffix)
    odf_attr(x, "fo:font-weight", "bold");
  odf_end(x);
  odf_end(x);
  odf_end(x);
}

static void list_style(odf_xml *x, const char *name, const char *suffix, const char *bullet,
                       const char *indent, const char *color) {
  list_style_at(x, name, suffix, bullet, indent, color, "100%", "1.1cm");
}

/* A frame's graphic style: `stroke` a line colour or NULL, `fill` a colour
 * or NULL, its text inset by `pad` on every side (LibreOffice reads the four
 * fo:padding-* of a text frame, not the fo:padding shorthand) and set at
 * `valign` (top, middle). */
static void frame_style(odf_xml *x, const char *name, const char *stroke, const char *fill,
                        const char *pad, const char *valign) {
  odf_start(x, "style:style");
  odf_attr(x, "style:name", name);
  odf_attr(x, "style:family", "graphic");
  odf_start(x, "style:graphic-properties");
  odf_attr(x, "draw:stroke", stroke ? "solid" : "none");
  if (stroke) {
    odf_attr(x, "svg:stroke-color", stroke);
    odf_attr(x, "svg:stroke-width", "0.06cm");
  }
  odf_attr(x, "draw:fill", fill ? "solid" : "none");
  if (fill)
    odf_attr(x, "draw:fill-color", fill);
  odf_attr(x, "draw:auto-grow-height", "false");
  odf_attr(x, "style:shrink-to-fit", "true");
  odf_attr(x, "draw:textarea-vertical-align", valign);
  static const char *const sides[] = {"fo:padding-top", "fo:padding-bottom", "fo:padding-left",
                                      "fo:padding-right"};
  for (size_t i = 0; i < 4; i++)
    odf_attr(x, sides[i], pad);
  odf_end(x);
  odf_end(x);
}

/* A slide value from reference.odp, else the theme's. */
static const char *slide_value(const odf_theme *t, const char *slide_key, const char *theme_key) {
  const char *v = odf_theme_slides(t, slide_key);
  return v ? v : odf_theme_get(t, theme_key);
}

static void content_styles(odf_xml *x, const odf_theme *t) {
  const char *text = slide_value(t, "text_color", "color_text"),
             *accent = slide_value(t, "title_color", "color_accent"),
             *muted = odf_theme_get(t, "color_muted");
  odf_start(x, "office:automatic-styles");
  static const char *const page[] = {"presentation:display-footer",
                                     "true",
                                     "presentation:display-page-number",
                                     "false",
                                     "presentation:display-date-time",
                                     "false",
                                     NULL};
  /* clang-format off */
  static const char *const text_box[] = {
      "draw:stroke", "none",
      "draw:fill", "none",
      "draw:auto-grow-height", "false",
      "style:shrink-to-fit", "true",
      "draw:textarea-vertical-align", "top",
      "fo:padding", "0cm",
      NULL};
  /* clang-format on */
  static const char *const image[] = {"draw:stroke", "none", "draw:fill", "none", NULL};
  odf_simple_style(x, "dp1", "drawing-page", NULL, "style:drawing-page-properties", page);
  odf_simple_style(x, "gr_text", "graphic", NULL, "style:graphic-properties", text_box);
  const char *tf = slide_value(t, "title_font", "font"), *bf = slide_value(t, "text_font", "font");
  odf_simple_style(x, "gr_image", "graphic", NULL, "style:graphic-properties", image);
  char pad[16];
  snprintf(pad, sizeof pad, "%.2fcm", CARD_PAD);
  frame_style(x, "gr_card", accent, odf_theme_get(t, "color_tint"), pad, "top");
  frame_style(x, "gr_contact", NULL, odf_theme_get(t, "color_tint"), pad, "middle");
  frame_style(x, "gr_accent", NULL, accent, "0cm", "top");
  para_style(x, bf, "P_Kind", "14pt", true, muted, "0cm");
  para_style(x, tf, "P_Term", "48pt", true, accent, "0cm");
  /* its lines spaced so that a large number's line never meets the next */
  para_style_spaced(x, bf, "P_Question", "28pt", false, text, "0.35cm", "130%");
  para_style(x, bf, "P_Contact", BODY_PT, true, text, "0cm");
  para_style(x, tf, "P_Title", "30pt", true, accent, "0cm");
  para_style(x, tf, "P_BigTitle", "40pt", true, accent, "0cm");
  para_style(x, bf, "P_Lead", "26pt", false, text, "0.2cm");
  para_style(x, bf, "P_Body", BODY_PT, false, text, "0.25cm");
  para_style(x, bf, "P_Group", BODY_PT, true, accent, "0.15cm");
  para_style(x, bf, "P_Sub", BODY_PT, false, text, "0.15cm");
  para_style(x, odf_theme_get(t, "font"), "P_Notes", "12pt", false, odf_theme_get(t, "color_text"),
             "0.15cm");
  odf_start(x, "style:style"); /* right-aligned: the number ends at the margin */
  odf_attr(x, "style:name", "P_Number");
  odf_attr(x, "style:family", "paragraph");
  odf_start(x, "style:paragraph-properties");
  odf_attr(x, "fo:text-align", "end");
  odf_end(x);
  odf_start(x, "style:text-properties");
  odf_attr(x, "style:font-name", bf);
  odf_attr(x, "fo:font-size", "11pt");
  odf_attr(x, "fo:color", "#ffffff");
  odf_end(x);
  odf_end(x);
  list_style(x, "L_Bullet", NULL, "•", "0cm", text);
  list_style(x, "L_Number", ".", NULL, "0cm", accent);
  list_style_at(x, "L_Question", ".", NULL, "0cm", accent, "140%", "1.8cm");
  list_style(x, "L_Sub", NULL, "–", "1.1cm", text);
  list_style(x, "L_Task_Open", NULL, "☐", "0cm", text);
  list_style(x, "L_Task_Done", NULL, "☑", "0cm", text);
  list_style(x, "L_Sub_Task_Open", NULL, "☐", "1.1cm", text);
  list_style(x, "L_Sub_Task_Done", NULL, "☑", "1.1cm", text);
  odf_end(x);
}

/* A presentation style Impress shows as the master's "Title" / "Outline 1"
 * style: restyling it in a reference.odp changes the slides' text. */
static void presentation_style(odf_xml *x, const odf_theme *t, const char *name, const char *size,
                               bool bold, const char *color) {
  odf_start(x, "style:style");
  odf_attr(x, "style:name", name);
  odf_attr(x, "style:family", "presentation");
  odf_start(x, "style:text-properties");
  odf_attr(x, "style:font-name", odf_theme_get(t, "font"));
  odf_attr(x, "fo:font-size", size);
  if (bold)
    odf_attr(x, "fo:font-weight", "bold");
  odf_attr(x, "fo:color", color);
  odf_end(x);
  odf_end(x);
}

static void builtin_office_styles(odf_xml *x, const odf_theme *t) {
  odf_start(x, "office:styles");
  odf_start(x, "style:default-style");
  odf_attr(x, "style:family", "graphic");
  odf_start(x, "style:text-properties");
  odf_attr(x, "style:font-name", odf_theme_get(t, "font"));
  odf_attr(x, "fo:language", "sv");
  odf_attr(x, "fo:country", "SE");
  odf_end(x);
  odf_end(x);
  presentation_style(x, t, "Vaksam-title", "30pt", true, odf_theme_get(t, "color_accent"));
  presentation_style(x, t, "Vaksam-outline1", "20pt", false, odf_theme_get(t, "color_text"));
  odf_end(x);
}

static void graphic_style(odf_xml *x, const char *name, const char *fill) {
  odf_start(x, "style:style");
  odf_attr(x, "style:name", name);
  odf_attr(x, "style:family", "graphic");
  odf_start(x, "style:graphic-properties");
  odf_attr(x, "draw:stroke", "none");
  odf_attr(x, "draw:fill", fill ? "solid" : "none");
  if (fill)
    odf_attr(x, "draw:fill-color", fill);
  odf_attr(x, "draw:textarea-vertical-align", "middle");
  odf_attr(x, "fo:padding", "0cm");
  odf_end(x);
  odf_end(x);
}

static void builtin_automatic_styles(odf_xml *x, const odf_theme *t) {
  odf_start(x, "office:automatic-styles");
  odf_start(x, "style:page-layout");
  odf_attr(x, "style:name", "PM1");
  odf_start(x, "style:page-layout-properties");
  odf_attr(x, "fo:margin-top", "0cm");
  odf_attr(x, "fo:margin-bottom", "0cm");
  odf_attr(x, "fo:margin-left", "0cm");
  odf_attr(x, "fo:margin-right", "0cm");
  odf_attrf(x, "fo:page-width", "%.2fcm", SLIDE_W);
  odf_attrf(x, "fo:page-height", "%.2fcm", SLIDE_H);
  odf_attr(x, "style:print-orientation", "landscape");
  odf_end(x);
  odf_end(x);
  odf_start(x, "style:style");
  odf_attr(x, "style:name", "Mdp1");
  odf_attr(x, "style:family", "drawing-page");
  odf_start(x, "style:drawing-page-properties");
  odf_attr(x, "draw:fill", "solid");
  odf_attr(x, "draw:fill-color", "#ffffff");
  odf_end(x);
  odf_end(x);
  graphic_style(x, "Mgr_bar", odf_theme_get(t, "color_accent"));
  graphic_style(x, "Mgr_footer", NULL);
  odf_start(x, "style:style");
  odf_attr(x, "style:name", "MP_footer");
  odf_attr(x, "style:family", "paragraph");
  odf_start(x, "style:text-properties");
  odf_attr(x, "style:font-name", odf_theme_get(t, "font"));
  odf_attr(x, "fo:font-size", "11pt");
  odf_attr(x, "fo:color", "#ffffff");
  odf_end(x);
  odf_end(x);
  odf_end(x);
}

/* The built-in master page: a white slide with a bar at the bottom that
 * holds the footer (the pack's footer-decl). */
static void builtin_master(odf_xml *x) {
  odf_start(x, "office:master-styles");
  odf_start(x, "style:master-page");
  odf_attr(x, "style:name", "Vaksam");
  odf_attr(x, "style:page-layout-name", "PM1");
  odf_attr(x, "draw:style-name", "Mdp1");
  odf_start(x, "draw:rect");
  odf_attr(x, "draw:style-name", "Mgr_bar");
  odf_attr(x, "svg:x", "0cm");
  odf_attrf(x, "svg:y", "%.2fcm", SLIDE_H - 1.0);
  odf_attrf(x, "svg:width", "%.2fcm", SLIDE_W);
  odf_attr(x, "svg:height", "1cm");
  odf_end(x);
  odf_start(x, "draw:frame");
  odf_attr(x, "draw:style-name", "Mgr_footer");
  odf_attr(x, "presentation:class", "footer");
  odf_attrf(x, "svg:x", "%.2fcm", MARGIN);
  odf_attrf(x, "svg:y", "%.2fcm", SLIDE_H - 1.0);
  odf_attrf(x, "svg:width", "%.2fcm", BODY_W);
  odf_attr(x, "svg:height", "1cm");
  odf_start(x, "draw:text-box");
  odf_start(x, "text:p");
  odf_attr(x, "text:style-name", "MP_footer");
  odf_start(x, "presentation:footer");
  odf_end(x);
  odf_end(x);
  odf_end(x);
  odf_end(x);
  odf_end(x);
  odf_end(x);
}

static void write_raw(odf_xml *x, const char *xml) {
  xmlTextWriterWriteRaw(x->w, BAD_CAST xml); /* parsed and re-serialised XML */
}

/* styles.xml: reference.odp's parts as they are, else the built-in ones. */
static void write_styles(odf_package *pkg, const odf_theme *t) {
  odf_xml x;
  odf_xml_begin(&x, "office:document-styles");
  const char *fonts = odf_theme_slides(t, "fonts"), *styles = odf_theme_slides(t, "styles"),
             *automatic = odf_theme_slides(t, "automatic"),
             *masters = odf_theme_slides(t, "masters");
  if (fonts)
    write_raw(&x, fonts);
  else
    odf_font_decls(&x, t);
  if (styles)
    write_raw(&x, styles);
  else
    builtin_office_styles(&x, t);
  if (masters) {
    if (automatic)
      write_raw(&x, automatic);
    write_raw(&x, masters);
  } else {
    builtin_automatic_styles(&x, t);
    builtin_master(&x);
  }
  odf_xml_end(&x, pkg, "styles.xml");
}

int odp_write(const slide_deck *d, const vk_write_opts *o, sbuf *out, diag *dg) {
  odp_writer w = {.pkg = odf_package_new(ODF_MIME_PRESENTATION), .o = o, .number = 1};
  const char *master = odf_theme_slides(o->odf, "master");
  w.master = master ? master : "Vaksam";
  odf_xml *x = &w.x;
  odf_xml_begin(x, "office:document-content");
  content_styles(x, o->odf);
  odf_start(x, "office:body");
  odf_start(x, "office:presentation");
  odf_start(x, "presentation:footer-decl");
  odf_attr(x, "presentation:name", "ftr1");
  odf_text(x, d->footer ? d->footer : "");
  odf_end(x);
  for (size_t i = 0; i < d->n; i++) {
    if (d->slides[i].type == SLIDE_TITLE)
      title_slide(&w, d, &d->slides[i]);
    else if (d->slides[i].type == SLIDE_DIVIDER)
      divider_slide(&w, &d->slides[i]);
    else
      write_content_slides(&w, &d->slides[i]);
  }
  odf_end(x);
  odf_end(x);
  odf_xml_end(x, w.pkg, "content.xml");
  write_styles(w.pkg, o->odf);
  const char *fields[] = {
      L(o, "field.organisation"), d->org_name, L(o, "field.version"), d->version, NULL, NULL};
  odf_meta(w.pkg, d->title, d->subtitle, fields);
  int rc = odf_package_bytes(w.pkg, out, dg);
  odf_package_free(w.pkg);
  return rc;
}
