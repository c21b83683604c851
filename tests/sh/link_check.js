// tests/sh/link_check.js — link checker over a built dist/ (node built-ins only).
//
//   node link_check.js DIST BASE_URL
//
// The site root DIST/site/ must be self-contained: a link to anything
// outside it (handouts and packs included) is a failure.
//
// Prints "ok - …" / "not ok - …" (tests/lib.sh):
//  - site/: every internal href/src of every HTML page resolves to a file that
//    exists and, with a fragment, to an element with that id in that file
//    (the APT slide views, written by pack.c, as a check of their own);
//    feeds and the sitemap: every URL under BASE_URL resolves the same way;
//  - handouts (site/<org>/<role>/dokument/*.odt): every xlink:href in
//    content.xml under BASE_URL (BASE_URL maps to DIST/site/) resolves the
//    same way;
//  - pack files (site/<org>/<role>/apt/<pack>/*.od?): the same, one check
//    per pack file.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const [dist, baseUrl] = process.argv.slice(2);
const site = path.join(dist, 'site');
const basePath = new URL(baseUrl).pathname; // "/vaksam/": where the server serves site/

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function decode(s) {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

const idCache = new Map();
function idsOf(file) {
  if (!idCache.has(file)) {
    const ids = new Set();
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/\sid="([^"]*)"/g)) ids.add(decode(m[1]));
    idCache.set(file, ids);
  }
  return idCache.get(file);
}

// Checks that `target` (a file path, maybe with #fragment) exists; returns an
// error text or null.
function resolve(filePart, fragment) {
  let file = filePart;
  try {
    file = decodeURIComponent(file);
  } catch (e) {
    return 'bad percent-encoding';
  }
  if (file.endsWith('/') || (fs.existsSync(file) && fs.statSync(file).isDirectory()))
    file = path.join(file, 'index.html');
  if (!path.resolve(file).startsWith(path.resolve(site) + path.sep)) return 'leaves the site root';
  if (!fs.existsSync(file)) return 'no such file';
  if (fragment && /\.html$/.test(file) && !idsOf(file).has(fragment)) return `no id "${fragment}"`;
  return null;
}

function split(url) {
  const h = url.indexOf('#');
  let file = h < 0 ? url : url.slice(0, h);
  const fragment = h < 0 ? '' : url.slice(h + 1);
  const q = file.indexOf('?');
  if (q >= 0) file = file.slice(0, q);
  return [file, fragment];
}

// An absolute URL under base_url, as a file under dist/site/; else null.
function fromBase(url) {
  if (!url.startsWith(baseUrl)) return null;
  return path.join(site, url.slice(baseUrl.length));
}

// A link in an HTML page at `from`; returns an error text or null (also for
// links that leave the site).
function checkHtmlLink(from, raw) {
  const url = decode(raw);
  if (url === '' || url === '#') return null;
  const abs = fromBase(url);
  if (abs) return resolve(...split(abs));
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) return null; // external
  const [file, fragment] = split(url);
  if (url.startsWith('/')) {
    // root-relative (the 404 page): the server serves site/ at base_url's path
    if (!file.startsWith(basePath)) return `outside base_url's path ${basePath}`;
    return resolve(path.join(site, file.slice(basePath.length)), fragment);
  }
  return resolve(file === '' ? from : path.join(path.dirname(from), file), fragment);
}

function report(desc, bad, n) {
  if (bad.length === 0) console.log(`ok - ${desc} (${n} links)`);
  else console.log(`not ok - ${desc}: ${bad.length} of ${n} broken, e.g. ${bad.slice(0, 8).join('; ')}`);
}

// The links of HTML pages `files`, as one check.
function checkPages(desc, files) {
  const bad = [];
  let n = 0;
  for (const f of files) {
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      n++;
      const err = checkHtmlLink(f, m[1]);
      if (err) bad.push(`${path.relative(dist, f)} → ${m[1]} (${err})`);
    }
  }
  report(desc, bad, n);
}

function checkSite() {
  const files = walk(site);
  const html = files.filter((f) => f.endsWith('.html'));
  const slides = (f) => f.includes(`${path.sep}bildspel${path.sep}`);
  checkPages('site: every internal link in every HTML page resolves', html.filter((f) => !slides(f)));
  checkPages('site/…/apt/<pack>/bildspel/ (slide views, pack.c): every internal link resolves', html.filter(slides));
  const xbad = [];
  let xn = 0;
  for (const f of files.filter((f) => f.endsWith('.xml'))) {
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/(?:href="([^"]*)"|<loc>([^<]*)<\/loc>|<id>([^<]*)<\/id>)/g)) {
      const url = decode(m[1] || m[2] || m[3]);
      const abs = fromBase(url);
      if (!abs) continue;
      xn++;
      const err = resolve(...split(abs));
      if (err) xbad.push(`${path.relative(dist, f)} → ${url} (${err})`);
    }
  }
  report('site: every URL in feeds and the sitemap resolves', xbad, xn);
}

// The links of one ODF file (content.xml) into the site.
function odfLinks(file) {
  let xml;
  try {
    xml = execFileSync('unzip', ['-p', file, 'content.xml'], { maxBuffer: 1 << 28 }).toString('utf8');
  } catch (e) {
    return null;
  }
  return [...xml.matchAll(/xlink:href="([^"]*)"/g)].map((m) => decode(m[1]));
}

function checkOdf(file, bad) {
  const links = odfLinks(file);
  if (links === null) {
    bad.push(`${path.relative(dist, file)} (no content.xml)`);
    return 0;
  }
  let n = 0;
  for (const url of links) {
    const abs = fromBase(url);
    if (!abs) continue;
    n++;
    const err = resolve(...split(abs));
    if (err) bad.push(`${path.relative(dist, file)} → ${url} (${err})`);
  }
  return n;
}

function checkHandouts() {
  const bad = [];
  let n = 0;
  if (!walk(site).some((f) => /\/dokument\/[^/]+\.odt$/.test(f))) bad.push('no handout under the site root');
  for (const f of walk(site).filter((f) => /\/dokument\/[^/]+\.odt$/.test(f))) n += checkOdf(f, bad);
  report('handouts: every link into the site resolves', bad, n);
}

// Packs: one check per file, so that each broken file is named.
function checkPacks() {
  const packs = walk(site).filter((f) => /\/apt\/[^/]+\/[^/]+\.od[tp]$/.test(f));
  if (packs.length === 0) console.log('not ok - no pack file under the site root');
  for (const f of packs) {
    const bad = [];
    const n = checkOdf(f, bad);
    report(`${path.relative(dist, f)}: every link into the site resolves`, bad, n);
  }
}

// Nothing outside the site root but the review reports and access configs.
function checkRoot() {
  const stray = fs.readdirSync(dist).filter((e) => !['site', 'review.json', 'review.csv', 'access'].includes(e));
  if (stray.length === 0) console.log('ok - the output holds nothing a page could link outside site/');
  else console.log(`not ok - files outside the site root: ${stray.join(', ')}`);
}

checkRoot();
checkSite();
checkHandouts();
checkPacks();
