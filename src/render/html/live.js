// The live page of `topo serve`: after each save that changes the report
// the server sends an event; the page fetches itself again and replaces
// its content in place, keeping its tab, zoom, selection and scroll.
(function () {
  "use strict";
  var source = new EventSource("/events");
  source.onmessage = function () {
    fetch("/", { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("content");
        var header = doc.querySelector("header");
        if (!fresh) return;
        window.topo.save();
        document.getElementById("content").replaceWith(fresh);
        if (header) document.querySelector("header").replaceWith(header);
        window.topo.init();
        document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
      });
  };
})();
