/* Gazette search: full-text search in the browser, no server.
 *
 * The index (search-index.js, written by the build) is loaded on demand with
 * a <script> tag, which also works from file://, and sets
 * window.GAZETTE_SEARCH. Each record's text, which the snippets quote, is in
 * text files of a few records each (search/text-0.js, …), loaded the same
 * way only for the results shown; they fill window.GAZETTE_TEXT. The format
 * is described in docs/search.md. Tokenizing must match
 * src/render/search/words.rs; the tests run both.
 *
 * The pure functions (fold, scan, groups, words, tokenize, decodeList, open)
 * run in Node for the tests; the page wiring below them runs only where
 * there is a document. Plain ES2017, no dependencies. */
(function () {
  'use strict';

  const LIMIT = 20; // results shown
  const PREFIX_TERMS = 100; // most index terms a partial last word expands to
  const SNIPPET = 160; // characters of a snippet, about
  const MAX_TOKEN_CHARS = 40;
  const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  const VALUE = {};
  for (let i = 0; i < DIGITS.length; i++) VALUE[DIGITS[i]] = i;

  // Letters that do not decompose but that readers type plainly.
  const EXTRA = { 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'þ': 'th', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'ı': 'i', 'ħ': 'h', 'ŧ': 't', 'ς': 'σ' };
  const FOLDED = /[\u00c0-\u024f\u1e00-\u1eff\u03c2]/g;
  const MARKS = /[\u0300-\u036f]/g;
  // Dropped: combining marks, and the soft hyphen (it only marks where a line may break).
  const DROPPED = /[\u0300-\u036f\u00ad]/g;
  // Word characters after folding; the same class as is_word_char in src/render/search/words.rs.
  const WORD = '0-9a-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u1fff\\u2c00-\\u2dff\\u2e80-\\u2fff' +
    '\\u3040-\\ud7ff\\uf900-\\ufe0f\\ufe20-\\ufe2f\\ufe70-\\ufefe\\uff10-\\uff19\\uff21-\\uff3a' +
    '\\uff41-\\uff5a\\uff66-\\uffef\\u{10000}-\\u{1efff}\\u{1fb00}-\\u{10ffff}';
  const IS_WORD = new RegExp('^[' + WORD + ']$', 'u');
  const ENDS_IN_WORD = new RegExp('[' + WORD + ']$', 'u');
  // As GROUP_SEPARATORS, DECIMAL_MARKS and HYPHENS in words.rs.
  const GROUP = [',', '.', ' ', '\u00a0', '\u202f'];
  const DECIMAL = ['.', ','];
  const HYPHENS = ['-', '\u2010', '\u2011'];

  /** One character folded: lowercase, Latin diacritics off. */
  function foldChar(ch) {
    if (ch < '\u0080') return ch.toLowerCase();
    return ch.toLowerCase()
      .replace(FOLDED, (c) => {
        const base = c.normalize('NFD').replace(MARKS, '');
        return EXTRA[base] || base;
      })
      .replace(DROPPED, '');
  }

  /** Lowercase and fold Latin diacritics: "Tomás" → "tomas"; Cyrillic stays. */
  function fold(text) {
    let out = '';
    for (const ch of text.normalize('NFC')) out += foldChar(ch);
    return out;
  }

  const isDigits = (w) => /^[0-9]+$/.test(w);

  /** True for one folded character that is part of a word. */
  function isWord(c) {
    const code = c.charCodeAt(0);
    if (code < 0x80) return (code >= 48 && code <= 57) || (code >= 97 && code <= 122);
    return IS_WORD.test(c);
  }

  /**
   * The words of a text in groups, each word with where it stands in the
   * text: [[{w, s, e}], …]. A group is one word, or the parts of a
   * hyphenated compound. A number grouped in threes is one word without its
   * separators ("5,500,000" → "5500000"), and a fraction of zeros after it
   * is dropped. The text is taken as it is (no normalization), so offsets
   * are into it.
   */
  function scan(text) {
    // Folded characters, each with the span of the text it came from.
    const chars = [];
    const from = [];
    const to = [];
    for (let i = 0; i < text.length;) {
      const code = text.charCodeAt(i);
      if (code < 0x80) {
        chars.push(code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : text[i]);
        from.push(i);
        to.push(++i);
        continue;
      }
      const ch = String.fromCodePoint(text.codePointAt(i));
      for (const c of foldChar(ch)) {
        chars.push(c);
        from.push(i);
        to.push(i + ch.length);
      }
      i += ch.length;
    }
    const runs = [];
    let start = -1;
    for (let i = 0; i <= chars.length; i++) {
      const word = i < chars.length && isWord(chars[i]);
      if (word && start < 0) start = i;
      else if (!word && start >= 0) {
        runs.push([start, i, chars.slice(start, i).join('')]);
        start = -1;
      }
    }
    // The run at i if it follows end after exactly one character.
    const next = (i, end) => (i < runs.length && runs[i][0] === end + 1 ? runs[i] : null);
    const tokens = [];
    for (let i = 0; i < runs.length;) {
      let [s, e, w] = runs[i++];
      const digits = isDigits(w);
      if (digits) {
        let sep = null;
        let r;
        if (w.length <= 3) {
          while ((r = next(i, e)) && r[2].length === 3 && isDigits(r[2]) &&
            GROUP.includes(chars[e]) && (sep === null || sep === chars[e])) {
            sep = chars[e];
            w += r[2];
            e = r[1];
            i++;
          }
        }
        if ((r = next(i, e)) && DECIMAL.includes(chars[e]) && chars[e] !== sep && /^0+$/.test(r[2])) {
          e = r[1];
          i++;
        }
      }
      tokens.push({ w, s, e, digits });
    }
    const out = [];
    let last = null;
    for (const t of tokens) {
      const part = { w: t.w, s: from[t.s], e: to[t.e - 1] };
      if (last && t.s === last.e + 1 && HYPHENS.includes(chars[last.e]) && !(last.digits && t.digits)) {
        out[out.length - 1].push(part);
      } else {
        out.push([part]);
      }
      last = t;
    }
    return out;
  }

  /** Folded words in groups (a compound's parts together), as words.rs `groups`. */
  function groups(text) {
    return scan(text.normalize('NFC')).map((g) => g.map((p) => p.w));
  }

  /** Folded words: each group's parts, then a compound's parts joined. */
  function words(text) {
    const out = [];
    for (const g of groups(text)) {
      out.push(...g);
      if (g.length > 1) out.push(g.join(''));
    }
    return out;
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

  /** Records in both, scores added. */
  function both(a, b) {
    const out = new Map();
    a.forEach((s, d) => {
      if (b.has(d)) out.set(d, s + b.get(d));
    });
    return out;
  }

  /**
   * A searcher over a loaded index: { search(query, limit), segments(text,
   * query), snippet(text, query, size), textFile(doc) }.
   */
  function open(index) {
    const n = index.docs.length;
    const stop = new Set(index.stop);
    const cache = new Map();
    const useful = (w) => keep(w) && !stop.has(w);

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

    // The query as groups: { parts: [[word, partial]], joined, partial }, the
    // words that cannot match (stop words, single letters) left out.
    function parse(query) {
      const gs = groups(query);
      const partialLast = ENDS_IN_WORD.test(fold(query));
      const out = [];
      gs.forEach((g, i) => {
        const partial = partialLast && i === gs.length - 1;
        const parts = g.map((w, k) => [w, partial && k === g.length - 1]).filter(([w]) => useful(w));
        const joined = g.length > 1 && useful(g.join('')) ? g.join('') : null;
        if (parts.length || joined) out.push({ parts, joined, partial });
      });
      return out;
    }

    // Record → score for one query group. A compound matches its parts
    // joined ("multidisciplinary") or all its parts, whichever scores more.
    function matchGroup(g) {
      let parts = null;
      for (const [w, partial] of g.parts) {
        const m = match(w, partial);
        parts = parts === null ? m : both(parts, m);
      }
      if (parts && g.parts.length > 1) parts.forEach((s, d) => parts.set(d, s / g.parts.length));
      if (!g.joined) return parts;
      const whole = match(g.joined, g.partial);
      if (parts) {
        parts.forEach((s, d) => {
          if (!(whole.get(d) >= s)) whole.set(d, s);
        });
      }
      return whole;
    }

    function search(query, limit) {
      let scores = null;
      for (const g of parse(query)) {
        const m = matchGroup(g);
        scores = scores === null ? m : both(scores, m);
        if (scores.size === 0) break;
      }
      const ranked = [...(scores || [])].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      return {
        total: ranked.length,
        results: ranked.slice(0, limit).map(([d]) => {
          const [k, path, title, date] = index.docs[d];
          return { doc: d, kind: index.kinds[k][0], label: index.kinds[k][1], path, title, date };
        }),
      };
    }

    // Where the query matches in a text: [[start, end, term]], in order, and
    // the query's terms: [word, partial, group, weight]. A compound query
    // word's parts weigh a share of it; a compound in the text is marked
    // whole when the query has it joined.
    function marks(text, query) {
      const terms = [];
      parse(query).forEach((g, i) => {
        const share = g.joined || g.parts.length > 1 ? 1 / Math.max(1, g.parts.length) : 1;
        for (const [w, partial] of g.parts) terms.push([w, partial, i, share]);
        if (g.joined) terms.push([g.joined, g.partial, i, 1]);
      });
      const hit = (w) => terms.findIndex(([t, partial]) => w === t || (partial && w.startsWith(t)));
      const out = [];
      if (!terms.length) return { out, terms };
      for (const g of scan(text)) {
        const i = g.length > 1 ? hit(g.map((p) => p.w).join('')) : -1;
        if (i >= 0) {
          out.push([g[0].s, g[g.length - 1].e, i]);
          continue;
        }
        for (const p of g) {
          const j = hit(p.w);
          if (j >= 0) out.push([p.s, p.e, j]);
        }
      }
      return { out, terms };
    }

    // How much of the query the marks ms[i, j) show: per query word, the
    // weights of its distinct terms there, at most 1.
    function coverage(ms, i, j, terms) {
      const seen = new Set();
      const per = new Map();
      for (let k = i; k < j; k++) {
        const t = ms[k][2];
        if (seen.has(t)) continue;
        seen.add(t);
        const [, , g, weight] = terms[t];
        per.set(g, Math.min(1, (per.get(g) || 0) + weight));
      }
      let sum = 0;
      per.forEach((v) => (sum += v));
      return sum;
    }

    // text[start, end) as [[text, marked]], with the marks in it.
    function cut(text, ms, start, end) {
      const out = [];
      let at = start;
      for (const [s, e] of ms) {
        if (s < start || e > end) continue;
        if (s > at) out.push([text.slice(at, s), false]);
        out.push([text.slice(s, e), true]);
        at = e;
      }
      if (end > at) out.push([text.slice(at, end), false]);
      return out;
    }

    /** A text (a title) as [[text, marked]], the words the query matches marked. */
    function segments(text, query) {
      return cut(text, marks(text, query).out, 0, text.length);
    }

    /**
     * The passage of a record's text that best shows the query: about `size`
     * characters of one line of the text holding the most query words, as
     * [[text, marked]], "…" where it is cut. Without a match, the start of
     * the text.
     */
    function snippet(text, query, size) {
      size = size || SNIPPET;
      const { out: ms, terms } = marks(text, query);
      let best = null;
      for (let ps = 0; ps <= text.length;) {
        let pe = text.indexOf('\n', ps);
        if (pe < 0) pe = text.length;
        const here = ms.filter(([s]) => s >= ps && s < pe);
        for (let i = 0; i < here.length; i++) {
          let j = i + 1; // at least one mark, even one longer than the snippet
          while (j < here.length && here[j][1] - here[i][0] <= size) j++;
          const score = coverage(here, i, j, terms) * 1000 + (j - i);
          if (!best || score > best.score) best = { score, ps, pe, first: here[i][0], last: here[j - 1][1], here };
        }
        ps = pe + 1;
      }
      if (!best) {
        const all = text.replace(/\n/g, ' · ');
        if (all.length <= size) return all ? [[all, false]] : [];
        const end = all.lastIndexOf(' ', size);
        return [[all.slice(0, end > 0 ? end : size), false], ['…', false]];
      }
      const { ps, pe, first, last } = best;
      const room = Math.max(0, size - (last - first));
      let start = Math.max(ps, first - Math.floor(room / 3));
      let end = Math.min(pe, Math.max(last, start + size));
      start = Math.max(ps, Math.min(start, end - size));
      // Whole words at the ends, and never half a surrogate pair.
      if (start > ps && text[start - 1] !== ' ') {
        const sp = text.indexOf(' ', start);
        if (sp >= 0 && sp < first) start = sp + 1;
      }
      if (end < pe && text[end] !== ' ') {
        const sp = text.lastIndexOf(' ', end);
        if (sp >= last) end = sp;
      }
      if (/[\udc00-\udfff]/.test(text[start] || '')) start++;
      if (/[\ud800-\udbff]/.test(text[end - 1] || '')) end--;
      const out = cut(text, best.here, start, end);
      if (start > ps) out.unshift(['…', false]);
      if (end < pe) out.push(['…', false]);
      return out;
    }

    /** Where record d's text is: [path from the root, file number, place in it]. */
    function textFile(d) {
      const k = Math.floor(d / index.text.per_file);
      return [index.text.path + k + '.js', k, d % index.text.per_file];
    }

    return { search, segments, snippet, textFile };
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = { fold, scan, groups, words, tokenize, decodeList, open };
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
  const textFiles = new Map(); // file number → Promise of its texts

  // Add a script; resolves when it has run.
  function script(src) {
    return new Promise((resolve, reject) => {
      const el = document.createElement('script');
      el.src = src;
      el.onload = resolve;
      el.onerror = () => reject(new Error('cannot load ' + src));
      document.head.appendChild(el);
    });
  }

  function load() {
    if (!loading) {
      loading = (window.GAZETTE_SEARCH ? Promise.resolve() : script(form.dataset.index)).then(() => {
        if (!window.GAZETTE_SEARCH) throw new Error('empty index');
        return open(window.GAZETTE_SEARCH);
      });
      loading.catch(() => {
        loading = null; // try again on the next keystroke
      });
    }
    return loading;
  }

  // Record d's text, from its text file (loaded once).
  function text(searcher, d) {
    const [path, k, at] = searcher.textFile(d);
    let file = textFiles.get(k);
    if (!file) {
      file = script(form.dataset.root + path).then(() => (window.GAZETTE_TEXT || {})[k] || []);
      textFiles.set(k, file);
      file.catch(() => textFiles.delete(k)); // try again next time
    }
    return file.then((texts) => texts[at] || '');
  }

  // Put [[text, marked]] into el: marked words in <mark>, all as text nodes.
  function fill(el, segments) {
    el.textContent = '';
    for (const [t, marked] of segments) {
      if (marked) {
        const m = document.createElement('mark');
        m.textContent = t;
        el.appendChild(m);
      } else {
        el.appendChild(document.createTextNode(t));
      }
    }
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

  function render(q, query, found, searcher, mine) {
    results.textContent = '';
    for (const r of found.results) {
      const li = document.createElement('li');
      li.className = 'search__result';
      const a = document.createElement('a');
      a.href = form.dataset.root + r.path;
      fill(a, searcher.segments(r.title, query));
      const meta = document.createElement('span');
      meta.className = 'search__meta';
      meta.textContent = r.date ? r.label + ' · ' + r.date : r.label;
      const p = document.createElement('span');
      p.className = 'search__snippet';
      li.append(a, ' ', meta, ' ', p);
      results.appendChild(li);
      // The passage that matched, once the record's text is here.
      text(searcher, r.doc).then((t) => {
        if (mine === latest) fill(p, searcher.snippet(t, query));
      }, () => {});
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
    if (mine === latest) render(q, query, searcher.search(query, LIMIT), searcher, mine);
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
