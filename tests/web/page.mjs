// The page in headless Chromium: feed the example through the file input, check the verdict and
// the highlighted lines, then a tampered copy; save screenshots and measure the time to verify.
//
//   node tests/web/page.mjs [--dist DIR] [--out DIR] [--chromium PATH]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const dist = path.resolve(arg("--dist", path.join(root, "web", "dist")));
const out = path.resolve(arg("--out", path.join(root, "target", "web-test")));
const chromium = arg("--chromium", process.env.CHROMIUM || "/usr/bin/chromium");
// A page built with --trust-bundle keys: the example verifies without any entry given.
const bundled = arg("--bundled", null);
fs.mkdirSync(out, { recursive: true });

const ex = (p) => path.join(root, p);
const doc = ex("examples/kfor-2017-q3.md");
const sig = ex("examples/kfor-2017-q3.md.sig.json");
const keys = [ex("keys/guterres.pub.json"), ex("keys/stoltenberg.pub.json")];
// The tampered copy has the example's name, so that it replaces the document in the page.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "transmittal-web-page-"));
const tampered = path.join(tmp, "kfor-2017-q3.md");
fs.writeFileSync(tampered, fs.readFileSync(doc, "utf8").replace("approximately 4,100", "approximately 4,700"));

let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
};

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--allow-file-access-from-files=false"],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));

  const url = "file://" + path.join(dist, "index.html");
  await page.goto(url, { waitUntil: "load" });
  const verdictText = () => page.$eval("#verdict", (e) => e.textContent);
  check((await verdictText()).includes("Give a document"), "the page loads and asks for the files");
  check(await page.$eval("#verdict", (e) => e.getAttribute("aria-live") === "polite" && e.getAttribute("role") === "status"),
    "the verdict is a live region");
  check(await page.$eval("#files", (e) => !!(e.labels && e.labels.length)), "the file input has a label");

  // The example, through the file input.
  const input = await page.$("#files");
  const t0 = Date.now();
  await input.uploadFile(doc, sig, ...keys);
  await page.waitForSelector("#verdict.valid", { timeout: 10000 });
  const shownMs = Date.now() - t0;
  const valid = await verdictText();
  check(valid.startsWith("Valid"), `the example: "${valid}"`);
  const header = await page.$$eval("#doc li", (lis) => lis.slice(2, 8).every((li) => li.classList.contains("warned") && li.classList.contains("uncovered")));
  check(header, "the example: the publication header (lines 3-8) is highlighted as covered by no signature");
  check(await page.$$eval("#doc li.layer-first", (l) => l.length) === 3, "the example: three layers outlined");
  check(await page.$$eval("#doc li.changed", (l) => l.length) === 0, "the example: no line marked changed");
  check((await page.$eval("#report", (e) => e.textContent)).includes("António Guterres"), "the example: the signatories are shown");
  const verifyMs = parseFloat(await page.$eval("#verdict", (e) => e.getAttribute("data-verify-ms")));
  await page.screenshot({ path: path.join(out, "valid.png"), fullPage: true });

  // Time to verify in the page: the call into the wasm, repeated.
  const runs = await page.evaluate(() => {
    const times = [];
    for (let i = 0; i < 20; i++) {
      document.getElementById("strict").dispatchEvent(new Event("change"));
      times.push(parseFloat(document.getElementById("verdict").getAttribute("data-verify-ms")));
    }
    times.sort((a, b) => a - b);
    return { median: times[10], min: times[0], max: times[19] };
  });

  // A tampered copy replaces the document.
  await input.uploadFile(tampered);
  await page.waitForSelector("#verdict.invalid", { timeout: 10000 });
  const invalid = await verdictText();
  check(invalid.startsWith("Invalid") && invalid.includes("content-changed"), `the tampered copy: "${invalid}"`);
  const changed = await page.$$eval("#doc li.changed", (l) => l.map((li) => [Array.from(li.parentNode.children).indexOf(li) + 1, li.textContent]));
  check(changed.length === 1 && changed[0][0] === 32 && changed[0][1].includes("4,700"),
    `the tampered copy: line 32 highlighted as changed (${JSON.stringify(changed.map((c) => c[0]))})`);
  const el32 = await page.$("#doc li:nth-child(32)");
  await el32.scrollIntoView();
  await page.screenshot({ path: path.join(out, "tampered.png"), fullPage: true });
  await page.screenshot({ path: path.join(out, "tampered-viewport.png") });
  // The README's picture: docs/web-verify.png is this file through `pngquant --quality 60-85`.
  await page.setViewport({ width: 1100, height: 720 });
  await page.evaluate(() => { document.getElementById("result").scrollIntoView(); document.getElementById("doc").parentNode.scrollTop = 0; });
  await page.evaluate(() => { const l = document.querySelector("#doc li:nth-child(26)"); l.parentNode.parentNode.scrollTop = l.offsetTop - 10; });
  await page.screenshot({ path: path.join(out, "readme.png") });

  // Keyboard: the file input, the options and every file's Remove button are reachable with Tab.
  const tabbable = await page.evaluate(() => Array.from(document.querySelectorAll("input, button, summary")).filter((e) => e.tabIndex >= 0 && !e.disabled).length);
  check(tabbable >= 7, `keyboard: ${tabbable} controls reachable with Tab (file input, strict, 4 Remove buttons, the JSON)`);
  await page.focus("#files");
  await page.keyboard.press("Tab");
  check(await page.evaluate(() => document.activeElement && document.activeElement.textContent === "Remove"), "keyboard: Tab moves from the file input to the first Remove button");

  // Readable on a phone: one column, nothing wider than the screen (a new page: a change of
  // isMobile reloads a page).
  const phone = await browser.newPage();
  await phone.setViewport({ width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  phone.on("pageerror", (e) => problems.push(`page error (phone): ${e.message}`));
  await phone.goto(url, { waitUntil: "load" });
  await (await phone.$("#files")).uploadFile(tampered, sig, ...keys);
  await phone.waitForSelector("#verdict.invalid", { timeout: 10000 });
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `on a 390 px wide phone nothing overflows sideways (${overflow} px)`);
  const oneColumn = await phone.evaluate(() => {
    const a = document.getElementById("report").getBoundingClientRect();
    const b = document.getElementById("doc").getBoundingClientRect();
    return b.top >= a.bottom;
  });
  check(oneColumn, "on a phone the document comes below the report");
  await phone.screenshot({ path: path.join(out, "phone.png") });

  if (bundled) {
    const b = await browser.newPage();
    b.on("pageerror", (e) => problems.push(`page error (bundled): ${e.message}`));
    await b.goto("file://" + path.join(path.resolve(bundled), "index.html"), { waitUntil: "load" });
    check((await b.$eval("#build-info", (e) => e.textContent)).includes("2 trust entries bundled"), "a page with two entries bundled says so");
    await (await b.$("#files")).uploadFile(doc, sig);
    await b.waitForSelector("#verdict.valid, #verdict.invalid, #verdict.error, #verdict.indeterminate", { timeout: 10000 });
    const v = await b.$eval("#verdict", (e) => e.textContent);
    check(v.startsWith("Valid"), `the example with the bundled entries only: "${v}"`);
  }

  const remote = requests.filter((u) => !u.startsWith("file:") && !u.startsWith("data:"));
  check(remote.length === 0, `no network request (${requests.length} requests, all file:)${remote.length ? ": " + remote.join(", ") : ""}`);
  check(problems.length === 0, `no console error or warning, no CSP violation${problems.length ? ": " + problems.join("; ") : ""}`);

  console.log(`time to verify the example in the page: ${verifyMs.toFixed(1)} ms for the first call; median ${runs.median.toFixed(1)} ms (min ${runs.min.toFixed(1)}, max ${runs.max.toFixed(1)}) over 20; ${shownMs} ms from the upload to the verdict shown`);
  console.log(`screenshots: ${out}/{valid,tampered,tampered-viewport,phone,readme}.png`);
} finally {
  await browser.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
if (failures) {
  console.log(`${failures} check(s) failed`);
  process.exit(1);
}
