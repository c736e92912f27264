// Client-side search over the index files Mujaz writes to search/ (see generator/search.py).
// searchTerms() mirrors generator/search.py rule for rule; tests/test_search.py runs both on the same words.
(() => {
  "use strict";

  const MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u00ad\u061c\u200b-\u200f\u2060\ufeff]/g;
  const FOLD = { "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ی": "ي", "ک": "ك", "ھ": "ه" };
  for (let i = 0; i < 10; i++) {
    FOLD[String.fromCharCode(0x660 + i)] = String(i);
    FOLD[String.fromCharCode(0x6f0 + i)] = String(i);
  }
  const FOLDS = new RegExp("[" + Object.keys(FOLD).join("") + "]", "g");
  const TOKEN = /[\u0621-\u064a]+|[a-z0-9]+/g;
  const ARTICLES = ["وال", "بال", "كال", "فال", "لل", "ال"];
  const SUFFIXES = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"];
  const SHOWN = 50;

  function lightStem(token) {
    if (token[0] >= "\u0621" && token[0] <= "\u064a") {
      if (token.length >= 4 && token[0] === "و") token = token.slice(1);
      for (const prefix of ARTICLES) {
        if (token.startsWith(prefix) && token.length - prefix.length >= 2) {
          token = token.slice(prefix.length);
          break;
        }
      }
      for (const suffix of SUFFIXES) {
        if (token.endsWith(suffix) && token.length - suffix.length >= 2) token = token.slice(0, -suffix.length);
      }
      return token;
    }
    if (token.length > 4 && token.endsWith("ies")) return token.slice(0, -3) + "y";
    if (token.length > 3 && token.endsWith("s") && !/(ss|us|is)$/.test(token)) return token.slice(0, -1);
    return token;
  }

  function searchTerms(text) {
    const folded = text.replace(MARKS, "").replace(FOLDS, (c) => FOLD[c]).toLowerCase();
    return (folded.match(TOKEN) || []).filter((t) => t.length > 1).map(lightStem);
  }

  const root = document.getElementById("search");
  if (!root) return;
  const input = document.getElementById("q");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const base = root.dataset.index;
  const bounds = root.dataset.bounds ? root.dataset.bounds.split(" ") : []; // each shard's first stem
  const chunkSize = Number(root.dataset.chunkSize);
  const digits = root.dataset.digits;
  const localDigits = (n) => String(n).replace(/[0-9]/g, (d) => digits[Number(d)]);
  const fetched = new Map();

  function load(file) {
    if (!fetched.has(file)) {
      fetched.set(file, fetch(base + file).then((r) => {
        if (!r.ok) throw new Error(file + ": " + r.status);
        return r.json();
      }));
    }
    return fetched.get(file);
  }

  // The shards that can hold `stem` (or, as a prefix, stems starting with it): shards are runs of sorted stems.
  function shardsFor(stem, asPrefix) {
    let low = 0;
    let high = bounds.length - 1;
    let last = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (bounds[middle] <= stem) {
        last = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    const found = last >= 0 ? [last] : [];
    for (let i = last + 1; asPrefix && i < bounds.length && bounds[i].startsWith(stem); i++) found.push(i);
    return found;
  }

  async function postings(stem, asPrefix) {
    const hits = new Map();
    for (const shard of shardsFor(stem, asPrefix)) {
      const terms = await load("terms-" + shard + ".json");
      const keys = asPrefix ? Object.keys(terms).filter((k) => k.startsWith(stem))
        : Object.prototype.hasOwnProperty.call(terms, stem) ? [stem] : [];
      for (const key of keys) {
        // Newest first: the first number is a doc id (counted from the oldest), each later one how far below it is.
        const flat = terms[key];
        let doc = 0;
        for (let i = 0; i < flat.length; i += 2) {
          doc = i === 0 ? flat[0] : doc - flat[i];
          hits.set(doc, Math.max(hits.get(doc) || 0, flat[i + 1]));
        }
      }
    }
    return hits;
  }

  window.mujazSearch = { searchTerms, postings }; // read by tests/test_search.py

  // Every word must match; the last one also as the start of a word while it is being typed.
  async function find(query) {
    const stems = [...new Set(searchTerms(query))];
    const typing = !/\s$/.test(query);
    let scores = null;
    for (const [i, stem] of stems.entries()) {
      const hits = await postings(stem, typing && i === stems.length - 1);
      if (scores === null) {
        scores = hits;
      } else {
        for (const [doc, score] of scores) {
          if (hits.has(doc)) scores.set(doc, score + hits.get(doc));
          else scores.delete(doc);
        }
      }
    }
    // Best first; among equals the newer article (a higher id: ids count from the oldest).
    return [...(scores || [])].sort((a, b) => b[1] - a[1] || b[0] - a[0]).map(([doc]) => doc);
  }

  function item([href, title, iso, date, summary]) {
    const li = document.createElement("li");
    const article = li.appendChild(document.createElement("article"));
    article.className = "teaser";
    const link = article.appendChild(document.createElement("h2")).appendChild(document.createElement("a"));
    link.href = href;
    link.appendChild(document.createElement("bdi")).textContent = title;
    const meta = article.appendChild(document.createElement("p"));
    meta.className = "meta";
    const time = meta.appendChild(document.createElement("time"));
    time.dateTime = iso;
    time.textContent = date;
    if (summary) {
      const p = article.appendChild(document.createElement("p"));
      p.className = "summary";
      p.textContent = summary;
    }
    return li;
  }

  let latest = 0;
  async function run(query) {
    const ticket = ++latest;
    if (!searchTerms(query).length) {
      list.replaceChildren();
      status.textContent = "";
      list.dataset.query = query;
      return;
    }
    try {
      const found = await find(query);
      const total = found.length;
      const docs = found.slice(0, SHOWN);
      const rows = await Promise.all(docs.map(async (doc) =>
        (await load("docs-" + Math.floor(doc / chunkSize) + ".json"))[doc % chunkSize]));
      if (ticket !== latest) return; // a newer query has been typed meanwhile
      list.replaceChildren(...rows.map(item));
      status.textContent = total ? root.dataset.count + ": " + localDigits(total) : root.dataset.none;
    } catch (error) {
      if (ticket === latest) status.textContent = root.dataset.error;
    }
    if (ticket === latest) list.dataset.query = query; // the results shown are this query's (tests wait for it)
  }

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const url = new URL(location.href);
      url.searchParams.set("q", input.value);
      history.replaceState(null, "", url);
      run(input.value);
    }, 120);
  });
  input.form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(input.value);
  });
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
})();
