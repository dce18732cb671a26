// The browser verifier gives byte for byte what `transmittal verify --json` prints.
//
// Loads the page's own script (web/dist/transmittal-web.js: the wasm-bindgen glue with the .wasm
// embedded) in Node, runs a matrix of cases through it and through the command-line binary, and
// compares the two outputs byte for byte. Each case is a directory holding the document, its
// signature file and keys/ (the trust entries); the binary runs there as
//   transmittal verify DOC --sig SIG --keys keys [--strict] --json
// and the wasm gets the same names and bytes, the entries as the page's store (`keys`), and
// today's date in UTC (as the binary uses).
//
//   node tests/web/equality.mjs [--bin PATH] [--dist DIR]
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const targetDir = process.env.CARGO_TARGET_DIR || path.join(root, "target");
const bin = path.resolve(arg("--bin", path.join(targetDir, "release", "transmittal")));
const dist = path.resolve(arg("--dist", path.join(root, "web", "dist")));

// The page's script, as a browser runs it (a classic script defining `wasm_bindgen`).
const glue = fs.readFileSync(path.join(dist, "transmittal-web.js"), "utf8");
vm.runInThisContext(glue + "\n;globalThis.wasm_bindgen = wasm_bindgen;", { filename: "transmittal-web.js" });
const wasm = globalThis.wasm_bindgen;

const read = (p) => fs.readFileSync(path.join(root, p));
const DOC = read("examples/kfor-2017-q3.md");
const SIG = read("examples/kfor-2017-q3.md.sig.json");
const GUTERRES = read("keys/guterres.pub.json");
const STOLTENBERG = read("keys/stoltenberg.pub.json");
const BOTH = { "guterres.pub.json": GUTERRES, "stoltenberg.pub.json": STOLTENBERG };
const docText = DOC.toString("utf8");
const lines = docText.split("\n");
// 1-based inclusive line ranges of the example: cover 10-17, annex 21-27, enclosure 29-44.
const take = (a, b) => lines.slice(a - 1, b);
const joinLines = (...parts) => Buffer.from(parts.flat().join("\n") + "\n");
const replaced = (from, to) => {
  if (!docText.includes(from)) throw new Error(`the example has no ${JSON.stringify(from)}`);
  return Buffer.from(docText.replace(from, to));
};
const withId = (entry, id) => {
  const v = JSON.parse(entry.toString("utf8"));
  v.id = id;
  return Buffer.from(JSON.stringify(v, null, 2) + "\n");
};
const hugeLine = Buffer.concat([DOC, Buffer.from("x".repeat(4 << 20) + "\n")]);

const cases = [
  { name: "the example, valid" },
  { name: "the example, --strict", strict: true },
  { name: "a changed figure", doc: replaced("approximately 4,100", "approximately 4,700") },
  { name: "a changed signature line", doc: replaced("(Signed) Jens **Stoltenberg**", "(Signed) Jens **Stoltenbreg**") },
  { name: "a line added to the cover letter", doc: replaced("I would be grateful", "Please disregard the annex.\n\nI would be grateful") },
  { name: "the cover letter removed", doc: joinLines(take(1, 9), take(21, 44)) },
  { name: "the annex letter removed", doc: joinLines(take(1, 20), take(29, 44)) },
  { name: "the enclosure removed", doc: joinLines(take(1, 28)) },
  { name: "annex and enclosure swapped", doc: joinLines(take(1, 20), take(29, 44), "", take(21, 28)) },
  { name: "the publication header removed", doc: joinLines(take(1, 2), take(9, 44)) },
  { name: "CRLF line endings", doc: Buffer.from(docText.replace(/\n/g, "\r\n")) },
  { name: "unknown key: only the annex signatory trusted", entries: { "stoltenberg.pub.json": STOLTENBERG } },
  { name: "unknown key: only the cover signatory trusted", entries: { "guterres.pub.json": GUTERRES } },
  { name: "empty trust store (refused, as for --keys naming an empty directory)", entries: {} },
  { name: "an entry under the wrong file name", entries: { "guterres-2017.pub.json": GUTERRES, "stoltenberg.pub.json": STOLTENBERG } },
  { name: "two entries holding one key", entries: { ...BOTH, "guterres2.pub.json": withId(GUTERRES, "guterres2") } },
  { name: "a malformed entry", entries: { ...BOTH, "broken.pub.json": Buffer.from("{\"format\": \"transmittal-key-v1\",") } },
  { name: "an entry of another format", entries: { ...BOTH, "other.pub.json": Buffer.from("{\"format\": \"transmittal-key-v9\"}") } },
  { name: "files that are not entries are ignored", entries: { ...BOTH, "README.md": Buffer.from("# keys\n") } },
  { name: "wrong signature file: another document's", doc: read("tests/data/corpus/S-2003-130.md"), docName: "S-2003-130.md" },
  { name: "wrong signature file: not JSON", sig: Buffer.from("not json\n") },
  { name: "wrong signature file: truncated", sig: SIG.subarray(0, SIG.length >> 1) },
  { name: "wrong signature file: a trust entry", sig: GUTERRES },
  { name: "wrong signature file: empty", sig: Buffer.alloc(0) },
  { name: "wrong signature file: not UTF-8", sig: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) },
  { name: "hostile: document not UTF-8", doc: Buffer.concat([DOC.subarray(0, 500), Buffer.from([0xc3, 0x28]), DOC.subarray(500)]) },
  { name: "hostile: a 4 MiB line", doc: hugeLine },
  { name: "hostile: NUL bytes", doc: Buffer.concat([DOC, Buffer.from([0, 0, 0])]) },
  { name: "hostile: NUL bytes and not UTF-8", doc: Buffer.concat([Buffer.from([0, 0xff]), DOC]) },
  { name: "hostile: a PDF", doc: Buffer.from("%PDF-1.7\n%\xe2\xe3\n1 0 obj\n", "latin1"), docName: "letter.pdf" },
  { name: "hostile: UTF-16", doc: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(docText, "utf16le")]) },
  { name: "hostile: zero-width and bidi characters", doc: replaced("approximately 4,100", "approximately 4,\u200b100\u202e") },
  { name: "hostile: empty document", doc: Buffer.alloc(0) },
  { name: "a file name with spaces and accents", docName: "Lettre du 25 octobre – KFOR.md", sigName: "Lettre du 25 octobre – KFOR.md.sig.json" },
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "transmittal-web-eq-"));
const env = { ...process.env };
delete env.TRANSMITTAL_KEYS;
let failed = 0;
const timings = [];
cases.forEach((c, i) => {
  const docName = c.docName || "kfor-2017-q3.md";
  const sigName = c.sigName || docName + ".sig.json";
  const doc = c.doc || DOC, sig = c.sig || SIG, entries = c.entries || BOTH;
  const dir = path.join(tmp, String(i));
  fs.mkdirSync(path.join(dir, "keys"), { recursive: true, mode: 0o755 });
  fs.writeFileSync(path.join(dir, docName), doc);
  fs.writeFileSync(path.join(dir, sigName), sig);
  for (const [n, b] of Object.entries(entries)) fs.writeFileSync(path.join(dir, "keys", n), b, { mode: 0o644 });

  const today = new Date().toISOString().slice(0, 10);
  const args = ["verify", docName, "--sig", sigName, "--keys", "keys", ...(c.strict ? ["--strict"] : []), "--json"];
  const cli = spawnSync(bin, args, { cwd: dir, env, maxBuffer: 1 << 30 });
  if (cli.error) throw cli.error;
  const names = Object.keys(entries);
  const lens = Uint32Array.from(names.map((n) => entries[n].length));
  const all = new Uint8Array(Buffer.concat(names.map((n) => entries[n])));
  const t0 = performance.now();
  const out = wasm.verify_json(docName, new Uint8Array(doc), sigName, new Uint8Array(sig), names, all, lens, today, !!c.strict);
  const ms = performance.now() - t0;
  timings.push(ms);
  const got = Buffer.from(out, "utf8");
  const v = JSON.parse(out);
  const what = v.verdict || `${v.error.code}`;
  if (Buffer.compare(got, cli.stdout) === 0 && cli.stdout.length > 0) {
    console.log(`ok   ${c.name}: ${what} (exit ${cli.status}; ${got.length} bytes; wasm ${ms.toFixed(1)} ms)`);
  } else {
    failed++;
    console.log(`FAIL ${c.name}: the outputs differ (exit ${cli.status})`);
    fs.writeFileSync(path.join(dir, "cli.json"), cli.stdout);
    fs.writeFileSync(path.join(dir, "wasm.json"), got);
    console.log(`     diff ${path.join(dir, "cli.json")} ${path.join(dir, "wasm.json")}`);
    console.log(`     stderr: ${cli.stderr.toString().trim()}`);
  }
});
console.log(`${cases.length - failed} of ${cases.length} cases byte-equal`);
if (failed) process.exit(1);
fs.rmSync(tmp, { recursive: true, force: true });
