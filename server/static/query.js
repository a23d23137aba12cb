// The query page: runs the query against /sparql and shows the results as a table.
// Plain browser JavaScript, no library and no network access beyond this server.
(function () {
  "use strict";
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const examples = document.getElementById("examples");
  const status = document.getElementById("status");
  const errorBox = document.getElementById("error");
  const results = document.getElementById("results");
  const downloads = document.getElementById("downloads");
  const endpoint = form.getAttribute("action");
  const base = window.UNKG_BASE || "";
  const prefixes = Object.entries(window.UNKG_PREFIXES || {})
    .filter(function (entry) { return entry[1] !== base; })
    .sort(function (a, b) { return b[1].length - a[1].length; });

  function shortName(iri) {
    // Instance IRIs as their path; vocabulary terms as prefixed names (unkg:Resolution).
    if (iri.startsWith(base) && !prefixes.some(function (e) { return iri.startsWith(e[1]); })) {
      return iri.slice(base.length);
    }
    const found = prefixes.find(function (entry) { return iri.startsWith(entry[1]); });
    return found ? found[0] + ":" + iri.slice(found[1].length) : iri;
  }

  function isGraphQuery(text) {
    // The first keyword after the prologue, ignoring comments, decides the query form.
    const stripped = text.replace(/#[^\n]*/g, " ")
      .replace(/(PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>)/gi, " ");
    const match = stripped.match(/\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i);
    return !!match && /CONSTRUCT|DESCRIBE/i.test(match[1]);
  }

  function localHref(iri) {
    return iri.startsWith(base) ? "/" + iri.slice(base.length) : iri;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = localHref(term.value);
      a.textContent = shortName(term.value);
      a.title = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.title = "@" + term["xml:lang"];
      else if (term.datatype) td.title = term.datatype;
      if (term.type === "bnode") td.className = "bnode";
    }
    return td;
  }

  function table(data) {
    const tableEl = document.createElement("table");
    tableEl.className = "results";
    const head = tableEl.createTHead().insertRow();
    if ("boolean" in data) {
      head.appendChild(document.createElement("th")).textContent = "answer";
      tableEl.createTBody().insertRow().appendChild(document.createElement("td")).textContent =
        String(data.boolean);
      return tableEl;
    }
    data.head.vars.forEach(function (name) {
      head.appendChild(document.createElement("th")).textContent = "?" + name;
    });
    const body = tableEl.createTBody();
    data.results.bindings.forEach(function (binding) {
      const row = body.insertRow();
      data.head.vars.forEach(function (name) { row.appendChild(cell(binding[name])); });
    });
    return tableEl;
  }

  function setDownloads(text) {
    const graph = isGraphQuery(text);
    document.getElementById("result-downloads").hidden = graph;
    document.getElementById("graph-downloads").hidden = !graph;
    downloads.querySelectorAll("a[data-format]").forEach(function (a) {
      a.href = endpoint + "?" + new URLSearchParams({query: text, format: a.dataset.format});
    });
    downloads.hidden = false;
  }

  async function run(event) {
    if (event) event.preventDefault();
    const text = editor.value;
    const graph = isGraphQuery(text);
    errorBox.hidden = true;
    results.textContent = "";
    status.textContent = "Running…";
    const started = performance.now();
    let response;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: {"Content-Type": "application/x-www-form-urlencoded",
                  "Accept": graph ? "text/turtle" : "application/sparql-results+json"},
        body: new URLSearchParams({query: text}),
      });
    } catch (failure) {
      status.textContent = "";
      errorBox.textContent = "The server could not be reached: " + failure;
      errorBox.hidden = false;
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const body = await response.text();
    if (!response.ok) {
      status.textContent = "";
      errorBox.textContent = body;
      errorBox.hidden = false;
      return;
    }
    setDownloads(text);
    const truncated = response.headers.get("X-Result-Truncated") === "true";
    const rows = response.headers.get("X-Result-Rows");
    let note = rows + (graph ? " triples" : " rows") + " in " + seconds + " s";
    if (truncated) note += " — cut at the limit of " + response.headers.get("X-Result-Limit");
    status.textContent = note;
    status.classList.toggle("truncated", truncated);
    if (graph) {
      const pre = document.createElement("pre");
      pre.className = "turtle";
      pre.textContent = body;
      results.appendChild(pre);
    } else {
      results.appendChild(table(JSON.parse(body)));
    }
  }

  examples.addEventListener("change", function () {
    const source = document.getElementById("example-" + examples.value);
    if (source) editor.value = source.value.trim() + "\n";
  });
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(event);
    if (event.key === "Tab") {  // indent instead of leaving the editor
      event.preventDefault();
      const start = editor.selectionStart;
      editor.setRangeText("  ", start, editor.selectionEnd, "end");
    }
  });
  form.addEventListener("submit", run);
})();
