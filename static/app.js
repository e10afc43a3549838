// The only script of the staff pages besides htmx. No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  function toast(message) {
    var box = document.getElementById("toast");
    if (!box) {
      box = document.createElement("div");
      box.id = "toast";
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    box.textContent = message;
    box.hidden = false;
    clearTimeout(box._timer);
    box._timer = setTimeout(function () { box.hidden = true; }, 6000);
  }

  // htmx does not swap 4xx/5xx answers (except 422); tell the user what went wrong.
  document.addEventListener("htmx:responseError", function (evt) {
    var text = "Terjadi kesalahan. Silakan coba lagi.";
    try {
      var doc = new DOMParser().parseFromString(evt.detail.xhr.responseText, "text/html");
      var p = doc.querySelector("#error-box p, p");
      if (p && p.textContent.trim()) { text = p.textContent.trim(); }
    } catch (e) { /* keep the generic text */ }
    toast(text);
  });
  document.addEventListener("htmx:sendError", function () {
    toast("Koneksi ke server terputus. Periksa jaringan lalu coba lagi.");
  });

  // <button data-confirm="…"> asks before acting, for forms with or without htmx.
  document.addEventListener("submit", function (evt) {
    var btn = evt.submitter;
    var message = (btn && btn.dataset.confirm) || evt.target.dataset.confirm;
    if (message && !window.confirm(message)) { evt.preventDefault(); evt.stopImmediatePropagation(); }
  }, true);

  // Forms with data-autosubmit refresh their results as the user types (active search).
  document.addEventListener("change", function (evt) {
    var form = evt.target.closest("form[data-autosubmit]");
    if (form && window.htmx && evt.target.tagName === "SELECT") { htmx.trigger(form, "submit"); }
  });

  // --- The staff menu (base.html) ---
  // On a phone the links fold behind "Menu" (<details id="nav-menu">), which works without this
  // script. A browser that cannot show a closed disclosure's links (no ::details-content) would
  // show "Menu" on a wide screen as well: there the menu is kept open instead. Escape folds the
  // open menu on a phone and puts the focus back on "Menu".
  var navMenu = document.getElementById("nav-menu");
  if (navMenu) {
    var wide = window.matchMedia("(min-width: 768px)");
    if (!(window.CSS && CSS.supports && CSS.supports("selector(::details-content)"))) {
      var fitMenu = function () { navMenu.open = wide.matches; };
      fitMenu();
      wide.addEventListener("change", fitMenu);
    }
    document.addEventListener("keydown", function (evt) {
      if (evt.key !== "Escape" || !navMenu.open || wide.matches) { return; }
      navMenu.open = false;
      navMenu.querySelector("summary").focus();
    });

    // The groups of the menu (<li class="nav-group"><details class="dropdown">): dropdowns on a
    // wide screen, one open at a time, Escape folding the open one; on a phone plain headed
    // lists, kept open, their heading no toggle and no stop for the Tab key.
    var groups = Array.prototype.slice.call(navMenu.querySelectorAll(".nav-group > details"));
    var fitGroups = function () {
      groups.forEach(function (group) {
        group.open = !wide.matches;
        group.querySelector("summary").tabIndex = wide.matches ? 0 : -1;
      });
    };
    fitGroups();
    wide.addEventListener("change", fitGroups);
    navMenu.addEventListener("click", function (evt) {
      if (!wide.matches && evt.target.closest(".nav-group > details > summary")) { evt.preventDefault(); }
    });
    groups.forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (!group.open || !wide.matches) { return; }
        groups.forEach(function (other) { if (other !== group) { other.open = false; } });
      });
    });
    document.addEventListener("click", function (evt) {
      if (!wide.matches) { return; }
      groups.forEach(function (group) {
        if (group.open && !group.contains(evt.target)) { group.open = false; }
      });
    });
    document.addEventListener("keydown", function (evt) {
      if (evt.key !== "Escape" || !wide.matches) { return; }
      var open = navMenu.querySelector("details.dropdown[open]");
      if (!open) { return; }
      open.open = false;
      open.querySelector("summary").focus();
    });
  }

  // --- Organisation (org) ---
  // <form data-submit-once>: a second click while the first save is under way sends nothing.
  // Creating an employee answers with a one-time password; a double click would replace that
  // answer with "NIP sudah terdaftar" and the password would be lost.
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (evt.defaultPrevented || !form.matches("form[data-submit-once]")) { return; }
    if (form.dataset.submitting) { evt.preventDefault(); return; }
    form.dataset.submitting = "1";
  });
  // Coming back with the browser's Back button must leave the form usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
    });
  });

  // --- SKM for staff (survey_admin) ---
  // <input type="checkbox" data-check-all="ids"> ticks every checkbox named "ids" in its form
  // (bulk accept/reject in the review queue).
  document.addEventListener("change", function (evt) {
    var all = evt.target.closest("input[data-check-all]");
    if (!all || !all.form) { return; }
    all.form.querySelectorAll('input[type="checkbox"][name="' + all.dataset.checkAll + '"]')
      .forEach(function (box) { box.checked = all.checked; });
  });
  // Paper questionnaires: an answer box keeps only one digit 1–4, so a slip of the finger
  // ("5", "e") never reaches the server and the typist stays in the rhythm.
  document.addEventListener("input", function (evt) {
    var box = evt.target;
    if (!box.matches || !box.matches("input[data-answer]")) { return; }
    var digits = box.value.replace(/[^1-4]/g, "");
    if (digits !== box.value) { box.value = digits.slice(-1); }
  });
})();
