// axe.js — runs axe-core in headless Debian chromium over HTML pages.
// usage: node axe.js SITE_DIR [page.html …]   (default: every .html under SITE_DIR)
// Prints one "ok - axe PAGE" / "not ok - axe PAGE: violations" line per page.
// Fails on any violation tagged wcag2a, wcag2aa, wcag21a or wcag21aa.
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

function htmlFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...htmlFiles(p));
    else if (e.name.endsWith(".html")) out.push(p);
  }
  return out.sort();
}

async function main() {
  const site = path.resolve(process.argv[2]);
  const pages = process.argv.length > 3 ? process.argv.slice(3).map((p) => path.join(site, p)) : htmlFiles(site);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  let failed = 0;
  for (const file of pages) {
    const rel = path.relative(site, file);
    await page.goto("file://" + file);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      return await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    });
    const v = result.violations;
    if (v.length === 0) console.log(`ok - axe ${rel}`);
    else {
      failed++;
      const detail = v.map((x) => `${x.id} (${x.impact}): ${x.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")}`).join("; ");
      console.log(`not ok - axe ${rel}: ${detail}`);
    }
  }
  await browser.close();
  process.exit(failed ? 1 : 0);
}
main().catch((e) => { console.log("not ok - axe run: " + e.message); process.exit(1); });
