/* Slide view: arrows, space, PageUp/PageDown, N/P, Home/End; the hash names
 * the slide. Where the page has a presenter view (only a facilitating role's
 * page has one, and only it has the notes): S shows or hides it (current and
 * next slide, the slide's notes, a timer per agenda item from its minutes),
 * T starts or pauses the timer, R resets the current item's time. Nothing is
 * loaded from elsewhere: the view works from file:// as well. */
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll(".deck .slide"));
  if (!slides.length) return;
  document.body.classList.add("js");
  slides.forEach(function (s, i) { s.id = "bild-" + (i + 1); s.tabIndex = -1; });
  var current = 0;
  var pv = document.getElementById("presentatorsvy");
  var P = pv ? presenter(pv) : null;
  function show(i) {
    current = Math.max(0, Math.min(slides.length - 1, i));
    slides.forEach(function (s, k) { s.classList.toggle("current", k === current); });
    slides[current].focus();
    history.replaceState(null, "", "#bild-" + (current + 1));
    if (P) P.update();
  }

  /* ---- presenter view ---- */
  function presenter(pv) {
    var toggle = document.querySelector(".p-toggle");
    var timer = pv.querySelector(".p-timer");
    var run = pv.querySelector(".p-run"), reset = pv.querySelector(".p-reset");
    var minutes = {}, labels = {};
    Array.prototype.forEach.call(pv.querySelectorAll(".p-agenda li"), function (li) {
      minutes[li.dataset.item] = parseInt(li.dataset.minutes || "0", 10) || 0;
      labels[li.dataset.item] = li;
    });
    var spent = {}, running = false, since = 0, item = null, tick = null;
    function itemOf(k) { return slides[k].dataset.item || null; }
    function now() { return Date.now(); }
    function settle() { /* books the running time on the current item */
      if (running && item) spent[item] = (spent[item] || 0) + (now() - since);
      since = now();
    }
    function mmss(ms) {
      var s = Math.floor(Math.abs(ms) / 1000);
      var m = Math.floor(s / 60);
      s %= 60;
      return (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
    }
    function draw() {
      var it = item, el = timer.querySelector(".p-item");
      Object.keys(labels).forEach(function (k) {
        if (k === it) labels[k].setAttribute("aria-current", "step");
        else labels[k].removeAttribute("aria-current");
      });
      if (!it) {
        el.textContent = timer.dataset.none;
        timer.querySelector(".p-clock").hidden = true;
        return;
      }
      timer.querySelector(".p-clock").hidden = false;
      el.textContent = labels[it] ? labels[it].textContent : "";
      var used = (spent[it] || 0) + (running ? now() - since : 0);
      var total = (minutes[it] || 0) * 60000;
      timer.querySelector(".p-elapsed").textContent = mmss(used);
      timer.querySelector(".p-total").textContent = mmss(total);
      var left = timer.querySelector(".p-left");
      var over = total > 0 && used > total;
      left.textContent = total ? mmss(total - used) + " " + (over ? timer.dataset.over : timer.dataset.left) : "";
      timer.classList.toggle("over", over);
    }
    function setRunning(on) {
      settle();
      running = on;
      run.textContent = on ? timer.dataset.pause : timer.dataset.start;
      run.setAttribute("aria-pressed", on ? "true" : "false");
      if (tick) clearInterval(tick);
      tick = on ? setInterval(draw, 250) : null;
      draw();
    }
    function nextPreview() {
      var box = pv.querySelector(".p-next-slide");
      box.textContent = "";
      var last = current + 1 >= slides.length;
      pv.querySelector(".p-last").hidden = !last;
      if (last) return;
      var c = document.createElement("div"), src = slides[current + 1];
      c.className = src.className.replace(/\bcurrent\b/, "") + " preview";
      c.innerHTML = src.innerHTML;
      /* a copy: no ids twice, nothing to tab to, no form fields */
      Array.prototype.forEach.call(c.querySelectorAll("[id]"), function (e) { e.removeAttribute("id"); });
      Array.prototype.forEach.call(c.querySelectorAll("label[for]"), function (e) { e.removeAttribute("for"); });
      Array.prototype.forEach.call(c.querySelectorAll("input"), function (e) {
        var s = document.createElement("span");
        s.textContent = e.checked ? "☑ " : "☐ ";
        e.parentNode.replaceChild(s, e);
      });
      Array.prototype.forEach.call(c.querySelectorAll("a, button, [tabindex]"), function (e) { e.tabIndex = -1; });
      box.appendChild(c);
    }
    function notes() {
      var any = false;
      Array.prototype.forEach.call(pv.querySelectorAll(".slide-note"), function (n) {
        var on = n.dataset.slide === String(current + 1);
        n.hidden = !on;
        any = any || on;
      });
      pv.querySelector(".p-no-notes").hidden = any;
    }
    run.addEventListener("click", function () { setRunning(!running); });
    reset.addEventListener("click", function () { settle(); if (item) spent[item] = 0; draw(); });
    toggle.addEventListener("click", function () { api.toggle(); });
    var api = {
      update: function () {
        var it = itemOf(current);
        if (it !== item) { settle(); item = it; }
        nextPreview();
        notes();
        draw();
      },
      toggle: function () {
        pv.hidden = !pv.hidden;
        document.body.classList.toggle("presenter", !pv.hidden);
        toggle.setAttribute("aria-pressed", pv.hidden ? "false" : "true");
      },
      run: function () { setRunning(!running); },
      reset: function () { reset.click(); }
    };
    return api;
  }

  var m = /^#bild-(\d+)$/.exec(location.hash);
  show(m ? parseInt(m[1], 10) - 1 : 0);
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target, k = e.key;
    /* space on a checklist's box or a button is theirs */
    if (t && (t.tagName === "INPUT" || t.tagName === "BUTTON") && (k === " " || k === "Enter")) return;
    var lk = k.length === 1 ? k.toLowerCase() : k;
    if (k === "ArrowRight" || k === "ArrowDown" || k === "PageDown" || (k === " " && !e.shiftKey) || lk === "n") show(current + 1);
    else if (k === "ArrowLeft" || k === "ArrowUp" || k === "PageUp" || (k === " " && e.shiftKey) || lk === "p") show(current - 1);
    else if (k === "Home") show(0);
    else if (k === "End") show(slides.length - 1);
    else if (P && lk === "s") P.toggle();
    else if (P && lk === "t") P.run();
    else if (P && lk === "r") P.reset();
    else return;
    e.preventDefault();
  });
})();
