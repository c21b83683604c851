#!/usr/bin/env node
// pandoc-tree.js — reads pandoc's JSON (pandoc -t json) on stdin and prints
// its block structure in the normal form of tests/tools/dumptree.c: one
// node a line, two spaces a level; Para and Plain both as "Para text"
// (white space collapsed), "Link url" under the block holding the link,
// Div with "#id .class key=value" as written, Header N, BulletList /
// OrderedList with an "Item" per item, BlockQuote, CodeBlock "text",
// HorizontalRule, Table (not descended).
'use strict';
const doc = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = [];
const line = (depth, s) => out.push('  '.repeat(depth) + s);

// Text of inlines as md_text_content() sees it: breaks are spaces, raw HTML is no text.
function text(inlines) {
  let s = '';
  for (const i of inlines) {
    switch (i.t) {
      case 'Str': s += i.c; break;
      case 'Space': case 'SoftBreak': case 'LineBreak': s += ' '; break;
      case 'Code': case 'Math': s += i.c[1]; break;
      case 'Emph': case 'Strong': case 'Strikeout': case 'Underline': case 'SmallCaps':
      case 'Superscript': case 'Subscript': s += text(i.c); break;
      case 'Link': case 'Image': case 'Span': case 'Quoted': case 'Cite': s += text(i.c[1]); break;
      default: break;
    }
  }
  return s;
}
const collapse = (s) => s.replace(/\s+/g, ' ').trim();

function links(inlines, depth) {
  for (const i of inlines) {
    if (i.t === 'Link') line(depth, 'Link ' + i.c[2][0]);
    const kids = ['Emph', 'Strong', 'Strikeout', 'Underline', 'SmallCaps', 'Superscript',
      'Subscript'].includes(i.t) ? i.c : ['Link', 'Span', 'Quoted', 'Cite'].includes(i.t) ? i.c[1] : null;
    if (kids) links(kids, depth);
  }
}

function attrs([id, classes, kvs]) {
  let s = id ? ' #' + id : '';
  for (const c of classes) s += ' .' + c;
  for (const [k, v] of kvs) s += ' ' + k + '=' + v;
  return s;
}

function items(list, depth) {
  for (const blocks of list) {
    line(depth, 'Item');
    walk(blocks, depth + 1);
  }
}

function walk(blocks, depth) {
  for (const b of blocks) {
    switch (b.t) {
      case 'Para': case 'Plain':
        line(depth, collapse('Para ' + collapse(text(b.c))));
        links(b.c, depth + 1);
        break;
      case 'Header':
        line(depth, collapse(`Header ${b.c[0]} ` + collapse(text(b.c[2]))));
        links(b.c[2], depth + 1);
        break;
      case 'Div': line(depth, 'Div' + attrs(b.c[0])); walk(b.c[1], depth + 1); break;
      case 'BlockQuote': line(depth, 'BlockQuote'); walk(b.c, depth + 1); break;
      case 'BulletList': line(depth, 'BulletList'); items(b.c, depth + 1); break;
      case 'OrderedList': line(depth, 'OrderedList'); items(b.c[1], depth + 1); break;
      case 'CodeBlock': line(depth, 'CodeBlock ' + JSON.stringify(b.c[1].replace(/\n+$/, ''))); break;
      case 'HorizontalRule': line(depth, 'HorizontalRule'); break;
      case 'Table': line(depth, 'Table'); break;
      default: line(depth, 'Other ' + b.t); break;
    }
  }
}

walk(doc.blocks, 0);
process.stdout.write(out.length ? out.join('\n') + '\n' : '');
