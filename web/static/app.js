// Kindred: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Guard against double submission: a tired finger should not post a reply twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
    var button = form.querySelector("button[type=submit]");
    if (!button) return;
    if (form.dataset.sending === "1") { event.preventDefault(); return; }
    form.dataset.sending = "1";
    button.setAttribute("disabled", "");
    var live = document.getElementById("live");
    if (live && form.classList.contains("reply-form")) live.textContent = "Sending your reply…";
  });
  // Coming back with the back button restores the page from cache: re-enable forms.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      delete form.dataset.sending;
      var button = form.querySelector("button[type=submit]");
      if (button) button.removeAttribute("disabled");
    });
  });
})();
