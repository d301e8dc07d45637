/* Gazette search: full-text search in the browser, no server.
 *
 * The index (search-index.js, written by the build) is loaded on demand with
 * a <script> tag, which also works from file://, and sets
 * window.GAZETTE_SEARCH. Its format is described in docs/search.md.
 * Tokenizing must match src/render/search/words.rs; the tests run both.
 *
 * The pure functions (fold, words, tokenize, decodeList, open) run in Node
 * for the tests; the page wiring below them runs only where there is a
 * document. Plain ES2017, no dependencies. */
(function () {
  'use strict';

  const LIMIT = 20; // results shown
  const PREFIX_TERMS = 100; // most index terms a partial last word expands to
  const MAX_TOKEN_CHARS = 40;
  const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  const VALUE = {};
  for (let i = 0; i < DIGITS.length; i++) VALUE[DIGITS[i]] = i;

  // Letters that do not decompose but that readers type plainly.
  const EXTRA = { 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'þ': 'th', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'ı': 'i', 'ħ': 'h', 'ŧ': 't', 'ς': 'σ' };
  const FOLDED = /[\u00c0-\u024f\u1e00-\u1eff\u03c2]/g;
  const MARKS = /[\u0300-\u036f]/g;
  // Word characters after folding; the same class as is_word_char in src/render/search/words.rs.
  const WORD = '0-9a-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u1fff\\u2c00-\\u2dff\\u2e80-\\u2fff' +
    '\\u3040-\\ud7ff\\uf900-\\ufe0f\\ufe20-\\ufe2f\\ufe70-\\ufefe\\uff10-\\uff19\\uff21-\\uff3a' +
    '\\uff41-\\uff5a\\uff66-\\uffef\\u{10000}-\\u{1efff}\\u{1fb00}-\\u{10ffff}';
  const SEPARATORS = new RegExp('[^' + WORD + ']+', 'u');
  const ENDS_IN_WORD = new RegExp('[' + WORD + ']$', 'u');

  /** Lowercase and fold Latin diacritics: "Tomás" → "tomas"; Cyrillic stays. */
  function fold(text) {
    return text.normalize('NFC').toLowerCase()
      .replace(FOLDED, (c) => {
        const base = c.normalize('NFD').replace(MARKS, '');
        return EXTRA[base] || base;
      })
      .replace(MARKS, '');
  }

  /** Folded words; a comma between digits joins them ("500,000"). */
  function words(text) {
    return fold(text).replace(/(\d),(?=\d)/g, '$1').split(SEPARATORS).filter((w) => w !== '');
  }

  /** True for a word worth looking up (stop words are checked separately). */
  function keep(word) {
    const n = [...word].length;
    return n <= MAX_TOKEN_CHARS && (n >= 2 || /^[0-9]$/.test(word));
  }

  /** Indexed terms of a text, as the build makes them (stop words aside). */
  function tokenize(text) {
    return words(text).filter(keep);
  }

  /** Record numbers of one posting list; "!" lists the records NOT in it. */
  function decodeList(list, n) {
    const complement = list[0] === '!';
    const ids = [];
    let value = 0;
    let last = -1;
    for (let i = complement ? 1 : 0; i < list.length; i++) {
      const v = VALUE[list[i]];
      value = value * 32 + (v & 31);
      if (v < 32) {
        last += value + 1;
        ids.push(last);
        value = 0;
      }
    }
    if (!complement) return ids;
    const rest = [];
    for (let d = 0, j = 0; d < n; d++) {
      if (ids[j] === d) j++;
      else rest.push(d);
    }
    return rest;
  }

  /** A searcher over a loaded index: { search(query, limit) }. */
  function open(index) {
    const n = index.docs.length;
    const stop = new Set(index.stop);
    const cache = new Map();

    // Record → weight of the best field the term is in.
    function postings(t) {
      let found = cache.get(t);
      if (!found) {
        found = new Map();
        index.postings[t].split(',').forEach((list, field) => {
          for (const d of decodeList(list, n)) {
            if (!found.has(d)) found.set(d, index.weights[field]);
          }
        });
        cache.set(t, found);
      }
      return found;
    }

    // First term >= word (terms are sorted in JavaScript string order).
    function lowerBound(word) {
      let lo = 0;
      let hi = index.terms.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (index.terms[mid] < word) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }

    // Record → score for one query word; a partial word also matches longer terms.
    function match(word, partial) {
      const scores = new Map();
      const add = (t, factor) => {
        const p = postings(t);
        const idf = Math.log(1 + n / p.size);
        p.forEach((weight, d) => {
          const s = weight * idf * factor;
          if (!(scores.get(d) >= s)) scores.set(d, s);
        });
      };
      let t = lowerBound(word);
      if (index.terms[t] === word) add(t++, 1);
      for (let k = 0; partial && k < PREFIX_TERMS && t < index.terms.length && index.terms[t].startsWith(word); k++) {
        add(t++, 0.5);
      }
      return scores;
    }

    function search(query, limit) {
      const all = words(query);
      const partial = ENDS_IN_WORD.test(fold(query)) ? all.length - 1 : -1;
      const parts = [];
      all.forEach((w, i) => {
        if (keep(w) && !stop.has(w)) parts.push([w, i === partial]);
      });
      let scores = null;
      for (const [w, isPartial] of parts) {
        const m = match(w, isPartial);
        if (scores === null) {
          scores = m;
        } else {
          const both = new Map();
          scores.forEach((s, d) => {
            if (m.has(d)) both.set(d, s + m.get(d));
          });
          scores = both;
        }
        if (scores.size === 0) break;
      }
      const ranked = [...(scores || [])].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      return {
        total: ranked.length,
        results: ranked.slice(0, limit).map(([d]) => {
          const [k, path, title, date, snippet] = index.docs[d];
          return { kind: index.kinds[k][0], label: index.kinds[k][1], path, title, date, snippet };
        }),
      };
    }

    return { search };
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = { fold, words, tokenize, decodeList, open };
  }
  if (typeof document === 'undefined') return;

  // ---- The page --------------------------------------------------------
  const form = document.querySelector('form[data-index]');
  const input = document.getElementById('search-input');
  const results = document.getElementById('search-results');
  const status = document.getElementById('search-status');
  if (!form || !input || !results || !status) return;
  const panel = document.getElementById('search-panel'); // absent on the search page
  const onSearchPage = !form.contains(results);
  let loading = null;
  let timer = 0;
  let latest = 0;

  function load() {
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        if (window.GAZETTE_SEARCH) return resolve(open(window.GAZETTE_SEARCH));
        const script = document.createElement('script');
        script.src = form.dataset.index;
        script.onload = () => (window.GAZETTE_SEARCH ? resolve(open(window.GAZETTE_SEARCH)) : reject(new Error('empty index')));
        script.onerror = () => reject(new Error('cannot load ' + script.src));
        document.head.appendChild(script);
      });
      loading.catch(() => {
        loading = null; // try again on the next keystroke
      });
    }
    return loading;
  }

  function message(key, q, n, shown) {
    // Replacer functions, so "$&" in a query is not a replacement pattern.
    return (form.dataset[key] || '').replace('{q}', () => q).replace('{n}', () => n).replace('{shown}', () => shown);
  }

  function show(visible) {
    if (panel) panel.hidden = !visible;
  }

  function clear() {
    latest++;
    results.textContent = '';
    status.textContent = '';
    show(false);
  }

  function render(q, found) {
    results.textContent = '';
    for (const r of found.results) {
      const li = document.createElement('li');
      li.className = 'search__result';
      const a = document.createElement('a');
      a.href = form.dataset.root + r.path;
      a.textContent = r.title;
      const meta = document.createElement('span');
      meta.className = 'search__meta';
      meta.textContent = r.date ? r.label + ' · ' + r.date : r.label;
      li.append(a, ' ', meta);
      if (r.snippet) {
        const p = document.createElement('span');
        p.className = 'search__snippet';
        p.textContent = r.snippet;
        li.append(' ', p);
      }
      results.appendChild(li);
    }
    const shown = found.results.length;
    const key = found.total === 0 ? 'none' : found.total === 1 ? 'one' : found.total > shown ? 'more' : 'many';
    status.textContent = message(key, q, found.total, shown);
  }

  async function run() {
    const query = input.value;
    const q = query.trim();
    if (!q) return clear();
    const mine = ++latest;
    show(true);
    let searcher;
    try {
      searcher = await load();
    } catch (e) {
      if (mine === latest) status.textContent = form.dataset.error || '';
      return;
    }
    if (mine === latest) render(q, searcher.search(query, LIMIT));
  }

  function links() {
    return Array.from(results.querySelectorAll('a'));
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    if (input.value.trim()) show(true);
    timer = setTimeout(run, 150);
  });
  input.addEventListener('focus', () => {
    load().catch(() => {});
    if (input.value.trim() && results.firstChild) show(true);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && links().length) {
      e.preventDefault();
      show(true);
      links()[0].focus();
    } else if (e.key === 'Escape' && (input.value || (panel && !panel.hidden))) {
      e.preventDefault();
      input.value = '';
      clear();
    }
  });
  results.addEventListener('keydown', (e) => {
    const all = links();
    const i = all.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && i >= 0 && i + 1 < all.length) {
      e.preventDefault();
      all[i + 1].focus();
    } else if (e.key === 'ArrowUp' && i >= 0) {
      e.preventDefault();
      (i === 0 ? input : all[i - 1]).focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      input.value = '';
      clear();
      input.focus();
    }
  });
  // Close the panel when focus moves elsewhere with Tab, or on a click outside.
  form.addEventListener('focusout', (e) => {
    if (e.relatedTarget && !form.contains(e.relatedTarget)) show(false);
  });
  document.addEventListener('click', (e) => {
    if (!form.contains(e.target)) show(false);
  });

  if (onSearchPage) {
    const nojs = document.getElementById('search-nojs');
    if (nojs) nojs.hidden = true;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      run();
    });
    const q = new URLSearchParams(window.location.search).get('q');
    if (q) {
      input.value = q;
      run();
    }
  }
})();
