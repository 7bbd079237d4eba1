// The search page: reads its state from the URL, asks the JSON API, and renders results, facets, chart and letters.
'use strict';

(() => {
  // ---- The URL is the state ---------------------------------------------------------------------
  // API parameters keep the API's names so a page URL and an API URL read the same; the page adds
  // only letter=, similar= and chart= for its own views.
  // The facets, filters and chart dimensions are the server's field registry, read from
  // GET /api/schema before the first render (useSchema): the page lists no field itself.
  let FACETS = [];  // { key: filter name, json: facet name in results, label, suggest: completed by /api/suggest }
  let FILTER_KEYS = ['q'];
  let SEARCH_KEYS = ['q', 'scope', 'sort', 'group', 'limit', 'offset'];
  let CHART_BY = [];  // stats dimensions; the first is the default chart
  const DEFAULT_LIMIT = 10;
  const CHART_ROWS = 12;

  const $ = (id) => document.getElementById(id);
  const state = () => new URLSearchParams(window.location.search);

  function pick(params, keys) {
    const out = new URLSearchParams();
    for (const [name, value] of params) if (keys.includes(name) && value !== '') out.append(name, value);
    return out;
  }

  function pageUrl(params) {
    const text = params.toString();
    return text ? '/?' + text : '/';
  }

  function navigate(params, options = {}) {
    const url = pageUrl(params);
    if (options.replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    render(options);
  }

  // A change of query or filters starts again at the first page and leaves any letter view.
  function withSearchChange(mutate) {
    const params = state();
    params.delete('offset');
    params.delete('letter');
    params.delete('similar');
    mutate(params);
    navigate(params);
  }

  // ---- Talking to the API -----------------------------------------------------------------------
  class ApiError extends Error {}

  async function api(path, params) {
    const query = params && params.toString();
    let response;
    try {
      response = await fetch(query ? path + '?' + query : path, { headers: { Accept: 'application/json' } });
    } catch (error) {
      throw new ApiError('The server cannot be reached. Is imr-search still running?');
    }
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    if (!response.ok) throw new ApiError((body && body.error) || 'The server answered ' + response.status + '.');
    return body;
  }

  function showMessage(text) {
    const box = $('message');
    box.textContent = text || '';
    box.hidden = !text;
  }

  // ---- Small DOM helpers ------------------------------------------------------------------------
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'text') node.textContent = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const number = (n) => Number(n).toLocaleString('en-US');

  function badge(decision) {
    const known = ['Upheld', 'Overturned'].includes(decision) ? decision : 'Unknown';
    return el('span', { class: 'badge badge-' + known.toLowerCase(), text: known });
  }

  // Links that the page handles itself, yet stay real links (open in a new tab, copy address).
  function internalLink(params, text, attributes = {}) {
    const link = el('a', { href: pageUrl(params), ...attributes }, text);
    link.addEventListener('click', (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(new URLSearchParams(params));
    });
    return link;
  }

  // ---- Rendering --------------------------------------------------------------------------------
  let renderSequence = 0;

  async function render(options = {}) {
    const sequence = ++renderSequence;
    const params = state();
    showMessage('');
    $('q').value = params.get('q') || '';
    const letter = params.get('letter');
    const similar = params.get('similar');
    $('search-view').hidden = Boolean(letter || similar);
    $('letter-view').hidden = !letter;
    $('similar-view').hidden = !similar || Boolean(letter);
    document.body.classList.toggle('reading', Boolean(letter || similar));  // no filters beside a letter
    for (const back of document.querySelectorAll('[data-back]')) {
      const backParams = pick(params, SEARCH_KEYS);
      if (params.get('chart')) backParams.set('chart', params.get('chart'));
      back.href = pageUrl(backParams);
    }
    try {
      if (letter) await renderLetter(sequence, letter, params, options);
      else if (similar) await renderSimilar(sequence, similar, params, options);
      else await renderSearch(sequence, params, options);
    } catch (error) {
      if (sequence !== renderSequence) return;
      showMessage(error instanceof ApiError ? error.message : 'Something went wrong: ' + error.message);
      document.body.classList.remove('loading');
    }
  }

  async function renderSearch(sequence, params, options) {
    const apiParams = pick(params, SEARCH_KEYS);
    const statsParams = pick(params, FILTER_KEYS);
    const chartBy = CHART_BY.includes(params.get('chart')) ? params.get('chart') : CHART_BY[0];
    statsParams.set('by', chartBy);
    document.body.classList.add('loading');
    $('hits').setAttribute('aria-busy', 'true');
    const [result, stats] = await Promise.all([
      api('/api/search', apiParams),
      api('/api/stats', statsParams).catch(() => null),  // the chart is a bonus; results still show
    ]);
    if (sequence !== renderSequence) return;
    document.body.classList.remove('loading');
    $('hits').removeAttribute('aria-busy');

    renderSummary(result, params);
    renderInterpretation(result);
    renderDidYouMean(result, params);
    renderFacets(result, params);
    renderHits($('hits'), result.hits, params, result.offset);
    renderPager(result, params);
    renderChart(stats, chartBy);
    $('sort').value = params.get('sort') || 'relevance';
    $('group').checked = params.get('group') === 'letter';
    $('scope').value = params.get('scope') === 'letter' ? 'letter' : 'determination';
    $('chart-by').value = chartBy;
    const csvParams = pick(params, SEARCH_KEYS);
    csvParams.delete('limit');
    csvParams.delete('offset');
    $('csv-link').href = '/api/search.csv' + (csvParams.toString() ? '?' + csvParams : '');
    if (options.focusResults) $('results-heading').focus();
  }

  function renderSummary(result, params) {
    const heading = $('results-heading');
    const grouped = params.get('group') === 'letter';
    const parts = [];
    if (result.total === 0) parts.push('No determinations found');
    else {
      parts.push(number(result.total) + (result.total === 1 ? ' determination' : ' determinations'));
      parts.push('in ' + number(result.total_letters) + (result.total_letters === 1 ? ' letter' : ' letters'));
    }
    heading.textContent = parts.join(' ');
    heading.append(el('span', { class: 'took', text: ' ' + Number(result.took_ms || 0).toFixed(1) + ' ms' }));
    if (grouped) heading.append(el('span', { class: 'took', text: ' · one per letter' }));
    document.title = (params.get('q') ? params.get('q') + ' – ' : '') + 'IMR Determinations Search';
  }

  // How the query was read, whenever a part of it could have been meant otherwise.
  function renderInterpretation(result) {
    const box = $('interpreted-as');
    box.replaceChildren();
    const notices = result.notices || [];
    if (!notices.length) {
      box.hidden = true;
      return;
    }
    box.append('Interpreted as ', el('code', { class: 'interpretation', text: result.interpreted_as }));
    const list = el('ul');
    for (const notice of notices) list.append(el('li', { text: notice }));
    box.append(list);
    box.hidden = false;
  }

  function renderDidYouMean(result, params) {
    const line = $('did-you-mean');
    line.replaceChildren();
    if (!result.suggestion) {
      line.hidden = true;
      return;
    }
    const suggested = pick(params, SEARCH_KEYS);
    suggested.set('q', result.suggestion);
    suggested.delete('offset');
    line.append('Did you mean ', internalLink(suggested, result.suggestion, { class: 'suggestion' }), '?');
    line.hidden = false;
  }

  // ---- Facets -----------------------------------------------------------------------------------
  const facetUi = new Map();  // facet key -> { open, filterText } kept across renders

  function renderFacets(result, params) {
    const container = $('facet-groups');
    // Keyboard users keep their place: the focused checkbox (or filter box) is found again by what it is.
    const active = document.activeElement;
    const focusedBox = active && active.dataset && active.dataset.facet ? { facet: active.dataset.facet, value: active.value } : null;
    const focusedId = active && active.id;
    container.replaceChildren();
    const facets = result.facets || {};
    let anySelected = false;
    for (const facet of FACETS) {
      const selected = params.getAll(facet.key).filter((v) => v !== '');
      if (selected.length) anySelected = true;
      const counts = (facets[facet.json] || []).slice();
      // The server lists every selected value with the count of results it gives (a brand such as
      // Norco too, which is none of the facet's values); this only covers an answer without facets.
      const present = new Set(counts.map((c) => String(c.value).toLowerCase()));
      for (const value of selected) if (!present.has(value.toLowerCase())) counts.push({ value, count: 0 });
      container.append(facetGroup(facet, counts, selected));
    }
    $('clear-filters').hidden = !anySelected;
    if (focusedBox) {
      const again = [...container.querySelectorAll('input[type=checkbox][data-facet]')]
        .find((box) => box.dataset.facet === focusedBox.facet && box.value === focusedBox.value);
      if (again) again.focus();
    } else if (focusedId && focusedId.startsWith('facet-filter-') && $(focusedId)) {
      $(focusedId).focus();
    }
  }

  function facetGroup(facet, counts, selected) {
    const ui = facetUi.get(facet.key) || { open: !narrowScreen() || selected.length > 0, filterText: '' };
    facetUi.set(facet.key, ui);
    const selectedLower = new Set(selected.map((v) => v.toLowerCase()));
    const list = el('ul', { class: 'facet-values', id: 'facet-list-' + facet.key });
    counts.forEach((entry, index) => {
      const value = String(entry.value);
      const id = 'facet-' + facet.key + '-' + index;
      const checkbox = el('input', {
        type: 'checkbox', id, value, checked: selectedLower.has(value.toLowerCase()),
        'data-facet': facet.key,
      });
      checkbox.addEventListener('change', () => toggleFilter(facet.key, value, checkbox.checked));
      list.append(el('li', { 'data-value': value.toLowerCase() },
        el('label', { for: id },
          checkbox,
          el('span', { class: 'facet-value', text: value || '(none)' }),
          el('span', { class: 'facet-count', text: number(entry.count) }))));
    });
    if (!counts.length) list.append(el('li', { class: 'facet-empty', text: 'No values' }));

    const body = el('div', { class: 'facet-body' });
    if (facet.suggest && (counts.length > 8 || ui.filterText)) {
      const filterId = 'facet-filter-' + facet.key;
      const input = el('input', {
        type: 'search', id: filterId, class: 'facet-filter', placeholder: 'Filter ' + facet.label.toLowerCase() + '…',
        autocomplete: 'off', 'aria-controls': list.id,
      });
      input.value = ui.filterText;
      input.addEventListener('input', () => {
        ui.filterText = input.value;
        applyFacetFilter(facet, list, input.value);
      });
      // Enter in the filter box must not submit anything or reload the page.
      input.addEventListener('keydown', (event) => { if (event.key === 'Enter') event.preventDefault(); });
      body.append(el('label', { for: filterId, class: 'visually-hidden', text: 'Filter ' + facet.label }), input);
      if (ui.filterText) applyFacetFilter(facet, list, ui.filterText);
    }
    body.append(list);
    const details = el('details', { class: 'facet', open: ui.open, 'data-facet': facet.key },
      el('summary', {},
        el('span', { text: facet.label }),
        selected.length ? el('span', { class: 'facet-selected', text: selected.length + ' selected' }) : null),
      body);
    details.addEventListener('toggle', () => { ui.open = details.open; });
    return details;
  }

  let suggestTimer = null;

  function applyFacetFilter(facet, list, text) {
    const needle = text.trim().toLowerCase();
    for (const item of list.querySelectorAll('li[data-value]')) {
      if (item.classList.contains('suggested')) item.remove();
      else item.hidden = Boolean(needle) && !item.dataset.value.includes(needle);
    }
    // Values beyond the top counts come from /api/suggest, so any drug or guideline can be chosen.
    clearTimeout(suggestTimer);
    if (!facet.suggest || needle.length < 2) return;
    suggestTimer = setTimeout(async () => {
      let answer;
      try {
        answer = await api('/api/suggest', new URLSearchParams({ field: facet.key, prefix: text.trim(), limit: '10' }));
      } catch (error) {
        return;
      }
      const shown = new Set([...list.querySelectorAll('li[data-value]')].map((li) => li.dataset.value));
      answer.values.forEach((value, index) => {
        if (shown.has(value.toLowerCase())) return;
        const id = 'facet-' + facet.key + '-suggested-' + index;
        const checkbox = el('input', { type: 'checkbox', id, value, 'data-facet': facet.key });
        checkbox.addEventListener('change', () => toggleFilter(facet.key, value, checkbox.checked));
        list.append(el('li', { class: 'suggested', 'data-value': value.toLowerCase() },
          el('label', { for: id }, checkbox, el('span', { class: 'facet-value', text: value }),
            el('span', { class: 'facet-count', text: '+' }))));
      });
    }, 200);
  }

  function toggleFilter(key, value, on) {
    withSearchChange((params) => {
      const others = params.getAll(key).filter((v) => v.toLowerCase() !== value.toLowerCase());
      params.delete(key);
      for (const v of others) params.append(key, v);
      if (on) params.append(key, value);
    });
  }

  const narrowScreen = () => window.matchMedia('(max-width: 760px)').matches;

  // ---- Hits -------------------------------------------------------------------------------------
  function renderHits(list, hits, params, offset) {
    list.replaceChildren();
    list.start = (offset || 0) + 1;
    const query = params.get('q') || '';
    for (const hit of hits) list.append(hitItem(hit, query, params));
    if (!hits.length) {
      list.append(el('li', { class: 'no-hits' },
        el('p', { text: 'Nothing matches. Try fewer words, remove a filter, or check the spelling.' })));
    }
  }

  function hitItem(hit, query, params) {
    const letterParams = pick(params, SEARCH_KEYS);
    letterParams.set('letter', hit.id);
    const similarParams = pick(params, SEARCH_KEYS);
    similarParams.set('similar', hit.id);
    const meta = el('ul', { class: 'hit-meta' });
    const add = (label, value) => {
      if (value) meta.append(el('li', {}, el('span', { class: 'meta-label', text: label + ' ' }), value));
    };
    if (hit.drug) add('Drug', hit.drug + (hit.drug_class ? ' (' + hit.drug_class + ')' : ''));
    else add('Category', hit.category);
    if (hit.original_request) add('Partly authorized', hit.original_request + ' requested; ' + hit.authorized + ' authorized');
    add('Basis', hit.basis);
    add('Case', hit.case_number);
    add('Decided', hit.decision_date);
    add('Reviewer', (hit.specialties || []).join(', '));
    const snippet = el('p', { class: 'snippet' });
    snippet.innerHTML = hit.snippet || '';  // already HTML-escaped by the engine, with <mark> around matches
    return el('li', { class: 'hit' },
      el('div', { class: 'hit-head' },
        badge(hit.decision),
        el('h3', { class: 'hit-title' }, internalLink(letterParams, hit.item || '(item not printed)'))),
      meta,
      hit.snippet ? snippet : null,
      el('div', { class: 'hit-actions' },
        (hit.guidelines || []).length ? el('span', { class: 'guidelines', text: hit.guidelines.join(' · ') }) : null,
        internalLink(similarParams, 'Similar letters', { class: 'similar-link' })));
  }

  function renderPager(result, params) {
    const pager = $('pager');
    pager.replaceChildren();
    const limit = Math.max(1, Number(params.get('limit')) || DEFAULT_LIMIT);
    const grouped = params.get('group') === 'letter';
    const total = grouped ? result.total_letters : result.total;
    const offset = result.offset || 0;
    if (total <= limit && offset === 0) return;
    const page = Math.floor(offset / limit) + 1;
    const pages = Math.max(1, Math.ceil(total / limit));
    const pageLink = (target, text, label) => {
      const p = pick(params, SEARCH_KEYS);
      if (params.get('chart')) p.set('chart', params.get('chart'));
      if (target > 1) p.set('offset', String((target - 1) * limit));
      else p.delete('offset');
      const link = internalLink(p, text, { 'aria-label': label });
      link.addEventListener('click', () => setTimeout(() => $('results-heading').focus(), 0));
      return link;
    };
    if (page > 1) pager.append(pageLink(page - 1, '← Previous', 'Previous page'));
    else pager.append(el('span', { class: 'pager-disabled', text: '← Previous' }));
    pager.append(el('span', { class: 'pager-status', text: 'Page ' + number(page) + ' of ' + number(pages) }));
    if (page < pages) pager.append(pageLink(page + 1, 'Next →', 'Next page'));
    else pager.append(el('span', { class: 'pager-disabled', text: 'Next →' }));
  }

  // ---- Overturn-rate chart (inline SVG) ---------------------------------------------------------
  const SVG = 'http://www.w3.org/2000/svg';

  function svg(tag, attributes = {}, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  let lastChart = null;  // redrawn at the new width when the window is resized

  function renderChart(stats, by) {
    lastChart = { stats, by };
    const box = $('chart');
    box.replaceChildren();
    let rows = stats && stats.rows ? stats.rows.filter((r) => r.upheld + r.overturned > 0) : [];
    if (!rows.length) {
      box.append(el('p', { class: 'chart-empty', text: 'No upheld or overturned decisions to chart.' }));
      return;
    }
    if (by === 'year') rows = rows.slice().sort((a, b) => String(a.value).localeCompare(String(b.value)));
    rows = rows.slice(0, CHART_ROWS);
    // Drawn at the panel's real width (one SVG unit = one CSS pixel) so text keeps its size on phones.
    const width = Math.max(280, Math.min(820, Math.floor(box.clientWidth || 600)));
    const narrow = width < 520;
    const labelWidth = narrow ? Math.round(width * 0.36) : 210;
    const valueWidth = narrow ? 96 : 110;
    const barWidth = width - labelWidth - valueWidth;
    const rowHeight = 26, top = 22;
    const height = top + rows.length * rowHeight + 4;
    const chart = svg('svg', {
      width, height, viewBox: `0 0 ${width} ${height}`, class: 'chart-svg', role: 'img',
      'aria-labelledby': 'chart-title chart-desc',
    });
    chart.append(svg('title', { id: 'chart-title' }, 'Overturn rate by ' + by));
    chart.append(svg('desc', { id: 'chart-desc' }, rows.map((r) =>
      `${r.value}: ${Math.round(r.overturn_rate * 100)}% overturned of ${r.upheld + r.overturned}`).join('; ')));
    for (const tick of [0, 25, 50, 75, 100]) {
      const x = labelWidth + (barWidth * tick) / 100;
      chart.append(svg('line', { x1: x, x2: x, y1: top - 6, y2: height - 2, class: 'chart-grid' }));
      chart.append(svg('text', { x, y: top - 10, class: 'chart-tick', 'text-anchor': 'middle' }, tick + '%'));
    }
    rows.forEach((row, i) => {
      const y = top + i * rowHeight;
      const decided = row.upheld + row.overturned;
      const rate = Math.max(0, Math.min(1, Number(row.overturn_rate) || 0));
      const label = String(row.value || '(none)');
      const g = svg('g', { class: 'chart-row' });
      g.append(svg('title', {}, `${label}: ${row.overturned} overturned, ${row.upheld} upheld` +
        (row.unknown ? `, ${row.unknown} unknown` : '')));
      g.append(svg('text', { x: labelWidth - 8, y: y + rowHeight / 2 + 4, class: 'chart-label', 'text-anchor': 'end' },
        label));
      g.append(svg('rect', { x: labelWidth, y: y + 5, width: barWidth, height: rowHeight - 10, class: 'chart-track', rx: 3 }));
      g.append(svg('rect', { x: labelWidth, y: y + 5, width: Math.max(rate > 0 ? 2 : 0, barWidth * rate),
        height: rowHeight - 10, class: 'chart-bar', rx: 3 }));
      g.append(svg('text', { x: labelWidth + barWidth + 8, y: y + rowHeight / 2 + 4, class: 'chart-value' },
        `${Math.round(rate * 100)}% of ${number(decided)}`));
      chart.append(g);
    });
    box.append(chart);
    // Long labels are shortened to what fits, measured now that the text is laid out.
    for (const text of chart.querySelectorAll('.chart-label')) {
      const full = text.textContent;
      let keep = full.length;
      while (keep > 4 && text.getComputedTextLength() > labelWidth - 14) text.textContent = full.slice(0, --keep) + '…';
    }
  }

  // ---- Similar letters --------------------------------------------------------------------------
  // "CM16-0232543, item 2: Soma 350mg #90 (Upheld)": what an attorney knows a determination by, not its id.
  function likeHeading(like, id) {
    if (!like) return id;
    let heading = like.case_number || 'letter ' + like.file.split('/').pop();
    const slash = like.id.indexOf('/');
    if (slash >= 0) {
      heading += ', item ' + (Number(like.id.slice(slash + 1)) + 1);
      if (like.item) heading += ': ' + like.item;
      if (like.decision) heading += ' (' + like.decision + ')';
    }
    return heading;
  }

  async function renderSimilar(sequence, id, params, options) {
    const result = await api('/api/similar/' + encodeURIComponent(id), new URLSearchParams({ limit: '20' }));
    if (sequence !== renderSequence) return;
    renderHits($('similar-hits'), result.hits, params, 0);
    $('similar-heading').textContent = 'Determinations similar to ' + likeHeading(result.like, id);
    if (!options.restoring) $('similar-heading').focus();
  }

  // ---- Letter view ------------------------------------------------------------------------------
  // "MTUS Chronic Pain Medical Treatment 2016: Muscle relaxants (for pain), p. 63-66".
  function citationText(c) {
    const doc = c.document && c.document !== c.source ? ' ' + c.document : '';
    const where = [c.chapter, c.section].filter(Boolean).join(', ');
    return c.source + doc + (c.edition ? ' ' + c.edition : '') + (where ? ': ' + where : '') + (c.pages ? ', p. ' + c.pages : '');
  }

  async function renderLetter(sequence, id, params, options) {
    const highlight = new URLSearchParams();
    if (params.get('q')) highlight.set('q', params.get('q'));
    const letter = await api('/api/letters/' + encodeURIComponent(id), highlight);
    if (sequence !== renderSequence) return;
    const box = $('letter');
    box.replaceChildren(letterView(letter, id, params));
    const heading = $('letter-heading');
    const current = box.querySelector('.determination.current');
    if (!options.restoring) {
      heading.focus({ preventScroll: true });
      (current || heading).scrollIntoView({ block: current ? 'center' : 'start' });
    }
  }

  // The letter JSON comes from the engine; fields are read defensively so a missing fact leaves a gap,
  // not a broken page. Section bodies may carry the engine's <mark> highlighting (already escaped).
  function letterView(letter, id, params) {
    const facts = letter.facts || letter;
    const determinations = letter.determinations || [];
    const wantedOrdinal = id.includes('/') ? Number(id.split('/').pop()) : null;
    const title = facts.case_number ? 'Case ' + facts.case_number : 'Letter ' + (letter.letter_id || id);
    const factList = el('dl', { class: 'facts' });
    const fact = (label, value, wide) => {
      if (value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length)) return;
      factList.append(el('div', { class: wide ? 'fact-wide' : null },
        el('dt', { text: label }), el('dd', { text: Array.isArray(value) ? value.join(', ') : String(value) })));
    };
    fact('Decision date', facts.decision_date);
    fact('Date of injury', facts.injury_date);
    fact('UR denial date', facts.ur_denial_date);
    fact('Assigned', facts.assigned_date);
    fact('Application received', facts.application_received);
    fact('Priority', facts.priority);
    fact('Patient', [facts.age ? facts.age + ' years' : '', facts.sex].filter(Boolean).join(', '));
    fact('Reviewer specialty', facts.specialties);
    fact('Reviewer licensed in', facts.states);
    fact('Flags', facts.flags, true);
    fact('File', facts.file || letter.file || letter.source, true);

    const list = el('ol', { class: 'determinations' });
    determinations.forEach((d, index) => {
      const ordinal = d.ordinal !== undefined ? d.ordinal : index;
      const isCurrent = ordinal === wantedOrdinal;
      const drug = d.drug ? (typeof d.drug === 'string' ? d.drug : d.drug.generic) : '';
      const guidelines = (d.citations || []).map(citationText);
      const claimsGuidelines = (d.claims_citations || []).map(citationText);
      const meta = (label, value) => value ? el('li', {}, el('span', { class: 'meta-label', text: label + ' ' }), value) : null;
      const rationale = el('div', { class: 'rationale' });
      if (d.rationale_html) rationale.innerHTML = d.rationale_html;
      else rationale.textContent = d.rationale || '';
      const similarParams = pick(params, SEARCH_KEYS);
      similarParams.set('similar', (letter.letter_id || id.split('/')[0]) + '/' + ordinal);
      list.append(el('li', { class: 'determination' + (isCurrent ? ' current' : ''), id: 'determination-' + ordinal },
        el('div', { class: 'hit-head' }, badge(d.decision || d.outcome), el('h3', { class: 'hit-title', text: d.item || '(item not printed)' })),
        el('ul', { class: 'hit-meta' },
          drug ? el('li', {}, el('span', { class: 'meta-label', text: 'Drug ' }), drug + (d.drug_class ? ' (' + d.drug_class + ')' : '')) : null,
          d.category ? el('li', {}, el('span', { class: 'meta-label', text: 'Category ' }), d.category) : null,
          d.original_request ? meta('Partly authorized', d.original_request + ' requested; ' + d.authorized + ' authorized') : null,
          meta('Reviewer\'s basis', d.basis),
          guidelines.length ? meta('Guidelines', guidelines.join(' · ')) : null,
          meta('Claims administrator\'s basis', d.claims_basis),
          claimsGuidelines.length ? meta('Claims administrator cited', claimsGuidelines.join(' · ')) : null),
        rationale.textContent || rationale.innerHTML ? el('details', { class: 'rationale-box', open: isCurrent || determinations.length === 1 },
          el('summary', { text: 'Decision rationale' }), rationale) : null,
        el('div', { class: 'hit-actions' }, internalLink(similarParams, 'Similar letters', { class: 'similar-link' }))));
    });

    const sections = el('div', { class: 'sections' });
    for (const section of letter.sections || []) {
      const body = el('div', { class: 'section-text' });
      if (section.html !== undefined) body.innerHTML = section.html;  // escaped and marked by the engine
      else body.textContent = section.text || '';
      sections.append(el('section', { class: 'letter-section', 'data-section': section.name || '' },
        el('h3', { text: section.heading || section.name || '' }), body));
    }

    return el('div', { class: 'letter-body' },
      el('h2', { id: 'letter-heading', tabindex: '-1', text: title }),
      factList,
      el('h3', { class: 'subhead', text: determinations.length === 1 ? 'Determination' : determinations.length + ' determinations' }),
      list,
      sections.childElementCount ? el('h3', { class: 'subhead', text: 'The letter' }) : null,
      sections);
  }

  // ---- Wiring -----------------------------------------------------------------------------------
  function wire() {
    $('search-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const text = $('q').value.trim();
      withSearchChange((params) => {
        if (text) params.set('q', text);
        else params.delete('q');
      });
    });
    $('sort').addEventListener('change', () => {
      const value = $('sort').value;
      withSearchChange((params) => {
        if (value === 'relevance') params.delete('sort');
        else params.set('sort', value);
      });
    });
    $('scope').addEventListener('change', () => {
      const value = $('scope').value;
      withSearchChange((params) => {
        if (value === 'letter') params.set('scope', 'letter');
        else params.delete('scope');
      });
    });
    $('group').addEventListener('change', () => {
      const on = $('group').checked;
      withSearchChange((params) => {
        if (on) params.set('group', 'letter');
        else params.delete('group');
      });
    });
    $('chart-by').addEventListener('change', () => {
      const params = state();
      if ($('chart-by').value === CHART_BY[0]) params.delete('chart');
      else params.set('chart', $('chart-by').value);
      navigate(params, { replace: true });
    });
    $('clear-filters').addEventListener('click', () => {
      withSearchChange((params) => {
        for (const facet of FACETS) params.delete(facet.key);
      });
      $('q').focus();
    });
    $('home-link').addEventListener('click', (event) => {
      event.preventDefault();
      navigate(new URLSearchParams());
    });
    for (const back of document.querySelectorAll('[data-back]')) {
      back.addEventListener('click', (event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(new URL(back.href).searchParams, { focusResults: true });
      });
    }
    window.addEventListener('popstate', () => render({ restoring: true }));
    let resizeTimer = null;
    let drawnWidth = $('chart').clientWidth;
    window.addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        if (!lastChart || $('chart').clientWidth === drawnWidth) return;
        drawnWidth = $('chart').clientWidth;
        renderChart(lastChart.stats, lastChart.by);
      }, 150);
    });
    api('/api/health').then((health) => {
      $('health').textContent = number(health.letters) + ' letters · ' + number(health.documents) +
        ' determinations indexed · revision ' + health.revision;
    }).catch(() => {});
  }

  function useSchema(schema) {
    const has = (field, use) => field.uses.includes(use);
    FACETS = schema.fields.filter((field) => has(field, 'filter') && has(field, 'facet')).map((field) => ({
      key: field.name, json: field.json, label: field.label, suggest: has(field, 'suggest'),
    }));
    FILTER_KEYS = ['q', 'scope', ...FACETS.map((facet) => facet.key)];
    SEARCH_KEYS = [...FILTER_KEYS, 'sort', 'group', 'limit', 'offset'];
    const dimensions = schema.fields.filter((field) => has(field, 'stats'));
    CHART_BY = dimensions.map((field) => field.name);
    $('chart-by').replaceChildren(...dimensions.map((field) =>
      el('option', { value: field.name, text: field.label.toLowerCase() })));
  }

  wire();
  api('/api/schema')
    .then((schema) => {
      useSchema(schema);
      return render({ restoring: true });
    })
    .catch((error) => showMessage(error instanceof ApiError ? error.message : 'Something went wrong: ' + error.message));
})();
