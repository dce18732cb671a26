// The page: read the files the user gives, call the verifier (transmittal-web.js, the pure core in
// WebAssembly), and show its report beside the document. No network, no storage: everything stays
// in this page's memory.
(function () {
  "use strict";

  // The glue (transmittal-web.js) declares `wasm_bindgen` with `let`: a global binding, not a
  // property of window.
  var verifier = typeof wasm_bindgen !== "undefined" ? wasm_bindgen : null;
  if (!verifier) {
    document.getElementById("verdict").textContent = "The verifier did not load (transmittal-web.js).";
    return;
  }
  var STORE_DIR = "keys"; // what the page's trust entries stand for: `--keys keys`
  var MAX_VIEW_LINES = 20000; // the document view shows at most this many lines
  var MAX_VIEW_CHARS = 4000; // and at most this many characters of a line

  var state = { doc: null, sig: null, entries: new Map(), bundled: new Set() };

  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };

  function kindOf(name) {
    var n = name.toLowerCase();
    if (n.endsWith(".sig.json")) return "sig";
    if (n.endsWith(".pub.json")) return "entry";
    if (n.endsWith(".json")) return "other";
    return "doc";
  }

  function b64bytes(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // Entries bundled into the page at build time (scripts/build-web.sh --trust-bundle DIR).
  (window.TRANSMITTAL_TRUST_BUNDLE || []).forEach(function (e) {
    state.entries.set(e.name, b64bytes(e.base64));
    state.bundled.add(e.name);
  });

  function addFiles(files) {
    var reads = Array.prototype.map.call(files, function (f) {
      return f.arrayBuffer().then(function (buf) {
        var bytes = new Uint8Array(buf), kind = kindOf(f.name);
        if (kind === "sig") state.sig = { name: f.name, bytes: bytes };
        else if (kind === "entry") { state.entries.set(f.name, bytes); state.bundled.delete(f.name); }
        else if (kind === "doc") state.doc = { name: f.name, bytes: bytes };
        else state.ignored = f.name;
      });
    });
    return Promise.all(reads).then(function () { refresh(); });
  }

  function listFiles() {
    var ul = $("file-list");
    ul.textContent = "";
    var item = function (label, name, onRemove) {
      var li = el("li");
      li.appendChild(el("span", "file-kind", label));
      li.appendChild(el("span", "file-name", name));
      var b = el("button", "remove", "Remove");
      b.type = "button";
      b.setAttribute("aria-label", "Remove " + name);
      b.addEventListener("click", function () { onRemove(); refresh(); });
      li.appendChild(b);
      ul.appendChild(li);
    };
    if (state.doc) item("document", state.doc.name, function () { state.doc = null; });
    if (state.sig) item("signature file", state.sig.name, function () { state.sig = null; });
    Array.from(state.entries.keys()).sort().forEach(function (n) {
      item(state.bundled.has(n) ? "trust entry (bundled)" : "trust entry", n, function () {
        state.entries.delete(n); state.bundled.delete(n);
      });
    });
    if (state.ignored) {
      var li = el("li", "ignored", state.ignored + " is not a document, a .sig.json or a .pub.json file; it was not used.");
      ul.appendChild(li);
      state.ignored = null;
    }
  }

  function setVerdict(cls, text, detail) {
    var v = $("verdict");
    v.className = "verdict " + cls;
    v.textContent = "";
    v.appendChild(el("strong", "verdict-word", text));
    if (detail) {
      v.appendChild(document.createTextNode(" "));
      v.appendChild(el("span", "verdict-detail", detail));
    }
    // On a small screen the verdict may be below the fold: bring it into view (it is also
    // announced, being a live region).
    var top = v.getBoundingClientRect().top;
    if (cls !== "none" && (top < 0 || top > window.innerHeight - 40)) {
      v.scrollIntoView({ block: "start" });
    }
  }

  function todayUtc() { return new Date().toISOString().slice(0, 10); }

  function refresh() {
    listFiles();
    if (!state.doc || !state.sig) {
      $("panes").hidden = true;
      $("raw").hidden = true;
      var missing = !state.doc && !state.sig ? "Give a document and its signature file."
        : !state.doc ? "Give the document (.md or .txt) that " + state.sig.name + " signs."
        : "Give the signature file of " + state.doc.name + " (" + state.doc.name + ".sig.json).";
      setVerdict("none", missing);
      return;
    }
    run();
  }

  function run() {
    var names = Array.from(state.entries.keys());
    var lens = new Uint32Array(names.length);
    var total = 0;
    names.forEach(function (n, i) { lens[i] = state.entries.get(n).length; total += lens[i]; });
    var all = new Uint8Array(total), at = 0;
    names.forEach(function (n) { all.set(state.entries.get(n), at); at += state.entries.get(n).length; });
    var today = todayUtc(), strict = $("strict").checked;
    var t0 = performance.now();
    var json = verifier.verify_json(state.doc.name, state.doc.bytes, state.sig.name, state.sig.bytes,
      names, all, lens, today, strict);
    var ms = performance.now() - t0;
    $("verdict").setAttribute("data-verify-ms", ms.toFixed(1));
    var cmd = "transmittal verify " + shellQuote(state.doc.name) + " --sig " + shellQuote(state.sig.name) +
      " --keys " + STORE_DIR + (strict ? " --strict" : "") + " --json";
    $("cli-equivalent").textContent = cmd + "   # on " + today + " (UTC), with the trust entries in " + STORE_DIR + "/";
    $("json").textContent = json;
    $("raw").hidden = false;
    var value;
    try { value = JSON.parse(json); } catch (e) { value = { schema: "?", error: { code: "error", message: String(e) } }; }
    if (value.schema === "transmittal-error-v1") {
      $("panes").hidden = true;
      var msg = value.error.message;
      if (value.error.code === "trust-store-unusable" && names.length === 0) {
        msg = "No trust entries: add the .pub.json entries of the signatories you trust. (" + msg + ")";
      }
      setVerdict("error", "Cannot verify", msg + " [" + value.error.code + "]");
      return;
    }
    renderReport(value, ms);
  }

  function shellQuote(s) {
    return /^[A-Za-z0-9._\/@+-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";
  }

  function rangeText(r) { return r[0] === r[1] ? "line " + r[0] : "lines " + r[0] + "–" + r[1]; }
  function rangesText(rs) { return rs.map(rangeText).join(", "); }

  var VERDICT_WORDS = { valid: "Valid", invalid: "Invalid", indeterminate: "Indeterminate" };
  var OUTCOME_MARK = { ok: "✓", fail: "✗", failed: "✗", warn: "!", warning: "!", skipped: "–", info: "i" };

  function renderReport(r, ms) {
    var nsig = r.layers.reduce(function (a, l) { return a + l.signatures.length; }, 0);
    var word = VERDICT_WORDS[r.verdict] || r.verdict;
    setVerdict(r.verdict, word, r.document + ": " + r.layers.length + " layer" + (r.layers.length === 1 ? "" : "s") +
      ", " + nsig + " signature" + (nsig === 1 ? "" : "s") + (r.codes.length ? " · " + r.codes.join(", ") : ""));
    var rep = $("report");
    rep.textContent = "";

    var facts = el("dl", "facts");
    var fact = function (k, v) { facts.appendChild(el("dt", null, k)); facts.appendChild(el("dd", null, v)); };
    fact("Signature file", r.signature_file);
    fact("Verified on", r.verified_on + (r.strict ? " (strict)" : ""));
    fact("Trust store", r.trust_store);
    fact("Document SHA-256", r.document_sha256);
    fact("Rules", r.rules + " · " + r.profile);
    fact("Verified in", ms.toFixed(1) + " ms");
    rep.appendChild(facts);

    if (r.header) {
      var h = el("section", "block header-block");
      h.appendChild(el("h3", null, "Publication header, " + rangeText(r.header.lines)));
      h.appendChild(el("p", null, r.header.accepted ? "Accepted as a publication header (not signed by the signatories)." : "Not accepted as a publication header."));
      rep.appendChild(h);
    }
    r.layers.forEach(function (l) { rep.appendChild(renderLayer(l)); });
    var lists = [["Problems", r.problems, "problem"], ["Warnings", r.warnings, "warning"], ["Advice", r.advice, "advice"]];
    lists.forEach(function (x) {
      if (!x[1] || !x[1].length) return;
      var s = el("section", "block");
      s.appendChild(el("h3", null, x[0]));
      s.appendChild(renderProblems(x[1], x[2]));
      rep.appendChild(s);
    });
    if (r.uncovered_lines && r.uncovered_lines.length) {
      rep.appendChild(el("p", "uncovered-note", "Covered by no valid signature: " + rangesText(r.uncovered_lines)));
    }
    renderDocument(r);
    $("panes").hidden = false;
  }

  function renderLayer(l) {
    var s = el("section", "block layer layer-c" + (l.index % 6) + " status-" + l.status);
    s.id = "layer-" + l.index;
    var who = l.signatories.length ? " · " + l.signatories.join(", ") : "";
    var h = el("h3", null, "Layer " + l.index + " · " + l.kind + " · " + rangeText(l.lines) + who);
    s.appendChild(h);
    s.appendChild(el("p", "status", statusWord(l.status)));
    if (l.signatures.length) {
      var ul = el("ul", "signatures");
      l.signatures.forEach(function (g) {
        var li = el("li", "signature status-" + g.status);
        var who = (g.signer || "unknown signer") + (g.title ? ", " + g.title : "") + (g.organisation ? " (" + g.organisation + ")" : "");
        li.appendChild(el("strong", null, statusWord(g.status) + ": " + who));
        var parts = [];
        if (g.commitment) parts.push(g.commitment);
        if (g.signed_on) parts.push("signed " + g.signed_on + (g.signing_time === "proven" ? "" : " (claimed)"));
        if (g.letter_date) parts.push("letter dated " + g.letter_date);
        if (g.key_id) parts.push("key " + g.key_id);
        li.appendChild(el("div", "sig-facts", parts.join(" · ")));
        if (g.timestamp) {
          li.appendChild(el("div", "sig-facts", "Time proven: existed at " + g.timestamp.proven_time + " (timestamp by " + g.timestamp.tsa + ")"));
        }
        if (g.certificate) {
          li.appendChild(el("div", "sig-facts", "Certified by " + g.certificate.certified_by));
        }
        if (g.reason) li.appendChild(el("div", "reason", g.reason));
        if (g.codes && g.codes.length) li.appendChild(el("div", "codes", g.codes.join(", ")));
        ul.appendChild(li);
      });
      s.appendChild(ul);
    } else {
      s.appendChild(el("p", "muted", "No signature of its own."));
    }
    if (l.checks && l.checks.length) {
      var cl = el("ul", "checks");
      l.checks.forEach(function (c) {
        var li = el("li", "check outcome-" + c.outcome);
        li.appendChild(el("span", "mark", OUTCOME_MARK[c.outcome] || "·"));
        li.appendChild(document.createTextNode(" " + c.check + ": " + c.detail));
        cl.appendChild(li);
      });
      s.appendChild(cl);
    }
    if (l.problems && l.problems.length) s.appendChild(renderProblems(l.problems, "problem"));
    return s;
  }

  function statusWord(s) { return s ? s.charAt(0).toUpperCase() + s.slice(1).replace(/-/g, " ") : ""; }

  function renderProblems(ps, cls) {
    var ul = el("ul", "problems " + cls + "s");
    ps.forEach(function (p) {
      var li = el("li", cls);
      li.appendChild(el("code", "code", p.code));
      li.appendChild(document.createTextNode(" " + p.message));
      if (p.lines && p.lines.length) li.appendChild(el("span", "lines", " (" + rangesText(p.lines) + ")"));
      if (p.found_text) {
        var pre = el("pre", "found", p.found_text.length > MAX_VIEW_CHARS ? p.found_text.slice(0, MAX_VIEW_CHARS) + "…" : p.found_text);
        pre.setAttribute("aria-label", "the text now");
        li.appendChild(pre);
      }
      ul.appendChild(li);
    });
    return ul;
  }

  function markRanges(marks, ranges, cls) {
    (ranges || []).forEach(function (r) {
      for (var n = r[0]; n <= r[1] && n - r[0] < MAX_VIEW_LINES; n++) {
        (marks[n] = marks[n] || new Set()).add(cls);
      }
    });
  }

  function renderDocument(r) {
    var text = new TextDecoder("utf-8").decode(state.doc.bytes);
    var lines = text.split("\n");
    if (lines.length && lines[lines.length - 1] === "") lines.pop();
    var marks = {};
    var layerOf = {};
    r.layers.forEach(function (l) {
      for (var n = l.lines[0]; n <= l.lines[1] && n <= lines.length; n++) layerOf[n] = l;
      (l.problems || []).forEach(function (p) { markRanges(marks, p.lines, "changed"); });
    });
    (r.problems || []).forEach(function (p) { markRanges(marks, p.lines, "changed"); });
    (r.warnings || []).forEach(function (p) { markRanges(marks, p.lines, "warned"); });
    markRanges(marks, r.uncovered_lines, "uncovered");
    if (r.header) markRanges(marks, [r.header.lines], "header");
    var ol = $("doc");
    ol.textContent = "";
    var frag = document.createDocumentFragment();
    var shown = Math.min(lines.length, MAX_VIEW_LINES);
    for (var i = 0; i < shown; i++) {
      var n = i + 1, li = el("li", "line");
      var line = lines[i].replace(/\r$/, "");
      var l = layerOf[n];
      if (l) {
        li.classList.add("in-layer", "layer-c" + (l.index % 6));
        if (n === l.lines[0]) {
          li.classList.add("layer-first");
          li.setAttribute("data-layer", "layer " + l.index + " · " + l.kind);
        }
        if (n === l.lines[1]) li.classList.add("layer-last");
      }
      var m = marks[n];
      var notes = [];
      if (m) {
        m.forEach(function (c) { li.classList.add(c); });
        if (m.has("changed")) notes.push("changed");
        if (m.has("uncovered")) notes.push("not covered");
      }
      if (notes.length) li.appendChild(el("span", "sr-only", "(" + notes.join(", ") + ") "));
      li.appendChild(el("span", "text", line.length > MAX_VIEW_CHARS ? line.slice(0, MAX_VIEW_CHARS) + " … (" + line.length + " characters)" : line));
      frag.appendChild(li);
    }
    ol.appendChild(frag);
    if (lines.length > shown) ol.appendChild(el("li", "line muted", "… " + (lines.length - shown) + " more lines not shown"));
    $("doc-title").textContent = "Document: " + state.doc.name;
  }

  // Inputs: the file chooser, and files dropped anywhere on the page.
  $("files").addEventListener("change", function (ev) {
    addFiles(ev.target.files).then(function () { ev.target.value = ""; });
  });
  $("strict").addEventListener("change", refresh);
  var drop = $("drop");
  ["dragenter", "dragover"].forEach(function (t) {
    document.addEventListener(t, function (ev) { ev.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    document.addEventListener(t, function (ev) { ev.preventDefault(); drop.classList.remove("over"); });
  });
  document.addEventListener("drop", function (ev) {
    if (ev.dataTransfer && ev.dataTransfer.files.length) addFiles(ev.dataTransfer.files);
  });

  $("build-info").textContent = "transmittal-web " + verifier.version() + " · runs offline · " +
    (state.bundled.size ? state.bundled.size + " trust entr" + (state.bundled.size === 1 ? "y" : "ies") + " bundled" : "no trust entries bundled");
  refresh();
})();
