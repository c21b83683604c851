// tests/sh/crawl.js — crawls a served site over HTTP (node built-ins only).
//
//   node crawl.js SERVER_URL BASE_URL GROUPS
//
// Fetches BASE_URL's sitemap.xml from SERVER_URL (the sitemap's URLs, under
// BASE_URL, are mapped onto SERVER_URL + BASE_URL's path), then every page it
// lists and every link, image, script, stylesheet and download those pages
// name on the same server, each once, with header X-Vaksam-Groups: GROUPS.
// Prints one "ok - …" / "not ok - …" line (tests/lib.sh) with the counts.
'use strict';
const [server, baseUrl, groups] = process.argv.slice(2);
const basePath = new URL(baseUrl).pathname;
const origin = new URL(server).origin;

function decode(s) {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}
const onServer = (u) => (u.startsWith(baseUrl) ? origin + basePath + u.slice(baseUrl.length) : u);

async function get(url) {
  const r = await fetch(url, { headers: { 'X-Vaksam-Groups': groups }, redirect: 'manual' });
  const type = r.headers.get('content-type') || '';
  const body = r.ok && /text\/html|xml/.test(type) ? await r.text() : (await r.arrayBuffer(), '');
  return { status: r.status, body };
}

async function main() {
  const bad = [];
  const seen = new Set();
  const sitemap = await get(`${origin}${basePath}sitemap.xml`);
  if (sitemap.status !== 200) {
    console.log(`not ok - ${baseUrl}: sitemap.xml answers ${sitemap.status}`);
    return;
  }
  const pages = [...sitemap.body.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => onServer(decode(m[1])));
  const queue = [...pages];
  let n = 0;
  while (queue.length) {
    const batch = queue.splice(0, 16).filter((u) => !seen.has(u) && seen.add(u));
    const results = await Promise.all(batch.map(async (u) => [u, await get(u)]));
    for (const [u, r] of results) {
      n++;
      if (r.status !== 200) bad.push(`${u} → ${r.status}`);
      if (!u.endsWith('.html') && !u.endsWith('/')) continue;
      for (const m of r.body.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
        const raw = decode(m[1]);
        if (raw === '' || raw.startsWith('#') || /^(mailto|tel|javascript):/.test(raw)) continue;
        const abs = new URL(onServer(raw), u);
        if (abs.origin !== origin) continue; // external
        abs.hash = '';
        if (!abs.pathname.startsWith(basePath)) bad.push(`${u} → ${raw} (outside ${basePath})`);
        else if (!seen.has(abs.href)) queue.push(abs.href);
      }
    }
  }
  const desc = `${baseUrl} served: ${pages.length} sitemap pages and every link, asset and download they name (${n} URLs) answer 200`;
  if (pages.length && bad.length === 0) console.log(`ok - ${desc}`);
  else console.log(`not ok - ${desc}: ${bad.length} errors, e.g. ${bad.slice(0, 8).join('; ')}`);
}
main().catch((e) => console.log(`not ok - crawl failed: ${e}`));
