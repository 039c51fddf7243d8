// The phone menu: one button shows or hides the navigation. Without this script the button stays
// hidden and the navigation is always shown, so the site works without JavaScript.
(function () {
  "use strict";
  var button = document.querySelector("[data-menu-button]");
  if (!button) return;
  var menu = document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  button.hidden = false;
  setOpen(false);
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  // Escape closes the open menu and gives the focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
