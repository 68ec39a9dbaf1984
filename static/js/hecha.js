// Small enhancements; every page works without them.
(function () {
  "use strict";

  // Django's catalogue for the page's language (/i18n/js/); English if it did not load.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%s/g, function () { return String(values.shift()); });
  };

  // Count code points, as the server does: offsets must agree for text beyond the BMP.
  function codePoints(text) {
    return Array.from(text).length;
  }

  // Cut by code points so that an emoji or a rare character is never split in half.
  function shorten(text, limit) {
    var characters = Array.from(text);
    return characters.length > limit ? characters.slice(0, limit).join("") + "…" : text;
  }

  function setUpSelectionToClaim() {
    var article = document.getElementById("article-text");
    var form = document.getElementById("claim-from-selection");
    if (!article || !form) return;
    var quoteInput = document.getElementById("selection-quote");
    var startInput = document.getElementById("selection-start");
    var preview = document.getElementById("selection-preview");
    var submit = document.getElementById("selection-submit");

    function update() {
      var selection = window.getSelection();
      if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
      var range = selection.getRangeAt(0);
      if (!article.contains(range.startContainer) || !article.contains(range.endContainer)) return;
      var before = document.createRange();
      before.selectNodeContents(article);
      before.setEnd(range.startContainer, range.startOffset);
      var quote = range.toString();
      if (!quote.trim()) return;
      quoteInput.value = quote;
      startInput.value = String(codePoints(before.toString()));
      preview.textContent = interpolate(gettext("Selected: “%s”"), [shorten(quote, 120)]);
      submit.disabled = false;
    }

    document.addEventListener("mouseup", update);
    document.addEventListener("keyup", update);
    document.addEventListener("selectionchange", update);
  }

  // A marked quote or candidate in an article is a link, and a drag that starts on a link moves
  // the link in Chromium instead of selecting its words, whatever draggable says. While the
  // button is down the link is plain text; released where it was pressed, the link is followed.
  function setUpArticleLinks() {
    var article = document.getElementById("article-text");
    if (!article) return;
    article.addEventListener("mousedown", function (event) {
      var link = event.target.closest("a[href]");
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      var href = link.getAttribute("href");
      link.removeAttribute("href");
      document.addEventListener("mouseup", function restore() {
        document.removeEventListener("mouseup", restore);
        setTimeout(function () {
          link.setAttribute("href", href);
          var selection = window.getSelection();
          if (!selection || selection.isCollapsed) window.location.assign(link.href);
        }, 0);
      });
    });
  }

  function setUpClaimLookup() {
    var input = document.getElementById("find");
    var results = document.getElementById("lookup-results");
    var target = document.getElementById("id_to_claim");
    if (!input || !results || !target) return;
    var timer = null;
    var latest = 0;

    function choose(id, label) {
      target.value = id;
      var chosen = document.getElementById("lookup-chosen");
      if (!chosen) {
        chosen = document.createElement("p");
        chosen.id = "lookup-chosen";
        chosen.className = "lookup-chosen";
        chosen.setAttribute("aria-live", "polite");
        target.parentNode.appendChild(chosen);
      }
      chosen.textContent = interpolate(gettext("Chosen: %s"), [label]);
      target.focus();
    }

    results.addEventListener("click", function (event) {
      var button = event.target.closest("button.pick");
      if (!button) return;
      var item = button.closest("li");
      choose(button.getAttribute("data-claim-id"), item ? item.textContent.replace(/^\s*Use\s*/, "").trim() : "");
    });

    // Fill `element` with the quote's runs, the words the search found in <mark>, cut
    // after `limit` characters; text nodes only, so nothing in a quote is read as markup.
    function markParts(element, parts, limit) {
      var left = limit;
      for (var i = 0; i < parts.length && left > 0; i++) {
        var chars = Array.from(parts[i][0]);
        var piece = chars.slice(0, left).join("");
        left -= chars.length;
        if (left < 0) piece += "…";
        var node = parts[i][1] ? document.createElement("mark") : null;
        if (node) {
          node.textContent = piece;
          element.appendChild(node);
        } else {
          element.appendChild(document.createTextNode(piece));
        }
      }
    }

    function render(items) {
      results.textContent = "";
      if (!items.length) {
        var none = document.createElement("li");
        none.textContent = gettext("No claims match.");
        results.appendChild(none);
        return;
      }
      items.forEach(function (item) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "pick";
        button.setAttribute("data-claim-id", item.id);
        button.textContent = gettext("Use");
        var number = document.createElement("span");
        number.className = "claim-number";
        number.textContent = " #" + item.id + " ";
        var quote = document.createElement("span");
        markParts(quote, item.quote_parts || [[item.quote, false]], 80);
        var source = document.createElement("small");
        source.textContent = " — " + item.source;
        li.append(button, number, quote, source);
        results.appendChild(li);
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (!text) {
        results.textContent = "";
        return;
      }
      timer = setTimeout(function () {
        var request = ++latest;
        var url = input.getAttribute("data-lookup-url") + "?q=" + encodeURIComponent(text) +
          "&exclude=" + encodeURIComponent(input.getAttribute("data-exclude") || "");
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (data) { if (request === latest) render(data.results || []); })
          .catch(function () {});
      }, 250);
    });
    // With the list filled as one types, Enter in the box should not leave the page.
    input.form.addEventListener("submit", function (event) {
      event.preventDefault();
      input.dispatchEvent(new Event("input"));
    });
  }

  // The claim form: as the quote changes, ask the server for the figure it states (the one
  // parser, claims.figures) and fill the figure fields the editor has not typed in.
  function setUpFigureProposal() {
    var form = document.getElementById("claim-form");
    var quote = document.getElementById("id_quote");
    if (!form || !quote) return;
    var url = form.getAttribute("data-figure-proposal-url");
    var flag = document.getElementById("id_figure_proposed");
    var note = document.getElementById("figure-proposal-note");
    var names = ["figure_text", "value", "value_lower", "value_upper", "hedge", "unit", "period_start", "period_end"];
    var proposed = {};
    var timer = null;
    var latest = 0;

    function field(name) { return document.getElementById("id_" + name); }

    // A new claim's form opens with what was proposed from a selected quote, or empty.
    if (form.getAttribute("data-proposed-initially")) {
      names.concat(["attributed_to"]).forEach(function (name) {
        if (field(name)) proposed[name] = field(name).value;
      });
    }

    // A field still holding what was proposed (or nothing) follows the quote; one the
    // editor typed in is left alone.
    function untouched(name) {
      var input = field(name);
      return input && (input.value === "" || input.value === proposed[name]);
    }

    function apply(data) {
      var figure = data.figure || {};
      var filled = false;
      names.concat(["attributed_to"]).forEach(function (name) {
        var value = name === "attributed_to" ? (data.attributed_to || "") : (figure[name] || "");
        if (!untouched(name)) return;
        field(name).value = value;
        proposed[name] = value;
        if (value) filled = true;
      });
      if (filled && flag) flag.value = "True";
      if (note) note.textContent = filled ? gettext("Read from the quote: check each field before saving.") : "";
    }

    var start = document.getElementById("id_start");
    var startQuote = quote.defaultValue;

    quote.addEventListener("input", function () {
      // The offset was where the words first selected stand; other words are found anew.
      if (start && quote.value !== startQuote) start.value = "";
      clearTimeout(timer);
      timer = setTimeout(function () {
        var request = ++latest;
        fetch(url + "?quote=" + encodeURIComponent(quote.value), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) { if (data && request === latest) apply(data); })
          .catch(function () {});
      }, 300);
    });
    // Words typed before this script ran (it runs after the page's catalogue of translated
    // strings arrives) are read as soon as it runs.
    if (quote.value !== quote.defaultValue) quote.dispatchEvent(new Event("input"));
  }

  // Filter boxes over long lists (sources, outlets, cited origins) suggest values as one
  // types, from the lookup their data-lookup attribute names; typed as is, a value works too.
  function setUpLookupInputs() {
    document.querySelectorAll("input[data-lookup]").forEach(function (input) {
      var list = document.getElementById(input.getAttribute("list"));
      if (!list) return;
      var timer = null;
      var latest = 0;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        var text = input.value.trim();
        if (!text) return;
        timer = setTimeout(function () {
          var request = ++latest;
          var url = input.getAttribute("data-lookup") + "?q=" + encodeURIComponent(text);
          fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
            .then(function (response) { return response.json(); })
            .then(function (data) {
              if (request !== latest) return;
              list.textContent = "";
              (data.results || []).forEach(function (item) {
                var option = document.createElement("option");
                option.value = item.value;
                option.textContent = item.label;
                list.appendChild(option);
              });
            })
            .catch(function () {});
        }, 200);
      });
    });
  }

  // On a phone the long filter form starts folded, so the results come first.
  function foldFiltersOnNarrowScreens() {
    var panel = document.querySelector("details.filter-panel");
    if (panel && window.matchMedia("(max-width: 60rem)").matches && !document.querySelector(".filters .error")) {
      panel.open = false;
    }
  }

  // The language switcher submits itself once a language is picked; its button stays for
  // readers without scripts.
  function submitLanguageOnChange() {
    document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
      var button = select.form.querySelector("button[type=submit]");
      if (button) button.hidden = true;
    });
  }

  // Choosing a reading script shows the page in it at once; without JavaScript, the button does.
  function setUpReadingSwitcher() {
    var form = document.querySelector("form.reading-switcher");
    if (!form) return;
    var select = form.querySelector("select");
    select.addEventListener("change", function () { form.submit(); });
    // Beside the language switcher, which also sends itself, neither keeps its button.
    var button = form.querySelector("button[type=submit]");
    if (button) button.hidden = true;
  }

  // An "all on this page" box ticks or clears the boxes of its class; without JavaScript
  // it still works, since it carries the page's ids itself. Clearing one box clears it, so
  // that the claims left unticked are not sent with it.
  function setUpSelectAll() {
    document.querySelectorAll("input[data-select-all]").forEach(function (all) {
      var boxes = document.querySelectorAll("input." + all.dataset.selectAll);
      all.addEventListener("change", function () {
        boxes.forEach(function (box) {
          box.checked = all.checked;
        });
      });
      boxes.forEach(function (box) {
        box.addEventListener("change", function () {
          var every = Array.prototype.every.call(boxes, function (b) { return b.checked; });
          all.checked = every;
        });
      });
    });
  }

  // A claim's suggested cross-references take longer to work out than the rest of its page,
  // so the page comes first and the panel after it; without scripts, the placeholder's link
  // shows them on a page of their own.
  function loadSuggestionsPanel() {
    var placeholder = document.querySelector("[data-panel-url]");
    if (!placeholder) return;
    fetch(placeholder.dataset.panelUrl, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.statusText);
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var panel = holder.querySelector("#suggestions");
        if (!panel) return;
        placeholder.replaceWith(panel);
        if (window.location.hash === "#suggestions") panel.scrollIntoView();
      })
      .catch(function () {
        // The link to the suggestions' own page stays.
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    loadSuggestionsPanel();
    submitLanguageOnChange();
    foldFiltersOnNarrowScreens();
    setUpReadingSwitcher();
    setUpSelectAll();
    setUpSelectionToClaim();
    setUpArticleLinks();
    setUpClaimLookup();
    setUpFigureProposal();
    setUpLookupInputs();
  });
})();
