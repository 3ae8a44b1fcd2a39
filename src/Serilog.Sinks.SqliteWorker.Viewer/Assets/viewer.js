// The live view. Every text from the database reaches the page through textContent or an attribute value set by
// script, never as markup, and the page's Content-Security-Policy allows this file as its only script.
'use strict';

(() => {
  const keys = ['level', 'min', 'since', 'until', 'q', 'source', 'prop', 'trace', 'thread'];
  const levels = ['Verbose', 'Debug', 'Information', 'Warning', 'Error', 'Fatal'];
  const maxRows = 1000;
  const chartPause = 10000;

  const $ = id => document.getElementById(id);
  const form = $('filters');
  const body = document.querySelector('#events tbody');
  const shown = new Map();
  let stream = null;
  let paused = false;
  let newestId = 0;
  let oldest = null;
  let selected = null;
  let arrived = 0;
  let chartsDrawnAt = 0;
  let chartTimer = null;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function filters() {
    const current = new URLSearchParams(location.search);
    const kept = new URLSearchParams();
    for (const key of keys) {
      const value = current.get(key);
      if (value) kept.set(key, value);
    }
    return kept;
  }

  function withFilters(path, extra) {
    const params = filters();
    for (const [key, value] of Object.entries(extra || {})) params.set(key, value);
    const text = params.toString();
    return text ? path + '?' + text : path;
  }

  function fillForm() {
    const current = filters();
    for (const key of keys) {
      const field = form.elements.namedItem(key);
      if (field) field.value = current.get(key) || '';
    }
  }

  function setStatus(text, state) {
    const status = $('status');
    status.textContent = text;
    status.className = 'status ' + (state || '');
  }

  function showError(message) {
    const box = $('error');
    box.textContent = message || '';
    box.hidden = !message;
  }

  async function errorOf(response) {
    try {
      const body = await response.json();
      return body.error || response.statusText;
    } catch {
      return response.status + ' ' + response.statusText;
    }
  }

  function rowElement(row) {
    const tr = element('tr', 'lvl-' + row.level);
    tr.dataset.id = row.id;
    tr.appendChild(element('td', 't', row.time));
    const level = element('td', 'l');
    const badge = element('span', 'badge', row.short);
    badge.title = row.level;
    level.appendChild(badge);
    tr.appendChild(level);
    const source = element('td', 's', row.source || '');
    source.title = row.source || '';
    tr.appendChild(source);
    const message = element('td', 'm', row.message);
    if (row.exception) {
      const flag = element('span', 'flag', '!');
      flag.title = 'Has an exception';
      message.appendChild(flag);
    }
    tr.appendChild(message);
    tr.addEventListener('click', () => { select(tr); open(tr); });
    return tr;
  }

  function add(row, atTop) {
    if (shown.has(row.id)) return;
    const tr = rowElement(row);
    shown.set(row.id, tr);
    if (atTop) {
      tr.classList.add('new');
      body.insertBefore(tr, body.firstChild);
      while (body.rows.length > maxRows) {
        const last = body.rows[body.rows.length - 1];
        if (last === selected) break;
        shown.delete(Number(last.dataset.id));
        last.remove();
      }
    } else {
      body.appendChild(tr);
    }
    if (row.id > newestId) newestId = row.id;
    $('empty').hidden = true;
  }

  function showPage(page, replace) {
    if (replace) {
      body.replaceChildren();
      shown.clear();
      selected = null;
    }
    for (const row of page.rows) add(row, false);
    oldest = page.more ? { id: page.lastId, time: page.lastTime } : null;
    $('older').hidden = !oldest;
    $('empty').hidden = body.rows.length > 0;
    updateCount();
  }

  function updateCount() {
    $('count').textContent = body.rows.length + ' shown' + (arrived ? ', ' + arrived + ' arrived live' : '');
  }

  function connect(resumeAfter) {
    disconnect();
    const extra = resumeAfter ? { after: String(resumeAfter) } : {};
    stream = new EventSource(withFilters('api/live', extra));
    stream.addEventListener('open', () => { setStatus('live', 'live'); showError(''); });
    stream.addEventListener('page', event => showPage(JSON.parse(event.data), true));
    stream.addEventListener('log', event => {
      add(JSON.parse(event.data), true);
      arrived++;
      updateCount();
      scheduleCharts();
    });
    stream.addEventListener('error', async () => {
      if (!stream || stream.readyState !== EventSource.CLOSED) {
        setStatus('reconnecting', 'down');
        return;
      }
      // The server refused the stream: ask the same question as a plain request to show why.
      setStatus('stopped', 'down');
      const response = await fetch(withFilters('api/logs', { limit: '1' }));
      showError(response.ok ? 'The live view stopped; reload the page to start it again.' : await errorOf(response));
    });
  }

  function disconnect() {
    if (stream) stream.close();
    stream = null;
  }

  function start() {
    fillForm();
    showError('');
    arrived = 0;
    newestId = 0;
    closeDetail();
    body.replaceChildren();
    shown.clear();
    if (paused) togglePause();
    setStatus('connecting', '');
    connect(0);
    drawCharts();
  }

  function togglePause() {
    paused = !paused;
    $('pause').textContent = paused ? 'Resume' : 'Pause';
    if (paused) {
      disconnect();
      setStatus('paused', 'paused');
    } else {
      // Only what arrived while paused follows, after the newest event shown.
      connect(newestId);
    }
  }

  async function loadOlder() {
    if (!oldest) return;
    const response = await fetch(withFilters('api/logs', { beforeId: String(oldest.id), beforeTime: oldest.time }));
    if (!response.ok) { showError(await errorOf(response)); return; }
    showPage(await response.json(), false);
  }

  function drawCharts() {
    chartsDrawnAt = Date.now();
    $('levels-chart').src = withFilters('api/charts/levels.svg', { at: String(chartsDrawnAt) });
    drawMetrics();
  }

  // New events redraw the charts at most every few seconds; with nothing arriving nothing is asked.
  function scheduleCharts() {
    if (chartTimer) return;
    const wait = Math.max(0, chartsDrawnAt + chartPause - Date.now());
    chartTimer = setTimeout(() => { chartTimer = null; drawCharts(); }, wait);
  }

  async function drawMetrics() {
    const box = $('metric-charts');
    const response = await fetch(withFilters('api/metrics'));
    if (!response.ok) return;
    const names = await response.json();
    const time = new URLSearchParams();
    for (const key of ['since', 'until']) if (filters().get(key)) time.set(key, filters().get(key));
    const figures = names.map(metric => {
      const figure = element('figure');
      figure.dataset.metric = metric.name;
      figure.appendChild(element('h4', null, metric.name));
      const image = element('img');
      const params = new URLSearchParams(time);
      params.set('name', metric.name);
      params.set('at', String(chartsDrawnAt));
      image.src = 'api/charts/metric.svg?' + params.toString();
      image.alt = metric.name + ': p50 and p95 over time';
      figure.appendChild(image);
      return figure;
    });
    box.replaceChildren(...figures);
    $('metrics').hidden = names.length === 0;
  }

  function legend() {
    const box = $('legend');
    for (const level of levels.slice().reverse()) box.appendChild(element('span', 'lvl-' + level, level));
  }

  function select(tr) {
    if (selected) selected.classList.remove('selected');
    selected = tr;
    if (!tr) return;
    tr.classList.add('selected');
    tr.scrollIntoView({ block: 'nearest' });
    if (!$('detail').hidden) open(tr);
  }

  function move(step) {
    const rows = Array.from(body.rows);
    if (rows.length === 0) return;
    const index = selected ? rows.indexOf(selected) : -1;
    const next = index < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, index + step));
    select(rows[next]);
  }

  async function open(tr) {
    if (!tr) return;
    const response = await fetch('api/logs/' + encodeURIComponent(tr.dataset.id));
    if (!response.ok) { showError(await errorOf(response)); return; }
    const event = await response.json();
    if (selected !== tr) return;
    const columns = $('columns');
    columns.replaceChildren();
    const column = (name, value) => {
      columns.appendChild(element('dt', null, name));
      const dd = element('dd', null, value === null || value === undefined ? '' : value);
      dd.dataset.column = name;
      columns.appendChild(dd);
    };
    column('Id', event.id);
    column('Time', event.time);
    column('Timestamp', event.timestamp);
    column('Level', event.level);
    column('Source context', event.source);
    column('Message', event.message);
    column('Template', event.template);
    column('Thread', event.thread);
    column('Trace id', event.trace);
    column('Span id', event.span);
    $('properties').replaceChildren(tree(event.properties));
    $('exception-block').hidden = !event.exception;
    $('exception').textContent = event.exception || '';
    $('detail').hidden = false;
    $('main').classList.add('open');
  }

  function closeDetail() {
    $('detail').hidden = true;
    $('main').classList.remove('open');
  }

  function tree(value) {
    if (value === null || typeof value !== 'object') {
      const type = value === null ? 'null' : typeof value;
      return element('span', type, type === 'string' ? JSON.stringify(value) : String(value));
    }
    const list = element('ul');
    const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
    for (const [key, item] of entries) {
      const li = element('li');
      li.appendChild(element('span', 'key', key));
      li.appendChild(document.createTextNode(': '));
      li.appendChild(tree(item));
      list.appendChild(li);
    }
    if (entries.length === 0) return element('span', 'null', Array.isArray(value) ? '[]' : '{}');
    return list;
  }

  form.addEventListener('submit', event => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const key of keys) {
      const field = form.elements.namedItem(key);
      if (field && field.value.trim()) params.set(key, field.value.trim());
    }
    const text = params.toString();
    history.pushState(null, '', text ? '?' + text : location.pathname);
    start();
  });
  form.elements.namedItem('min').addEventListener('change', () => form.requestSubmit());
  $('clear').addEventListener('click', () => { form.reset(); for (const key of keys) { const f = form.elements.namedItem(key); if (f) f.value = ''; } form.requestSubmit(); });
  $('pause').addEventListener('click', togglePause);
  $('older').addEventListener('click', loadOlder);
  $('close').addEventListener('click', closeDetail);
  window.addEventListener('popstate', start);

  document.addEventListener('keydown', event => {
    const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement;
    if (typing) {
      if (event.key === 'Escape') event.target.blur();
      return;
    }
    // Enter and space on a focused button press that button.
    if (event.target instanceof HTMLButtonElement && (event.key === 'Enter' || event.key === ' ')) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    switch (event.key) {
      case 'j': case 'ArrowDown': move(1); break;
      case 'k': case 'ArrowUp': move(-1); break;
      case 'Enter': case 'o': open(selected); break;
      case 'Escape': closeDetail(); break;
      case '/': form.elements.namedItem('q').focus(); break;
      case 'p': togglePause(); break;
      default: return;
    }
    event.preventDefault();
  });

  legend();
  start();
})();
