/* `@` suggestions under a message's text area (textarea[data-mentions-url]).
 *
 * Typing "@" and a letter or more asks the server for the members who may read the space (at most 8) and
 * shows them in a listbox under the text area: arrow keys move, Enter or Tab insert "@handle ", Escape
 * closes. Without this script members type @handle themselves: the server resolves it either way.
 * No inline script (CSP): the page loads this file with <script src defer>.
 */
(function () {
  "use strict";

  var TRIGGER = /(^|[^\w@\/.])@([a-z0-9][a-z0-9._-]{0,58})$/i;
  var counter = 0;

  function setUp(textarea) {
    var baseUrl = textarea.getAttribute("data-mentions-url");
    if (!baseUrl) return;
    var id = "mentions-" + ++counter;
    var list = document.createElement("ul");
    list.id = id;
    list.className = "mentions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", textarea.getAttribute("data-mentions-label") || "@");
    list.hidden = true;
    textarea.insertAdjacentElement("afterend", list);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", id);
    textarea.setAttribute("aria-expanded", "false");

    var options = [];
    var active = -1;
    var pending = null;
    var lastQuery = null;
    var timer = null;

    function close() {
      list.hidden = true;
      list.textContent = "";
      options = [];
      active = -1;
      lastQuery = null;
      textarea.setAttribute("aria-expanded", "false");
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      options.forEach(function (option, n) {
        option.element.setAttribute("aria-selected", n === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        textarea.setAttribute("aria-activedescendant", options[index].element.id);
        options[index].element.scrollIntoView({ block: "nearest" });
      } else {
        textarea.removeAttribute("aria-activedescendant");
      }
    }

    function currentMatch() {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var match = TRIGGER.exec(before);
      if (!match || textarea.selectionStart !== textarea.selectionEnd) return null;
      return { query: match[2], start: before.length - match[2].length - 1 };
    }

    function insert(handle) {
      var match = currentMatch();
      if (!match) return close();
      var after = textarea.value.slice(textarea.selectionStart);
      var text = "@" + handle + " ";
      textarea.value = textarea.value.slice(0, match.start) + text + after;
      var caret = match.start + text.length;
      textarea.setSelectionRange(caret, caret);
      close();
      textarea.focus();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function show(people) {
      list.textContent = "";
      options = people.map(function (person, n) {
        var item = document.createElement("li");
        item.id = id + "-" + n;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "mentions__name";
        name.textContent = person.name;
        var handle = document.createElement("span");
        handle.className = "mentions__handle";
        handle.textContent = "@" + person.handle;
        item.appendChild(name);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(handle);
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the text area
          insert(person.handle);
        });
        list.appendChild(item);
        return { element: item, handle: person.handle };
      });
      if (!options.length) return close();
      list.hidden = false;
      textarea.setAttribute("aria-expanded", "true");
      highlight(0);
    }

    function ask(query) {
      if (query === lastQuery) return;
      lastQuery = query;
      if (pending) pending.abort();
      pending = new AbortController();
      var url = baseUrl + (baseUrl.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, signal: pending.signal })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (people) {
          var match = currentMatch();
          if (match && match.query === query) show(Array.isArray(people) ? people : []);
        })
        .catch(function () {
          /* aborted or offline: the member types the handle themselves */
        });
    }

    textarea.addEventListener("input", function () {
      var match = currentMatch();
      if (!match) return close();
      clearTimeout(timer);
      timer = setTimeout(function () {
        ask(match.query);
      }, 150);
    });

    textarea.addEventListener("keydown", function (event) {
      if (list.hidden || !options.length) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight((active - 1 + options.length) % options.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        insert(options[active].handle);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });

    textarea.addEventListener("blur", function () {
      setTimeout(close, 150);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-mentions-url]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
