// Suggestions under a search box (the ARIA 1.2 combobox pattern with a list box).
// Progressive enhancement: without this script the box is a plain search field whose form submits.
// The suggestions come from /recherche/suggestions/?q= (titles the viewer may know of, as JSON) and
// are built as DOM nodes, never as HTML, so a title cannot inject markup. No inline style: the
// list's look is in the site's stylesheet (CSP).
(function () {
  "use strict";
  var DELAY = 200;
  var MIN_LENGTH = 2;
  var counter = 0;

  function enhance(input, url) {
    var form = input.form;
    if (!form) return;
    counter += 1;
    var listId = "search-suggestions-" + counter;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels.length ? input.labels[0].textContent : "");
    list.hidden = true;
    form.classList.add("search-suggest");
    form.appendChild(list);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var lastAsked = "";
    var pending = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      if (!items.length) return;
      if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
      active = (index + items.length) % items.length;
      items[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function show(suggestions) {
      list.textContent = "";
      items = [];
      active = -1;
      suggestions.forEach(function (suggestion, index) {
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.className = "search-suggestions__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = suggestion.url;
        var title = document.createElement("span");
        title.className = "search-suggestions__title";
        title.textContent = suggestion.title;
        option.appendChild(title);
        if (suggestion.kind) {
          var kind = document.createElement("span");
          kind.className = "search-suggestions__kind";
          kind.textContent = suggestion.kind;
          option.appendChild(kind);
        }
        // mousedown, not click: the box keeps the focus until the page changes.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          go(option);
        });
        list.appendChild(option);
        items.push(option);
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function go(option) {
      if (option && option.dataset.url) window.location.assign(option.dataset.url);
    }

    function ask() {
      var text = input.value.trim();
      if (text.length < MIN_LENGTH) {
        lastAsked = text;
        show([]);
        return;
      }
      if (text === lastAsked) return;
      lastAsked = text;
      if (pending) pending.abort();
      pending = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: pending ? pending.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (input.value.trim() === text) show(data.suggestions || []);
        })
        .catch(function () {
          /* no suggestions: the form still submits */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        if (!open && items.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        if (items.length) {
          event.preventDefault();
          setActive(active + 1);
        }
      } else if (event.key === "ArrowUp") {
        if (open && items.length) {
          event.preventDefault();
          setActive(active - 1);
        }
      } else if (event.key === "Enter") {
        // A chosen suggestion opens; otherwise Enter submits the search as without the script.
        if (open && active >= 0) {
          event.preventDefault();
          go(items[active]);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          event.stopPropagation();
          close();
        } else if (input.value) {
          input.value = "";
        }
      }
    });
    input.addEventListener("blur", close);
  }

  var source = document.querySelector("[data-suggest-url]");
  if (!source || !window.fetch) return;
  var url = source.getAttribute("data-suggest-url");
  Array.prototype.forEach.call(document.querySelectorAll("[data-search-suggest]"), function (input) {
    enhance(input, input.getAttribute("data-suggest-url") || url);
  });
})();
