/* vaksam search: a static index per organisation and role (see generator/search.h).
 * Stems the query with the Snowball Swedish stemmer (the same algorithm as
 * libstemmer at build time), fetches docs.json and one shard per word, and
 * ranks pages that contain every word (the last word may be a prefix). */
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

  // Exported for tests (node): stem and shardKey.
  if (typeof module !== "undefined") { module.exports = { stem: stem, shardKey: shardKey, words: words }; return; }

  var out = document.getElementById("sok-resultat");
  var input = document.getElementById("sok-q");
  if (!out || !input) return;
  var base = out.getAttribute("data-index") || "sok/";
  var cache = {};
  function fetchJSON(name) {
    if (!cache[name]) {
      cache[name] = fetch(base + name).then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; });
    }
    return cache[name];
  }
  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    return e;
  }
  function render(docs, hits, query) {
    out.textContent = "";
    var count = el("p", hits.length === 0 ? "Inga träffar på " + query + "." :
      hits.length + (hits.length === 1 ? " träff" : " träffar") + " på " + query + ".", { "class": "hit-count" });
    out.appendChild(count);
    if (!hits.length) return;
    var ol = el("ol");
    hits.slice(0, 50).forEach(function (h) {
      var d = docs[h.doc];
      var li = el("li");
      var a = el("a", d.t, { href: d.u });
      li.appendChild(a);
      li.appendChild(el("span", " " + d.k, { "class": "kind-tag" }));
      if (d.s) li.appendChild(el("p", d.s));
      ol.appendChild(li);
    });
    out.appendChild(ol);
  }
  var seq = 0;
  function search(q) {
    var ws = words(q);
    var mine = ++seq;
    if (!ws.length) { out.textContent = ""; return; }
    var stems = ws.map(stem);
    var shards = stems.map(shardKey);
    Promise.all([fetchJSON("docs.json")].concat(shards.map(function (k) { return fetchJSON("idx-" + k + ".json"); })))
      .then(function (res) {
        if (mine !== seq) return;
        var docs = res[0];
        var score = null;
        stems.forEach(function (s, i) {
          var shard = res[i + 1] || {};
          var found = {};
          var last = i === stems.length - 1;
          Object.keys(shard).forEach(function (term) {
            if (term === s || (last && term.indexOf(s) === 0 && s.length >= 3)) {
              shard[term].forEach(function (p) { found[p[0]] = (found[p[0]] || 0) + p[1] * (term === s ? 2 : 1); });
            }
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
        render(docs, hits, q);
      });
  }
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 150);
  });
  var params = new URLSearchParams(location.search);
  if (params.get("q")) { input.value = params.get("q"); search(input.value); }
})();
