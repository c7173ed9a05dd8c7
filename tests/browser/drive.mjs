// Drives the HTML report and the live page of `topo serve` in headless
// Chromium over the DevTools protocol. Run by tests/browser.rs:
//   node drive.mjs CHROMIUM REPORT.html LIVE-URL FILE-TO-EDIT SHOTS-DIR GROUP-REPORT.html
// Prints one JSON object with what it saw; the Rust test asserts on it.
import puppeteer from "puppeteer-core";
import { appendFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [chromium, report, live, edit, shots, groupReport] = process.argv.slice(2);
const seen = {};
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  userDataDir: mkdtempSync(join(tmpdir(), "topo-chromium-")),
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto("file://" + report, { waitUntil: "load" });
  seen.tabs = await page.$$eval("#tabs [role=tab]", (b) => b.map((x) => x.dataset.view));
  seen.findings = await page.$$eval(".finding", (l) => l.length);

  // A finding about an element: clicking it highlights that element.
  const target = await page.$eval(".finding[data-element]", (f) => f.dataset.element);
  await page.click(".finding[data-element]");
  seen.clicked = target;
  seen.highlighted = await page.$$eval(
    "section.view:not([hidden]) .highlight",
    (l) => l.map((e) => e.getAttribute("data-element")),
  );
  seen.selected = await page.$$eval(".finding.selected", (l) => l.map((e) => e.dataset.element));
  await page.screenshot({ path: join(shots, "report-finding.png") });

  // A drawn element: clicking it picks its findings.
  await page.evaluate(() => document.querySelectorAll(".highlight, .selected").forEach((e) => e.classList.remove("highlight", "selected")));
  // Dispatched on the element itself: a click at the centre of a site's
  // box would land on a service drawn inside it.
  await page.$eval(`section.view:not([hidden]) [data-element="${target}"]`, (e) =>
    e.dispatchEvent(new MouseEvent("click", { bubbles: true })));
  seen.picked = await page.$$eval(".finding.selected", (l) => l.map((e) => e.dataset.element));
  // Zoom: the canvas scales.
  await page.click("[data-zoom=in]");
  seen.zoomed = await page.$eval("section.view:not([hidden]) .canvas", (c) => c.style.transform);
  seen.requests = requests.filter((u) => !u.startsWith("file://"));

  // A box that stands for several parts ("d1–3 × 3"): a finding about any
  // member highlights it, and clicking it picks every member's findings.
  const group = await browser.newPage();
  await group.setViewport({ width: 1400, height: 900 });
  await group.goto("file://" + groupReport, { waitUntil: "load" });
  await group.click('.finding[data-element="s1.d2"]');
  seen.groupHighlighted = await group.$$eval(".highlight", (l) => l.map((e) => e.getAttribute("data-members") || e.getAttribute("data-element")));
  await group.evaluate(() => document.querySelectorAll(".highlight, .selected").forEach((e) => e.classList.remove("highlight", "selected")));
  await group.$eval('[data-members~="s1.d2"]', (e) => e.dispatchEvent(new MouseEvent("click", { bubbles: true })));
  seen.groupPicked = await group.$$eval(".finding.selected", (l) => l.map((e) => e.dataset.element));
  await group.screenshot({ path: join(shots, "report-group.png") });

  // The live page: change the file, the page redraws in place and keeps its tab.
  const livePage = await browser.newPage();
  await livePage.setViewport({ width: 1400, height: 900 });
  await livePage.goto(live, { waitUntil: "load" });
  const tabs = await livePage.$$eval("#tabs [role=tab]", (b) => b.map((x) => x.dataset.view));
  const second = tabs[1] ?? tabs[0];
  await livePage.click(`#tabs [data-view=${second}]`);
  seen.liveBefore = await livePage.$$eval("[data-element]", (l) => l.map((e) => e.getAttribute("data-element")));
  await new Promise((r) => setTimeout(r, 300));
  appendFileSync(edit, "\nservice added-by-test on web1 { tier web }\n");
  await livePage.waitForFunction(() => document.body.dataset.updates === "1", { timeout: 20000 });
  seen.liveAfter = await livePage.$$eval("[data-element]", (l) => l.map((e) => e.getAttribute("data-element")));
  seen.liveTab = await livePage.$eval("#tabs [aria-selected=true]", (b) => b.dataset.view);
  seen.secondTab = second;
  await livePage.screenshot({ path: join(shots, "live-after-save.png") });

  // A syntax error: shown, with the last good views kept beside it.
  appendFileSync(edit, "\nserver broken {\n");
  await livePage.waitForFunction(() => document.body.dataset.updates === "2", { timeout: 20000 });
  seen.problem = await livePage.$eval("#problem", (p) => p.textContent);
  seen.keptViews = await livePage.$$eval("section.view", (l) => l.length);
  await livePage.screenshot({ path: join(shots, "live-syntax-error.png") });
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
