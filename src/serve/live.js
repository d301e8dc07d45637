// Gazette development server: live reload and the error overlay.
//
// Embedded in the binary and served only by `gazette serve` at
// /__gazette/live.js; the server adds it to HTML responses, so it never
// reaches output/ or a bundle. Text from the site (file names, messages,
// hints) is only ever set with textContent.
(function () {
  "use strict";

  var script = document.currentScript;
  var pageGeneration = script ? script.getAttribute("data-generation") : null;
  var scrollKey = "gazette-serve-scroll:" + location.pathname + location.search;

  // Keep the scroll position across a live reload: saved just before it,
  // restored once after (again on load, when images have their size).
  var saved = null;
  try {
    saved = sessionStorage.getItem(scrollKey);
    sessionStorage.removeItem(scrollKey);
  } catch (e) {
    saved = null;
  }
  if (saved !== null && isFinite(Number(saved))) {
    var y = Number(saved);
    var restore = function () {
      window.scrollTo(window.scrollX, y);
    };
    restore();
    if (document.readyState !== "complete") {
      window.addEventListener("load", restore, { once: true });
    }
  }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, String(window.scrollY));
    } catch (e) {
      // Private mode without storage: reload without keeping the position.
    }
    location.reload();
  }

  // The server sends the current generation on connect and each new one as
  // it is published; any generation other than the page's means the site
  // changed (or the server restarted) since the page was served.
  if (typeof EventSource === "function" && pageGeneration !== null) {
    var events = new EventSource("/__gazette/events");
    events.onmessage = function (event) {
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (String(message.generation) !== pageGeneration) {
        events.close();
        reload();
      }
    };
  }

  var CSS = [
    ":host { all: initial; }",
    ".backdrop { position: fixed; inset: 0; z-index: 2147483647; display: flex;",
    "  align-items: flex-start; justify-content: center; padding: 4vh 1rem;",
    "  background: rgba(20, 20, 20, 0.55); overflow: auto; box-sizing: border-box; }",
    ".panel { box-sizing: border-box; width: 100%; max-width: 52rem; background: #fff; color: #1b1b1b;",
    "  border-top: 6px solid #b50909; border-radius: 4px; padding: 1.25rem 1.5rem;",
    "  font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;",
    "  box-shadow: 0 8px 32px rgba(0, 0, 0, 0.35); }",
    ".top { display: flex; gap: 1rem; align-items: flex-start; justify-content: space-between; }",
    "h2 { margin: 0 0 0.25rem; font-size: 1.25rem; line-height: 1.3; color: #1b1b1b; }",
    ".note { margin: 0 0 1rem; color: #454545; }",
    "button { font: inherit; min-height: 44px; padding: 0.4rem 1rem; cursor: pointer;",
    "  border: 2px solid #1b1b1b; border-radius: 4px; background: #fff; color: #1b1b1b; }",
    "button:hover { background: #f0f0f0; }",
    "button:focus-visible { outline: 3px solid #2378c3; outline-offset: 2px; }",
    "ol { margin: 0; padding: 0; list-style: none; }",
    "li { margin: 0 0 0.75rem; padding: 0.6rem 0.9rem; border-left: 4px solid #b50909;",
    "  background: #fbeeee; overflow-wrap: anywhere; }",
    "li.warning { border-left-color: #8a5a00; background: #fdf5e6; }",
    ".where, .field { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;",
    "  font-size: 0.95em; }",
    ".where { font-weight: 700; }",
    ".severity { text-transform: uppercase; font-size: 0.8em; font-weight: 700;",
    "  letter-spacing: 0.04em; margin-right: 0.5em; color: #b50909; }",
    "li.warning .severity { color: #8a5a00; }",
    ".message { margin: 0.2rem 0 0; }",
    ".extra { margin: 0.2rem 0 0; color: #2e2e2e; }",
    ".label { font-weight: 700; }",
  ].join("\n");

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function labelled(className, label, value) {
    var line = element("p", "extra");
    line.appendChild(element("span", "label", label + ": "));
    line.appendChild(element("span", className, value));
    return line;
  }

  function where(d) {
    var text = String(d.file || "(site)");
    if (d.line) {
      text += ":" + d.line;
      if (d.column) text += ":" + d.column;
    }
    return text;
  }

  // The default theme's Content-Security-Policy refuses <style> elements;
  // a constructed stylesheet is not markup, so it applies all the same.
  function addStyles(root) {
    if (typeof CSSStyleSheet === "function" && "adoptedStyleSheets" in root) {
      try {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        root.adoptedStyleSheets = [sheet];
        return;
      } catch (e) {
        // An older browser: fall back to a <style> element.
      }
    }
    root.appendChild(element("style", null, CSS));
  }

  function showOverlay(diagnostics) {
    if (!Array.isArray(diagnostics) || diagnostics.length === 0) return;
    var previousFocus = document.activeElement;
    var host = element("div");
    host.setAttribute("data-gazette-overlay", "");
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    addStyles(root);

    var backdrop = element("div", "backdrop");
    var panel = element("section", "panel");
    panel.setAttribute("role", "alertdialog");
    panel.setAttribute("aria-modal", "true");
    panel.setAttribute("aria-labelledby", "gazette-overlay-title");
    panel.tabIndex = -1;

    var warnings = diagnostics.filter(function (d) {
      return d.severity === "warning";
    }).length;
    var errors = diagnostics.length - warnings;
    var counts = [];
    if (errors > 0) counts.push(errors + (errors === 1 ? " error" : " errors"));
    if (warnings > 0) counts.push(warnings + (warnings === 1 ? " warning" : " warnings"));
    var title = counts.join(" and ") + " in the site";
    var top = element("div", "top");
    var heading = element("h2", null, title);
    heading.id = "gazette-overlay-title";
    var close = element("button", null, "Dismiss");
    close.type = "button";
    top.appendChild(heading);
    top.appendChild(close);
    panel.appendChild(top);
    panel.appendChild(
      element(
        "p",
        "note",
        "Showing the last good build. The page reloads when the files are fixed."
      )
    );

    var list = element("ol");
    diagnostics.forEach(function (d) {
      var item = element("li", d.severity === "warning" ? "warning" : "error");
      var head = element("p", "message");
      head.appendChild(element("span", "severity", d.severity || "error"));
      head.appendChild(element("span", "where", where(d)));
      item.appendChild(head);
      if (d.field) item.appendChild(labelled("field", "field", d.field));
      item.appendChild(element("p", "message", d.message));
      if (d.expected) item.appendChild(labelled("", "expected", d.expected));
      if (d.hint) item.appendChild(labelled("", "hint", d.hint));
      list.appendChild(item);
    });
    panel.appendChild(list);
    backdrop.appendChild(panel);
    root.appendChild(backdrop);

    function dismiss() {
      document.removeEventListener("keydown", onKey, true);
      if (host.parentNode) host.parentNode.removeChild(host);
      if (previousFocus && previousFocus.focus) previousFocus.focus();
    }
    function onKey(event) {
      if (event.key === "Escape") dismiss();
    }
    close.addEventListener("click", dismiss);
    backdrop.addEventListener("click", function (event) {
      if (event.target === backdrop) dismiss();
    });
    document.addEventListener("keydown", onKey, true);

    document.body.appendChild(host);
    close.focus();
  }

  if (typeof fetch === "function") {
    fetch("/__gazette/errors.json", { cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(showOverlay)
      .catch(function () {
        // The server went away; the event stream will reconnect and reload.
      });
  }
})();
