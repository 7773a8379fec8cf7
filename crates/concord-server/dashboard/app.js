// Concord's dashboard: a single-page app over the server's JSON API (docs/dashboard.md).
//
// It computes nothing. Every number on a page is one the API returned; this file only lays the
// answers out and draws them in SVG by hand, so that the page fetches nothing but the
// same-origin API. Tokens live in sessionStorage only (one tab, gone when it closes) and travel
// in the Authorization header, never in a URL the server sees: an invitation link carries its
// token in the fragment, which the browser does not send, and the page removes it at once.

// ---------------------------------------------------------------------------------------------
// DOM helpers

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  const late = {};
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value' || k === 'checked' || k === 'selected') late[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  add(el, children);
  // A select's value can be set only once its options are there.
  Object.assign(el, late);
  return el;
}

function add(el, children) {
  for (const c of [children].flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
const sv = (tag, attrs, ...children) => build(document.createElementNS(SVG_NS, tag), attrs, children);

let idCounter = 0;
const uid = (prefix) => `${prefix}-${++idCounter}`;

function announce(text) {
  const el = document.getElementById('announcer');
  el.textContent = '';
  // A fresh text node makes screen readers read it even when it repeats.
  setTimeout(() => { el.textContent = text; }, 30);
}

// A labelled control: every input, select and textarea of the dashboard goes through here.
function field(label, control, hint) {
  const id = control.id || uid('f');
  control.id = id;
  const hintEl = hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl);
}

function select(options, value, attrs = {}) {
  return h('select', attrs,
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
}

function tableWrap(label, table) {
  // A scrollable region must be reachable by keyboard to be scrolled.
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': label, tabindex: '0' }, table);
}

function section(title, ...children) {
  const id = uid('s');
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), children);
}

function dl(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(Boolean).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

// ---------------------------------------------------------------------------------------------
// Formatting: only presentation, never arithmetic on the answers.

function fmtInt(n) {
  if (n === null || n === undefined) return '—';
  // Counts past 2^64 arrive as decimal strings; group their digits the same way.
  const s = typeof n === 'string' ? n : String(n);
  return /^\d+$/.test(s) ? s.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : s;
}

function fmtNum(v, digits = 4) {
  if (v === null || v === undefined) return '—';
  return String(Number(Number(v).toFixed(digits)));
}

function fmtPct(share) {
  if (share === null || share === undefined) return '—';
  const p = share * 100;
  if (p === 0) return '0 %';
  const digits = p >= 10 ? 1 : p >= 1 ? 2 : Math.min(8, 2 - Math.floor(Math.log10(p)));
  return `${p.toFixed(digits)} %`;
}

const yesNo = (b) => (b ? 'yes' : 'no');

function fmtTime(ms) {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

// Okabe and Ito's palette, distinguishable with every common colour-vision deficiency; every
// series also differs by dash pattern and marker shape, and every status is written out.
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
const DASHES = ['', '7 4', '2 3', '9 3 2 3', '4 2', '1 2'];
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'star'];

function marker(shape, x, y, r, attrs = {}) {
  switch (shape) {
    case 'square':
      return sv('rect', { x: x - r, y: y - r, width: 2 * r, height: 2 * r, ...attrs });
    case 'triangle':
      return sv('polygon', { points: `${x},${y - r * 1.2} ${x - r * 1.1},${y + r * 0.8} ${x + r * 1.1},${y + r * 0.8}`, ...attrs });
    case 'diamond':
      return sv('polygon', { points: `${x},${y - r * 1.3} ${x + r * 1.3},${y} ${x},${y + r * 1.3} ${x - r * 1.3},${y}`, ...attrs });
    case 'cross':
      return sv('path', { d: `M${x - r},${y - r}L${x + r},${y + r}M${x - r},${y + r}L${x + r},${y - r}`, 'stroke-width': 2.5, ...attrs, fill: 'none', stroke: attrs.stroke || attrs.fill });
    case 'star': {
      const pts = [];
      for (let i = 0; i < 10; i++) {
        const a = (Math.PI / 5) * i - Math.PI / 2;
        const rr = i % 2 ? r * 0.55 : r * 1.4;
        pts.push(`${(x + rr * Math.cos(a)).toFixed(1)},${(y + rr * Math.sin(a)).toFixed(1)}`);
      }
      return sv('polygon', { points: pts.join(' '), ...attrs });
    }
    default:
      return sv('circle', { cx: x, cy: y, r, ...attrs });
  }
}

function legendSwatch(shape, colour, dash) {
  const svg = sv('svg', { width: 34, height: 16, viewBox: '0 0 34 16', 'aria-hidden': 'true', class: 'swatch' });
  if (dash !== undefined) svg.append(sv('line', { x1: 1, y1: 8, x2: 33, y2: 8, stroke: colour, 'stroke-width': 2.5, 'stroke-dasharray': dash }));
  if (shape) svg.append(marker(shape, 17, 8, 4.5, { fill: colour, stroke: '#000', 'stroke-width': 0.8 }));
  return svg;
}

function niceTicks(lo, hi, count = 6) {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || mag * 10;
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) ticks.push(Number(t.toFixed(10)));
  return ticks;
}

// ---------------------------------------------------------------------------------------------
// The API

class ApiError extends Error {
  constructor(status, body) {
    const err = body && typeof body === 'object' ? body.error : null;
    let message = typeof err === 'string' ? err : err && err.message ? err.message : typeof body === 'string' && body ? body : `the server answered ${status}`;
    const problems = (err && Array.isArray(err.problems) ? err.problems : body && Array.isArray(body.problems) ? body.problems : []) || [];
    // The message repeats the problems line by line; they are listed separately.
    if (problems.length) message = message.split('\n')[0];
    super(message);
    this.status = status;
    this.kind = err && err.kind;
    this.problems = problems;
  }
}

async function api(path, { method = 'GET', body, token } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new ApiError(0, { error: { message: `the server cannot be reached (${e.message})` } });
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// The analyst answers depend only on the scenario and the request: kept for the page's life.
const cache = new Map();
function cached(path) {
  if (!cache.has(path)) {
    const p = api(path);
    p.catch(() => cache.delete(path));
    cache.set(path, p);
  }
  return cache.get(path);
}

let scenariosPromise = null;
function scenarios(refresh = false) {
  if (refresh || !scenariosPromise) {
    scenariosPromise = api('/analyst/scenarios').then((r) => r.scenarios || []);
    scenariosPromise.catch(() => { scenariosPromise = null; });
  }
  return scenariosPromise;
}

async function scenarioById(id) {
  const list = await scenarios();
  const s = list.find((x) => x.id === id);
  if (!s) throw new ApiError(404, { error: { message: `no scenario \`${id}\` is open on this server` } });
  return s;
}

const scenarioPath = (id) => `/analyst/scenarios/${encodeURIComponent(id)}`;

function problemText(p) {
  const where = p.line ? ` (line ${p.line}, column ${p.column})` : '';
  return `${p.field || '(the request)'}${where}: found ${p.found}, expected ${p.expected}`;
}

function errorBox(err, intro) {
  const box = h('div', { class: 'error', role: 'alert' },
    h('p', {}, intro ? `${intro}: ` : '', err.message || String(err)));
  if (err.problems && err.problems.length) box.append(h('ul', {}, err.problems.map((p) => h('li', {}, problemText(p)))));
  return box;
}

// ---------------------------------------------------------------------------------------------
// Tokens: sessionStorage only.

const tokenKey = (room) => `concord.token.${room}`;
const getToken = (room) => sessionStorage.getItem(tokenKey(room));
const setToken = (room, token) => sessionStorage.setItem(tokenKey(room), token);

// ---------------------------------------------------------------------------------------------
// Routing: #/, #/analyst/ID, #/sequence/ID, #/evidence/ID, #/simulate/ID, #/rooms, #/room/ROOM

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params };
}

function setHashParams(parts, params) {
  const q = params.toString();
  history.replaceState(null, '', `#/${parts.map(encodeURIComponent).join('/')}${q ? `?${q}` : ''}`);
}

const VIEWS = {
  analyst: { title: 'Analyst', render: renderAnalyst },
  sequence: { title: 'Sequencing', render: renderSequence },
  evidence: { title: 'Evidence', render: renderEvidence },
  simulate: { title: 'Simulation', render: renderSimulation },
};

let renderGeneration = 0;

function currentScenario(parts) {
  if (VIEWS[parts[0]] && parts[1]) {
    sessionStorage.setItem('concord.scenario', parts[1]);
    return parts[1];
  }
  return sessionStorage.getItem('concord.scenario');
}

function renderNav(parts) {
  const nav = document.getElementById('nav');
  const scenario = currentScenario(parts);
  const links = [['#/', 'Scenarios', parts.length === 0]];
  if (scenario) {
    for (const [key, view] of Object.entries(VIEWS)) links.push([`#/${key}/${encodeURIComponent(scenario)}`, view.title, parts[0] === key]);
  }
  links.push(['#/rooms', 'Rooms', parts[0] === 'rooms' || parts[0] === 'room']);
  nav.replaceChildren(h('ul', {}, links.map(([href, text, current]) =>
    h('li', {}, h('a', { href, 'aria-current': current ? 'page' : null }, text)))));
}

async function route() {
  if (location.hash && !location.hash.startsWith('#/')) return;
  const generation = ++renderGeneration;
  let { parts, params } = parseHash();
  // An invitation link: keep its token in this tab and take it out of the address at once.
  if (parts[0] === 'room' && parts[1] && params.has('token')) {
    setToken(parts[1], params.get('token'));
    params.delete('token');
    setHashParams(parts, params);
  }
  renderNav(parts);
  const main = document.getElementById('main');
  const view = h('div', { class: 'view' });
  const stale = () => generation !== renderGeneration;
  main.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
  delete main.dataset.ready;
  try {
    if (parts.length === 0) await renderHome(view, stale);
    else if (VIEWS[parts[0]] && parts[1]) await VIEWS[parts[0]].render(view, parts[1], params, stale);
    else if (parts[0] === 'rooms') await renderRooms(view, stale);
    else if (parts[0] === 'room' && parts[1]) await renderRoom(view, parts[1], stale);
    else view.append(h('h1', {}, 'Not found'), h('p', {}, 'This address names no view. ', h('a', { href: '#/' }, 'See the scenarios.')));
  } catch (err) {
    if (stale()) return;
    view.replaceChildren(h('h1', {}, 'Cannot show this view'), errorBox(err));
  }
  if (stale()) return;
  main.replaceChildren(view);
  // Which view is drawn, for people reading the DOM and for the browser tests.
  main.dataset.view = parts[0] || 'home';
  main.dataset.ready = String(generation);
  const heading = main.querySelector('h1');
  document.title = heading ? `${heading.textContent} — Concord` : 'Concord dashboard';
  // Move focus to the new view's heading so keyboard and screen-reader users start there.
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
}

// ---------------------------------------------------------------------------------------------
// Home: the scenarios, an upload, entering a room

async function renderHome(view, stale) {
  view.append(h('h1', {}, 'Scenarios'));
  let list = [];
  try {
    list = await scenarios(true);
  } catch (err) {
    view.append(errorBox(err, 'The scenarios cannot be listed'));
  }
  if (stale()) return;
  if (list.length) {
    const rows = list.map((s) => {
      const consenting = s.parties.filter((p) => p.consent);
      return h('tr', {},
        h('th', { scope: 'row' }, h('span', { class: 'title' }, s.title), h('br'), h('code', {}, s.id)),
        h('td', {}, s.file || 'uploaded'),
        h('td', {}, `${s.parties.length} (${consenting.length} whose consent is needed: ${consenting.map((p) => p.name).join(', ')})`),
        h('td', {}, String(s.issues.length)),
        h('td', {}, h('ul', { class: 'inline-links' },
          h('li', {}, h('a', { href: `#/analyst/${encodeURIComponent(s.id)}` }, 'Analyst')),
          s.has_sequencing ? h('li', {}, h('a', { href: `#/sequence/${encodeURIComponent(s.id)}` }, 'Sequencing')) : null,
          s.has_claims || s.has_reports ? h('li', {}, h('a', { href: `#/evidence/${encodeURIComponent(s.id)}` }, 'Evidence')) : null,
          h('li', {}, h('a', { href: `#/simulate/${encodeURIComponent(s.id)}` }, 'Simulation')))));
    });
    view.append(section('Open on this server',
      tableWrap('Scenarios', h('table', {},
        h('caption', {}, `${list.length} scenario(s), opened with --open or uploaded`),
        h('thead', {}, h('tr', {}, ['Scenario', 'File', 'Parties', 'Issues', 'Views'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows)))));
  } else {
    view.append(section('Open on this server', h('p', {}, 'No scenario is open yet: start the server with ', h('code', {}, '--open FILE'), ', or upload one below.')));
  }
  view.append(uploadForm(), enterRoomForm());
}

function uploadForm() {
  const file = h('input', { type: 'file', accept: '.toml,text/plain', required: true });
  const out = h('div', { class: 'result', 'aria-live': 'polite' });
  const form = h('form', { novalidate: true },
    field('Scenario file (TOML, docs/scenario-format.md)', file),
    h('button', { type: 'submit' }, 'Upload and analyse'), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    const f = file.files[0];
    if (!f) { out.append(errorBox(new Error('choose a scenario file first'))); file.focus(); return; }
    const text = await f.text();
    try {
      const r = await api('/analyst/scenarios', { method: 'POST', body: { name: f.name, toml: text } });
      cache.clear();
      await scenarios(true);
      announce(`Uploaded ${f.name} as scenario ${r.id}`);
      location.hash = `#/analyst/${encodeURIComponent(r.id)}`;
    } catch (err) {
      out.append(errorBox(err, `${f.name} was not accepted`));
    }
  });
  return section('Upload a scenario', h('p', {}, 'The server reads the file, checks every table and keeps it for this server\'s life; errors name the line and column.'), form);
}

function enterRoomForm() {
  const room = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', required: true });
  const token = h('input', { type: 'password', autocomplete: 'off', required: true });
  const form = h('form', {},
    field('Room id', room),
    field('Your token', token, 'Kept in this browser tab only (sessionStorage), sent in a header, never in an address.'),
    h('button', { type: 'submit' }, 'Enter the room'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = room.value.trim();
    if (!id || !token.value.trim()) return;
    setToken(id, token.value.trim());
    location.hash = `#/room/${encodeURIComponent(id)}`;
  });
  return section('Enter a room', form);
}

// ---------------------------------------------------------------------------------------------
// Analyst view

async function renderAnalyst(view, id, params, stale) {
  const scenario = await scenarioById(id);
  if (stale()) return;
  const state = {
    id,
    redLines: ['all', 'cited', 'stated'].includes(params.get('red_lines')) ? params.get('red_lines') : 'all',
    x: params.get('x'),
    y: params.get('y'),
    samples: 0,
  };
  const sync = () => {
    const p = new URLSearchParams();
    if (state.redLines !== 'all') p.set('red_lines', state.redLines);
    if (state.x) p.set('x', state.x);
    if (state.y) p.set('y', state.y);
    setHashParams(['analyst', id], p);
  };
  const claimsById = new Map();
  if (scenario.has_claims) {
    try {
      const c = await cached(`${scenarioPath(id)}/claims`);
      for (const claim of c.claims) claimsById.set(claim.id, claim);
    } catch { /* the analysis still shows claim ids */ }
  }
  view.append(h('h1', {}, `Analyst: ${scenario.title}`));
  const toggle = redLinesToggle(state.redLines, async (value) => {
    state.redLines = value;
    sync();
    try {
      await load();
      announce(`Red lines applied: ${value}`);
    } catch (err) {
      body.replaceChildren(errorBox(err, 'The analysis cannot be shown'));
    }
  });
  const body = h('div', { class: 'analyst-body' });
  view.append(toggle, body);

  async function load() {
    const analysis = await cached(`${scenarioPath(id)}/analysis?red_lines=${state.redLines}&samples=0`);
    const names = new Map(analysis.parties.map((p) => [p.id, p.name]));
    const consenting = analysis.consenting;
    if (!consenting.includes(state.x)) state.x = consenting[0];
    if (!consenting.includes(state.y) || state.y === state.x) state.y = consenting.find((p) => p !== state.x);
    const ctx = { analysis, names, claimsById, scenario };
    body.replaceChildren(
      summarySection(analysis, names),
      spaceSection(state, ctx, sync),
      issueMapSection(analysis, names),
      frameworkSection(analysis, names),
      analysis.no_zone ? noZoneSection(analysis, ctx) : null,
      analysis.set_aside_red_lines.length ? redLineListSection(`Red lines set aside by “${state.redLines}”`, analysis.set_aside_red_lines, ctx) : null,
      analysis.advisory_red_lines.length ? redLineListSection('Advisory red lines (of parties whose consent is not needed)', analysis.advisory_red_lines, ctx) : null,
      sensitivitySection(state, ctx),
    );
  }
  await load();
}

function redLinesToggle(value, onChange) {
  const name = uid('rl');
  const choices = [
    ['all', 'all', 'every red line of a consenting party'],
    ['cited', 'cited', 'stated by the party or reported by a third party'],
    ['stated', 'stated', 'the party\'s own words only'],
  ];
  return h('fieldset', { class: 'toggle' }, h('legend', {}, 'Red lines applied'),
    choices.map(([v, label, hint]) => {
      const input = h('input', { type: 'radio', name, value: v, checked: v === value, id: uid('rl') });
      input.addEventListener('change', () => { if (input.checked) onChange(v); });
      return h('span', { class: 'choice' }, input, h('label', { for: input.id }, h('strong', {}, label), ` — ${hint}`));
    }));
}

function summarySection(a, names) {
  const zone = a.zone.exists
    ? `an agreement zone of ${fmtInt(a.zone.size)} packages (${fmtPct(a.zone.share)} of the space)`
    : 'no agreement zone: no package clears every reservation value and red line';
  return section('The problem',
    dl([
      ['Packages in the space', h('span', { 'data-value': 'space_size' }, fmtInt(a.space_size))],
      ['Issues', String(a.issue_count)],
      ['Agreement zone', h('span', { 'data-value': 'zone' }, zone)],
      ['Whose consent is needed', a.consenting.map((p) => {
        const party = a.parties.find((x) => x.id === p);
        return `${names.get(p)} (reservation value ${fmtNum(party.reservation)})`;
      }).join('; ')],
      ['Method', a.method],
      a.what_if.length ? ['What-if changes', a.what_if.join('; ')] : null,
    ]));
}

// The utility space of two parties (GET …/space).
function spaceSection(state, ctx, sync) {
  const { analysis, names } = ctx;
  const options = analysis.consenting.map((p) => [p, names.get(p)]);
  const xSel = select(options, state.x);
  const ySel = select(options, state.y);
  const chart = h('div', { class: 'chart-area', 'aria-live': 'polite' });
  const draw = async () => {
    state.x = xSel.value;
    state.y = ySel.value;
    sync();
    if (state.x === state.y) {
      chart.replaceChildren(h('p', { role: 'alert', class: 'error' }, 'Choose two different parties.'));
      return;
    }
    chart.replaceChildren(h('p', { class: 'loading' }, 'Loading the utility space…'));
    try {
      const space = await cached(`${scenarioPath(state.id)}/space?x=${encodeURIComponent(state.x)}&y=${encodeURIComponent(state.y)}&red_lines=${state.redLines}`);
      if (xSel.value !== space.x.id || ySel.value !== space.y.id) return;
      chart.replaceChildren(spaceChart(space));
    } catch (err) {
      chart.replaceChildren(errorBox(err, 'The utility space cannot be drawn'));
    }
  };
  xSel.addEventListener('change', draw);
  ySel.addEventListener('change', draw);
  draw();
  return section('Utility space of two parties',
    h('div', { class: 'controls' }, field('Horizontal axis', xSel), field('Vertical axis', ySel)),
    chart);
}

function spaceChart(space) {
  const W = 640, H = 480, m = { l: 58, r: 20, t: 16, b: 50 };
  const pw = W - m.l - m.r, ph = H - m.t - m.b;
  const all = [...space.cells, ...space.frontier.points, ...space.solutions];
  const lo = Math.min(0, ...all.map((p) => Math.min(p.x, p.y)), space.x.reservation, space.y.reservation);
  const hi = Math.max(1, ...all.map((p) => Math.max(p.x, p.y)));
  const sx = (v) => m.l + ((v - lo) / (hi - lo)) * pw;
  const sy = (v) => m.t + ph - ((v - lo) / (hi - lo)) * ph;
  const titleId = uid('t'), descId = uid('d');
  const zoneCount = space.zone.size ?? space.zone.evaluated;
  const svg = sv('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart space-chart', role: 'img', 'aria-labelledby': `${titleId} ${descId}` },
    sv('title', { id: titleId }, `Utility of each package to ${space.x.name} (horizontal) and ${space.y.name} (vertical)`),
    sv('desc', { id: descId }, `${fmtInt(space.packages)} packages on a ${space.grid} by ${space.grid} grid, ${space.cells.length} cells occupied; the pair's Pareto frontier has ${fmtInt(space.frontier.size)} points; ${space.zone.exists ? `the agreement zone holds ${fmtInt(zoneCount)} of the packages evaluated` : 'there is no agreement zone'}.`));
  // Axes and grid.
  const ticks = niceTicks(lo, hi, 5);
  for (const t of ticks) {
    svg.append(
      sv('line', { x1: sx(t), y1: m.t, x2: sx(t), y2: m.t + ph, class: 'gridline' }),
      sv('line', { x1: m.l, y1: sy(t), x2: m.l + pw, y2: sy(t), class: 'gridline' }),
      sv('text', { x: sx(t), y: m.t + ph + 16, 'text-anchor': 'middle', class: 'tick' }, fmtNum(t, 2)),
      sv('text', { x: m.l - 6, y: sy(t) + 4, 'text-anchor': 'end', class: 'tick' }, fmtNum(t, 2)));
  }
  svg.append(
    sv('rect', { x: m.l, y: m.t, width: pw, height: ph, class: 'plot-frame' }),
    sv('text', { x: m.l + pw / 2, y: H - 8, 'text-anchor': 'middle', class: 'axis-label' }, `utility to ${space.x.name}`),
    sv('text', { x: 14, y: m.t + ph / 2, 'text-anchor': 'middle', transform: `rotate(-90 14 ${m.t + ph / 2})`, class: 'axis-label' }, `utility to ${space.y.name}`));
  // Cells: size and opacity by how many packages (four steps, so that dots do not blur into
  // each other), no bigger than the grid's spacing; the zone's cells orange squares with an
  // outline, a different shape as well as a different colour.
  const maxCount = Math.max(1, ...space.cells.map((c) => c.count));
  const spacing = Math.max(1.5, pw / Math.max(1, space.grid) / (hi - lo));
  const cells = sv('g', { class: 'cells' });
  const zoneCells = sv('g', { class: 'zone-cells' });
  for (const c of space.cells) {
    const k = Math.ceil(4 * Math.sqrt(c.count / maxCount)) / 4;
    const tip = sv('title', {}, `${space.x.name} ${fmtNum(c.x)}, ${space.y.name} ${fmtNum(c.y)}: ${fmtInt(c.count)} package(s), ${fmtInt(c.zone)} in the agreement zone`);
    const el = c.zone > 0
      ? marker('square', sx(c.x), sy(c.y), Math.max(2.5, Math.min(6, spacing * 0.7)), { fill: '#E69F00', stroke: '#000', 'stroke-width': 0.8, class: 'cell cell-zone' })
      : marker('circle', sx(c.x), sy(c.y), Math.min(6, Math.max(0.9, spacing * 0.5 * (0.4 + 0.6 * k))), { fill: '#0072B2', 'fill-opacity': (0.2 + 0.6 * k).toFixed(2), class: 'cell' });
    el.append(tip);
    (c.zone > 0 ? zoneCells : cells).append(el);
  }
  svg.append(cells, zoneCells);
  // Reservation values.
  svg.append(
    sv('line', { x1: sx(space.x.reservation), y1: m.t, x2: sx(space.x.reservation), y2: m.t + ph, class: 'reservation' }),
    sv('text', { x: sx(space.x.reservation) + 4, y: m.t + 12, class: 'annot' }, `${space.x.name}'s reservation ${fmtNum(space.x.reservation)}`),
    sv('line', { x1: m.l, y1: sy(space.y.reservation), x2: m.l + pw, y2: sy(space.y.reservation), class: 'reservation' }),
    sv('text', { x: m.l + pw - 4, y: sy(space.y.reservation) - 5, 'text-anchor': 'end', class: 'annot' }, `${space.y.name}'s reservation ${fmtNum(space.y.reservation)}`));
  // The pair's frontier.
  const fp = [...space.frontier.points].sort((a, b) => a.x - b.x);
  if (fp.length) {
    svg.append(sv('polyline', { points: fp.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' '), class: 'frontier' }));
  }
  // The four bargaining solutions; labels merged where they coincide and stacked in a column
  // beside the points, each with a leader line to its point.
  const groups = new Map();
  space.solutions.forEach((s) => {
    const key = `${s.x}|${s.y}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(s);
  });
  const conceptShape = { nash: 'star', 'kalai-smorodinsky': 'diamond', egalitarian: 'triangle', utilitarian: 'square' };
  const placed = [...groups.values()].sort((a, b) => b[0].y - a[0].y);
  const rightmost = Math.max(...placed.map((g) => sx(g[0].x)), m.l);
  const onRight = rightmost + 150 < m.l + pw;
  const lx = onRight ? rightmost + 40 : Math.min(...placed.map((g) => sx(g[0].x))) - 40;
  let lastY = -Infinity;
  for (const group of placed) {
    const { x, y } = group[0];
    const ly = Math.max(sy(y), lastY + 16);
    lastY = ly;
    svg.append(sv('line', { x1: sx(x), y1: sy(y), x2: lx + (onRight ? -3 : 3), y2: ly - 4, class: 'leader' }),
      sv('text', { x: lx, y: ly, 'text-anchor': onRight ? 'start' : 'end', class: 'solution-label' }, group.map((s) => s.concept).join(', ')));
  }
  for (const group of placed) {
    for (const [j, s] of group.entries()) {
      const mk = marker(conceptShape[s.concept] || 'circle', sx(s.x) + j * 3, sy(s.y) - j * 3, 5.5, { fill: '#CC79A7', stroke: '#000', 'stroke-width': 1.2, class: 'solution' });
      mk.append(sv('title', {}, `${s.concept}: ${space.x.name} ${fmtNum(s.x)}, ${space.y.name} ${fmtNum(s.y)}`));
      svg.append(mk);
    }
  }
  const legend = h('ul', { class: 'legend' },
    h('li', {}, legendSwatch('circle', '#0072B2'), 'packages (bigger, darker: more in the cell)'),
    h('li', {}, legendSwatch('square', '#E69F00'), 'cells with packages in the agreement zone (squares)'),
    h('li', {}, legendSwatch(null, '#D55E00', ''), `the two parties' Pareto frontier (${fmtInt(space.frontier.size)} points${space.frontier.downsampled ? `, ${fmtInt(space.frontier.shown)} drawn` : ''})`),
    h('li', {}, legendSwatch(null, '#555', '5 4'), 'reservation values'),
    ...Object.entries(conceptShape).map(([c, shape]) => h('li', {}, legendSwatch(shape, '#CC79A7'), c)));
  const zoneText = space.zone.exists
    ? `Agreement zone: ${fmtInt(zoneCount)} package(s) of the ${fmtInt(space.evaluated)} evaluated.`
    : 'No agreement zone: no package clears every reservation value and red line.';
  const facts = h('p', { class: 'chart-facts' },
    `${fmtInt(space.packages)} packages; ${fmtInt(space.evaluated)} evaluated${space.sampled ? ' (a uniform random sample)' : ''}; `,
    `${space.cells.length} occupied cells of a ${space.grid}×${space.grid} grid; utilities compared ${space.exact ? 'exactly' : 'in floating point'}. `, zoneText);
  const notes = space.notes && space.notes.length ? h('ul', { class: 'notes' }, space.notes.map((n) => h('li', {}, n))) : null;
  const solTable = space.solutions.length
    ? tableWrap('Bargaining solutions', h('table', {},
      h('caption', {}, 'Bargaining solutions of the whole problem, at their utilities to these two parties'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Concept'), h('th', { scope: 'col' }, space.x.name), h('th', { scope: 'col' }, space.y.name), h('th', { scope: 'col' }, 'Package'))),
      h('tbody', {}, space.solutions.map((s) => h('tr', {},
        h('th', { scope: 'row' }, s.concept + (s.tied ? ' (tied)' : '')), h('td', {}, fmtNum(s.x)), h('td', {}, fmtNum(s.y)), h('td', {}, packageText(s.package)))))))
    : h('p', {}, 'No bargaining solution: the agreement zone is empty.');
  const frontierTable = h('details', {}, h('summary', {}, `The frontier's ${fp.length} drawn points as a table`),
    tableWrap('Frontier points', h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, space.x.name), h('th', { scope: 'col' }, space.y.name), h('th', { scope: 'col' }, 'A package there'))),
      h('tbody', {}, space.frontier.points.map((p) => h('tr', {}, h('td', {}, fmtNum(p.x)), h('td', {}, fmtNum(p.y)), h('td', {}, packageText(p.package))))))));
  return h('figure', { class: 'figure' }, h('div', { class: 'chart-scroll' }, svg), h('figcaption', {}, legend, facts, notes), solTable, frontierTable);
}

function packageText(pkg) {
  if (!pkg) return '—';
  return Object.entries(pkg).map(([k, v]) => `${k}: ${v}`).join('; ');
}

function issueMapSection(a, names) {
  const max = Math.max(...a.issues.map((i) => i.blocking), 0);
  const rows = a.issues.map((i) => h('tr', {},
    h('td', {}, String(i.rank)),
    h('th', { scope: 'row' }, i.name, h('br'), h('code', {}, i.issue)),
    h('td', {}, bar(i.blocking, max, fmtPct(i.blocking))),
    h('td', {}, fmtPct(i.freed_share)),
    h('td', {}, yesNo(i.opens_zone)),
    h('td', {}, yesNo(i.favourites_differ)),
    a.consenting.map((p) => h('td', {}, fmtNum(i.weights[p]), h('br'), h('span', { class: 'small' }, `best: ${(i.favourites[p] || []).join(', ')}`))),
    h('td', {}, i.red_lines.length ? h('ul', { class: 'plain' }, i.red_lines.map((r) => h('li', {}, h('code', {}, r)))) : 'none')));
  return section('Issue map, ranked by blocking',
    h('p', {}, 'Blocking: the share of the space the issue\'s red lines rule out that nothing else does; freed share: the share a zone would gain if the issue were left open.'),
    tableWrap('Issue map', h('table', { class: 'issue-map' },
      h('thead', {}, h('tr', {},
        ['Rank', 'Issue', 'Blocking', 'Freed share', 'Opens a zone alone', 'Favourites differ'].map((t) => h('th', { scope: 'col' }, t)),
        a.consenting.map((p) => h('th', { scope: 'col' }, `${names.get(p)}: weight`)),
        h('th', { scope: 'col' }, 'Red lines'))),
      h('tbody', {}, rows))));
}

function bar(value, max, text) {
  const track = h('span', { class: 'bar-track', 'aria-hidden': 'true' });
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${max > 0 ? (100 * value) / max : 0}%`;
  track.append(fill);
  return h('span', { class: 'bar' }, track, h('span', { class: 'bar-text' }, text));
}

const STANCES = {
  accepts: ['✓', 'accepts'],
  rejects: ['✗', 'rejects'],
  reserves: ['◐', 'reserves'],
  'not-stated': ['–', 'not stated'],
};

function stanceCell(stance) {
  const [glyph, text] = STANCES[stance] || ['?', stance];
  return h('span', { class: `stance stance-${stance}` }, h('span', { 'aria-hidden': 'true', class: 'glyph' }, glyph), ` ${text}`);
}

function frameworkSection(a, names) {
  const f = a.framework;
  if (!f || !f.points.length) return section('Framework', h('p', {}, 'The scenario has no framework document.'));
  const others = Object.keys(f.points[0].stances).filter((p) => !a.consenting.includes(p));
  return section(`Framework: ${f.title}`,
    h('p', {}, `Accepted by every party whose consent is needed: ${fmtPct(f.accepted_share)} of the points, ${fmtPct(f.weighted_share)} by weight.`),
    tableWrap('Framework points', h('table', {},
      h('thead', {}, h('tr', {},
        ['Point', 'Title', 'Issues', 'Weight', 'Accepted'].map((t) => h('th', { scope: 'col' }, t)),
        a.consenting.map((p) => h('th', { scope: 'col' }, names.get(p))),
        others.length ? h('th', { scope: 'col' }, 'Others (consent not needed)') : null)),
      h('tbody', {}, f.points.map((pt) => h('tr', {},
        h('td', {}, String(pt.number)),
        h('th', { scope: 'row' }, pt.title),
        h('td', {}, pt.issues.join(', ')),
        h('td', {}, fmtNum(pt.weight, 3)),
        h('td', {}, pt.accepted ? 'yes' : `no (holding out: ${pt.holdouts.map((x) => `${names.get(x.party) || x.party} ${STANCES[x.stance] ? STANCES[x.stance][1] : x.stance}`).join(', ')})`),
        a.consenting.map((p) => h('td', {}, stanceCell(pt.stances[p]))),
        others.length ? h('td', { class: 'small' }, others.filter((p) => pt.stances[p] !== 'not-stated').map((p) => `${names.get(p) || p}: ${pt.stances[p]}`).join('; ') || 'none stated') : null))))));
}

function constraintItem(c, ctx) {
  const who = ctx.names.get(c.party) || c.party;
  const head = c.kind === 'reservation'
    ? h('p', {}, h('strong', {}, `${who}'s reservation value`), ` ${fmtNum(c.value)}`)
    : h('p', {}, h('strong', {}, `${who}: `), c.rule, ' ', h('code', {}, c.id));
  return h('li', { class: 'constraint' }, head, provenance(c.provenance, ctx));
}

function provenance(p, ctx) {
  if (!p) return null;
  const parts = [h('span', { class: `basis basis-${p.basis}` }, `basis: ${p.basis}`)];
  const quotes = p.citations.map((c) => h('li', {}, h('q', {}, c.quote), ` — ${c.source}${c.speaker ? `, ${c.speaker}` : ''}`));
  const claims = p.claims.map((id) => {
    const claim = ctx.claimsById.get(id);
    if (!claim) return h('li', {}, 'claim ', h('code', {}, id));
    return h('li', {}, 'claim ', h('code', {}, id), `: ${claim.text} (${claim.standing})`,
      claim.citations.length ? h('ul', {}, claim.citations.map((c) => h('li', {}, h('q', {}, c.quote), ` — ${c.source}${c.speaker ? `, ${c.speaker}` : ''}`))) : null);
  });
  return h('div', { class: 'provenance' }, parts, quotes.length || claims.length ? h('ul', { class: 'rests-on' }, quotes, claims) : null);
}

function noZoneSection(a, ctx) {
  const nz = a.no_zone;
  const names = ctx.names;
  // Each conflict folds away (the first open): with their quotes they are long.
  const conflicts = nz.conflicts.map((c, i) => h('li', {},
    h('details', { open: i === 0 },
      h('summary', {}, `Conflict ${i + 1}: ${c.map((x) => (x.kind === 'reservation' ? `${names.get(x.party) || x.party}'s reservation value` : x.id)).join(' × ')}`),
      h('ul', { class: 'constraints' }, c.map((x) => constraintItem(x, ctx))))));
  const correction = (c) => h('li', {},
    h('p', {}, c.zone_size === null || c.zone_size === undefined ? 'Opens a zone.' : `Opens a zone of ${fmtInt(c.zone_size)} packages.`),
    c.constraints.length ? h('ul', { class: 'constraints' }, c.constraints.map((x) => constraintItem(x, ctx))) : null,
    Object.keys(c.lower_to).length ? h('p', {}, 'Lower reservation values to: ',
      Object.entries(c.lower_to).map(([p, v]) => `${names.get(p) || p} ${fmtNum(v)}`).join(', '), c.lower_to_proven ? '' : ' (not proven lowest)') : null);
  const relax = nz.relaxations.map((r) => {
    const ch = r.change;
    const what = ch.kind === 'lower_reservation' ? `lower the reservation value from ${fmtNum(ch.from)} to ${fmtNum(ch.to)}`
      : ch.kind === 'admit_option' ? `admit option ${ch.option} on ${ch.issue}`
        : ch.kind === 'narrow_condition' ? `narrow the condition on ${ch.issue} (${ch.option})` : 'drop the red line';
    return h('li', {}, `${what}: `, h('code', {}, r.constraint.id || r.constraint.party), ` — opens a zone of ${fmtInt(r.zone_size)} packages`);
  });
  return section('Why there is no zone, and the smallest changes that open one',
    h('h3', {}, `Conflicts (${nz.conflicts.length}${nz.conflicts_complete ? ', all of them' : ', those found'})`),
    h('ol', { class: 'conflicts' }, conflicts),
    h('h3', {}, `Smallest changes (${nz.corrections.length}${nz.corrections_complete ? ', proven to be all' : ''})`),
    h('p', {}, 'Each set below, relaxed together, opens a zone; none smaller does.'),
    h('ol', { class: 'corrections' }, nz.corrections.map(correction)),
    h('h3', {}, 'By party: the smallest changes of its own'),
    h('ul', { class: 'by-party' }, nz.by_party.map((b) => h('li', {},
      b.corrections.length ? h('details', {}, h('summary', {}, `${names.get(b.party) || b.party}: ${b.corrections.length} smallest change(s) of its own`), h('ol', {}, b.corrections.map(correction)))
        : h('p', {}, `${names.get(b.party) || b.party}: nothing of its own opens a zone${b.remaining_conflict !== null ? `: conflict ${b.remaining_conflict + 1} holds none of its constraints` : ''}.`)))),
    relax.length ? [h('h3', {}, 'Single changes, cheapest first'), h('ol', {}, relax)] : null);
}

function redLineListSection(title, lines, ctx) {
  return section(title, h('ul', { class: 'constraints' }, lines.map((r) => constraintItem({ kind: 'red_line', ...r }, ctx))));
}

function sensitivitySection(state, ctx) {
  const samples = h('input', { type: 'number', min: '1', max: '2000', step: '1', value: '100', inputmode: 'numeric' });
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'controls' }, field('Draws', samples, 'scenarios drawn within the ranges of the assumed numbers'),
    h('button', { type: 'submit' }, 'Run the sensitivity analysis'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const n = Math.max(1, Math.floor(Number(samples.value) || 0));
    out.replaceChildren(h('p', { class: 'loading' }, `Drawing ${n} scenarios…`));
    try {
      const a = await cached(`${scenarioPath(state.id)}/analysis?red_lines=${state.redLines}&samples=${n}`);
      out.replaceChildren(sensitivityView(a.sensitivity, ctx));
      announce('Sensitivity analysis done');
    } catch (err) {
      out.replaceChildren(errorBox(err, 'The sensitivity analysis failed'));
    }
  });
  return section('Sensitivity to the assumed numbers',
    h('p', {}, 'Which conclusions hold when the weights, values and reservation values marked with a range are drawn within it.'), form, out);
}

function sensitivityView(s, ctx) {
  if (!s) return h('p', {}, 'The server returned no sensitivity report.');
  if (!s.ranged_numbers) return h('p', {}, 'The scenario gives no ranges for its numbers: nothing to vary.');
  const issues = [...new Set(s.concepts.flatMap((c) => Object.keys(c.issue_holds)))];
  return h('div', {},
    h('p', {}, `${s.ranged_numbers} ranged number(s); ${s.samples} draws. The zone ${s.baseline_zone ? 'exists' : 'is empty'} with the numbers as written, and exists in `,
      h('strong', {}, `${s.zone_exists} of ${s.samples}`), ` draws (${fmtPct(s.zone_exists_share)}).`),
    bar(s.zone_exists, s.samples, `zone exists in ${s.zone_exists} of ${s.samples} draws`),
    s.concepts.length ? tableWrap('Sensitivity by concept', h('table', {},
      h('caption', {}, 'How often each concept\'s package as written stays its choice, and how often each issue is settled as written'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Concept'), h('th', { scope: 'col' }, 'Package as written'), h('th', { scope: 'col' }, 'Stays the choice'),
        issues.map((i) => h('th', { scope: 'col' }, `${i} as written`)))),
      h('tbody', {}, s.concepts.map((c) => h('tr', {},
        h('th', { scope: 'row' }, c.concept),
        h('td', {}, c.baseline.map((p) => packageText(p.options)).join(' | ') || '—'),
        h('td', {}, bar(c.baseline_holds, s.samples, `${c.baseline_holds} of ${s.samples}`)),
        issues.map((i) => h('td', {}, bar(c.issue_holds[i] || 0, s.samples, `${c.issue_holds[i] || 0} of ${s.samples}`)))))))) : null);
}

// ---------------------------------------------------------------------------------------------
// Sequencing view

async function renderSequence(view, id, params, stale) {
  const scenario = await scenarioById(id);
  const seq = await cached(`${scenarioPath(id)}/sequence`);
  if (stale()) return;
  const stepNames = new Map(seq.steps.map((s) => [s.id, s.name]));
  view.append(h('h1', {}, `Sequencing: ${scenario.title}`));
  if (seq.what_if.length) view.append(h('p', {}, `What-if: ${seq.what_if.join('; ')}`));
  if (seq.feasible && seq.plan) {
    view.append(section('The plan', h('p', { class: 'verdict' }, `Feasible: every hard demand holds. The plan takes ${seq.plan.duration} days.`), planView(seq.plan, seq, stepNames)));
  } else if (seq.deadlock) {
    const d = seq.deadlock;
    view.append(section('Deadlock',
      h('p', { class: 'verdict' }, `No order of the steps meets every hard demand: ${d.conflicts.length} conflict(s)${d.complete ? '' : ' found (the search stopped)'}.`),
      d.conflicts.map((c, i) => conflictView(c, i, seq, stepNames))));
    if (d.way_out) {
      view.append(section('The way out',
        h('p', {}, `The cheapest way out of the whole deadlock: ${d.way_out.cost.changes} change(s), ${d.way_out.cost.splits} split(s), ${d.way_out.cost.days} day(s) of relaxation.`),
        h('ol', {}, d.way_out.actions.map((a) => h('li', {}, actionText(a, stepNames)))),
        h('h3', {}, `The plan after it: ${d.way_out.plan.duration} days`),
        planView(d.way_out.plan, seq, stepNames)));
    } else if (d.way_out_failure) {
      view.append(section('The way out', h('p', {}, d.way_out_failure)));
    }
  }
  view.append(section('Steps', tableWrap('Steps', h('table', {},
    h('thead', {}, h('tr', {}, ['Step', 'Parties', 'Days', 'Verification', 'Can be split', 'Basis'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, seq.steps.map((s) => h('tr', {},
      h('th', { scope: 'row' }, s.name, h('br'), h('code', {}, s.id)),
      h('td', {}, s.parties.join(', ')),
      h('td', {}, String(s.duration)),
      h('td', {}, s.verification ? `${s.verification.days} days${s.verification.by ? ` by ${s.verification.by}` : ''}` : 'none'),
      h('td', {}, s.split === null ? 'no' : `yes (first tranche ${fmtPct(s.split)})`),
      h('td', {}, s.provenance ? s.provenance.basis : '—'))))))));
  view.append(section('Demands', tableWrap('Demands', h('table', {},
    h('thead', {}, h('tr', {}, ['Demand', 'Party', 'What', 'Strength'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, seq.demands.map((d) => h('tr', {},
      h('th', { scope: 'row' }, h('code', {}, d.id)),
      h('td', {}, d.party),
      h('td', {}, d.text),
      h('td', {}, d.strength.kind === 'hard' ? 'hard' : `${d.strength.kind}, cost ${d.strength.cost}`))))))));
}

function actionText(a, stepNames) {
  if (a.kind === 'split') {
    return `Split “${stepNames.get(a.step) || a.step}” into ${a.first_days} + ${a.second_days} days; ${a.attached.map((x) => `${x.demand} applies to tranche ${x.tranches.join(' and ')}`).join('; ')}.`;
  }
  return `Relax ${a.demand} by ${a.days} days: ${a.text}.`;
}

const clip = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
const stepKey = (s) => `${s.step}#${s.tranche ?? ''}`;
const stepLabel = (s, stepNames) => `${stepNames.get(s.step) || s.step}${s.tranche ? ` (tranche ${s.tranche})` : ''}`;

function planView(plan, seq, stepNames) {
  const critical = new Set(plan.critical_path.map(stepKey));
  const rows = [...plan.steps].sort((a, b) => a.start - b.start || a.done - b.done);
  const labelW = 420, chartW = 640, rowH = 26, top = 38, W = labelW + chartW + 20, H = top + rows.length * rowH + 30;
  const maxDay = Math.max(plan.duration, ...rows.map((r) => r.done), 1);
  const sx = (d) => labelW + (d / maxDay) * chartW;
  const titleId = uid('t');
  const svg = sv('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart gantt', role: 'img', 'aria-labelledby': titleId },
    sv('title', { id: titleId }, `Gantt chart of the plan: ${rows.length} steps over ${plan.duration} days; critical path through ${plan.critical_path.map((c) => stepLabel(c, stepNames)).join(', ')}`),
    sv('defs', {}, sv('pattern', { id: uid('hatch'), width: 5, height: 5, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      sv('rect', { width: 5, height: 5, fill: '#fff' }), sv('line', { x1: 0, y1: 0, x2: 0, y2: 5, stroke: '#009E73', 'stroke-width': 2 }))));
  const hatchId = svg.querySelector('pattern').id;
  for (const t of niceTicks(0, maxDay, 8)) {
    svg.append(sv('line', { x1: sx(t), y1: top - 6, x2: sx(t), y2: H - 26, class: 'gridline' }),
      sv('text', { x: sx(t), y: H - 10, 'text-anchor': 'middle', class: 'tick' }, `day ${t}`));
  }
  plan.phases.forEach((p, i) => {
    svg.append(sv('line', { x1: sx(p.day), y1: 14, x2: sx(p.day), y2: H - 26, class: 'phase-line' }),
      sv('text', { x: sx(p.day) + 2, y: 12 + (i % 2) * 12, class: 'phase-label' }, `P${i + 1}`));
  });
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const crit = critical.has(stepKey(r));
    svg.append(sv('text', { x: labelW - 8, y: y + rowH / 2 + 4, 'text-anchor': 'end', class: crit ? 'row-label critical' : 'row-label' },
      `${crit ? '★ ' : ''}${clip(stepNames.get(r.step) || r.step, r.tranche ? 38 : 48)}${r.tranche ? ` (tranche ${r.tranche})` : ''}`));
    const end = r.start + r.duration;
    const g = sv('g', {});
    g.append(sv('title', {}, `${stepLabel(r, stepNames)}: day ${r.start} to day ${end}${r.done > end ? `, verified by day ${r.done}` : ''}${crit ? '; on the critical path' : ''}`));
    if (r.duration > 0) {
      g.append(sv('rect', { x: sx(r.start), y: y + 5, width: Math.max(2, sx(end) - sx(r.start)), height: rowH - 10, class: crit ? 'task critical' : 'task' }));
    } else {
      g.append(marker('diamond', sx(r.start), y + rowH / 2, 6, { class: crit ? 'milestone critical' : 'milestone' }));
    }
    if (r.done > end) g.append(sv('rect', { x: sx(end), y: y + 8, width: sx(r.done) - sx(end), height: rowH - 16, fill: `url(#${hatchId})`, stroke: '#009E73', class: 'verification' }));
    svg.append(g);
  });
  const legend = h('ul', { class: 'legend' },
    h('li', {}, legendSwatch('square', '#0072B2'), 'a step, from its start to its end'),
    h('li', {}, legendSwatch('square', '#D55E00'), '★ a step on the critical path (thick outline)'),
    h('li', {}, legendSwatch('diamond', '#0072B2'), 'a step of no duration'),
    h('li', {}, legendSwatch('square', '#009E73'), 'verification (hatched), until the step counts as done'),
    h('li', {}, legendSwatch(null, '#666', '3 3'), 'P1, P2…: the phases, when steps start together'));
  const phases = h('ol', { class: 'phases' }, plan.phases.map((p, i) => h('li', {}, `P${i + 1}, day ${p.day}: ${p.steps.map((s) => stepLabel(s, stepNames)).join(', ')}`)));
  const path = h('ol', { class: 'critical-path' }, plan.critical_path.map((c) => h('li', {}, stepLabel(c, stepNames),
    c.cause.kind === 'day-zero' ? ' — starts on day 0' : c.cause.kind === 'demand' ? ` — after ${c.after ? stepLabel(c.after, stepNames) : '?'}, by ${c.cause.demand}` : ` — after ${c.after ? stepLabel(c.after, stepNames) : '?'} (tranche order)`)));
  return h('figure', { class: 'figure' },
    h('div', { class: 'chart-scroll wide' }, svg),
    h('figcaption', {}, legend,
      h('p', {}, `Duration ${plan.duration} days; cost of broken soft demands ${plan.cost}.`),
      plan.broken.length ? h('p', {}, 'Soft demands broken: ', plan.broken.map((b) => `${b.demand} by ${b.days} days (cost ${b.cost})`).join('; ')) : h('p', {}, 'No demand is broken.')),
    h('h4', {}, 'Phases'), phases,
    h('h4', {}, 'Critical path'), path,
    h('details', {}, h('summary', {}, 'The plan as a table'), tableWrap('Plan', h('table', {},
      h('thead', {}, h('tr', {}, ['Step', 'Start', 'Days', 'Done (verified)', 'Critical'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, stepLabel(r, stepNames)), h('td', {}, `day ${r.start}`), h('td', {}, String(r.duration)), h('td', {}, `day ${r.done}`), h('td', {}, yesNo(critical.has(stepKey(r)))))))))));
}

function conflictView(c, i, seq, stepNames) {
  const out = [h('h3', {}, `Conflict ${i + 1}: ${c.demands.join(', ')}`)];
  if (c.cycle && c.cycle.length) {
    const nodes = [];
    for (const link of c.cycle) for (const s of [link.earlier.step, link.later.step]) if (!nodes.includes(s)) nodes.push(s);
    const W = 760, H = 400, cx = W / 2, cy = H / 2 + 4, R = 135;
    const pos = new Map(nodes.map((n, k) => {
      const a = -Math.PI / 2 + (2 * Math.PI * k) / nodes.length;
      return [n, [cx + R * Math.cos(a), cy + R * Math.sin(a)]];
    }));
    const titleId = uid('t');
    const arrowId = uid('arrow');
    const svg = sv('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart cycle', role: 'img', 'aria-labelledby': titleId },
      sv('title', { id: titleId }, `A cycle of demands: ${c.cycle.map((l) => `${l.later.step} ${l.later.event} after ${l.earlier.step} ${l.earlier.event}`).join('; ')}`),
      sv('defs', {}, sv('marker', { id: arrowId, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' },
        sv('path', { d: 'M0,0L10,5L0,10z', fill: '#D55E00' }))));
    const rx = 70, ry = 22;
    // Where a line from an ellipse's centre in direction (ux, uy) leaves it.
    const rim = (ux, uy) => 1 / Math.sqrt((ux / rx) ** 2 + (uy / ry) ** 2);
    c.cycle.forEach((l) => {
      const [x1, y1] = pos.get(l.earlier.step);
      const [x2, y2] = pos.get(l.later.step);
      const dx = x2 - x1, dy = y2 - y1, len = Math.hypot(dx, dy) || 1;
      const ux = dx / len, uy = dy / len;
      const ax = x1 + ux * (rim(ux, uy) + 4), ay = y1 + uy * (rim(ux, uy) + 4);
      const bx = x2 - ux * (rim(ux, uy) + 6), by = y2 - uy * (rim(ux, uy) + 6);
      // Bend each link away from the ring's centre so that links and labels stay apart.
      let ox = (ax + bx) / 2 - cx, oy = (ay + by) / 2 - cy;
      const ol = Math.hypot(ox, oy) || 1;
      ox /= ol; oy /= ol;
      const mx = (ax + bx) / 2 + ox * 40, my = (ay + by) / 2 + oy * 40;
      const name = l.cause.kind === 'demand' ? l.cause.demand : l.cause.kind;
      svg.append(sv('path', { d: `M${ax},${ay} Q${mx},${my} ${bx},${by}`, class: 'cycle-link', 'marker-end': `url(#${arrowId})` }),
        sv('text', { x: (ax + bx) / 2 + ox * 34, y: (ay + by) / 2 + oy * 34 + (oy > 0 ? 14 : -4), 'text-anchor': Math.abs(ox) < 0.3 ? 'middle' : ox > 0 ? 'start' : 'end', class: 'cycle-label' }, `${name} (+${l.days} d)`));
    });
    for (const [n, [x, y]] of pos) {
      svg.append(sv('ellipse', { cx: x, cy: y, rx, ry, class: 'cycle-node' }),
        sv('text', { x, y: y + 4, 'text-anchor': 'middle', class: 'cycle-node-label' }, n));
    }
    out.push(h('figure', { class: 'figure' }, h('div', { class: 'chart-scroll' }, svg),
      h('figcaption', {}, h('ol', {}, c.cycle.map((l) => h('li', {},
        `“${stepNames.get(l.later.step) || l.later.step}” ${l.later.event === 'start' ? 'starts' : l.later.event === 'done' ? 'is done' : l.later.event} after “${stepNames.get(l.earlier.step) || l.earlier.step}” ${l.earlier.event === 'done' ? 'is done' : l.earlier.event === 'start' ? 'starts' : l.earlier.event}`,
        l.cause.kind === 'demand' ? ` (demand ${l.cause.demand})` : '', `: +${l.days} days.`))),
      h('p', {}, 'Each link pushes the next step later; round the cycle, a step would have to start after itself.'))));
  }
  if (c.relaxations.length) {
    out.push(h('h4', {}, 'Relaxing one demand'), h('ul', {}, c.relaxations.map((r) => h('li', {}, `${r.demand}: ${r.text} — a plan of ${r.plan_days} days`))));
  }
  if (c.splits.length) {
    out.push(h('h4', {}, 'Splitting a step'), h('ul', {}, c.splits.map((s) => h('li', {},
      `“${stepNames.get(s.step) || s.step}” in ${s.first_days} + ${s.second_days} days${s.removes_conflict ? ' removes the conflict' : ' does not remove the conflict'}${s.plan ? ` (a plan of ${s.plan.duration} days)` : ''}`))));
  }
  if (c.set_aside) out.push(h('p', {}, `Set aside to find the others: ${c.set_aside}.`));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Evidence view

const STANDING_SHAPE = { corroborated: 'circle', 'single-source': 'square', denied: 'cross', disputed: 'triangle', anonymous: 'diamond', unverifiable: 'star' };

async function renderEvidence(view, id, params, stale) {
  const scenario = await scenarioById(id);
  view.append(h('h1', {}, `Evidence: ${scenario.title}`));
  // Comparing the reports takes the server longest the first time: the register is drawn
  // first, and the conflicts where their section is once they arrive.
  const conflicts = cached(`${scenarioPath(id)}/conflicts`);
  const [claims] = await Promise.allSettled([
    scenario.has_claims ? cached(`${scenarioPath(id)}/claims`) : Promise.reject(new Error('the scenario has no claims register')),
  ]);
  if (stale()) return;
  if (claims.status === 'fulfilled') view.append(claimsSection(claims.value));
  else view.append(section('Claims register', errorBox(claims.reason)));
  const slot = h('div', { 'aria-live': 'polite', 'aria-busy': 'true' }, section('Conflicts between the reports', h('p', { class: 'loading' }, 'Comparing the reports…')));
  view.append(slot);
  conflicts.then(
    (c) => slot.replaceChildren(conflictsSection(c)),
    (err) => slot.replaceChildren(section('Conflicts between the reports', errorBox(err, 'No report texts to compare'))),
  ).finally(() => slot.removeAttribute('aria-busy'));
}

function parseDay(s) {
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isNaN(t) ? null : t;
}

function claimDates(claim) {
  if (!claim.date || !claim.date.on) return null;
  const [a, b] = claim.date.on.split('..');
  const from = parseDay(a), to = parseDay(b || a);
  return from === null || to === null ? null : { from, to };
}

function claimCard(claim) {
  const cite = (c) => h('li', {}, h('q', {}, c.quote), ` — ${c.source}${c.speaker ? `, ${c.speaker}` : ''}${c.via && c.via.length ? ` (via ${c.via.join(', ')})` : ''}`);
  return h('li', { class: 'claim', id: `claim-${claim.id}` },
    h('p', {}, h('span', { class: `standing standing-${claim.standing}` }, legendSwatch(STANDING_SHAPE[claim.standing] || 'circle', '#000'), claim.standing), ' ', h('strong', {}, claim.text)),
    dl([
      ['Claim', h('code', {}, claim.id)],
      ['Event date', claim.date ? `${claim.date.on}${claim.date.weekday ? ` (${claim.date.weekday})` : ''}, written “${claim.date.as_written}”` : 'none given'],
      claim.by.length ? ['Asserted by', claim.by.join(', ')] : null,
      claim.about.length ? ['About', claim.about.join(', ')] : null,
      claim.denied_by.length ? ['Denied by', claim.denied_by.join(', ')] : null,
      claim.disputed_by.length ? ['Disputed by', claim.disputed_by.join(', ')] : null,
      ['Independent sources', `${claim.independent_sources} (${claim.origins.join(', ')})`],
      claim.figures.length ? ['Figures', claim.figures.map((f) => `${f.approx ? '≈' : ''}${f.value} ${f.unit}`).join(', ')] : null,
      claim.note ? ['Note', claim.note] : null,
    ]),
    h('ul', { class: 'citations' }, claim.citations.map(cite)));
}

function claimsSection(reg) {
  const dated = reg.claims.filter((c) => claimDates(c)).sort((a, b) => claimDates(a).from - claimDates(b).from || claimDates(a).to - claimDates(b).to);
  const undated = reg.claims.filter((c) => !claimDates(c));
  const counts = {};
  for (const c of reg.claims) counts[c.standing] = (counts[c.standing] || 0) + 1;
  const parts = [h('p', {}, `${reg.claims.length} claims: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}.`)];
  if (dated.length) {
    const day = 86400000;
    const lo = Math.min(...dated.map((c) => claimDates(c).from)) - day;
    const hi = Math.max(...dated.map((c) => claimDates(c).to)) + day;
    const labelW = 260, chartW = 560, rowH = 30, top = 10, W = labelW + chartW + 140, H = top + dated.length * rowH + 34;
    const sx = (t) => labelW + ((t - lo) / (hi - lo)) * chartW;
    const titleId = uid('t');
    const svg = sv('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart timeline', role: 'img', 'aria-labelledby': titleId },
      sv('title', { id: titleId }, `Timeline of the ${dated.length} dated claims, from ${new Date(lo + day).toISOString().slice(0, 10)} to ${new Date(hi - day).toISOString().slice(0, 10)}`));
    const stepDays = Math.max(1, Math.ceil((hi - lo) / day / 8));
    for (let t = lo; t <= hi; t += stepDays * day) {
      svg.append(sv('line', { x1: sx(t), y1: top, x2: sx(t), y2: H - 26, class: 'gridline' }),
        sv('text', { x: sx(t), y: H - 10, 'text-anchor': 'middle', class: 'tick' }, new Date(t).toISOString().slice(5, 10)));
    }
    dated.forEach((c, i) => {
      const d = claimDates(c);
      const y = top + i * rowH + rowH / 2;
      const g = sv('g', {});
      g.append(sv('title', {}, `${c.id}: ${c.text} — ${c.date.on}, ${c.standing}`));
      if (d.to > d.from) g.append(sv('rect', { x: sx(d.from), y: y - 4, width: sx(d.to) - sx(d.from), height: 8, class: 'date-range' }));
      g.append(marker(STANDING_SHAPE[c.standing] || 'circle', sx((d.from + d.to) / 2), y, 6, { fill: '#0072B2', stroke: '#000', 'stroke-width': 1, class: `standing-mark standing-${c.standing}` }));
      g.append(sv('text', { x: labelW - 8, y: y + 4, 'text-anchor': 'end', class: 'row-label' }, c.id.length > 38 ? `${c.id.slice(0, 37)}…` : c.id),
        sv('text', { x: labelW + chartW + 10, y: y + 4, class: 'row-label' }, c.standing));
      svg.append(g);
    });
    parts.push(h('h3', {}, 'By event date'),
      h('figure', { class: 'figure' }, h('div', { class: 'chart-scroll wide' }, svg),
        h('figcaption', {}, h('ul', { class: 'legend' }, Object.entries(STANDING_SHAPE).map(([k, shape]) => h('li', {}, legendSwatch(shape, '#0072B2'), k)),
          h('li', {}, legendSwatch(null, '#56B4E9', ''), 'a date known only within a range')))),
      h('ol', { class: 'claims' }, dated.map(claimCard)));
  }
  if (undated.length) parts.push(h('h3', {}, `Claims without an event date (${undated.length})`), h('ul', { class: 'claims' }, undated.map(claimCard)));
  parts.push(h('h3', {}, 'Sources'), tableWrap('Sources', h('table', {},
    h('thead', {}, h('tr', {}, ['Source', 'File', 'Outlet', 'Published', 'Notes'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, reg.sources.map((s) => h('tr', {},
      h('th', { scope: 'row' }, h('code', {}, s.id)), h('td', {}, s.file || '—'), h('td', {}, s.outlet || '—'), h('td', {}, s.published || 'undated'),
      h('td', {}, [s.translated ? 'translated' : null, s.embellished ? 'embellished' : null, s.same_story_as ? `same story as ${s.same_story_as}` : null, s.caveat].filter(Boolean).join('; ') || '—')))))));
  return section('Claims register', parts);
}

function conflictsSection(c) {
  const parts = [h('p', {}, `${c.sources.length} reports compared; ${c.conflicts.length} conflicts between them; ${c.events.length} events told by one or more reports.`)];
  parts.push(h('ol', { class: 'report-conflicts' }, c.conflicts.map((k) => h('li', { class: 'report-conflict' },
    h('h3', {}, `${k.about} (${k.kind}${k.tentative ? ', tentative' : ''})`),
    k.note ? h('p', {}, k.note) : null,
    h('div', { class: 'sides' }, k.sides.map((s, i) => h('div', { class: 'side' },
      h('p', { class: 'side-head' }, h('span', { class: 'side-n' }, `Side ${String.fromCharCode(65 + i)}`), ' ', h('strong', {}, s.value)),
      h('blockquote', {}, s.sentence),
      h('p', { class: 'small' }, `— ${s.source} (${s.claim})`)))),
    h('p', { class: 'small' }, `Similarity of the sentences: ${fmtNum(k.similarity, 3)}`)))));
  const ch = c.chronology;
  if (ch && ch.versions.length) {
    parts.push(h('h3', {}, 'Versions of the text the reports mention'),
      h('ul', {}, ch.versions.map((v) => h('li', {}, `${v.points}-point ${v.noun}: ${v.when}`))),
      ch.established.length ? h('p', {}, 'Established order: ', ch.established.map((e) => `${e.earlier} points before ${e.later}`).join('; '), '.') : null,
      ch.undetermined.length ? h('p', {}, 'Not determined: ', ch.undetermined.map((u) => u.join(' or ')).join('; '), '.') : null);
  }
  parts.push(h('h3', {}, 'The reports'), tableWrap('Reports', h('table', {},
    h('thead', {}, h('tr', {}, ['Report', 'Headline', 'Dated', 'Same story as', 'Claims'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, c.sources.map((s) => h('tr', {},
      h('th', { scope: 'row' }, h('code', {}, s.id)), h('td', {}, s.headline || '—'), h('td', {}, s.published || s.undated || s.published_from || '—'),
      h('td', {}, s.same_story_as && s.same_story_as !== s.id ? s.same_story_as : '—'), h('td', {}, String(s.claims))))))));
  return section('Conflicts between the reports', parts);
}

// ---------------------------------------------------------------------------------------------
// Simulation view

// The strategies `concord simulate --help` names (docs/simulation.md).
const STRATEGIES = ['boulware', 'linear', 'conceder', 'hardliner', 'random', 'tit-for-tat'];

async function renderSimulation(view, id, params, stale) {
  const scenario = await scenarioById(id);
  if (stale()) return;
  const negotiators = scenario.parties.filter((p) => p.consent);
  view.append(h('h1', {}, `Simulation: ${scenario.title}`));
  const def = select(STRATEGIES.map((s) => [s, s]), 'boulware');
  const perParty = negotiators.map((p) => [p, select([['', 'the default'], ...STRATEGIES.map((s) => [s, s])], '')]);
  const seed = h('input', { type: 'number', min: '0', step: '1', value: '0', inputmode: 'numeric' });
  const rounds = h('input', { type: 'number', min: '1', max: '1000', step: '1', value: '100', inputmode: 'numeric' });
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', {},
    h('div', { class: 'controls' },
      field('Default strategy', def),
      perParty.map(([p, s]) => field(`Strategy of ${p.name}`, s)),
      field('Seed', seed), field('Rounds (deadline)', rounds)),
    h('button', { type: 'submit' }, 'Run the negotiation'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const strategies = {};
    for (const [p, s] of perParty) if (s.value) strategies[p.id] = s.value;
    const body = { strategies, default_strategy: def.value, seed: Number(seed.value) || 0, rounds: Number(rounds.value) || 100 };
    out.replaceChildren(h('p', { class: 'loading' }, 'Negotiating…'));
    try {
      const r = await api(`${scenarioPath(id)}/simulate`, { method: 'POST', body });
      out.replaceChildren(simulationResult(r, scenario));
      announce(r.agreement ? `Agreement after ${r.rounds} rounds` : `No agreement: ${r.end}`);
    } catch (err) {
      out.replaceChildren(errorBox(err, 'The simulation was refused'));
    }
  });
  view.append(section('Strategies', h('p', {}, 'Stacked alternating offers between the parties whose consent is needed; each strategy concedes on its own schedule (docs/simulation.md).'), form), out);
}

function simulationResult(r, scenario) {
  const names = new Map(scenario.parties.map((p) => [p.id, p.name]));
  const order = r.parties.map((p) => p.id);
  const offers = (r.trace || []).filter((t) => t.action === 'offer' || t.action === 'candidate');
  const accept = (r.trace || []).filter((t) => t.action === 'accept' || t.action === 'ratify');
  const proposers = [...new Set(offers.map((t) => t.party))];
  const charts = proposers.map((who) => offerChart(r, offers.filter((t) => t.party === who), who, names, order, accept));
  const d = r.distances;
  return h('div', {},
    section('Outcome',
      h('p', { class: 'verdict' }, r.agreement ? `Agreement in round ${r.rounds} (${r.offers} offers).` : `No agreement: ${r.end}${r.ended_by ? ` (${names.get(r.ended_by) || r.ended_by})` : ''} after ${r.rounds} rounds and ${r.offers} offers.`),
      r.package ? h('p', {}, 'Package: ', packageText(r.package)) : null,
      tableWrap('Result by party', h('table', {},
        h('thead', {}, h('tr', {}, ['Party', 'Strategy', 'Utility', 'Discounted', 'Reservation', 'Advantage'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, r.parties.map((p) => h('tr', {}, h('th', { scope: 'row' }, names.get(p.id) || p.id), h('td', {}, p.strategy), h('td', {}, fmtNum(p.utility)), h('td', {}, fmtNum(p.discounted_utility)), h('td', {}, fmtNum(p.reservation)), h('td', {}, fmtNum(p.advantage))))))),
      dl([
        ['Welfare (sum of utilities)', fmtNum(r.welfare)],
        ['Distance to the Pareto frontier', d.pareto === null ? 'not defined: the agreement zone is empty' : fmtNum(d.pareto)],
        ['Distance to the Nash point', d.nash === null ? 'not defined' : fmtNum(d.nash)],
        ['Distance to the Kalai-Smorodinsky point', d.kalai_smorodinsky === null ? 'not defined' : fmtNum(d.kalai_smorodinsky)],
        ['Protocol', `${r.protocol}, seed ${r.seed}, deadline ${r.rounds_allowed} rounds`],
      ])),
    section('Offers over time', charts.length ? charts : h('p', {}, 'The answer carries no trace.')));
}

function offerChart(r, offers, who, names, order, accepts) {
  const W = 640, H = 300, m = { l: 50, r: 16, t: 14, b: 40 };
  const pw = W - m.l - m.r, ph = H - m.t - m.b;
  const maxRound = Math.max(1, r.rounds_allowed, ...offers.map((o) => o.round));
  const sx = (v) => m.l + (v / maxRound) * pw;
  const sy = (v) => m.t + ph - v * ph;
  const titleId = uid('t');
  const whoName = who === null ? 'the mediator' : names.get(who) || who;
  const svg = sv('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart offers', role: 'img', 'aria-labelledby': titleId },
    sv('title', { id: titleId }, `Offers by ${whoName}, round by round: the utility of each offer to ${order.map((p) => names.get(p) || p).join(' and ')}`));
  for (const t of niceTicks(0, 1, 5)) {
    svg.append(sv('line', { x1: m.l, y1: sy(t), x2: m.l + pw, y2: sy(t), class: 'gridline' }),
      sv('text', { x: m.l - 6, y: sy(t) + 4, 'text-anchor': 'end', class: 'tick' }, fmtNum(t, 2)));
  }
  for (const t of niceTicks(0, maxRound, 8)) {
    svg.append(sv('text', { x: sx(t), y: m.t + ph + 16, 'text-anchor': 'middle', class: 'tick' }, String(t)));
  }
  svg.append(sv('rect', { x: m.l, y: m.t, width: pw, height: ph, class: 'plot-frame' }),
    sv('text', { x: m.l + pw / 2, y: H - 6, 'text-anchor': 'middle', class: 'axis-label' }, 'round'),
    sv('text', { x: 12, y: m.t + ph / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${m.t + ph / 2})`, class: 'axis-label' }, 'utility'));
  order.forEach((p, k) => {
    const colour = PALETTE[k % PALETTE.length];
    const pts = offers.filter((o) => o.utilities.length > k).map((o) => `${sx(o.round).toFixed(1)},${sy(o.utilities[k]).toFixed(1)}`);
    if (pts.length) svg.append(sv('polyline', { points: pts.join(' '), fill: 'none', stroke: colour, 'stroke-width': 2, 'stroke-dasharray': DASHES[k % DASHES.length] }));
    // A marker every few offers keeps the series apart without colour.
    const every = Math.max(1, Math.ceil(offers.length / 12));
    offers.forEach((o, j) => {
      if (o.utilities.length > k && (j % every === 0 || j === offers.length - 1)) svg.append(marker(SHAPES[k % SHAPES.length], sx(o.round), sy(o.utilities[k]), 3.5, { fill: colour, stroke: '#000', 'stroke-width': 0.6 }));
    });
  });
  if (r.agreement) {
    const at = accepts.length ? accepts[accepts.length - 1].round : r.rounds;
    svg.append(sv('line', { x1: sx(at), y1: m.t, x2: sx(at), y2: m.t + ph, class: 'agreement-line' }),
      sv('text', { x: sx(at) - 4, y: m.t + 12, 'text-anchor': 'end', class: 'annot' }, `agreement, round ${at}`));
  }
  const legend = h('ul', { class: 'legend' }, order.map((p, k) => h('li', {}, legendSwatch(SHAPES[k % SHAPES.length], PALETTE[k % PALETTE.length], DASHES[k % DASHES.length]), `utility to ${names.get(p) || p}`)),
    r.agreement ? h('li', {}, legendSwatch(null, '#000', '2 2'), 'the agreement') : null);
  return h('figure', { class: 'figure' }, h('h3', {}, `Offers by ${whoName} (${offers.length})`), h('div', { class: 'chart-scroll' }, svg), h('figcaption', {}, legend),
    h('details', {}, h('summary', {}, 'These offers as a table'), tableWrap(`Offers by ${whoName}`, h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Round'), order.map((p) => h('th', { scope: 'col' }, `Utility to ${names.get(p) || p}`)), h('th', { scope: 'col' }, 'Package'))),
      h('tbody', {}, offers.map((o) => h('tr', {}, h('td', {}, String(o.round + 1)), order.map((p, k) => h('td', {}, fmtNum(o.utilities[k]))), h('td', {}, packageText(o.package)))))))));
}

// ---------------------------------------------------------------------------------------------
// Rooms: creating one, and a room seen by its mediator, a delegation or an observer

async function renderRooms(view, stale) {
  view.append(h('h1', {}, 'Mediation rooms'));
  const name = h('input', { type: 'text', autocomplete: 'off' });
  const file = h('input', { type: 'file', accept: '.toml,text/plain' });
  // The scenarios open in the analyst views (--open, or uploaded): the server takes a room's
  // public part from one of them by its id, without the page ever holding the file.
  const open = await api('/analyst/scenarios').then((r) => r.scenarios, () => []);
  if (stale()) return;
  const fromServer = open.length ? select([['', 'none: use the file above'], ...open.map((s) => [s.id, `${s.title} (${s.id})`])], '') : null;
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', {},
    field('Room name', name),
    field('Scenario file (TOML)', file, 'Only its public part is stored: the server sets [preferences] and [[red_lines]] aside unread.'),
    fromServer ? field('Or a scenario open on this server', fromServer, 'Its public part only, taken by the server.') : null,
    h('button', { type: 'submit' }, 'Open the room as its mediator'), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    let text = null;
    if (!(fromServer && fromServer.value) && file.files[0]) text = await file.files[0].text();
    const source = fromServer && fromServer.value ? { analyst_scenario: fromServer.value } : text !== null ? { scenario: text } : null;
    if (source === null) { out.append(errorBox(new Error('choose a scenario file'))); file.focus(); return; }
    try {
      const r = await api('/rooms', { method: 'POST', body: { name: name.value || undefined, ...source } });
      setToken(r.room, r.mediator_token);
      sessionStorage.setItem(`concord.created.${r.room}`, JSON.stringify({ token: r.mediator_token, dropped: r.dropped }));
      location.hash = `#/room/${encodeURIComponent(r.room)}`;
    } catch (err) {
      out.append(errorBox(err, 'The room was not opened'));
    }
  });
  view.append(section('Open a room', form), enterRoomForm());
}

async function renderRoom(view, room, stale) {
  const token = getToken(room);
  if (!token) {
    view.append(h('h1', {}, `Room ${room}`), h('p', {}, 'This tab holds no token for this room.'), enterRoomForm());
    return;
  }
  let info;
  try {
    info = await api(`/rooms/${encodeURIComponent(room)}`, { token });
  } catch (err) {
    view.append(h('h1', {}, `Room ${room}`), errorBox(err, 'The room cannot be read with this tab\'s token'), enterRoomForm());
    return;
  }
  if (stale()) return;
  const ctx = { room, token, info, path: `/rooms/${encodeURIComponent(room)}`, names: new Map(info.parties.map((p) => [p.id, p.name])) };
  const who = info.you === 'delegation' ? `the delegation of ${ctx.names.get(info.your_party)}` : `the ${info.you}`;
  view.append(h('h1', {}, `${info.name || 'Room'}: ${info.title}`), h('p', { class: 'you' }, `You are ${who} in room `, h('code', {}, room), '.'));
  const created = sessionStorage.getItem(`concord.created.${room}`);
  if (created && info.you === 'mediator') {
    const c = JSON.parse(created);
    view.append(h('div', { class: 'notice', role: 'note' },
      h('p', {}, 'Room opened. Your mediator token, shown once (keep it to come back from another tab): ', h('code', { class: 'token' }, c.token)),
      h('p', {}, `Set aside unread from the upload: the preferences of ${c.dropped.preferences.length ? c.dropped.preferences.join(', ') : 'no party'} and ${c.dropped.red_lines} red line(s).`)));
    sessionStorage.removeItem(`concord.created.${room}`);
  }
  const status = h('div', { class: 'room-status', 'aria-live': 'polite' });
  const refreshBtn = h('button', { type: 'button', class: 'secondary' }, 'Refresh');
  const body = h('div', {});
  view.append(h('div', { class: 'toolbar' }, refreshBtn), status, body);
  const sections = info.you === 'mediator' ? mediatorRoom(ctx) : info.you === 'delegation' ? delegationRoom(ctx) : observerRoom(ctx);
  body.append(...sections.nodes);
  const refresh = async () => {
    try {
      ctx.info = await api(ctx.path, { token });
      status.replaceChildren(roomStatus(ctx));
      await sections.refresh();
    } catch (err) {
      status.replaceChildren(errorBox(err, 'The room cannot be read'));
    }
  };
  ctx.refresh = refresh;
  refreshBtn.addEventListener('click', async () => { await refresh(); announce('Room refreshed'); });
  await refresh();
}

function roomStatus(ctx) {
  const { info } = ctx;
  const agreed = info.agreement;
  return h('div', {},
    agreed ? h('p', { class: 'agreement', role: 'status' }, h('strong', {}, '✓ Agreement: '), `proposal ${agreed} was accepted by every delegation whose consent is needed.`)
      : h('p', { class: 'no-agreement' }, 'No agreement yet.'),
    h('p', { class: 'small' }, 'Audit chain head (note it to detect tampering later): ', h('code', { class: 'hash' }, info.audit_head)));
}

function partiesTable(ctx, action) {
  return tableWrap('Parties', h('table', {},
    h('thead', {}, h('tr', {}, ['Party', 'Role', 'Consent needed', 'Delegation invited', 'Preferences submitted', action ? 'Invite' : null].filter(Boolean).map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ctx.info.parties.map((p) => h('tr', {},
      h('th', { scope: 'row' }, p.name, ' ', h('code', {}, p.id)), h('td', {}, p.role), h('td', {}, yesNo(p.consent)),
      h('td', {}, yesNo(p.delegation)), h('td', {}, p.submitted ? 'yes (not what)' : 'no'),
      action ? h('td', {}, action(p)) : null)))));
}

function framingTable(ctx, fw, stanceControl) {
  return tableWrap('Framework points', h('table', {},
    h('caption', {}, fw.title),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Point'), h('th', { scope: 'col' }, 'Issues'),
      ctx.info.parties.map((p) => h('th', { scope: 'col' }, p.name)), stanceControl ? h('th', { scope: 'col' }, 'Your stance') : null)),
    h('tbody', {}, fw.points.map((pt) => h('tr', {},
      h('th', { scope: 'row' }, `${pt.number}. ${pt.title}`), h('td', {}, pt.issues.join(', ')),
      ctx.info.parties.map((p) => h('td', {}, stanceCell(pt.stances[p.id] || 'not-stated'))),
      stanceControl ? h('td', {}, stanceControl(pt)) : null)))));
}

function ledgerTable(entries, caption) {
  if (!entries.length) return h('p', {}, 'Nothing has been revealed yet.');
  return tableWrap('Leakage ledger', h('table', { class: 'ledger' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ['#', 'When', 'Revealed to', 'Depends on', 'What it reveals'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, entries.map((e) => h('tr', {}, h('td', {}, String(e.seq)), h('td', {}, fmtTime(e.at)), h('td', {}, e.revealed_to), h('td', {}, e.concerns.join(', ')), h('td', {}, e.reveals))))));
}

function proposalsTable(ctx, proposals, extra) {
  if (!proposals.length) return h('p', {}, 'No proposal on the table yet.');
  return tableWrap('Proposals', h('table', { class: 'proposals' },
    h('thead', {}, h('tr', {}, ['Proposal', 'Package', 'Status', ...(extra ? extra.heads : [])].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, proposals.map((p) => h('tr', { 'data-proposal': p.id },
      h('th', { scope: 'row' }, `${p.id}: ${p.label}`),
      h('td', {}, h('ul', { class: 'plain' }, Object.entries(p.package).map(([i, o]) => h('li', {}, `${i}: ${o}`)))),
      h('td', {}, p.agreed ? h('strong', {}, '✓ agreed') : 'on the table'),
      extra ? extra.cells(p) : null)))));
}

function mediatorRoom(ctx) {
  const partiesBox = h('div', {});
  const invites = h('div', { class: 'invites', 'aria-live': 'polite' });
  const frameworkBox = h('div', {});
  const proposalsBox = h('div', {});
  const ledgerBox = h('div', {});
  let proposals = [];

  const invite = async (body, label) => {
    try {
      const r = await api(`${ctx.path}/invitations`, { method: 'POST', token: ctx.token, body });
      const link = `${location.origin}${location.pathname}#/room/${encodeURIComponent(ctx.room)}?token=${encodeURIComponent(r.token)}`;
      invites.append(h('div', { class: 'notice invitation', 'data-party': r.party || 'observer' },
        h('p', {}, h('strong', {}, `Invitation for ${label}`), ' — shown once; hand it to them only. The token is in the link\'s fragment, which browsers never send to a server.'),
        h('p', {}, 'Link: ', h('a', { href: link, class: 'invite-link', target: '_blank', rel: 'noopener noreferrer' }, link)),
        h('p', {}, 'Token: ', h('code', { class: 'token' }, r.token))));
      announce(`Invitation for ${label} created`);
      await ctx.refresh();
    } catch (err) {
      invites.append(errorBox(err, `No invitation for ${label}`));
    }
  };

  // Questions.
  const kind = select([['zone', 'Is there an agreement zone?'], ['propose', 'Propose a package (a bargaining solution)'], ['improve', 'Can a proposal be improved for everyone?'],
    ['deadlock', 'How much must give way (no zone)?'], ['compare', 'Is one proposal better for every delegation?'], ['preferred', 'Do all delegations say they prefer one proposal?']], 'zone');
  const concept = select([['nash', 'Nash'], ['kalai-smorodinsky', 'Kalai-Smorodinsky'], ['egalitarian', 'egalitarian'], ['utilitarian', 'utilitarian']], 'nash');
  const propSel = () => select(proposals.map((p) => [p.id, `${p.id}: ${p.label}`]), proposals.length ? proposals[proposals.length - 1].id : '');
  const qExtra = h('div', { class: 'controls' });
  const answerBox = h('div', { 'aria-live': 'polite' });
  let qControls = {};
  const updateQ = () => {
    qControls = {};
    const k = kind.value;
    const parts = [];
    if (k === 'propose') parts.push(field('Concept', concept));
    if (k === 'improve') { qControls.proposal = propSel(); parts.push(field('Proposal', qControls.proposal)); }
    if (k === 'compare' || k === 'preferred') {
      qControls.from = propSel(); qControls.to = propSel();
      parts.push(field('From', qControls.from), field('To', qControls.to));
    }
    qExtra.replaceChildren(...parts);
  };
  kind.addEventListener('change', updateQ);
  const qForm = h('form', {}, h('div', { class: 'controls' }, field('Question', kind)), qExtra,
    h('button', { type: 'submit' }, 'Ask (recorded in the ledger)'), answerBox);
  qForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { kind: kind.value };
    if (kind.value === 'propose') body.concept = concept.value;
    for (const [k, el] of Object.entries(qControls)) body[k] = el.value;
    try {
      const r = await api(`${ctx.path}/queries`, { method: 'POST', token: ctx.token, body });
      answerBox.replaceChildren(answerView(r, (pkg) => fillProposal(pkg)));
      announce('Answered');
      await ctx.refresh();
    } catch (err) {
      answerBox.replaceChildren(errorBox(err, 'Not answered'));
    }
  });

  // Tabling a proposal.
  const label = h('input', { type: 'text', required: true, autocomplete: 'off' });
  const issueSelects = ctx.info.issues.map((i) => [i, select(i.options.map((o) => [o, o]), i.options[0], { 'data-issue': i.id })]);
  const fillProposal = (pkg) => {
    for (const [i, s] of issueSelects) if (pkg[i.id] !== undefined) s.value = String(pkg[i.id]);
    label.focus();
  };
  const tableOut = h('div', { 'aria-live': 'polite' });
  const pForm = h('form', { novalidate: true }, field('Label', label),
    h('div', { class: 'controls' }, issueSelects.map(([i, s]) => field(i.name, s))),
    h('button', { type: 'submit' }, 'Table this proposal'), tableOut);
  pForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const pkg = {};
    for (const [i, s] of issueSelects) pkg[i.id] = s.value;
    try {
      const r = await api(`${ctx.path}/proposals`, { method: 'POST', token: ctx.token, body: { label: label.value, package: pkg } });
      tableOut.replaceChildren(h('p', {}, `Tabled as ${r.id}.`));
      label.value = '';
      await ctx.refresh();
    } catch (err) {
      tableOut.replaceChildren(errorBox(err, 'Not tabled'));
    }
  });

  const nodes = [
    section('Delegations', partiesBox,
      h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => invite({ role: 'observer' }, 'an observer') }, 'Invite an observer')), invites),
    section('Framework draft and stances', frameworkBox),
    section('Ask the server', h('p', {}, 'Answers are computed from every delegation\'s private preferences; you learn only the answer, and each delegation sees in its ledger what it revealed.'), qForm),
    section('Table a proposal', pForm),
    section('Proposals on the table', h('p', {}, 'Responses are secret: an agreement is announced only when every delegation whose consent is needed has accepted the same proposal.'), proposalsBox),
    section('Leakage ledger', ledgerBox),
  ];
  const refresh = async () => {
    const [fw, props, ledger] = await Promise.all([
      api(`${ctx.path}/framework`, { token: ctx.token }),
      api(`${ctx.path}/proposals`, { token: ctx.token }),
      api(`${ctx.path}/ledger`, { token: ctx.token }),
    ]);
    const changed = props.map((p) => p.id).join() !== proposals.map((p) => p.id).join();
    proposals = props;
    partiesBox.replaceChildren(partiesTable(ctx, (p) => (p.delegation ? 'invited' : h('button', { type: 'button', onclick: () => invite({ role: 'delegation', party: p.id }, p.name), 'aria-label': `Invite the delegation of ${p.name}` }, 'Invite delegation'))));
    frameworkBox.replaceChildren(fw.points.length ? framingTable(ctx, fw) : h('p', {}, 'The scenario has no framework document.'));
    proposalsBox.replaceChildren(proposalsTable(ctx, props));
    ledgerBox.replaceChildren(ledgerTable(ledger, 'Every answer given in this room and what it revealed'));
    // Redraw the question's proposal choices only when the proposals changed.
    if (changed || !qExtra.childElementCount) updateQ();
  };
  return { nodes, refresh };
}

function answerView(r, onPackage) {
  const a = r.answer || {};
  const rows = Object.entries(a).filter(([k]) => k !== 'package').map(([k, v]) => [k.replace(/_/g, ' '), typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  return h('div', { class: 'answer' },
    h('p', {}, h('strong', {}, 'Answer: '), r.reveals),
    dl(rows),
    a.package ? h('div', {}, h('p', {}, 'Package: ', packageText(a.package)),
      h('button', { type: 'button', class: 'secondary', onclick: () => onPackage(a.package) }, 'Use this package in a proposal')) : null,
    h('p', { class: 'small' }, `Ledger entry ${r.ledger_entry}.`));
}

function observerRoom(ctx) {
  const partiesBox = h('div', {}), frameworkBox = h('div', {}), proposalsBox = h('div', {}), ledgerBox = h('div', {});
  return {
    nodes: [section('Parties', partiesBox), section('Framework draft and stances', frameworkBox), section('Proposals on the table', proposalsBox), section('What the room has learnt', ledgerBox)],
    refresh: async () => {
      const [fw, props, ledger] = await Promise.all(['framework', 'proposals', 'ledger'].map((p) => api(`${ctx.path}/${p}`, { token: ctx.token })));
      partiesBox.replaceChildren(partiesTable(ctx));
      frameworkBox.replaceChildren(fw.points.length ? framingTable(ctx, fw) : h('p', {}, 'No framework document.'));
      proposalsBox.replaceChildren(proposalsTable(ctx, props));
      ledgerBox.replaceChildren(ledgerTable(ledger, 'What was revealed to the whole room'));
    },
  };
}

function delegationRoom(ctx) {
  const party = ctx.info.your_party;
  const prefsBox = h('div', {});
  const proposalsBox = h('div', {});
  const frameworkBox = h('div', {});
  const ledgerBox = h('div', {});
  const consentBox = h('div', {});
  let loaded = null;
  let formBuilt = false;

  const buildForm = () => {
    const prefs = (loaded && loaded.preferences) || {};
    const form = h('form', { novalidate: true, class: 'prefs' });
    const summary = h('div', { 'aria-live': 'assertive' });
    const num = (value, fieldName, extra = {}) => h('input', { type: 'number', step: 'any', min: '0', max: '1', inputmode: 'decimal', value: value ?? '', 'data-field': fieldName, ...extra });
    // A number may have been saved with its range of uncertainty ({ value, range }, through the
    // API): the page edits the value and sends the range back with it, so nothing saved is lost.
    const valueOf = (x) => (x !== null && typeof x === 'object' ? x.value : x);
    const withValue = (saved, v) => (saved !== null && typeof saved === 'object' && v !== null ? { ...saved, value: v } : v);
    const reservation = num(valueOf(prefs.reservation), 'reservation');
    form.append(summary, fieldWithError('Your reservation value (the least utility you would accept, 0 to 1)', reservation));
    const issueInputs = ctx.info.issues.map((issue) => {
      const saved = (prefs.issues && prefs.issues[issue.id]) || {};
      const weight = num(valueOf(saved.weight), `issues.${issue.id}.weight`);
      const values = issue.options.map((o) => [o, num(saved.values ? valueOf(saved.values[o]) : '', `issues.${issue.id}.values.${o}`)]);
      const fs = h('fieldset', { class: 'issue', 'data-field': `issues.${issue.id}` }, h('legend', {}, issue.name),
        fieldWithError('Weight', weight),
        h('div', { class: 'controls' }, values.map(([o, input]) => fieldWithError(`Value of ${o}`, input))),
        saved.points && !saved.values ? h('p', { class: 'small' }, `Saved as a value function through ${JSON.stringify(saved.points)}; kept unless you fill in the values.`) : null,
        h('p', { class: 'field-error', hidden: true }));
      return { issue, weight, values, saved, fs };
    });
    form.append(h('h3', {}, 'Issues: how much each matters (weights sum to 1) and how good each option is (0 worst, 1 best)'), ...issueInputs.map((x) => x.fs));
    // Red lines: options this delegation will not accept on an issue.
    const rlList = h('ol', { class: 'red-lines' });
    const rlRows = [];
    const addRedLine = (saved = {}) => {
      const n = rlRows.length;
      const id = h('input', { type: 'text', value: saved.id || '', autocomplete: 'off', 'data-field': `red_lines[${n}].id` });
      const issueSel = select(ctx.info.issues.map((i) => [i.id, i.name]), saved.issue || ctx.info.issues[0].id, { 'data-field': `red_lines[${n}].issue` });
      const opts = h('div', { class: 'controls', 'data-field': `red_lines[${n}].must_not_be` });
      const row = { id, issueSel, opts, boxes: [], li: null };
      const drawOpts = (checked = []) => {
        const issue = ctx.info.issues.find((i) => i.id === issueSel.value);
        row.boxes = issue.options.map((o) => [o, h('input', { type: 'checkbox', value: o, checked: checked.includes(o) })]);
        opts.replaceChildren(h('fieldset', {}, h('legend', {}, 'Must not be'), row.boxes.map(([o, b]) => { b.id = uid('rlo'); return h('span', { class: 'choice' }, b, h('label', { for: b.id }, o)); })));
      };
      issueSel.addEventListener('change', () => drawOpts());
      drawOpts((saved.must_not_be || []).map(String));
      const remove = h('button', { type: 'button', class: 'secondary' }, 'Remove this red line');
      row.li = h('li', { class: 'red-line' }, fieldWithError('Red line id', id), fieldWithError('Issue', issueSel), opts, h('p', { class: 'field-error', hidden: true }), remove);
      remove.addEventListener('click', () => { rlRows.splice(rlRows.indexOf(row), 1); row.li.remove(); });
      rlRows.push(row);
      rlList.append(row.li);
    };
    const editable = (r) => r.issue && r.must_not_be && Object.keys(r).every((k) => ['id', 'issue', 'must_not_be'].includes(k));
    for (const r of prefs.red_lines || []) if (editable(r)) addRedLine(r);
    // Red lines of other forms (conditional, at most, one of …), entered through the API: kept
    // as they are and sent back with every save, unless removed here.
    const kept = (prefs.red_lines || []).filter((r) => !editable(r));
    const keptList = h('ul', { class: 'kept-red-lines' });
    for (const r of kept) {
      const remove = h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove red line ${r.id}` }, 'Remove');
      const li = h('li', { 'data-red-line': r.id }, h('code', {}, r.id), ' ', JSON.stringify(r), ' ', remove);
      remove.addEventListener('click', () => { kept.splice(kept.indexOf(r), 1); li.remove(); });
      keptList.append(li);
    }
    const addBtn = h('button', { type: 'button', class: 'secondary' }, 'Add a red line');
    addBtn.addEventListener('click', () => { addRedLine(); rlRows[rlRows.length - 1].id.focus(); });
    form.append(h('h3', {}, 'Red lines: options you will not accept'), rlList, addBtn,
      kept.length ? h('div', {}, h('p', {}, 'Entered through the API in another form; kept as they are:'), keptList) : null,
      h('p', {}, h('button', { type: 'submit' }, 'Save my preferences (private to this delegation)')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      summary.replaceChildren();
      const toNum = (input) => (input.value.trim() === '' ? null : Number(input.value));
      const body = { reservation: withValue(prefs.reservation, toNum(reservation)), issues: {}, red_lines: [] };
      for (const x of issueInputs) {
        const values = {};
        let any = false;
        for (const [o, input] of x.values) { const v = toNum(input); if (v !== null) { values[o] = withValue(x.saved.values ? x.saved.values[o] : null, v); any = true; } }
        const weight = withValue(x.saved.weight, toNum(x.weight));
        body.issues[x.issue.id] = !any && x.saved.points ? { weight, points: x.saved.points } : { weight, values };
      }
      rlRows.forEach((r) => {
        // Red line ids are kept as given; the fields are renumbered as sent.
        body.red_lines.push({ id: r.id.value.trim(), issue: r.issueSel.value, must_not_be: r.boxes.filter(([, b]) => b.checked).map(([o]) => o) });
      });
      body.red_lines.push(...kept);
      rlRows.forEach((r, n) => {
        r.id.dataset.field = `red_lines[${n}].id`;
        r.issueSel.dataset.field = `red_lines[${n}].issue`;
        r.opts.dataset.field = `red_lines[${n}].must_not_be`;
        r.li.dataset.field = `red_lines[${n}]`;
      });
      try {
        const r = await api(`${ctx.path}/preferences`, { method: 'PUT', token: ctx.token, body });
        summary.replaceChildren(h('p', { class: 'ok', role: 'status' }, `Saved: revision ${r.revision}. Commitment in the audit chain: `, h('code', { class: 'hash' }, r.commitment), ' (salt ', h('code', { class: 'hash' }, r.salt), ' opens it).'));
        announce(`Preferences saved, revision ${r.revision}`);
        await ctx.refresh();
      } catch (err) {
        summary.replaceChildren(errorBox(err, 'Not saved'));
        showFieldErrors(form, err.problems || []);
      }
    });
    return form;
  };

  const nodes = [
    section(`Your preferences (${ctx.names.get(party)})`, h('p', {}, 'Only your delegation can read these. The mediator and the other delegations learn only the answers recorded in your ledger below.'), prefsBox, consentBox),
    section('Proposals on the table', h('p', {}, 'Your utility is computed from your own preferences only and shown only to you. Your response is secret.'), proposalsBox),
    section('Framework draft and stances', frameworkBox),
    section('What has been revealed about you', ledgerBox),
  ];

  const respond = async (proposal, body, out) => {
    try {
      const r = await api(`${ctx.path}/proposals/${encodeURIComponent(proposal)}/response`, { method: 'PUT', token: ctx.token, body });
      announce(r.agreement ? `Agreement on ${r.agreement}` : `Response to ${proposal} recorded`);
      await ctx.refresh();
    } catch (err) {
      out.replaceChildren(errorBox(err, 'Response not recorded'));
    }
  };

  const refresh = async () => {
    const [prefs, fw, props, ledger] = await Promise.all([
      api(`${ctx.path}/preferences`, { token: ctx.token }).catch((err) => (err.status === 404 ? null : Promise.reject(err))),
      api(`${ctx.path}/framework`, { token: ctx.token }),
      api(`${ctx.path}/proposals`, { token: ctx.token }),
      api(`${ctx.path}/ledger`, { token: ctx.token }),
    ]);
    loaded = prefs;
    if (!formBuilt) { prefsBox.replaceChildren(buildForm()); formBuilt = true; }
    const consent = h('input', { type: 'checkbox', checked: !!(prefs && prefs.reveal_red_lines), disabled: !prefs });
    consent.id = uid('consent');
    consent.addEventListener('change', async () => {
      try {
        await api(`${ctx.path}/consent`, { method: 'PUT', token: ctx.token, body: { reveal_red_lines: consent.checked } });
        announce(consent.checked ? 'You consent to have your red lines named' : 'Consent withdrawn');
      } catch (err) {
        consentBox.append(errorBox(err, 'Consent not recorded'));
      }
    });
    consentBox.replaceChildren(h('p', { class: 'choice' }, consent, h('label', { for: consent.id }, 'I consent to have my red lines named when the server explains a deadlock to the mediator'),
      prefs ? null : h('span', { class: 'hint' }, ' (once preferences are saved)')));
    const others = props.map((p) => [p.id, `${p.id}: ${p.label}`]);
    proposalsBox.replaceChildren(proposalsTable(ctx, props, {
      heads: ['Your utility', 'Your response', 'Respond'],
      cells: (p) => {
        const out = h('div', {});
        const over = select(others.filter(([id]) => id !== p.id), '', { 'aria-label': `Proposal that ${p.id} is better than` });
        return [
          h('td', { class: 'utility' }, p.your_utility === null || p.your_utility === undefined ? 'submit preferences first' : fmtNum(p.your_utility)),
          h('td', {}, p.your_response ? `${p.your_response}${p.your_preference_over ? ` over ${p.your_preference_over}` : ''}` : 'none yet'),
          h('td', { class: 'actions' },
            h('button', { type: 'button', onclick: () => respond(p.id, { response: 'accept' }, out), 'aria-label': `Accept ${p.id}` }, 'Accept'), ' ',
            h('button', { type: 'button', class: 'danger', onclick: () => respond(p.id, { response: 'veto' }, out), 'aria-label': `Veto ${p.id}` }, 'Veto'), ' ',
            others.length > 1 ? h('span', { class: 'prefer' }, over, h('button', { type: 'button', class: 'secondary', onclick: () => respond(p.id, { response: 'prefer', over: over.value }, out), 'aria-label': `Prefer ${p.id} over the chosen proposal` }, 'Prefer')) : null,
            out),
        ];
      },
    }));
    frameworkBox.replaceChildren(fw.points.length ? framingTable(ctx, fw, (pt) => {
      const s = select(Object.entries(STANCES).map(([k, [, t]]) => [k, t]), pt.stances[party] || 'not-stated', { 'aria-label': `Your stance on point ${pt.number}` });
      s.addEventListener('change', async () => {
        try {
          await api(`${ctx.path}/framework/points/${pt.number}/stance`, { method: 'PUT', token: ctx.token, body: { stance: s.value } });
          announce(`Stance on point ${pt.number}: ${s.value}`);
          await ctx.refresh();
        } catch (err) {
          frameworkBox.append(errorBox(err, 'Stance not recorded'));
        }
      });
      return s;
    }) : h('p', {}, 'The scenario has no framework document.'));
    ledgerBox.replaceChildren(ledgerTable(ledger, 'Every answer that depended on your preferences'));
  };
  return { nodes, refresh };
}

function fieldWithError(label, control) {
  const f = field(label, control);
  f.append(h('p', { class: 'field-error', hidden: true, id: `${control.id}-error` }));
  return f;
}

function clearErrors(form) {
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  form.querySelectorAll('.field-error').forEach((el) => { el.hidden = true; el.textContent = ''; });
}

// Puts each located problem next to its field: the exact request field when the form has it,
// else the nearest enclosing one (`issues.nato.values.x` → `issues.nato`), else the summary.
function showFieldErrors(form, problems) {
  let first = null;
  for (const p of problems) {
    let name = p.field;
    let target = null;
    while (name && !target) {
      target = [...form.querySelectorAll('[data-field]')].find((el) => el.dataset.field === name);
      if (!target) name = name.includes('.') || name.includes('[') ? name.replace(/(\.[^.[\]]*|\[\d+\])$/, '') : '';
    }
    if (!target) continue;
    const message = `${p.field}: found ${p.found}, expected ${p.expected}`;
    let errorEl = null;
    if (target.matches('input, select, textarea')) {
      target.setAttribute('aria-invalid', 'true');
      errorEl = document.getElementById(`${target.id}-error`);
      if (errorEl) target.setAttribute('aria-describedby', [target.getAttribute('aria-describedby'), errorEl.id].filter(Boolean).join(' '));
    } else {
      errorEl = target.querySelector(':scope > .field-error') || target.parentElement.querySelector('.field-error');
    }
    if (errorEl) {
      errorEl.hidden = false;
      errorEl.textContent = errorEl.textContent ? `${errorEl.textContent} ${message}` : message;
    }
    if (!first && target.matches('input, select, textarea')) first = target;
  }
  if (first) first.focus();
}

// ---------------------------------------------------------------------------------------------
// Start

document.getElementById('skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  document.getElementById('main').focus();
});
window.addEventListener('hashchange', route);
route();
