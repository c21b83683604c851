/* vaksam: small enhancements. Nothing on the site needs this script to be read. */
(function () {
  "use strict";
  // Checklists: ticks persist in this browser (localStorage) until reset.
  function storageKey(list, box) { return "vaksam:" + location.pathname + ":" + list + ":" + box.id; }
  function safeStorage() {
    try { var k = "vaksam:test"; localStorage.setItem(k, "1"); localStorage.removeItem(k); return localStorage; }
    catch (e) { return null; }
  }
  var store = safeStorage();
  document.querySelectorAll("[data-checklist]").forEach(function (list) {
    if (list.tagName === "BUTTON") return;
    var name = list.getAttribute("data-checklist");
    var boxes = list.querySelectorAll("input[type=checkbox]");
    boxes.forEach(function (box) {
      if (!box.id) return;
      box.disabled = false;
      if (store && store.getItem(storageKey(name, box)) === "1") box.checked = true;
      box.addEventListener("change", function () {
        if (!store) return;
        if (box.checked) store.setItem(storageKey(name, box), "1");
        else store.removeItem(storageKey(name, box));
      });
    });
  });
  document.querySelectorAll("button.checklist-reset").forEach(function (btn) {
    btn.hidden = false;
    btn.addEventListener("click", function () {
      var name = btn.getAttribute("data-checklist");
      document.querySelectorAll('[data-checklist="' + name + '"] input[type=checkbox]').forEach(function (box) {
        box.checked = false;
        if (store) store.removeItem(storageKey(name, box));
      });
    });
  });
  document.querySelectorAll("button.print").forEach(function (btn) {
    btn.hidden = false;
    btn.addEventListener("click", function () { window.print(); });
  });
})();
