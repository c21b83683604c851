// presenter.js — the HTML slide view's presenter view in headless Debian chromium,
// opened from file:// with every request that is not file:// refused (offline).
// usage: node presenter.js SLIDES_HTML NOTE_TEXT
//   SLIDES_HTML: a facilitating role's bildspel/index.html;
//   NOTE_TEXT: a phrase of one slide's speaker notes.
// Prints "ok - …" / "not ok - …" per check.
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

let failed = 0;
function check(name, cond, detail) {
  if (cond) console.log(`ok - ${name}`);
  else { failed++; console.log(`not ok - ${name}${detail ? ": " + detail : ""}`); }
}

async function main() {
  const file = path.resolve(process.argv[2]), note = process.argv[3];
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const external = [];
  await page.route("**/*", (r) => {
    if (r.request().url().startsWith("file://")) return r.continue();
    external.push(r.request().url());
    return r.abort();
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("file://" + file);
  const hash = () => page.evaluate(() => location.hash);
  const visible = (sel) => page.isVisible(sel);

  check("presenter view is hidden until asked for", !(await visible("#presentatorsvy")));
  await page.keyboard.press("s");
  check("S shows the presenter view", await visible("#presentatorsvy"));
  check("the toggle button says it is pressed",
    (await page.getAttribute(".p-toggle", "aria-pressed")) === "true");

  // keys: forward, back, Home, End
  await page.keyboard.press("ArrowRight");
  check("ArrowRight goes to slide 2", (await hash()) === "#bild-2", await hash());
  await page.keyboard.press("n");
  check("N goes to slide 3", (await hash()) === "#bild-3", await hash());
  await page.keyboard.press("PageDown");
  check("PageDown goes to slide 4", (await hash()) === "#bild-4", await hash());
  await page.keyboard.press("p");
  check("P goes back to slide 3", (await hash()) === "#bild-3", await hash());
  await page.keyboard.press("PageUp");
  check("PageUp goes back to slide 2", (await hash()) === "#bild-2", await hash());
  await page.keyboard.press("ArrowLeft");
  check("ArrowLeft goes back to slide 1", (await hash()) === "#bild-1", await hash());
  await page.keyboard.press(" ");
  check("space goes forward", (await hash()) === "#bild-2", await hash());
  const n = await page.$$eval(".deck .slide", (s) => s.length);
  await page.keyboard.press("End");
  check("End goes to the last slide", (await hash()) === `#bild-${n}`, await hash());
  check("on the last slide the next-slide pane says so", await visible(".p-last"));
  await page.keyboard.press("Home");
  check("Home goes to the first slide", (await hash()) === "#bild-1", await hash());

  // next slide: the preview holds slide 2's title, without its ids
  const t2 = await page.textContent("#bild-2 h2");
  const prev = await page.textContent(".p-next-slide");
  check("the next slide is shown beside the current one",
    prev.includes(t2.trim()) && (await visible(".p-next-slide h2")), prev.slice(0, 80));
  check("the next-slide copy has no ids", (await page.$$eval(".p-next-slide [id]", (e) => e.length)) === 0);

  // notes: go to the slide that has NOTE_TEXT
  const target = await page.$$eval(".slide-note", (ns, note) => {
    const n = ns.find((x) => x.textContent.includes(note));
    return n ? parseInt(n.dataset.slide, 10) : 0;
  }, note);
  check("the page holds the speaker note", target > 0, note);
  for (let i = 1; i < target; i++) await page.keyboard.press("ArrowRight");
  check("the slide's notes are shown", await page.isVisible(`.slide-note[data-slide="${target}"]`));
  check("no other slide's notes are shown",
    (await page.$$eval(".slide-note", (ns) => ns.filter((x) => !x.hidden).length)) === 1);

  // timer: this slide's agenda item and its minutes
  const item = await page.getAttribute(`#bild-${target}`, "data-item");
  const minutes = parseInt(await page.getAttribute(`.p-agenda li[data-item="${item}"]`, "data-minutes"), 10);
  const mm = (minutes < 10 ? "0" : "") + minutes + ":00";
  check("the timer shows the item's minutes", (await page.textContent(".p-total")) === mm,
    `${await page.textContent(".p-total")} vs ${mm}`);
  check("the agenda marks the current item",
    (await page.getAttribute(`.p-agenda li[data-item="${item}"]`, "aria-current")) === "step");
  check("the timer stands still before it is started", (await page.textContent(".p-elapsed")) === "00:00");
  await page.keyboard.press("t");
  await page.waitForFunction(() => document.querySelector(".p-elapsed").textContent !== "00:00", null, { timeout: 5000 })
    .then(() => check("T starts the timer and it runs", true), () => check("T starts the timer and it runs", false));
  check("the run button now offers to pause", (await page.getAttribute(".p-run", "aria-pressed")) === "true");
  check("the time left is shown", /\d\d:\d\d/.test(await page.textContent(".p-left")));
  await page.keyboard.press("t");
  const stopped = await page.textContent(".p-elapsed");
  await page.waitForTimeout(1200);
  check("T again pauses the timer", (await page.textContent(".p-elapsed")) === stopped);
  await page.keyboard.press("r");
  check("R resets the item's time", (await page.textContent(".p-elapsed")) === "00:00");

  // axe on the presenter view (slide with notes shown)
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  const v = result.violations;
  check("axe: presenter view has no WCAG 2.1 A/AA violation", v.length === 0,
    v.map((x) => `${x.id}: ${x.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")}`).join("; "));

  await page.keyboard.press("s");
  check("S hides the presenter view again", !(await visible("#presentatorsvy")));
  check("the slide view loads nothing from outside file://", external.length === 0, external.join(" "));
  check("no script errors", errors.length === 0, errors.join("; "));
  await browser.close();
  process.exit(failed ? 1 : 0);
}
main().catch((e) => { console.log("not ok - presenter run: " + e.message); process.exit(1); });
