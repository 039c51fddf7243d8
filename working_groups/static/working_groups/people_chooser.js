// Narrows a list of people to the names that contain what was typed, accents and case aside.
(function () {
  "use strict";

  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  document.addEventListener("input", function (event) {
    var filter = event.target.closest ? event.target.closest("[data-people-filter]") : null;
    if (!filter) return;
    var chooser = filter.closest("[data-people-chooser]");
    var wanted = plain(filter.value);
    var shown = 0;
    chooser.querySelectorAll("[data-person-name]").forEach(function (item) {
      // People already ticked stay in sight, so the lead sees who is in the note while searching.
      var ticked = item.querySelector("input:checked") !== null;
      var match = ticked || plain(item.getAttribute("data-person-name")).indexOf(wanted) !== -1;
      item.hidden = !match;
      if (match) shown += 1;
    });
    var status = chooser.querySelector("[data-people-status]");
    if (status) status.textContent = status.getAttribute("data-people-status").replace("%s", String(shown));
  });
})();
