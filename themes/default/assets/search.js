/* vaksam search: a static index per organisation and role (see generator/search.h).
 * Stems the query with the Snowball Swedish stemmer (the same algorithm as
 * libstemmer at build time), fetches meta.json (the list of shards) and the
 * one shard that holds each word, ranks pages that contain every word (the
 * last word may be a prefix), and fetches only the bundles d/K.json that hold
 * the hits shown (page N is entry N mod B of d/⌊N/B⌋.json, B from meta.json;
 * each bundle fetched once), to show each with an excerpt where the words
 * are marked. */
(function () {
  "use strict";

  // ---- Snowball Swedish stemmer (snowballstem.org/algorithms/swedish) ----
  var VOWELS = "aeiouyäåö";
  var STEP1 = ["heterna", "hetens", "anden", "heten", "heter", "arnas", "ernas", "ornas", "andes",
    "arens", "andet", "arna", "erna", "orna", "ande", "arne", "aste", "aren", "ades", "erns",
    "ade", "are", "ern", "ens", "het", "ast", "ad", "en", "ar", "er", "or", "as", "es", "at",
    "a", "e"];
  var S_ENDING = "bcdfghjklmnoprtvy";
  var STEP2 = ["dd", "gd", "nn", "dt", "gt", "kt", "tt"];

  function isVowel(c) { return VOWELS.indexOf(c) >= 0; }
  function regionR1(w) {
    for (var i = 1; i < w.length; i++) {
      if (!isVowel(w[i]) && isVowel(w[i - 1])) return Math.max(i + 1, 3);
    }
    return w.length;
  }
  function endsIn(w, suffixes, r1) {
    var best = null;
    for (var i = 0; i < suffixes.length; i++) {
      var s = suffixes[i];
      if (w.length - s.length >= r1 && w.slice(-s.length) === s && (!best || s.length > best.length)) best = s;
    }
    return best;
  }
  function stem(word) {
    var w = Array.from(word); // code points, as Snowball counts letters
    var r1 = regionR1(w);
    var s = w.join("");
    var len = function () { return Array.from(s).length; };
    var tail = function (n) { return Array.from(s).slice(-n).join(""); };
    var cut = function (n) { s = Array.from(s).slice(0, len() - n).join(""); };
    // Step 1
    var suf = null;
    for (var i = 0; i < STEP1.length; i++) {
      var x = STEP1[i], xl = Array.from(x).length;
      if (len() - xl >= r1 && tail(xl) === x && (!suf || xl > Array.from(suf).length)) suf = x;
    }
    var sEnd = len() - 1 >= r1 && tail(1) === "s" && len() >= 2 && S_ENDING.indexOf(Array.from(s)[len() - 2]) >= 0;
    if (suf && (!sEnd || Array.from(suf).length >= 1)) cut(Array.from(suf).length);
    else if (sEnd) cut(1);
    // Step 2
    for (var j = 0; j < STEP2.length; j++) {
      if (len() - 2 >= r1 && tail(2) === STEP2[j]) { cut(1); break; }
    }
    // Step 3
    if (len() - 5 >= r1 && tail(5) === "fullt") cut(1);
    else if (len() - 4 >= r1 && tail(4) === "löst") cut(1);
    else if (len() - 3 >= r1 && (tail(3) === "lig")) cut(3);
    else if (len() - 3 >= r1 && (tail(3) === "els")) cut(3);
    else if (len() - 2 >= r1 && tail(2) === "ig") cut(2);
    return s;
  }

  var STOP = ("och att det som en i på är för med till av den om har de inte ett vid kan ska eller du vi " +
    "man så sig men var från när hur vad där han hon hen dem sin sina sitt denna detta dessa också bara mot " +
    "efter under över utan samt alla allt mer").split(" ");

  function words(q) {
    return (q.toLowerCase().match(/[a-z0-9à-öø-ÿ]+/g) || []).filter(function (w) {
      return w.length >= 2 && STOP.indexOf(w) < 0;
    });
  }
  function shardKey(s) {
    var c = s[0];
    if (c === "å") return "aa";
    if (c === "ä") return "ae";
    if (c === "ö") return "oe";
    return /[a-z0-9]/.test(c) ? c : "x";
  }

  // The shard codes of a stem's characters ("å" → "aa" …), as search.c names shards.
  function codes(s) { return Array.from(s).map(shardKey); }

  // The index of one variant. load(name) → Promise of the parsed JSON file.
  function createIndex(load) {
    var metaP = null;
    function meta() {
      if (!metaP) {
        metaP = load("meta.json").then(function (m) {
          var keys = {};
          (m.shards || []).forEach(function (k) { keys[k] = true; });
          return { docs: m.docs || 0, bundle: m.bundle || 1, shards: m.shards || [], keys: keys, facets: m.facets || {} };
        });
        metaP.catch(function () { metaP = null; });
      }
      return metaP;
    }
    // The shard that would hold stem s: the longest shard key that is a prefix of its codes.
    function shardOf(m, s) {
      var c = codes(s), best = null;
      for (var i = 1; i <= c.length; i++) {
        var k = c.slice(0, i).join("-");
        if (m.keys[k]) best = k;
      }
      return best;
    }
    // Every shard that may hold a stem starting with s (at most 8 beyond its own).
    function shardsWithPrefix(m, s) {
      var own = shardOf(m, s), p = codes(s).join("-"), out = own ? [own] : [];
      var more = m.shards.filter(function (k) { return k !== own && (k === p || k.indexOf(p + "-") === 0); });
      return out.concat(more.slice(0, 8));
    }
    // → Promise of {stems, hits: [{doc, w}], docs}: the pages holding every word, best first.
    /* Keeps the hits on pages of kind `f.kind` and tag `f.tag` (meta.json's
     * facets; an empty value keeps all). */
    function narrow(m, hits, f) {
      var keep = null;
      [["k", f && f.kind], ["g", f && f.tag]].forEach(function (p) {
        if (!p[1]) return;
        var pages = {};
        ((m.facets && m.facets[p[0]] && m.facets[p[0]][p[1]]) || []).forEach(function (n) { pages[n] = true; });
        keep = keep === null ? pages : Object.keys(keep).reduce(function (o, n) {
          if (pages[n]) o[n] = true;
          return o;
        }, {});
      });
      return keep === null ? hits : hits.filter(function (h) { return keep[h.doc]; });
    }
    function query(q, f) {
      var stems = words(q).map(stem);
      if (!stems.length) return Promise.resolve({ stems: stems, hits: [] });
      return meta().then(function (m) {
        var last = stems.length - 1;
        var prefix = stems[last].length >= 3;
        var lists = stems.map(function (s, i) {
          var names = i === last && prefix ? shardsWithPrefix(m, s) : [shardOf(m, s)].filter(Boolean);
          return Promise.all(names.map(function (k) { return load("idx-" + k + ".json"); }));
        });
        return Promise.all(lists).then(function (shardsPerStem) {
          var score = null;
          stems.forEach(function (s, i) {
            var found = {};
            shardsPerStem[i].forEach(function (shard) {
              Object.keys(shard).forEach(function (term) {
                var exact = term === s;
                if (!exact && !(i === last && prefix && term.indexOf(s) === 0)) return;
                var p = shard[term], doc = 0;
                for (var j = 0; j + 1 < p.length; j += 2) {
                  doc += p[j];
                  found[doc] = (found[doc] || 0) + p[j + 1] * (exact ? 2 : 1);
                }
              });
            });
            if (score === null) score = found;
            else {
              var next = {};
              Object.keys(score).forEach(function (d) { if (found[d]) next[d] = score[d] + found[d]; });
              score = next;
            }
          });
          var hits = Object.keys(score || {}).map(function (d) { return { doc: +d, w: score[d] }; });
          hits.sort(function (a, b) { return b.w - a.w || a.doc - b.doc; });
          return { stems: stems, hits: narrow(m, hits, f), docs: m.docs };
        });
      });
    }
    // Page n's entry, from the bundle that holds it (fetched once per index).
    var bundles = {};
    function doc(n) {
      return meta().then(function (m) {
        var k = Math.floor(n / m.bundle);
        if (!bundles[k]) {
          bundles[k] = load("d/" + k + ".json");
          bundles[k].catch(function () { delete bundles[k]; });
        }
        return bundles[k].then(function (b) { return b[n % m.bundle]; });
      });
    }
    return { query: query, doc: doc };
  }

  // The part of text around the query's words: {text, start, end, marks: [[from, to], …]}
  // (offsets into text), preferring the passage with the most different words.
  var memo = new Map(); // word → stem: the words of the shown pages repeat a lot
  function stemMemo(w) {
    var st = memo.get(w);
    if (st === undefined) {
      if (memo.size > 50000) memo.clear();
      st = stem(w);
      memo.set(w, st);
    }
    return st;
  }
  function excerpt(text, stems, size) {
    size = size || 220;
    var lower = text.toLowerCase();
    if (lower.length !== text.length) lower = text; // rare letters that change length
    var last = stems.length - 1, prefix = last >= 0 && stems[last].length >= 3;
    var re = /[a-z0-9à-öø-ÿ]+/gi, m, found = [];
    while ((m = re.exec(lower)) && found.length < 500) {
      var w = m[0].toLowerCase();
      if (w.length < 2 || STOP.indexOf(w) >= 0) continue;
      var st = stemMemo(w);
      for (var j = 0; j < stems.length; j++) {
        // a compound holds the word as a part ("telefonhot" for "hot"): the
        // index (compound.h) split it, so it is marked too
        var part = stems[j].length >= 3 && w.length >= stems[j].length + 3 && w.indexOf(stems[j]) > 0;
        if (st === stems[j] || (j === last && prefix && st.indexOf(stems[j]) === 0) || part) {
          found.push({ at: m.index, end: m.index + m[0].length, j: j });
          break;
        }
      }
    }
    if (!found.length) return null;
    var best = 0, bestCount = 0;
    for (var a = 0; a < found.length; a++) {
      var seen = {}, count = 0;
      for (var b = a; b < found.length && found[b].end - found[a].at <= size - 60; b++) {
        if (!seen[found[b].j]) { seen[found[b].j] = true; count++; }
      }
      if (count > bestCount) { best = a; bestCount = count; }
    }
    var start = Math.max(0, found[best].at - 60);
    if (start > 0) { var sp = text.indexOf(" ", start); start = sp >= 0 && sp < found[best].at ? sp + 1 : found[best].at; }
    var end = Math.min(text.length, start + size);
    if (end < text.length) { var ep = text.lastIndexOf(" ", end); if (ep > found[best].end) end = ep; }
    var marks = found.filter(function (f) { return f.at >= start && f.end <= end; }).map(function (f) { return [f.at, f.end]; });
    return { text: text, start: start, end: end, marks: marks };
  }

  // Exported for tests and the benchmark (node).
  if (typeof module !== "undefined") {
    module.exports = { stem: stem, shardKey: shardKey, words: words, createIndex: createIndex, excerpt: excerpt };
    return;
  }

  var out = document.getElementById("sok-resultat");
  var input = document.getElementById("sok-q");
  if (!out || !input) return;
  var allPages = document.querySelector(".all-pages");
  var facetBox = document.querySelector(".search-facets");
  var kindSel = document.getElementById("sok-slag"), tagSel = document.getElementById("sok-amne");
  if (facetBox) facetBox.hidden = false;
  function facets() { return { kind: kindSel ? kindSel.value : "", tag: tagSel ? tagSel.value : "" }; }
  var base = out.getAttribute("data-index") || "sok/";
  var cache = {};
  function load(name) {
    if (!cache[name]) {
      cache[name] = fetch(base + name).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + name);
        return r.json();
      });
      cache[name].catch(function () { delete cache[name]; });
    }
    return cache[name];
  }
  var index = createIndex(load);
  // Screen readers hear the count once (a status region), not the whole list at every keystroke.
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  out.parentNode.insertBefore(status, out);
  out.removeAttribute("aria-live");
  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    return e;
  }
  function excerptNode(d, stems) {
    var p = el("p", null, { "class": "excerpt" });
    // The words in the text, else in the summary (a hit by its title only shows the summary).
    var x = excerpt(d.x || "", stems) || excerpt(d.s || "", stems);
    if (!x) { p.textContent = d.s || (d.x || "").slice(0, 200); return p; }
    if (x.start > 0) p.appendChild(document.createTextNode("… "));
    var at = x.start;
    x.marks.forEach(function (mk) {
      p.appendChild(document.createTextNode(x.text.slice(at, mk[0])));
      p.appendChild(el("mark", x.text.slice(mk[0], mk[1])));
      at = mk[1];
    });
    p.appendChild(document.createTextNode(x.text.slice(at, x.end)));
    if (x.end < x.text.length) p.appendChild(document.createTextNode(" …"));
    return p;
  }
  var PAGE = 10;
  // Appends hits from..from+PAGE to ol (fetching their pages' text), then a "more" button.
  function showMore(ol, res, from, mine) {
    var part = res.hits.slice(from, from + PAGE);
    return Promise.all(part.map(function (h) { return index.doc(h.doc); })).then(function (docs) {
      if (mine !== seq) return null;
      var firstLink = null;
      docs.forEach(function (d) {
        var li = el("li");
        var a = el("a", d.t, { href: d.u });
        firstLink = firstLink || a;
        li.appendChild(a);
        li.appendChild(el("span", " " + d.k, { "class": "kind-tag" }));
        li.appendChild(excerptNode(d, res.stems));
        ol.appendChild(li);
      });
      var old = out.querySelector("button.more");
      if (old) old.parentNode.removeChild(old);
      var next = from + PAGE;
      if (next < res.hits.length) {
        var more = el("button", "Visa fler träffar (" + (res.hits.length - next) + " till)", { type: "button", "class": "more" });
        more.addEventListener("click", function () {
          showMore(ol, res, next, mine).then(function (first) { if (first) first.focus(); }).catch(function () { failed(mine); });
        });
        out.appendChild(more);
      }
      return firstLink;
    });
  }
  // Shows the count and the first hits at once, when their excerpts are loaded.
  function render(res, query, mine) {
    var n = res.hits.length;
    var count = el("p", n === 0 ? "Inga träffar på " + query + "." :
      n + (n === 1 ? " träff" : " träffar") + " på " + query + ".", { "class": "hit-count" });
    var ol = el("ol");
    var ready = n ? showMore(ol, res, 0, mine) : Promise.resolve();
    return ready.then(function () {
      if (mine !== seq) return;
      var more = out.querySelector("button.more");
      out.textContent = "";
      out.appendChild(count);
      if (n) out.appendChild(ol);
      if (more) out.appendChild(more);
      if (allPages) allPages.hidden = n > 0;
      status.textContent = count.textContent;
    });
  }
  function failed(mine) {
    if (mine !== seq) return;
    out.textContent = "";
    var msg = el("p", "Sökningen kunde inte läsa sitt register just nu. Alla sidor finns i listan nedan.", { "class": "search-error" });
    out.appendChild(msg);
    status.textContent = msg.textContent;
    if (allPages) allPages.hidden = false;
  }
  var seq = 0;
  function search(q) {
    var mine = ++seq;
    try {
      var url = new URL(location.href);
      if (q.trim()) url.searchParams.set("q", q); else url.searchParams.delete("q");
      var fs = facets();
      if (fs.kind) url.searchParams.set("slag", fs.kind); else url.searchParams.delete("slag");
      if (fs.tag) url.searchParams.set("amne", fs.tag); else url.searchParams.delete("amne");
      history.replaceState(null, "", url.toString());
    } catch (e) { /* file:// or an old browser: the address just stays */ }
    if (!words(q).length) {
      out.textContent = "";
      status.textContent = "";
      if (allPages) allPages.hidden = false;
      return;
    }
    index.query(q, facets()).then(function (res) {
      if (mine !== seq) return;
      return render(res, q, mine);
    }).catch(function () { failed(mine); });
  }
  // Keyboard: ArrowDown from the field goes to the first hit; arrows move between hits.
  function links() { return Array.prototype.slice.call(out.querySelectorAll("ol a")); }
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && links().length) { e.preventDefault(); links()[0].focus(); }
  });
  out.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var ls = links(), i = ls.indexOf(document.activeElement);
    if (i < 0) return;
    e.preventDefault();
    if (e.key === "ArrowDown" && i + 1 < ls.length) ls[i + 1].focus();
    else if (e.key === "ArrowUp") (i > 0 ? ls[i - 1] : input).focus();
  });
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 150);
  });
  [kindSel, tagSel].forEach(function (sel) {
    if (sel) sel.addEventListener("change", function () { search(input.value); });
  });
  var params = new URLSearchParams(location.search);
  if (kindSel && params.get("slag")) kindSel.value = params.get("slag");
  if (tagSel && params.get("amne")) tagSel.value = params.get("amne");
  if (params.get("q")) { input.value = params.get("q"); search(input.value); }
})();
