// The reading/witness toggle: the only thing the edition needs JavaScript for.
// The choice is remembered across pages (localStorage); without JavaScript the reading text
// shows, and the witness's words are in each emendation's title and in the list of emendations.
(function () {
  "use strict";
  var KEY = "ce-view";
  var root = document.documentElement;
  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function apply(view) {
    root.classList.toggle("ce-witness-view", view === "witness");
  }
  apply(stored());
  // A tap on a variant's lemma focuses it, which opens its readings (CSS :focus-within).
  document.addEventListener("click", function (event) {
    var lemma = event.target.closest && event.target.closest(".ce-lem");
    if (lemma) { lemma.focus(); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (!document.querySelector(".ce-choice")) { return; }
    var article = document.querySelector(".bd-article") || document.body;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "ce-view-toggle";
    function label() {
      var witness = root.classList.contains("ce-witness-view");
      button.setAttribute("aria-pressed", witness ? "true" : "false");
      button.textContent = witness ? "Showing the witness as received — show the reading text"
                                   : "Showing the reading text — show the witness as received";
    }
    button.addEventListener("click", function () {
      var view = root.classList.contains("ce-witness-view") ? "reading" : "witness";
      apply(view);
      try { window.localStorage.setItem(KEY, view); } catch (e) { /* private mode */ }
      label();
    });
    label();
    article.insertBefore(button, article.firstChild);
  });
})();
