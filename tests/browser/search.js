// search.js — the site's search and checklists in headless Debian chromium.
// usage: node search.js SITE_DIR CONTENT_DIR
// Serves SITE_DIR on a free 127.0.0.1 port (fetch() needs http, not file://)
// and prints one "ok - …" / "not ok - …" line per check:
//   - an inflected word finds a routine (title, link and a marked excerpt)
//   - a chef-only sentence is found by the chef variant and not from a staff page
//   - results are reachable with Tab and the arrow keys; Enter follows the link
//   - without JavaScript the search page is a plain list of all pages
//   - a ticked checklist item survives a reload; reset clears the ticks
//   - axe-core (WCAG 2.1 A/AA) passes on both pages after the interaction
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");
const { chromium } = require("playwright-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const site = path.resolve(process.argv[2]);
const content = path.resolve(process.argv[3]);
const ORG = "kommunen";
let failed = 0;
function ok(desc) { console.log("ok - " + desc); }
function notok(desc) { failed++; console.log("not ok - " + desc); }
function check(desc, cond, detail) { if (cond) ok(desc); else notok(desc + (detail ? ": " + detail : "")); }

const TYPES = { ".html": "text/html; charset=utf-8", ".json": "application/json", ".js": "text/javascript",
  ".css": "text/css", ".xml": "application/xml", ".svg": "image/svg+xml" };
function serve(root) {
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (rel.endsWith("/")) rel += "index.html";
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root + path.sep)) { res.writeHead(403); res.end(); return; }
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); res.end("not found"); return; }
      res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream" });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// The sentence of a `::: {roles="chef"}` container in a routine that holds WORD.
function chefOnlySentence(file, word) {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  let inChef = false;
  for (const line of lines) {
    if (/^:::+\s*\{[^}]*roles="chef"[^}]*\}/.test(line)) inChef = true;
    else if (/^:::+\s*$/.test(line)) inChef = false;
    else if (inChef && line.includes(word)) return line.replace(/^\s*([-*]|\d+\.)\s+/, "").trim();
  }
  return null;
}

async function axe(page, label) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  const v = result.violations;
  check("axe " + label, v.length === 0,
    v.map((x) => `${x.id} (${x.impact}): ${x.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")}`).join("; "));
}

// The results now on the search page: [{title, href, excerpt, marks}]
async function results(page) {
  return page.$$eval("#sok-resultat li", (lis) => lis.map((li) => {
    const a = li.querySelector("a");
    return {
      title: a ? a.textContent : "",
      href: a ? a.href : "",
      excerpt: (li.querySelector(".excerpt") || { textContent: "" }).textContent,
      marks: Array.from(li.querySelectorAll(".excerpt mark")).map((m) => m.textContent.toLowerCase()),
      text: li.textContent,
    };
  }));
}
async function waitForHits(page) {
  await page.waitForSelector("#sok-resultat .hit-count", { timeout: 10000 });
}

async function main() {
  const server = await serve(site);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const staff = base + ORG + "/medarbetare/";
  const chef = base + ORG + "/chef/";
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  const external = [];
  const context = await browser.newContext();
  context.on("request", (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));

  // 1. "hoten" typed into the search box of a staff page (the header form).
  await page.goto(staff + "index.html");
  await page.fill("#sok-topp", "hoten");
  await Promise.all([page.waitForURL(/sok\.html\?q=hoten/), page.press("#sok-topp", "Enter")]);
  await waitForHits(page);
  let hits = await results(page);
  let hit = hits.find((h) => h.title === "Hot eller hotfull situation vid möte och besök");
  check("\"hoten\" from a staff page's search box finds the routine about hot", hit,
    JSON.stringify(hits.map((h) => h.title)));
  check("the result links to the routine's page", hit && hit.href === staff + "rutiner/hot-i-mote.html", hit && hit.href);
  check("the result shows an excerpt with the matched word marked",
    hit && hit.excerpt.length > 20 && hit.marks.length > 0 && hit.marks.every((m) => m.startsWith("hot")),
    hit && JSON.stringify({ excerpt: hit.excerpt, marks: hit.marks }));
  check("the page with hits hides the list of all pages", await page.isHidden(".all-pages"));

  // 2. "trakasserierna" typed into the search page's own field (results as you type).
  await page.fill("#sok-q", "");
  await page.type("#sok-q", "trakasserierna");
  await page.waitForFunction(() => /trakasserierna/.test((document.querySelector("#sok-resultat .hit-count") || {}).textContent || ""));
  hits = await results(page);
  hit = hits.find((h) => h.title === "Hot och trakasserier via telefon, mejl, brev och sociala medier");
  check("\"trakasserierna\" finds the routine about trakasserier", hit, JSON.stringify(hits.map((h) => h.title)));
  check("its excerpt marks a form of trakasserier",
    hit && hit.marks.length > 0 && hit.marks.every((m) => m.startsWith("trakasseri")), hit && JSON.stringify(hit.marks));
  const announced = await page.$$eval("[role=status], [aria-live=polite], [aria-live=assertive]",
    (els) => els.map((e) => ({ id: e.id, text: e.textContent })));
  check("the hit count is announced in a live region, the list of hits is not",
    announced.some((a) => /\d+ träff(ar)? på trakasserierna/.test(a.text)) && announced.every((a) => a.id !== "sok-resultat"),
    JSON.stringify(announced));

  // 3. Keyboard: arrows and Tab reach the results, Enter follows the link.
  await page.fill("#sok-q", "");
  await page.type("#sok-q", "hoten");
  await page.waitForFunction(() => /hoten/.test((document.querySelector("#sok-resultat .hit-count") || {}).textContent || ""));
  hits = await results(page);
  const inResults = () => page.evaluate(() => {
    const a = document.activeElement;
    return a && a.closest("#sok-resultat") && a.tagName === "A" ? a.href : null;
  });
  await page.focus("#sok-q");
  await page.keyboard.press("ArrowDown");
  const first = await inResults();
  check("ArrowDown in the search field moves to the first result", first && first === hits[0].href, first);
  await page.keyboard.press("ArrowDown");
  const second = await inResults();
  check("ArrowDown moves to the next result", hits.length > 1 && second === hits[1].href, second);
  await page.keyboard.press("ArrowUp");
  check("ArrowUp moves back", (await inResults()) === first);
  await page.keyboard.press("ArrowUp");
  check("ArrowUp from the first result returns to the search field",
    await page.evaluate(() => document.activeElement && document.activeElement.id === "sok-q"));
  let tabs = 0;
  while (tabs < 6 && !(await inResults())) { await page.keyboard.press("Tab"); tabs++; }
  check("Tab from the search field reaches the first result", (await inResults()) === first, `after ${tabs} Tab`);
  await page.keyboard.press("ArrowDown");
  const target = await inResults();
  await Promise.all([page.waitForURL(target), page.keyboard.press("Enter")]);
  check("Enter on a focused result opens its page", page.url() === target, page.url());
  await page.goBack();

  // More than ten hits: the first ten, then a button for the next ten that moves focus to them.
  await page.goto(chef + "sok.html?q=hot");
  await waitForHits(page);
  const total = parseInt(await page.textContent("#sok-resultat .hit-count"), 10);
  const shownFirst = (await results(page)).length;
  check("more than ten hits show ten at first", total > 10 && shownFirst === 10, `${total} hits, ${shownFirst} shown`);
  await page.click("#sok-resultat button.more");
  await page.waitForFunction((n) => document.querySelectorAll("#sok-resultat li").length > n, shownFirst);
  const shownThen = await results(page);
  check("\"Visa fler träffar\" shows the next ones", shownThen.length === Math.min(total, 20), String(shownThen.length));
  check("… and moves focus to the first new hit", (await inResults()) === shownThen[10].href);
  check("every shown hit is a distinct page", new Set(shownThen.map((h) => h.href)).size === shownThen.length);

  // 4. axe on the search page with results shown.
  await page.goto(staff + "sok.html?q=hoten");
  await waitForHits(page);
  await axe(page, "search page with results (medarbetare)");

  // 4a. Swedish compounds: a part of a compound finds it (the index splits
  // "våldsincident" and "telefonhot"), and the excerpt marks the compound.
  const kollegan = staff + "fall/kollegan-som-inte-rapporterar.html";
  for (const [q, word] of [["väntrummet våld", "våldsincident"], ["incident väntrummet", "våldsincident"],
    ["litet telefon", "telefonhot"], ["litet hot", "telefonhot"]]) {
    await page.goto(staff + "sok.html?q=" + encodeURIComponent(q));
    await waitForHits(page);
    hits = await results(page);
    hit = hits.find((h) => h.href === kollegan);
    check(`compound: "${q}" finds the case with "${word}"`, hit, JSON.stringify(hits.map((h) => h.href)));
    check(`compound: the excerpt for "${q}" marks "${word}"`, hit && hit.marks.includes(word), hit && JSON.stringify(hit.marks));
  }

  // 4b. Facets: the kind and tag filters narrow the hits (meta.json's facets).
  await page.goto(staff + "sok.html?q=hot");
  await waitForHits(page);
  const allHot = await results(page);
  check("the kind and tag filters are shown with JavaScript", await page.isVisible("#sok-slag") && await page.isVisible("#sok-amne"));
  await page.selectOption("#sok-slag", "routine");
  await page.waitForURL(/slag=routine/);
  await waitForHits(page);
  let narrowed = await results(page);
  check("kind filter \"routine\" keeps only routines", narrowed.length > 0 &&
    narrowed.every((h) => h.href.startsWith(staff + "rutiner/")), JSON.stringify(narrowed.map((h) => h.href)));
  await page.goto(staff + "sok.html?q=hot&amne=telefon-och-digitalt");
  await waitForHits(page);
  narrowed = await results(page);
  const total2 = parseInt(await page.textContent("#sok-resultat .hit-count"), 10);
  check("tag filter from the address keeps only pages with the tag",
    narrowed.length > 0 && total2 < 20 && narrowed.some((h) => h.href === staff + "rutiner/hot-via-telefon-och-digitala-kanaler.html") &&
    !narrowed.some((h) => h.href === staff + "rutiner/hot-i-mote.html"),
    JSON.stringify(narrowed.map((h) => h.href)) + " of " + allHot.length);
  check("the tag filter shows the tag from the address", (await page.inputValue("#sok-amne")) === "telefon-och-digitalt");

  // 5. A chef-only sentence: the chef variant finds it, a staff page does not.
  const routine = path.join(content, "routines", "hot-via-telefon-och-digitala-kanaler.md");
  const sentence = fs.existsSync(routine) ? chefOnlySentence(routine, "växeln") : null;
  check("the sample content has a chef-only sentence about växeln", sentence, routine);
  if (sentence) {
    const query = "inkommande samtal via växeln";
    check("the query's words are in that sentence",
      query.split(" ").every((w) => sentence.toLowerCase().includes(w)), sentence);
    await page.goto(chef + "sok.html");
    await page.type("#sok-q", query);
    await page.waitForFunction(() => /växeln/.test((document.querySelector("#sok-resultat .hit-count") || {}).textContent || ""));
    hits = await results(page);
    hit = hits.find((h) => h.href === chef + "rutiner/hot-via-telefon-och-digitala-kanaler.html");
    check("the chef variant's search finds the chef-only sentence", hit && hit.excerpt.includes("växeln"),
      JSON.stringify(hits));
    await page.goto(staff + "rutiner/hot-via-telefon-och-digitala-kanaler.html");
    await page.fill("#sok-topp", query);
    await Promise.all([page.waitForURL(/sok\.html\?q=/), page.press("#sok-topp", "Enter")]);
    await waitForHits(page);
    const count = await page.textContent("#sok-resultat .hit-count");
    hits = await results(page);
    check("from a staff page the chef-only sentence gives no hit", hits.length === 0 && /Inga träffar/.test(count),
      count + " " + JSON.stringify(hits));
    check("no staff result exposes the chef-only text",
      hits.every((h) => !h.text.includes("växel")) && !(await page.textContent("main")).includes(sentence));
    // The last word may be a prefix while one types: still nothing.
    await page.fill("#sok-q", "");
    await page.type("#sok-q", "växel");
    await page.waitForFunction(() => /växel/.test((document.querySelector("#sok-resultat .hit-count") || {}).textContent || ""));
    check("a prefix of the chef-only word gives no staff hit either", (await results(page)).length === 0);
  }

  // 6. Checklists: ticks survive a reload; reset clears them.
  const list = staff + "checklistor/infor-hembesok.html";
  await page.goto(list);
  const boxes = "[data-checklist] input[type=checkbox]";
  const n = await page.$$eval(boxes, (b) => b.length);
  check("the checklist has checkboxes to tick", n >= 2, String(n));
  check("the checkboxes are enabled with JavaScript", await page.$$eval(boxes, (b) => b.every((x) => !x.disabled)));
  await page.check("#infor-hembesok-uppgift-2");
  // keyboard ticking too: focus a box and press Space
  await page.focus("#infor-hembesok-uppgift-4");
  await page.keyboard.press("Space");
  await page.reload();
  let ticked = await page.$$eval(boxes, (b) => b.filter((x) => x.checked).map((x) => x.id));
  check("ticked items survive a reload", JSON.stringify(ticked) === JSON.stringify(["infor-hembesok-uppgift-2", "infor-hembesok-uppgift-4"]),
    JSON.stringify(ticked));
  const other = await context.newPage();
  await other.goto(staff + "checklistor/larmkontroll.html");
  ticked = await other.$$eval(boxes, (b) => b.filter((x) => x.checked).length);
  check("ticks belong to their own checklist", ticked === 0, String(ticked));
  await other.close();
  await page.uncheck("#infor-hembesok-uppgift-4");
  await page.reload();
  ticked = await page.$$eval(boxes, (b) => b.filter((x) => x.checked).map((x) => x.id));
  check("an unticked item stays unticked after a reload", JSON.stringify(ticked) === JSON.stringify(["infor-hembesok-uppgift-2"]),
    JSON.stringify(ticked));
  await page.check("#infor-hembesok-uppgift-5");
  check("the reset button is shown", await page.isVisible("button.checklist-reset"));
  await axe(page, "checklist page with ticks (medarbetare)");
  await page.click("button.checklist-reset");
  ticked = await page.$$eval(boxes, (b) => b.filter((x) => x.checked).length);
  check("reset clears every tick", ticked === 0, String(ticked));
  await page.reload();
  ticked = await page.$$eval(boxes, (b) => b.filter((x) => x.checked).length);
  check("reset ticks stay cleared after a reload", ticked === 0, String(ticked));
  await axe(page, "checklist page after reset (medarbetare)");

  check("no script errors on the pages", errors.length === 0, errors.join("; "));
  check("no request left the site", external.length === 0, external.slice(0, 5).join(" "));
  await context.close();

  // 7. Without JavaScript: the box leads to a plain list of all pages.
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const p2 = await nojs.newPage();
  await p2.goto(staff + "rutiner/index.html");
  const listed = await p2.$$eval("main a", (as) => as.map((a) => a.href).filter((h) => /\/rutiner\/[^/]+\.html$/.test(h) && !/index\.html$/.test(h)));
  await p2.fill("#sok-topp", "hoten");
  await Promise.all([p2.waitForURL(/sok\.html\?q=hoten/), p2.press("#sok-topp", "Enter")]);
  check("without JavaScript the search box leads to the search page", /sok\.html\?q=hoten/.test(p2.url()), p2.url());
  check("without JavaScript the list of all pages is shown", await p2.isVisible(".all-pages"));
  const all = await p2.$$eval(".all-pages a", (as) => as.map((a) => a.href));
  const missing = listed.filter((h) => !all.includes(h));
  check("the list holds every routine of the variant", listed.length > 0 && missing.length === 0,
    `${listed.length} routines, missing ${missing.join(" ")}`);
  check("the list holds every kind of page",
    ["rutiner/", "fall/", "checklistor/", "begrepp/"].every((k) => all.some((h) => h.includes("/" + ORG + "/medarbetare/" + k))));
  check("without JavaScript the page says why there are no hits", await p2.isVisible("noscript p") &&
    /behöver JavaScript/.test(await p2.textContent("noscript p")));
  check("without JavaScript there is no empty result list", (await p2.$$("#sok-resultat li")).length === 0);
  const nojsBoxes = await p2.goto(staff + "checklistor/infor-hembesok.html").then(() => p2.$$eval(boxes, (b) => b.length));
  check("without JavaScript the checklist still shows its items", nojsBoxes === n, String(nojsBoxes));
  await nojs.close();

  // 8. Opened from disk (file://) the index cannot be fetched: say so, keep the list.
  const disk = await browser.newContext();
  const p3 = await disk.newPage();
  await p3.goto("file://" + path.join(site, ORG, "medarbetare", "sok.html") + "?q=hoten");
  await p3.waitForSelector("#sok-resultat p", { timeout: 10000 });
  const msg = await p3.textContent("#sok-resultat");
  check("when the index cannot be fetched the page says so (not \"no hits\")", !/Inga träffar/.test(msg) && /kunde inte/i.test(msg), msg);
  check("… and shows the list of all pages", await p3.isVisible(".all-pages"));
  await disk.close();

  await browser.close();
  server.close();
  process.exit(failed ? 1 : 0);
}
main().catch((e) => { console.log("not ok - browser run: " + e.message.split("\n")[0]); process.exit(1); });
