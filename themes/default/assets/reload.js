/* Live reload for `vaksam serve` (included only in preview builds).
 *
 * The server names each build with a token ("<run>-<generation>"): "hello"
 * when the stream opens, "reload" after every rebuild (successful or not).
 * The tab remembers the last token it saw, so a rebuild that lands between
 * a page load and its stream opening, or a restarted server, still reloads
 * the page once; moving to another page of the same build does not.
 */
(function () {
  "use strict";
  if (!window.EventSource) return;
  var KEY = "vaksam-build";
  function seen() {
    try { return sessionStorage.getItem(KEY); } catch (e) { return null; }
  }
  function remember(token) {
    try { sessionStorage.setItem(KEY, token); } catch (e) { /* private mode: reload anyway */ }
  }
  var es = new EventSource("/__vaksam/events");
  es.addEventListener("hello", function (ev) {
    var before = seen();
    remember(ev.data);
    if (before && before !== ev.data) location.reload();
  });
  es.addEventListener("reload", function (ev) {
    remember(ev.data);
    es.close();
    location.reload();
  });
  /* Free the connection at once: browsers allow few per host. */
  window.addEventListener("pagehide", function () { es.close(); });
  window.addEventListener("pageshow", function (ev) { if (ev.persisted) location.reload(); });
})();
