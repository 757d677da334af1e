// Lockstep's status page. Plain JavaScript, no build step, nothing loaded from elsewhere.
// Reads api/apps once, then follows the daemon's server-sent events (events); a Deployment's timeline is fetched
// only when its historyVersion changes, a diff only when a past revision is selected. Every text goes into the DOM
// as text (never as HTML).
'use strict';

(function () {
  const state = {
    apps: null, // the last api/apps snapshot
    histories: new Map(), // "app/ns/name" -> {version, data}
    loading: new Set(), // history keys being fetched
    diffs: new Map(), // "app/ns/name@rev@version" -> {diff} | {error}
    openDiff: new Map(), // "app/ns/name" -> revision shown against the current one
    showOlder: new Set(), // "app/ns/name" whose older revisions are unfolded
    updatedAt: null,
  };
  const RECENT_ROWS = 5;

  const HEALTH_ICON = {Healthy: '✓', Progressing: '↻', Failed: '✕', Stalled: '⏸', Error: '!', Unknown: '?'};
  const RESULT_ICON = {rolledOut: '✓', failed: '✕', rollback: '↩', progressing: '↻', superseded: '⤳', none: '·'};

  // ---- small helpers ----

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function ago(iso) {
    if (!iso) return '';
    const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    if (!isFinite(s)) return '';
    if (s < 5) return 'just now';
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.floor(s / 60) + ' min ago';
    if (s < 86400) return Math.floor(s / 3600) + ' h ago';
    return Math.floor(s / 86400) + ' d ago';
  }

  function clock(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    const sameDay = d.toDateString() === new Date().toDateString();
    const time = d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit'});
    return sameDay ? time : d.toLocaleDateString([], {year: 'numeric', month: 'short', day: 'numeric'}) + ' ' + time;
  }

  function when(iso) {
    return iso ? el('time', {datetime: iso, title: iso, 'data-ago': iso}, ago(iso)) : null;
  }

  function depKey(app, d) {
    return app + '/' + (d.kind ? d.kind + '/' : '') + d.namespace + '/' + d.name;
  }

  // a Deployment's feeds are under history/{ns}/{name}; a StatefulSet's or DaemonSet's under history/{kind}/{ns}/{name}
  function feedPath(app, feed, d) {
    return 'api/apps/' + encodeURIComponent(app) + '/' + feed + '/'
      + (d.kind ? encodeURIComponent(d.kind.toLowerCase()) + '/' : '')
      + encodeURIComponent(d.namespace) + '/' + encodeURIComponent(d.name);
  }

  function slug(s) {
    return String(s).toLowerCase().replace(/[^a-z0-9]+/g, '-');
  }

  async function getJson(url) {
    const r = await fetch(url, {headers: {Accept: 'application/json'}, cache: 'no-store'});
    if (r.status === 401) {
      location.reload(); // the sign-in form
      throw new Error('signed out');
    }
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
    return r.json();
  }

  // ---- rendering ----

  function healthBadge(health, extraClass) {
    const h = health || 'Unknown';
    return el('span', {class: 'badge health health-' + slug(h) + (extraClass ? ' ' + extraClass : '')},
      el('span', {class: 'icon', 'aria-hidden': 'true'}, HEALTH_ICON[h] || '•'), ' ', h);
  }

  function commitLine(c) {
    if (!c) return el('span', {class: 'muted'}, 'none yet');
    return el('span', {class: 'commit'},
      el('code', {class: 'sha', title: c.sha}, c.short), ' ',
      el('span', {class: 'subject'}, c.subject || ''),
      (c.author || c.time) ? el('span', {class: 'muted by'},
        c.author ? ' by ' + c.author : '', c.time ? ' · ' : '', when(c.time)) : null,
      c.renderedBy ? el('span', {class: 'muted rendered-by'}, ' · rendered by ' + c.renderedBy) : null);
  }

  function headLine(a) {
    if (!a.head) return el('span', {class: 'muted'}, 'not read yet');
    if (a.atHead) return el('span', {class: 'at-head'}, el('span', {'aria-hidden': 'true'}, '✓ '), 'at the branch head');
    return el('span', {class: 'behind'},
      el('span', {'aria-hidden': 'true'}, '⚠ '), 'head is ', el('code', {class: 'sha', title: a.head.sha}, a.head.short),
      ' ', el('span', {class: 'subject'}, a.head.subject || ''), ', not applied');
  }

  function passLine(p) {
    if (!p) return el('span', {class: 'muted'}, 'none yet');
    return el('span', {class: 'pass'}, when(p.at), ' · ',
      el('span', {class: 'outcome outcome-' + slug(p.outcome)}, p.outcome), ' · took ', formatMs(p.tookMs));
  }

  function formatMs(ms) {
    return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(ms < 10000 ? 1 : 0) + ' s';
  }

  function problems(title, cls, items, render) {
    if (!items || items.length === 0) return null;
    return el('div', {class: 'problems ' + cls},
      el('h3', {}, title),
      el('ul', {}, items.map(i => el('li', {}, render(i)))));
  }

  function bar(label, value, desired) {
    const pct = desired > 0 ? Math.min(100, Math.round(100 * value / desired)) : (value > 0 ? 100 : 0);
    return el('div', {class: 'bar-row'},
      el('span', {class: 'bar-label'}, label),
      el('div', {class: 'bar', role: 'progressbar', 'aria-label': label, 'aria-valuemin': 0,
        'aria-valuemax': desired, 'aria-valuenow': value},
        el('div', {class: 'bar-fill' + (value >= desired ? ' full' : ''), style: null, 'data-pct': pct})),
      el('span', {class: 'bar-value'}, value + '/' + desired));
  }

  function renderDeployment(app, d) {
    const key = depKey(app, d);
    const r = d.replicas || {};
    const bars = el('div', {class: 'bars'},
      bar('updated', r.updated || 0, r.desired || 0),
      bar('ready', r.ready || 0, r.desired || 0),
      bar('available', r.available || 0, r.desired || 0));
    return el('article', {class: 'deployment', 'data-deployment': d.namespace + '/' + d.name},
      el('div', {class: 'dep-head'},
        el('h3', {}, el('span', {class: 'ns'}, d.namespace + '/'), d.name),
        healthBadge(d.state, 'small'),
        el('span', {class: 'revision-now'}, 'revision ' + d.revision)),
      el('p', {class: 'rollout-msg'}, d.message),
      el('div', {class: 'dep-body'},
        bars,
        el('p', {class: 'images'}, el('span', {class: 'muted'}, d.images.length > 1 ? 'images ' : 'image '),
          d.images.map((img, i) => [i ? ', ' : '', el('code', {}, img)]))),
      renderTimeline(app, d, key));
  }

  function renderTimeline(app, d, key) {
    const h = state.histories.get(key);
    const wrap = el('div', {class: 'timeline-wrap'},
      el('h4', {id: 'tl-' + slug(key)}, 'Revision timeline'));
    if (!h) {
      wrap.append(el('p', {class: 'muted'}, state.loading.has(key) ? 'Loading…' : ''));
      return wrap;
    }
    if (h.error) {
      wrap.append(el('p', {class: 'error-text'}, 'Cannot read the history: ' + h.error));
      return wrap;
    }
    const rows = h.data.rows;
    const unfolded = state.showOlder.has(key);
    const shown = unfolded ? rows : rows.slice(0, RECENT_ROWS);
    const list = el('ol', {class: 'timeline', 'aria-labelledby': 'tl-' + slug(key)},
      shown.map(row => renderRow(app, d, key, row, h.data)));
    wrap.append(list);
    if (rows.length > RECENT_ROWS) {
      wrap.append(el('button', {
        class: 'link-btn', type: 'button', 'aria-expanded': unfolded, 'data-key': 'older-' + key,
        onclick: () => {
          if (unfolded) state.showOlder.delete(key); else state.showOlder.add(key);
          render();
        },
      }, unfolded ? 'Hide older revisions' : 'Show ' + (rows.length - RECENT_ROWS) + ' older revision'
        + (rows.length - RECENT_ROWS > 1 ? 's' : '')));
    }
    return wrap;
  }

  function resultText(row) {
    let text = row.result;
    if (row.resultKind === 'rollback' && row.commit) text += ' by ' + row.commit.short;
    return text;
  }

  function renderRow(app, d, key, row, data) {
    const open = state.openDiff.get(key) === row.revision;
    const diffId = 'diff-' + slug(key) + '-' + row.revision;
    const c = row.commit;
    const li = el('li', {
      class: 'rev kind-' + row.resultKind + (row.current ? ' current' : '') + (open ? ' selected' : ''),
      'data-revision': row.revision, 'aria-current': row.current ? 'true' : null,
    },
      el('div', {class: 'rev-num'},
        el('span', {class: 'num'}, row.revision),
        row.was.length ? el('span', {class: 'was'}, 'was ' + row.was.join(', ')) : null,
        row.current ? el('span', {class: 'current-tag'}, 'current') : null),
      el('div', {class: 'rev-main'},
        el('div', {class: 'rev-commit'},
          c ? [el('code', {class: 'sha', title: c.sha}, c.short), ' ', el('span', {class: 'subject'}, c.subject)]
            : el('span', {class: 'muted'}, 'not applied by Lockstep')),
        el('div', {class: 'rev-meta'},
          c && c.author ? el('span', {}, c.author) : null,
          c && c.renderedBy ? el('span', {class: 'rendered-by'}, 'rendered by ', el('code', {}, c.renderedBy)) : null,
          row.appliedAt ? el('span', {}, 'applied ', el('time', {datetime: row.appliedAt, title: row.appliedAt},
            clock(row.appliedAt))) : null,
          el('span', {}, (data.revisionKind || 'ReplicaSet') + ' ', el('code', {}, row.replicaSet)),
          row.images.length ? el('span', {}, row.images.map((img, i) => [i ? ', ' : '', el('code', {}, img)]))
            : null)),
      el('div', {class: 'rev-result'},
        el('span', {class: 'result result-' + row.resultKind},
          el('span', {class: 'icon', 'aria-hidden': 'true'}, RESULT_ICON[row.resultKind] || '·'), ' ', resultText(row))),
      row.current ? el('div', {class: 'rev-action'})
        : el('div', {class: 'rev-action'}, el('button', {
          type: 'button', class: 'diff-btn', 'aria-expanded': open, 'aria-controls': open ? diffId : null,
          'data-key': 'diff-' + key + '-' + row.revision,
          onclick: () => toggleDiff(app, d, key, row.revision, data.historyVersion),
        }, open ? 'Hide diff' : 'Diff with current')));
    if (open) li.append(renderDiff(key, row.revision, data, diffId));
    return li;
  }

  function renderDiff(key, revision, data, id) {
    const cached = state.diffs.get(key + '@' + revision + '@' + data.historyVersion);
    const box = el('div', {class: 'diff-box', id: id});
    if (!cached) {
      box.append(el('p', {class: 'muted'}, 'Loading the diff…'));
    } else if (cached.error) {
      box.append(el('p', {class: 'error-text'}, cached.error));
    } else if (!cached.diff) {
      box.append(el('p', {}, 'Revision ' + revision + ' has the same pod template as revision ' + cached.current + '.'));
    } else {
      box.append(el('p', {class: 'diff-caption'},
        'Pod template of revision ' + revision + ' (−) against the current revision ' + cached.current + ' (+)'));
      box.append(el('pre', {class: 'diff', tabindex: 0}, cached.diff.replace(/\n$/, '').split('\n').map(line =>
        el('span', {class: line.startsWith('@@') ? 'hunk' : line.startsWith('+++') || line.startsWith('---') ? 'file'
          : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx'}, line + '\n'))));
    }
    return box;
  }

  async function toggleDiff(app, d, key, revision, version) {
    if (state.openDiff.get(key) === revision) {
      state.openDiff.delete(key);
      render();
      return;
    }
    state.openDiff.set(key, revision);
    render();
    const cacheKey = key + '@' + revision + '@' + version;
    if (state.diffs.has(cacheKey)) return;
    try {
      const data = await getJson(feedPath(app, 'diff', d) + '/' + revision);
      state.diffs.set(cacheKey, data);
    } catch (e) {
      state.diffs.set(cacheKey, {error: 'Cannot read the diff: ' + e.message});
    }
    render();
  }

  function renderApp(a) {
    const facts = el('dl', {class: 'facts'},
      el('div', {}, el('dt', {}, 'Commit'), el('dd', {class: 'fact-commit'}, commitLine(a.commit))),
      el('div', {}, el('dt', {}, 'Git head'), el('dd', {class: 'fact-head'}, headLine(a))),
      el('div', {}, el('dt', {}, 'Last pass'), el('dd', {class: 'fact-pass'}, passLine(a.lastPass))));
    return el('section', {class: 'app health-edge-' + slug(a.health), 'data-app': a.app, 'aria-labelledby': 'app-' + slug(a.app)},
      el('div', {class: 'app-head'},
        el('h2', {id: 'app-' + slug(a.app)}, a.app),
        healthBadge(a.health)),
      a.message ? el('p', {class: 'message'}, a.message) : null,
      facts,
      problems('Errors', 'errors', a.errors, e => el('code', {class: 'wrap'}, e)),
      problems('Refused commits', 'refused', a.refusedCommits, r => [
        el('code', {class: 'sha', title: r.sha}, r.short), ' ', el('span', {class: 'subject'}, r.subject),
        el('ul', {}, (r.errors || []).map(e => el('li', {}, el('code', {class: 'wrap'}, e))))]),
      problems('Held prunes', 'held', a.heldPrunes, p => p),
      el('div', {class: 'deployments'},
        a.deployments.length ? a.deployments.map(d => renderDeployment(a.app, d))
          : el('p', {class: 'muted'}, 'No Deployments in this app yet.')),
      (a.workloads || []).length ? el('div', {class: 'deployments workloads'},
        a.workloads.map(w => renderWorkload(a.app, w))) : null);
  }

  // a StatefulSet, DaemonSet or Job: its state as judged, pod counts, images, and (not a Job) its revision timeline
  function renderWorkload(app, w) {
    const p = w.pods || {};
    const bars = 'desired' in p
      ? el('div', {class: 'bars'}, bar('updated', p.updated || 0, p.desired || 0), bar('ready', p.ready || 0, p.desired || 0))
      : el('p', {class: 'muted'}, 'pods: ' + (p.active || 0) + ' active, ' + (p.succeeded || 0) + ' succeeded, '
        + (p.failed || 0) + ' failed');
    return el('article', {class: 'deployment workload', 'data-workload': w.kind + '/' + w.namespace + '/' + w.name},
      el('div', {class: 'dep-head'},
        el('h3', {}, el('span', {class: 'kind'}, w.kind + ' '), el('span', {class: 'ns'}, w.namespace + '/'), w.name),
        healthBadge(w.state, 'small')),
      el('p', {class: 'rollout-msg'}, w.message),
      el('div', {class: 'dep-body'},
        bars,
        w.images.length ? el('p', {class: 'images'}, el('span', {class: 'muted'}, w.images.length > 1 ? 'images ' : 'image '),
          w.images.map((img, i) => [i ? ', ' : '', el('code', {}, img)])) : null),
      w.history ? renderTimeline(app, w, depKey(app, w))
        : el('p', {class: 'muted'}, 'No revision history: a Job\'s pod template cannot change.'));
  }

  function render() {
    const main = document.getElementById('apps');
    if (!state.apps) return;
    const focusedKey = document.activeElement && document.activeElement.getAttribute('data-key');
    const nodes = state.apps.length ? state.apps.map(renderApp)
      : [el('p', {class: 'empty'}, 'No apps configured.')];
    main.replaceChildren(...nodes);
    for (const fill of main.querySelectorAll('.bar-fill')) fill.style.width = fill.getAttribute('data-pct') + '%';
    if (focusedKey) {
      const again = [...main.querySelectorAll('[data-key]')].find(n => n.getAttribute('data-key') === focusedKey);
      if (again) again.focus();
    }
  }

  function refreshAges() {
    for (const t of document.querySelectorAll('time[data-ago]')) t.textContent = ago(t.getAttribute('data-ago'));
  }

  // ---- data ----

  function accept(apps) {
    state.apps = apps;
    state.updatedAt = new Date();
    for (const a of apps) {
      for (const d of a.deployments.concat((a.workloads || []).filter(w => w.history))) {
        const key = depKey(a.app, d);
        const h = state.histories.get(key);
        if (!h || h.version !== d.historyVersion) loadHistory(a.app, d, key);
      }
    }
    render();
  }

  async function loadHistory(app, d, key) {
    if (state.loading.has(key)) return;
    state.loading.add(key);
    const version = d.historyVersion;
    try {
      const data = await getJson(feedPath(app, 'history', d));
      state.histories.set(key, {version: data.historyVersion || version, data});
    } catch (e) {
      state.histories.set(key, {version, error: e.message});
    } finally {
      state.loading.delete(key);
    }
    render();
    // a newer version may have arrived while this one loaded
    const now = state.apps && state.apps.find(a => a.app === app);
    const dn = now && (d.kind ? now.workloads || [] : now.deployments)
      .find(x => x.kind === d.kind && x.namespace === d.namespace && x.name === d.name);
    if (dn && dn.historyVersion !== state.histories.get(key).version) loadHistory(app, dn, key);
  }

  function connection(text, cls) {
    const c = document.getElementById('conn');
    c.textContent = text;
    c.className = 'conn ' + cls;
  }

  function listen() {
    if (!('EventSource' in window)) {
      connection('no live updates in this browser', 'conn-down');
      return;
    }
    const source = new EventSource('events');
    source.addEventListener('open', () => connection('live', 'conn-live'));
    source.addEventListener('apps', e => {
      connection('live', 'conn-live');
      accept(JSON.parse(e.data));
    });
    source.addEventListener('error', () => {
      connection(source.readyState === EventSource.CLOSED ? 'disconnected: reload the page' : 'reconnecting…',
        source.readyState === EventSource.CLOSED ? 'conn-down' : 'conn-connecting');
      if (source.readyState === EventSource.CLOSED) {
        // e.g. 401 after the token changed, or too many streams: try the feed, which reloads on 401
        getJson('api/apps').then(accept).catch(() => {});
      }
    });
  }

  async function start() {
    try {
      accept(await getJson('api/apps'));
    } catch (e) {
      document.getElementById('apps').replaceChildren(el('p', {class: 'error-text'}, 'Cannot read the status: ' + e.message));
    }
    listen();
    setInterval(refreshAges, 5000);
  }

  start();
})();
