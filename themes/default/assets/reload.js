/* Live reload for `vaksam serve` (only included in preview builds). */
(function () {
  "use strict";
  if (!window.EventSource) return;
  var es = new EventSource("/__vaksam/events");
  es.addEventListener("reload", function () { location.reload(); });
})();
