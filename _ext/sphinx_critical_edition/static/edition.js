// The edition's page behaviour. Without it everything stays readable: every mark links to its
// note, readings or reason beside the paragraph (shown on :target), the reading text shows.
// With it: each mark opens its box (a note, readings, a reason) on a wide screen in the right
// margin beside it; on a narrower one in place, under the mark's line, pushing the text below
// down (a mouse's hover only previews it, floating under the line); the author's notes level
// with their calls in the margin; the reading/witness toggle and the "marks" setting (both
// remembered, localStorage).
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("ce-js");

  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }

  // ---- settings: the view (reading / witness) and how many marks show ------------------------
  var MARKS = ["none", "notes", "all"];
  function marks() {
    var m = stored("ce-marks");
    return MARKS.indexOf(m) >= 0 ? m : "notes";
  }
  root.setAttribute("data-ce-marks", marks());
  root.classList.toggle("ce-witness-view", stored("ce-view") === "witness");

  // An emendation holds its shown reading and a <template> with the other one: the witness view
  // swaps them, so the text content is always the text of the view shown (copy, search, readers).
  function showView(witness) {
    closeAll();  // a box opened in place stands in the text the swap walks
    root.classList.toggle("ce-witness-view", witness);
    var want = witness ? "ce-sic" : "ce-corr";
    for (var pass = 0; pass < 3; pass++) {  // an emendation inside another shows after a swap
      var swapped = 0;
      document.querySelectorAll(".ce-choice").forEach(function (choice) {
        var other = choice.querySelector(":scope > template.ce-other-reading");
        var shown = other && other.nextElementSibling;
        if (!shown || shown.classList.contains(want)) { return; }
        var incoming = other.content.firstElementChild;
        other.content.appendChild(shown);
        choice.appendChild(document.adoptNode(incoming));
        swapped++;
      });
      if (!swapped) { break; }
    }
    placeMarginNotes();
  }

  // ---- popovers -----------------------------------------------------------------------------
  var open = [];        // the boxes shown, and the mark that opened them
  var opener = null;
  var pinned = false;
  var closeTimer = null;
  var beside = false;   // the boxes shown are in the margin, beside the text
  var inPlace = false;  // the boxes shown stand in the text, under their mark's line

  function boxesOf(mark) {
    return (mark.getAttribute("data-ce-pop") || "").split(" ")
      .map(function (id) { return id && document.getElementById(id); })
      .filter(function (box) { return box && !box.classList.contains("ce-margin"); });
  }

  // On a wide screen, the margin column beside the text of the page's section holding *el*
  // (edition.css pads the section for it): its left edge and width, in viewport pixels; null
  // where there is none (a narrow screen, a page without the layout).
  var WIDE = window.matchMedia("screen and (min-width: 1080px)");
  var MARGIN_LEAST = 160;  // px: a column narrower than this holds no note
  function marginColumn(el) {
    var section = WIDE.matches && el.closest(".bd-article > section");
    if (!section) { return null; }
    var style = getComputedStyle(section);
    var gap = parseFloat(style.getPropertyValue("--ce-margin-gap")) || 24;
    var width = parseFloat(style.paddingRight) - gap;
    if (!(width >= MARGIN_LEAST)) { return null; }
    return { left: section.getBoundingClientRect().right - width, width: width };
  }

  // Each box at *top* (viewport pixels). At a mark in the text on a wide screen it goes into
  // the margin column, level with the mark's first line: a sidenote, never over the text.
  // Elsewhere, and for a mark itself in the margin (in an open box, in an author's note there),
  // under the mark's last line (never over the line it belongs to), within the screen and
  // within the margin column if there is one.
  function place(box, mark, top) {
    var holder = box.offsetParent || document.body;
    var frame = holder.getBoundingClientRect();
    var column = marginColumn(mark);
    if (column) { box.style.width = column.width + "px"; }
    var width = box.offsetWidth;
    var viewport = document.documentElement.clientWidth;
    var left = column ? column.left
                      : Math.max(8, Math.min(mark.getClientRects()[0].left, viewport - width - 8));
    box.style.left = (left - frame.left) + "px";
    box.style.top = (top - frame.top) + "px";
    return box.getBoundingClientRect().bottom;
  }

  function besideText(mark) {
    return !!marginColumn(mark) && !inBox(mark) && !mark.closest(".ce-margin");
  }

  // ---- a box in place: in the text, after the line its mark ends on -------------------------
  // The box goes where the next line begins, so the mark's line stays whole and the text after
  // it moves down below the box; nothing is covered. It returns to its place after the
  // paragraph when closed, and a text node split for it is joined again: the text is unchanged.
  function blockOf(node) {
    var el = node.parentElement;
    while (el.parentElement && getComputedStyle(el).display.indexOf("inline") === 0) {
      el = el.parentElement;
    }
    return el;
  }

  // the first character of *text* that stands on a line below *bottom* (-1: none)
  function firstBelow(text, bottom) {
    var range = document.createRange();
    for (var k = 0; k < text.length; k++) {
      if (/\s/.test(text.data.charAt(k))) { continue; }
      range.setStart(text, k); range.setEnd(text, k + 1);
      var rect = range.getClientRects()[0];
      if (rect && rect.top >= bottom - 1) { return k; }
    }
    return -1;
  }

  // where the line after *mark*'s last one begins: {parent, before, split}; descends into an
  // inline that holds the mark and runs on below its line (not into a link)
  function nextLine(mark) {
    var rects = mark.getClientRects();
    var bottom = rects[rects.length - 1].bottom;
    var parent = blockOf(mark);
    for (;;) {
      var top = mark;
      while (top.parentNode !== parent) { top = top.parentNode; }
      var tr = top.getClientRects();
      if (top === mark || top.tagName === "A" || !tr.length ||
          tr[tr.length - 1].bottom <= bottom + 1) { break; }
      parent = top;
    }
    for (var n = top.nextSibling; n; n = n.nextSibling) {
      if (n.nodeType === 3) {
        var k = firstBelow(n, bottom);
        if (k === 0) { return { parent: parent, before: n }; }
        if (k > 0) { return { parent: parent, before: n.splitText(k), split: n }; }
      } else if (n.nodeType === 1) {
        var r = n.getClientRects();
        // an element on a later line, or running on to one, goes below the box whole
        if (r.length && r[r.length - 1].top >= bottom - 1) { return { parent: parent, before: n }; }
      }
    }
    return { parent: parent, before: null };
  }

  function putInPlace(box, mark) {
    // a heading is not broken by a box: its note opens under the whole heading
    var heading = mark.closest("h1, h2, h3, h4, h5, h6");
    var at = heading ? { parent: heading.parentNode, before: heading.nextSibling } : nextLine(mark);
    box.ceHome = { parent: box.parentNode, next: box.nextSibling, split: at.split };
    box.classList.add("ce-open", "ce-in-place");
    at.parent.insertBefore(box, at.before);
  }

  // The browser's scroll anchoring would scroll the page to keep some later line where it was
  // when a box opens or closes in place above it, so the mark would move from under the finger
  // between a tap's touch and its click: the mark stays where it is instead, and the text after
  // it moves. (Anchoring returns once the boxes are closed.)
  var anchorTimer = null;
  function keepingTheMark(mark, change) {
    clearTimeout(anchorTimer);
    root.style.overflowAnchor = "none";
    var y = mark.getClientRects()[0].top;
    change();
    var moved = mark.getClientRects()[0].top - y;
    if (Math.abs(moved) >= 1) { window.scrollBy(0, moved); }
  }
  function anchorAgain() {
    clearTimeout(anchorTimer);
    anchorTimer = setTimeout(function () { root.style.overflowAnchor = ""; }, 300);
  }

  function takeBack(box) {
    var home = box.ceHome;
    box.ceHome = null;
    box.classList.remove("ce-in-place");
    if (!home) { return; }
    var split = home.split;
    home.parent.insertBefore(box, home.next);
    if (split && split.nextSibling && split.nextSibling.nodeType === 3) {
      split.appendData(split.nextSibling.data);
      split.parentNode.removeChild(split.nextSibling);
    }
  }

  // the mark whose boxes are open: a class for the stylesheet, and aria-expanded on a link
  // (a span's generic role does not take it)
  function expanded(mark, on) {
    mark.classList.toggle("ce-opened", on);
    if (mark.tagName === "A") { mark.setAttribute("aria-expanded", on ? "true" : "false"); }
  }

  function closeBoxes(boxes) {
    boxes.slice().reverse().forEach(function (box) {  // the innermost first
      box.classList.remove("ce-open");
      box.style.left = box.style.top = box.style.width = "";
      takeBack(box);
    });
  }

  // *keep*: the mark that stays where it is (by default the one whose boxes close)
  function closeAll(keep) {
    var still = keep || opener;
    if (inPlace && still && still.getClientRects().length) {
      keepingTheMark(still, function () { closeBoxes(open); });
      anchorAgain();
    } else {
      closeBoxes(open);
    }
    if (opener) { expanded(opener, false); }
    giveBackRoom();
    open = []; opener = null; pinned = false; inPlace = false;
    document.documentElement.classList.remove("ce-pop-open");
  }

  // Below the wide layout's breakpoint a box opens in place, unless a mouse's hover or its
  // keyboard focus only previews it (a hover that moved the text would move it under the
  // pointer): then it floats under the mark's line until a click or Enter opens it in place.
  function opensInPlace(mark, pin) {
    return !marginColumn(mark) && (pin || !hover);
  }

  function show(mark, pin) {
    clearTimeout(closeTimer);
    if (opener === mark && !(opensInPlace(mark, pin) && !inPlace)) {
      pinned = pinned || pin;
      if (pin) { intoView(mark); }
      return;
    }
    // a mark inside an open box (a variant in an author's note opened on a phone) opens its
    // own box below it and keeps the boxes around it open
    var around = open.filter(function (box) { return box.contains(mark); });
    if (around.length) {
      closeBoxes(open.filter(function (box) { return around.indexOf(box) < 0; }));
      if (opener) { expanded(opener, false); }
      open = around;
    } else {
      closeAll(mark);  // the mark opening stays under the finger as a box above it closes
    }
    var boxes = boxesOf(mark);
    if (!boxes.length) { return; }
    beside = besideText(mark);
    inPlace = opensInPlace(mark, pin);
    if (inPlace) {
      // in the text after the mark's line, one after another
      keepingTheMark(mark, function () {
        var after = null;
        boxes.forEach(function (box) {
          if (after) {
            box.ceHome = { parent: box.parentNode, next: box.nextSibling };
            box.classList.add("ce-open", "ce-in-place");
            after.parentNode.insertBefore(box, after.nextSibling);
          } else {
            putInPlace(box, mark);
          }
          after = box;
        });
      });
    } else {
      // beside the text, the first box's first line level with the mark's; the next boxes below
      var lines = mark.getClientRects();
      var top = beside ? lines[0].top - 6 : lines[lines.length - 1].bottom + 6;
      boxes.forEach(function (box) {
        box.classList.add("ce-open");
        top = place(box, mark, top) + 6;
      });
      if (beside) { makeRoom(boxes); }
    }
    open = around.concat(boxes); opener = mark; pinned = pin;
    expanded(mark, true);
    document.documentElement.classList.add("ce-pop-open");  // hides the theme's "Back to top"
    if (pin) { intoView(mark); }
  }

  // A popover that would end below the screen is brought into view when a tap, a click or
  // Enter opened it: the page scrolls, keeping the mark below the sticky header. (Not on hover
  // or focus: the page must not move under the pointer, nor between a tap's focus and click.)
  function intoView(mark) {
    var room = window.innerHeight - 8;
    var bottom = Math.max.apply(null, open.map(function (box) {
      return box.getBoundingClientRect().bottom;
    }));
    if (!(bottom > room)) { return; }
    var header = document.querySelector(".bd-header");
    var top = header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
    var by = Math.min(bottom - room, mark.getClientRects()[0].top - top - 8);
    if (by > 0) { window.scrollBy(0, by); }
  }

  function closeSoon() {
    clearTimeout(closeTimer);
    // a box in the margin is further from its mark: the pointer has longer to reach it
    if (!pinned) { closeTimer = setTimeout(closeAll, beside ? 700 : 250); }
  }

  // The outermost mark: a variant's lemma or a name also opens the reasons of the emendations
  // within it, so an inserted word inside a variant shows both
  function markOf(target) {
    var mark = target && target.closest ? target.closest("[data-ce-pop]") : null;
    var outer = mark && mark.parentElement && mark.parentElement.closest("[data-ce-pop]");
    while (outer) { mark = outer; outer = mark.parentElement.closest("[data-ce-pop]"); }
    return mark;
  }
  function inBox(target) {
    return open.some(function (box) { return box.contains(target); });
  }

  var hover = window.matchMedia("(hover: hover)").matches;
  document.addEventListener("mouseover", function (event) {
    if (!hover) { return; }
    var mark = markOf(event.target);
    if (mark) { show(mark, false); } else if (inBox(event.target)) { clearTimeout(closeTimer); }
    else if (opener) { closeSoon(); }
  });
  var returning = false;  // Escape gives the focus back to the mark without opening it again
  var backAt = 0;  // a note's label leads back to its call, which the browser then focuses
  document.addEventListener("focusin", function (event) {
    if (returning || Date.now() - backAt < 800) { return; }
    var mark = markOf(event.target);
    if (mark) { show(mark, false); }
    else if (!inBox(event.target) && opener) { closeAll(); }
  });
  document.addEventListener("click", function (event) {
    var mark = markOf(event.target);
    if (mark) {
      var register = mark.classList.contains("ce-name");
      // a name opens the register, except the first tap on a touch screen, which shows the
      // reason of the emendation within it (a second tap follows the link)
      if (register && (hover || (opener === mark && pinned))) { return; }
      event.preventDefault();
      if (opener === mark && pinned && !register) { closeAll(); return; }
      show(mark, true);
      pinned = true;
      if (event.detail === 0 && open.length) {  // by keyboard: into the note, Escape returns
        open[0].setAttribute("tabindex", "-1");
        open[0].focus({ preventScroll: true });
      }
      return;
    }
    if (!inBox(event.target)) { closeAll(); }
    var back = event.target.closest && event.target.closest(".ce-note-label");
    if (back) { backAt = Date.now(); closeAll(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && opener) {
      var mark = opener;
      closeAll();
      returning = true;
      mark.focus();
      returning = false;
    }
  });

  // ---- a sidenote among the author's notes in the margin ------------------------------------
  // A box opened beside the text takes the margin beside its mark; an author's note there, and
  // each below it that would then meet the one before, moves down below the box while it is
  // open, so the box covers no note. Closing it puts them back.
  var GAP = 8;  // px between two notes in the margin
  var moved = [];
  function makeRoom(boxes) {
    var rects = boxes.map(function (box) { return box.getBoundingClientRect(); });
    var top = Math.min.apply(null, rects.map(function (r) { return r.top; }));
    var floor = Math.max.apply(null, rects.map(function (r) { return r.bottom; })) + GAP;
    document.querySelectorAll(".ce-beside > .ce-note-author.ce-margin").forEach(function (note) {
      var r = note.getBoundingClientRect();
      if (r.bottom <= top || r.top >= floor) { return; }
      var by = floor - r.top;
      note.style.transform = "translateY(" + by + "px)";
      moved.push(note);
      floor = r.bottom + by + GAP;
    });
  }
  function giveBackRoom() {
    moved.forEach(function (note) { note.style.transform = ""; });
    moved = [];
  }

  // ---- the author's notes in the margin, level with their calls --------------------------------
  // Each goes beside its call's line, below the one before; to make room, the one before may
  // rise, up to a line above its own call. One that would still land more than a line below its
  // call opens at the call instead (as on a phone).
  // How far below its call a note may stand, in lines: a long note before it pushes it down,
  // and a note hidden until its call is clicked read as a note missing from the margin
  var MAX_DRIFT = 8;
  function placeMarginNotes() {
    var notes = document.querySelectorAll(".ce-beside > .ce-note-author");
    notes.forEach(function (note) {
      note.classList.remove("ce-margin", "ce-at-call");
      note.style.top = note.style.left = note.style.width = "";
    });
    if (!WIDE.matches) { return; }
    var placed = [];
    function put(item) { item.note.style.top = (item.top - item.origin) + "px"; }
    notes.forEach(function (note) {
      var call = document.querySelector('.ce-noteref[href="#' + note.id + '"]');
      var para = call && call.closest("p");
      var column = para && marginColumn(para);
      if (!column || !call.getClientRects().length) { note.classList.add("ce-at-call"); return; }
      note.classList.add("ce-margin");
      note.style.width = column.width + "px";  // before its height is read
      var holder = note.offsetParent.getBoundingClientRect();
      var line = parseFloat(getComputedStyle(para).lineHeight) || 26;
      var item = {
        note: note, call: call.getClientRects()[0].top + window.scrollY, line: line,
        origin: holder.top + window.scrollY, height: note.offsetHeight
      };
      item.top = item.call;
      var prev = placed[placed.length - 1];
      if (prev && prev.top + prev.height + GAP > item.top) {
        var before = placed[placed.length - 2];
        var highest = Math.max(prev.call - prev.line,
                               before ? before.top + before.height + GAP : -Infinity);
        var lift = Math.min(prev.top + prev.height + GAP - item.top, prev.top - highest);
        if (lift > 0) { prev.top -= lift; put(prev); }
        item.top = Math.max(item.top, prev.top + prev.height + GAP);
      }
      if (item.top - item.call > MAX_DRIFT * line) {
        note.classList.remove("ce-margin");
        note.classList.add("ce-at-call");
        note.style.width = "";
        return;
      }
      note.style.left = (column.left - holder.left) + "px";
      put(item);
      placed.push(item);
    });
  }

  // ---- the settings bar ---------------------------------------------------------------------
  function settings() {
    var bar = document.createElement("div");
    bar.className = "ce-settings";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Reading settings");
    var view = document.createElement("button");
    view.type = "button";
    view.className = "ce-view-toggle";
    function label() {
      var witness = root.classList.contains("ce-witness-view");
      view.setAttribute("aria-pressed", witness ? "true" : "false");
      view.textContent = witness ? "Witness as received" : "Reading text";
      view.title = witness ? "Showing the witness as received: show the reading text"
                           : "Showing the reading text: show the witness as received";
    }
    view.addEventListener("click", function () {
      var witness = !root.classList.contains("ce-witness-view");
      store("ce-view", witness ? "witness" : "reading");
      showView(witness);
      label();
    });
    label();
    var marksLabel = document.createElement("label");
    marksLabel.className = "ce-marks-setting";
    marksLabel.textContent = "Marks ";
    var select = document.createElement("select");
    // "notes" (the default) shows the note letters and underlines variants and emendations
    [["none", "none"], ["notes", "notes and readings"], ["all", "everything"]].forEach(function (o) {
      var option = document.createElement("option");
      option.value = o[0]; option.textContent = o[1];
      select.appendChild(option);
    });
    select.value = marks();
    select.title = "none: the text alone; notes and readings: the editors' note letters and the "
      + "underlined variants and emendations; everything: also the words a note comments on "
      + "and the names in the register";
    select.addEventListener("change", function () {
      store("ce-marks", select.value);
      root.setAttribute("data-ce-marks", select.value);
    });
    marksLabel.appendChild(select);
    if (document.querySelector(".ce-choice")) { bar.appendChild(view); }
    bar.appendChild(marksLabel);
    return bar;
  }

  // A figure wider than a phone scrolls sideways in its own region (edition.css); with nothing
  // to show it, the map read as cut at the screen's edge (review 12). A fade with an arrow marks
  // each edge beyond which more of the figure lies, and goes when that edge is reached.
  function scrollCues() {
    document.querySelectorAll(".ce-figure-scroll").forEach(function (region) {
      var frame = document.createElement("div");
      frame.className = "ce-scroll-frame";
      region.parentNode.insertBefore(frame, region);
      frame.appendChild(region);
      ["left", "right"].forEach(function (side) {
        var cue = document.createElement("span");
        cue.className = "ce-scroll-cue ce-scroll-cue-" + side;
        cue.setAttribute("aria-hidden", "true");
        frame.appendChild(cue);
      });
      function update() {
        var hidden = region.scrollWidth - region.clientWidth;
        frame.classList.toggle("ce-more-left", region.scrollLeft > 1);
        frame.classList.toggle("ce-more-right", hidden > 1 && region.scrollLeft < hidden - 1);
      }
      region.addEventListener("scroll", update, { passive: true });
      window.addEventListener("resize", update);
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", scrollCues);

  document.addEventListener("DOMContentLoaded", function () {
    if (!document.querySelector(".ce-beside")) { return; }
    var article = document.querySelector(".bd-article") || document.body;
    article.insertBefore(settings(), article.firstChild);
    if (root.classList.contains("ce-witness-view")) { showView(true); }
    placeMarginNotes();
    if (document.fonts && document.fonts.ready) { document.fonts.ready.then(placeMarginNotes); }
    window.addEventListener("load", placeMarginNotes);
    // a new width (the window's, or the page's when the theme's sidebar is shown or hidden)
    // moves the margin: the notes are placed again
    var resizeTimer = null;
    function relayout() {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () { closeAll(); placeMarginNotes(); }, 100);
    }
    window.addEventListener("resize", relayout);
    if (window.ResizeObserver) {
      var width = article.getBoundingClientRect().width;
      new ResizeObserver(function () {
        var now = article.getBoundingClientRect().width;
        if (now !== width) { width = now; relayout(); }
      }).observe(article);
    }
  });
})();
