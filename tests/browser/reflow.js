// reflow.js — accessibility beyond axe in headless Debian chromium.
// usage: node reflow.js SITE_URL SHOTS_DIR page.html …  (SITE_URL ends in "/"; over
// HTTP, as the 404 page links from the server's root)
// For each page, one "ok - …" / "not ok - …" line per check:
//   reflow (WCAG 1.4.10): at 320 CSS px nothing scrolls sideways; nothing is
//     wider than the viewport except inside a scroll container; every table
//     sits in a focusable, labelled scroll container (role=region);
//   text zoom (1.4.4): root font-size 200 % at 1280 px: no sideways scroll,
//     no text clipped by an overflow:hidden box;
//   focus visible (2.4.7): after Tab, the focused element shows an outline
//     or a box-shadow;
//   forced colors: the theme has a forced-colors rule, focus still shows;
//   reduced motion: with prefers-reduced-motion no element transitions,
//     animates or scrolls smoothly.
// Writes a 320 px screenshot per page to SHOTS_DIR.
"use strict";
const path = require("path");
const { chromium } = require("playwright-core");

let failed = 0;
function report(good, what) {
  if (!good) failed++;
  console.log(`${good ? "ok" : "not ok"} - ${what}`);
}

// Elements sticking out of the viewport (right edge > width), not inside an
// element that scrolls sideways itself, and tables outside a labelled,
// focusable region.
function overflowing(width) {
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if ((ox === "auto" || ox === "scroll") && p !== document.documentElement && p !== document.body) return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const cs = getComputedStyle(el);
    if (cs.position === "absolute" && (r.right < 0 || r.left < -100)) continue; // visually hidden, skip links
    if ((r.right > width + 0.5 || r.left < -0.5) && !scrolls(el))
      wide.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : ""} (${Math.round(r.left)}–${Math.round(r.right)})`);
  }
  const bareTables = [];
  for (const t of document.querySelectorAll("table")) {
    const box = t.closest(".table-scroll");
    const good = box && box.getAttribute("role") === "region" && (box.getAttribute("aria-label") || "").trim() !== "" &&
      box.getAttribute("tabindex") === "0" && ["auto", "scroll"].includes(getComputedStyle(box).overflowX);
    if (!good) bareTables.push(t.className || "table");
  }
  return { scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 4), n: wide.length, bareTables };
}

// Text whose box clips it (overflow hidden and content larger).
function clipped() {
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const cs = getComputedStyle(el);
    if (cs.position === "absolute" && el.getBoundingClientRect().width <= 1) continue;
    if ((cs.overflowX === "hidden" || cs.overflowY === "hidden" || cs.overflow === "clip") && el.textContent.trim() &&
      (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1))
      out.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : ""));
  }
  return out;
}

function focusShows() {
  const el = document.activeElement;
  if (!el || el === document.body) return { what: "nothing", shows: false };
  const cs = getComputedStyle(el);
  const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2;
  const shadow = cs.boxShadow && cs.boxShadow !== "none";
  return { what: el.tagName.toLowerCase() + (el.id ? "#" + el.id : ""), shows: outline || !!shadow, visible: el.matches(":focus-visible") };
}

function moving() {
  const out = [];
  for (const el of [document.documentElement, ...document.body.querySelectorAll("*")]) {
    const cs = getComputedStyle(el);
    const dur = (s) => s.split(",").some((d) => parseFloat(d) > 0.01);
    if (dur(cs.transitionDuration) || (cs.animationName !== "none" && dur(cs.animationDuration)) || cs.scrollBehavior === "smooth")
      out.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : ""));
  }
  return out;
}

function hasForcedColorsRule() {
  for (const sheet of document.styleSheets) {
    let rules;
    try { rules = sheet.cssRules; } catch (e) { continue; }
    for (const r of rules) if (r.media && /forced-colors:\s*active/.test(r.media.mediaText)) return true;
  }
  return false;
}

// Tab to the first focusable element after the skip link.
async function tab(page) {
  await page.keyboard.press("Tab");
  if (await page.evaluate(() => document.activeElement && document.activeElement.classList.contains("skip")))
    await page.keyboard.press("Tab");
}

async function checkPage(browser, site, shots, rel) {
  const url = site + rel;
  const ctx = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await ctx.newPage();
  await page.goto(url);
  const o = await page.evaluate(overflowing, 320);
  report(o.scrollWidth <= 320 && o.n === 0,
    `reflow ${rel}: 320 px wide, nothing sticks out (scrollWidth ${o.scrollWidth}${o.n ? "; " + o.n + " wide: " + o.wide.join(", ") : ""})`);
  report(o.bareTables.length === 0, `reflow ${rel}: every table in a labelled, focusable scroll container${o.bareTables.length ? " (" + o.bareTables.length + " not)" : ""}`);
  await page.screenshot({ path: path.join(shots, rel.replace(/[\/]/g, "_") + ".png"), fullPage: false });

  await tab(page);
  const f = await page.evaluate(focusShows);
  report(f.shows && f.visible, `focus ${rel}: the focused ${f.what} shows a focus ring after Tab`);
  await ctx.close();

  const big = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const bp = await big.newPage();
  await bp.goto(url);
  await bp.evaluate(() => { document.documentElement.style.fontSize = "200%"; });
  const z = await bp.evaluate(overflowing, 1280);
  const c = await bp.evaluate(clipped);
  report(z.scrollWidth <= 1280 && z.n === 0 && c.length === 0,
    `text zoom ${rel}: 200 % text, no sideways scroll or clipped text (scrollWidth ${z.scrollWidth}${z.n ? "; wide: " + z.wide.join(", ") : ""}${c.length ? "; clipped: " + c.slice(0, 4).join(", ") : ""})`);
  await big.close();

  const fc = await browser.newContext({ viewport: { width: 1024, height: 768 }, forcedColors: "active", reducedMotion: "reduce" });
  const fp = await fc.newPage();
  await fp.goto(url);
  const active = await fp.evaluate(() => matchMedia("(forced-colors: active)").matches && matchMedia("(prefers-reduced-motion: reduce)").matches);
  const rule = await fp.evaluate(hasForcedColorsRule);
  await tab(fp);
  const ff = await fp.evaluate(focusShows);
  report(active && rule && ff.shows, `forced colors ${rel}: the theme has a forced-colors rule and focus shows (${ff.what})`);
  const m = await fp.evaluate(moving);
  report(m.length === 0, `reduced motion ${rel}: nothing moves${m.length ? " (" + m.slice(0, 4).join(", ") + ")" : ""}`);
  await fc.close();
}

async function main() {
  const site = process.argv[2];
  const shots = path.resolve(process.argv[3]);
  const pages = process.argv.slice(4);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  for (const rel of pages) await checkPage(browser, site, shots, rel);
  await browser.close();
  process.exit(failed ? 1 : 0);
}
main().catch((e) => { console.log("not ok - reflow run: " + e.message); process.exit(1); });
