// Tabs, zoom and pan, and the links between findings and drawn elements.
// Listeners sit on the document, so a live page can replace #content and
// call topo.init() to restore its place.
(function () {
  "use strict";
  var KEY = "topo-page-state";
  var state = { view: null, zoom: {}, picked: null, scroll: 0 };
  try { Object.assign(state, JSON.parse(sessionStorage.getItem(KEY)) || {}); } catch (e) { /* a fresh page */ }

  function save() {
    var list = document.getElementById("findings");
    if (list) state.scroll = list.scrollTop;
    try { sessionStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* storage off */ }
  }
  function views() { return Array.prototype.slice.call(document.querySelectorAll("section.view")); }
  function current() { return document.querySelector("section.view:not([hidden])"); }
  function zoomOf(id) { return state.zoom[id] || { s: 1, x: 0, y: 0 }; }
  function apply(section) {
    var z = zoomOf(section.dataset.view);
    section.querySelector(".canvas").style.transform = "translate(" + z.x + "px," + z.y + "px) scale(" + z.s + ")";
  }
  function show(id) {
    views().forEach(function (v) { v.hidden = v.dataset.view !== id; });
    document.querySelectorAll("#tabs [role=tab]").forEach(function (b) {
      b.setAttribute("aria-selected", String(b.dataset.view === id));
    });
    state.view = id;
    var v = current();
    if (v) apply(v);
    save();
  }
  function zoomAt(section, factor, cx, cy) {
    var z = zoomOf(section.dataset.view);
    var s = Math.min(8, Math.max(0.05, z.s * factor));
    z.x = cx - (cx - z.x) * (s / z.s);
    z.y = cy - (cy - z.y) * (s / z.s);
    z.s = s;
    state.zoom[section.dataset.view] = z;
    apply(section);
    save();
  }
  function fit(section) {
    var svg = section.querySelector("svg");
    var port = section.querySelector(".viewport");
    if (!svg || !port.clientWidth) return;
    var w = svg.width.baseVal.value || 1, h = svg.height.baseVal.value || 1;
    var s = Math.min(1, port.clientWidth / w, port.clientHeight / h);
    state.zoom[section.dataset.view] = { s: s, x: 0, y: 0 };
    apply(section);
    save();
  }
  // A drawn element, a box that stands for several (data-members), or in
  // the list, the findings about a device's parts (data-owner).
  function byName(root, name) {
    var n = window.CSS && CSS.escape ? CSS.escape(name) : name;
    var q = "[data-element=\"" + n + "\"], [data-members~=\"" + n + "\"], [data-owner=\"" + n + "\"]";
    return Array.prototype.slice.call(root.querySelectorAll(q));
  }
  function clear() {
    document.querySelectorAll(".highlight").forEach(function (e) { e.classList.remove("highlight"); });
    document.querySelectorAll(".finding.selected").forEach(function (e) { e.classList.remove("selected"); });
  }
  // Centre the first drawn element in its viewport.
  function centre(section, el) {
    var port = section.querySelector(".viewport").getBoundingClientRect();
    var box = el.getBoundingClientRect();
    var z = zoomOf(section.dataset.view);
    z.x += port.left + port.width / 2 - (box.left + box.width / 2);
    z.y += port.top + port.height / 2 - (box.top + box.height / 2);
    state.zoom[section.dataset.view] = z;
    apply(section);
  }
  // `members`: every name a clicked box stands for, to select all their
  // findings.
  function pickElement(name, from, members) {
    clear();
    state.picked = name;
    var here = current();
    var section = here && byName(here, name).length ? here : views().filter(function (v) { return byName(v, name).length; })[0];
    if (section) {
      if (section !== here) show(section.dataset.view);
      var found = byName(section, name);
      found.forEach(function (e) { e.classList.add("highlight"); });
      if (from === "finding") centre(section, found[0]);
    }
    var list = document.getElementById("findings");
    var items = [];
    (members || [name]).forEach(function (m) { items = items.concat(byName(list, m)); });
    items.forEach(function (i) { i.classList.add("selected"); });
    if (from === "view" && items[0]) items[0].scrollIntoView({ block: "nearest" });
    save();
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    var tab = t.closest("#tabs [role=tab]");
    if (tab) { show(tab.dataset.view); return; }
    var z = t.closest("[data-zoom]");
    if (z) {
      var v = current();
      if (!v) return;
      if (z.dataset.zoom === "reset") { fit(v); return; }
      var port = v.querySelector(".viewport");
      zoomAt(v, z.dataset.zoom === "in" ? 1.25 : 0.8, port.clientWidth / 2, port.clientHeight / 2);
      return;
    }
    var item = t.closest(".finding");
    if (item) {
      if (item.dataset.element) {
        // A part no view draws: its device.
        var name = item.dataset.element;
        var drawn = views().some(function (v) { return byName(v, name).length; });
        pickElement(!drawn && item.dataset.owner ? item.dataset.owner : name, "finding");
      }
      else { clear(); item.classList.add("selected"); }
      return;
    }
    var drawn = t.closest("section.view [data-element]");
    if (drawn && !moved) {
      var members = drawn.dataset.members ? drawn.dataset.members.split(" ") : null;
      pickElement(drawn.dataset.element, "view", members);
    }
  });
  document.addEventListener("keydown", function (ev) {
    var item = ev.target.closest && ev.target.closest(".finding");
    if (item && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); item.click(); }
  });
  document.addEventListener("wheel", function (ev) {
    var port = ev.target.closest && ev.target.closest(".viewport");
    if (!port) return;
    ev.preventDefault();
    var r = port.getBoundingClientRect();
    zoomAt(port.parentNode, ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  var drag = null, moved = false;
  document.addEventListener("pointerdown", function (ev) {
    var port = ev.target.closest && ev.target.closest(".viewport");
    if (!port || ev.button !== 0) return;
    var z = zoomOf(port.parentNode.dataset.view);
    drag = { port: port, x: ev.clientX - z.x, y: ev.clientY - z.y, sx: ev.clientX, sy: ev.clientY };
    moved = false;
  });
  document.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    if (Math.abs(ev.clientX - drag.sx) + Math.abs(ev.clientY - drag.sy) > 4) { moved = true; drag.port.classList.add("dragging"); }
    if (!moved) return;
    var section = drag.port.parentNode;
    var z = zoomOf(section.dataset.view);
    z.x = ev.clientX - drag.x;
    z.y = ev.clientY - drag.y;
    state.zoom[section.dataset.view] = z;
    apply(section);
  });
  document.addEventListener("pointerup", function () {
    if (drag) { drag.port.classList.remove("dragging"); save(); }
    drag = null;
    setTimeout(function () { moved = false; }, 0);
  });

  // Restores the tab, zoom, selection and scroll after a (re)load.
  function init() {
    var ids = views().map(function (v) { return v.dataset.view; });
    show(ids.indexOf(state.view) >= 0 ? state.view : ids[0]);
    views().forEach(function (v) { if (state.zoom[v.dataset.view]) apply(v); });
    if (state.picked) {
      var again = state.picked;
      byName(document, again).forEach(function (e) { e.classList.add(e.classList.contains("finding") ? "selected" : "highlight"); });
    }
    var list = document.getElementById("findings");
    if (list) list.scrollTop = state.scroll || 0;
  }
  window.topo = { init: init, save: save, pick: pickElement, show: show };
  init();
})();
