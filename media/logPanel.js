// ZenOps log panel (webview). Log text is hostile: it only ever reaches the page through textContent, and
// every action posts an id back to the extension, which decides what to open (never a path or URL from here).
// @ts-check
(function () {
  'use strict';
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();

  /** @type {{ id: string, ts: string, time: string, service: string, level: string, message: string, head: string, lines: { text: string, frameId?: string, frameLabel?: string }[], requestId?: string, traceId?: string, truncated: boolean }[]} */
  let rows = [];
  /** @type {typeof rows} */
  let waiting = [];
  let maxLines = 2000;
  let hasGrafana = false;
  let paused = false;
  const expanded = new Set();
  /** A row the extension asked to show (from the Logs tree); scrolled to once it is drawn. */
  let revealId = '';
  const filters = { text: '', level: '', service: '', requestId: '' };
  const LEVEL_RANK = { CRITICAL: 5, ERROR: 4, WARNING: 3, INFO: 2, DEBUG: 1, TRACE: 0, UNKNOWN: 0 };
  const SHOWN_AT_MOST = 1000;

  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const list = $('rows');
  const status = $('status');
  const pauseButton = /** @type {HTMLButtonElement} */ ($('pause'));
  const filterInput = /** @type {HTMLInputElement} */ ($('filter'));
  const levelSelect = /** @type {HTMLSelectElement} */ ($('level'));
  const serviceSelect = /** @type {HTMLSelectElement} */ ($('service'));
  const requestBar = $('request');

  /** An element with text, never markup. */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(label, title, onClick) {
    const b = /** @type {HTMLButtonElement} */ (el('button', 'action', label));
    b.type = 'button';
    b.title = title;
    b.addEventListener('click', (event) => {
      event.stopPropagation();
      onClick();
    });
    return b;
  }

  function lineCount(list) {
    return list.reduce((n, r) => n + r.lines.length + 1, 0);
  }

  /** Keeps at most maxLines lines, dropping the oldest rows: memory stays flat over an hour of tail. */
  function bound(list) {
    let total = lineCount(list);
    let drop = 0;
    while (total > maxLines && drop < list.length - 1) total -= list[drop++].lines.length + 1;
    return drop > 0 ? list.slice(drop) : list;
  }

  function matches(row) {
    if (filters.requestId) return row.requestId === filters.requestId;
    if (filters.level && (LEVEL_RANK[row.level] ?? 0) < LEVEL_RANK[filters.level]) return false;
    if (filters.service && row.service !== filters.service) return false;
    if (filters.text) {
      const needle = filters.text.toLowerCase();
      if (!row.head.toLowerCase().includes(needle) && !row.service.toLowerCase().includes(needle) && !row.lines.some((l) => l.text.toLowerCase().includes(needle))) return false;
    }
    return true;
  }

  function renderRow(row) {
    const item = el('div', `row level-${row.level}`);
    item.setAttribute('role', 'listitem');
    item.dataset.id = row.id;
    const head = el('div', 'head');
    const open = expanded.has(row.id);
    if (row.lines.length > 0) head.appendChild(el('span', 'twisty', open ? '▾' : '▸'));
    else head.appendChild(el('span', 'twisty', ' '));
    head.appendChild(el('span', 'time', row.time.slice(11, 23)));
    head.appendChild(el('span', 'level', row.level === 'UNKNOWN' ? '' : row.level));
    head.appendChild(el('span', 'service', row.service));
    const msg = el('span', 'msg', row.message);
    msg.title = row.head;
    head.appendChild(msg);
    if (row.lines.length > 0) {
      head.addEventListener('click', () => {
        if (expanded.has(row.id)) expanded.delete(row.id);
        else expanded.add(row.id);
        render();
      });
      head.title = open ? 'Hide the traceback' : `Show ${row.lines.length} more line(s)`;
    }
    item.appendChild(head);

    const actions = el('div', 'actions');
    actions.appendChild(button('Copy', 'Copy the whole entry', () => vscode.postMessage({ type: 'copy', rowId: row.id })));
    if (row.requestId) {
      actions.appendChild(
        button(`Request ${row.requestId}`, 'Show all lines of this request', () => {
          filters.requestId = row.requestId || '';
          window.scrollTo(0, 0);
          render();
        }),
      );
    }
    if (row.traceId && hasGrafana) actions.appendChild(button('Open trace', 'Open the trace in Grafana', () => vscode.postMessage({ type: 'openTrace', rowId: row.id })));
    if (hasGrafana) actions.appendChild(button('Explore', 'Open these lines in Grafana Explore', () => vscode.postMessage({ type: 'openExplore', rowId: row.id, byRequest: Boolean(row.requestId) })));
    if (row.truncated) actions.appendChild(el('span', 'marker', 'truncated'));
    item.appendChild(actions);

    if (open) {
      const body = el('div', 'body');
      for (const line of row.lines) {
        const div = el('div', line.frameId ? 'line frame' : 'line', line.text);
        if (line.frameId) {
          const frameId = line.frameId;
          const link = button(`↗ ${line.frameLabel || 'open'}`, 'Open this file at the line', () => vscode.postMessage({ type: 'openFrame', frameId }));
          link.className = 'frame-link';
          div.appendChild(link);
        }
        body.appendChild(div);
      }
      item.appendChild(body);
    }
    return item;
  }

  let scheduled = false;
  function render() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      draw();
    });
  }

  function draw() {
    const shown = [];
    for (let i = rows.length - 1; i >= 0 && shown.length < SHOWN_AT_MOST; i--) if (matches(rows[i])) shown.push(rows[i]);
    const fragment = document.createDocumentFragment();
    for (const row of shown) fragment.appendChild(renderRow(row));
    list.replaceChildren(fragment);
    if (revealId) {
      const target = [...list.children].find((c) => /** @type {HTMLElement} */ (c).dataset.id === revealId);
      if (target) {
        // Below the sticky toolbar, not under it.
        const toolbar = /** @type {HTMLElement} */ (document.querySelector('.toolbar'));
        window.scrollTo(0, /** @type {HTMLElement} */ (target).offsetTop - (toolbar ? toolbar.offsetHeight : 0) - 4);
        target.classList.add('revealed');
        revealId = '';
      }
    }
    requestBar.hidden = !filters.requestId;
    $('request-label').textContent = filters.requestId ? `Lines of request ${filters.requestId}` : '';
    const parts = [`${shown.length} of ${rows.length} entries`];
    if (paused) parts.push(`paused${waiting.length ? `, ${waiting.length} new waiting` : ''}`);
    status.textContent = statusText ? `${statusText} · ${parts.join(' · ')}` : parts.join(' · ');
    refreshServices();
  }

  function refreshServices() {
    const services = [...new Set(rows.map((r) => r.service).filter(Boolean))].sort();
    const current = [...serviceSelect.options].slice(1).map((o) => o.value);
    if (current.join('\u0000') === services.join('\u0000')) return;
    const chosen = serviceSelect.value;
    while (serviceSelect.options.length > 1) serviceSelect.remove(1);
    for (const s of services) {
      const option = /** @type {HTMLOptionElement} */ (el('option', '', s));
      option.value = s;
      serviceSelect.appendChild(option);
    }
    serviceSelect.value = services.includes(chosen) ? chosen : '';
  }

  let statusText = '';
  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || typeof message !== 'object') return;
    if (message.type === 'config') {
      maxLines = Math.max(1, Number(message.maxLines) || maxLines);
      hasGrafana = Boolean(message.hasGrafana);
      rows = bound(rows);
      render();
    } else if (message.type === 'rows' && Array.isArray(message.rows)) {
      if (message.replace) {
        rows = bound(message.rows);
        waiting = [];
      } else if (paused) {
        waiting = bound(waiting.concat(message.rows));
      } else {
        rows = bound(rows.concat(message.rows));
      }
      render();
    } else if (message.type === 'reveal' && typeof message.rowId === 'string') {
      // Show that entry whatever the filters were.
      revealId = message.rowId;
      expanded.add(message.rowId);
      filters.text = filters.service = filters.level = filters.requestId = '';
      filterInput.value = levelSelect.value = serviceSelect.value = '';
      render();
    } else if (message.type === 'status') {
      statusText = typeof message.text === 'string' ? message.text : '';
      status.classList.toggle('problem', Boolean(message.problem));
      render();
    }
  });

  pauseButton.addEventListener('click', () => {
    paused = !paused;
    pauseButton.textContent = paused ? 'Resume' : 'Pause';
    pauseButton.setAttribute('aria-pressed', String(paused));
    if (!paused && waiting.length) {
      rows = bound(rows.concat(waiting));
      waiting = [];
    }
    render();
  });
  $('refresh').addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
  $('explore').addEventListener('click', () => vscode.postMessage({ type: 'openExplore', byRequest: false }));
  $('request-clear').addEventListener('click', () => {
    filters.requestId = '';
    render();
  });
  filterInput.addEventListener('input', () => {
    filters.text = filterInput.value;
    render();
  });
  levelSelect.addEventListener('change', () => {
    filters.level = levelSelect.value;
    render();
  });
  serviceSelect.addEventListener('change', () => {
    filters.service = serviceSelect.value;
    render();
  });

  vscode.postMessage({ type: 'ready' });
})();
