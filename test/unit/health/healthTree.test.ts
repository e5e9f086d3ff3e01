import * as assert from 'node:assert/strict';
import { buildHealthTree, diffHealthTrees, grafanaExploreUrl, HealthNode } from '../../../src/core/health/healthTree';
import { nodeTooltipMarkdown } from '../../../src/core/health/healthText';
import { alert, apiState, snapshot, target } from './healthBuilders';

const options = { apiHealthUrl: 'http://localhost:8000/healthz', prometheusUrl: 'http://localhost:9090', grafanaUrl: 'http://localhost:3000/', alertmanagerUrl: 'http://localhost:9093' };

function find(nodes: HealthNode[], id: string): HealthNode {
  for (const n of nodes) {
    if (n.id === id) return n;
    const inner = n.children && findOrUndefined(n.children, id);
    if (inner) return inner;
  }
  throw new Error(`no node ${id}`);
}
function findOrUndefined(nodes: HealthNode[], id: string): HealthNode | undefined {
  try {
    return find(nodes, id);
  } catch {
    return undefined;
  }
}

describe('the Health tree model', () => {
  const base = snapshot({
    targets: [target('api', 'api:8000'), target('node', 'n1:9100'), target('node', 'n2:9100', 'down')],
    alerts: [alert('TargetDown', { labels: { alertname: 'TargetDown', job: 'node', severity: 'critical' }, summary: 'node is down' })],
    api: apiState([{ name: 'database', status: 'ok', detail: 'ok' }, { name: 'disk', status: 'failing', detail: 'only 10 MB free' }]),
  });

  it('has the four sections in order: API, Dependencies, Targets, Alerts', () => {
    assert.deepEqual(buildHealthTree(base, options).map((n) => [n.id, n.label]), [
      ['api', 'API'],
      ['deps', 'Dependencies'],
      ['targets', 'Targets'],
      ['alerts', 'Alerts'],
    ]);
  });

  it('shows the API status and latency', () => {
    const api = find(buildHealthTree(base, options), 'api');
    assert.equal(api.description, 'ok · 4 ms');
    assert.equal(api.icon?.id, 'pass-filled');
    assert.equal(api.openUrl, 'http://localhost:8000/healthz');
    assert.match(api.contextValue, /\bopenable\b/);
  });

  it('shows one node per dependency with its status', () => {
    const deps = find(buildHealthTree(base, options), 'deps');
    assert.equal(deps.description, '1 failing');
    assert.deepEqual(deps.children?.map((c) => [c.id, c.description, c.icon?.id]), [
      ['deps/database', 'ok', 'pass-filled'],
      ['deps/disk', 'failing: only 10 MB free', 'error'],
    ]);
  });

  it('groups targets by job with up counts and a codicon per health', () => {
    const tree = buildHealthTree(base, options);
    const targets = find(tree, 'targets');
    assert.equal(targets.description, '2/3 up');
    assert.deepEqual(targets.children?.map((j) => [j.label, j.description]), [['api', '1/1 up'], ['node', '1/2 up']]);
    const down = find(tree, 'targets/node/http://n2:9100/metrics');
    assert.equal(down.icon?.id, 'error');
    assert.equal(down.description, 'down: connect: connection refused');
    assert.equal(down.openUrl, 'http://n2:9100/metrics');
    assert.match(down.contextValue, /\bopenable\b/);
    assert.match(down.contextValue, /\bgrafana\b/);
  });

  it('links a target to Grafana Explore with its up series', () => {
    const node = find(buildHealthTree(base, options), 'targets/api/http://api:8000/metrics');
    const url = new URL(node.grafanaUrl!);
    assert.equal(url.origin + url.pathname, 'http://localhost:3000/explore');
    const left = JSON.parse(url.searchParams.get('left')!);
    assert.deepEqual(left.queries, [{ refId: 'A', expr: 'up{job="api",instance="api:8000"}' }]);
    assert.equal(left.datasource, 'Prometheus');
  });

  it('offers no Grafana link when zenops.grafana.url is empty', () => {
    assert.equal(grafanaExploreUrl({}, 'up'), undefined);
    const node = find(buildHealthTree(base, {}), 'targets/api/http://api:8000/metrics');
    assert.doesNotMatch(node.contextValue, /grafana/);
  });

  it('lists alerts with state, severity, summary and since when', () => {
    const a = find(buildHealthTree(base, options), 'alerts');
    assert.equal(a.description, '1 firing');
    const [first] = a.children!;
    assert.equal(first.label, 'TargetDown');
    assert.match(first.description!, /^firing · critical · node is down · since /);
    assert.equal(first.icon?.id, 'flame');
  });

  it('says Prometheus is unreachable under Targets, with the error as a child', () => {
    const tree = buildHealthTree(snapshot({ prometheus: 'down' }), options);
    const targets = find(tree, 'targets');
    assert.equal(targets.description, 'Prometheus unreachable');
    assert.equal(targets.children?.[0].label, 'connection refused by localhost:9090');
  });

  it('marks sources that are off', () => {
    const tree = buildHealthTree(snapshot({ prometheus: 'off', api: 'off' }), options);
    assert.deepEqual(tree.map((n) => n.description), ['off', 'off', 'off', 'off']);
  });

  it('keeps ids and fingerprints when only scrape times and durations change', () => {
    const later = snapshot({
      targets: [
        target('api', 'api:8000', 'up', { lastScrape: '2026-12-03T16:00:15Z', lastScrapeDuration: 0.009 }),
        target('node', 'n1:9100', 'up', { lastScrape: '2026-12-03T16:00:15Z' }),
        target('node', 'n2:9100', 'down', { lastScrape: '2026-12-03T16:00:15Z' }),
      ],
      alerts: [alert('TargetDown', { labels: { alertname: 'TargetDown', job: 'node', severity: 'critical' }, summary: 'node is down' })],
      api: apiState([{ name: 'database', status: 'ok', detail: 'ok' }, { name: 'disk', status: 'failing', detail: 'only 10 MB free' }], 5),
    });
    const diff = diffHealthTrees(buildHealthTree(base, options), buildHealthTree(later, options));
    assert.deepEqual(diff, { all: false, changed: [] });
  });

  it('redraws only the nodes whose data changed', () => {
    const recovered = snapshot({
      targets: [target('api', 'api:8000'), target('node', 'n1:9100'), target('node', 'n2:9100', 'up')],
      alerts: [alert('TargetDown', { labels: { alertname: 'TargetDown', job: 'node', severity: 'critical' }, summary: 'node is down' })],
      api: apiState([{ name: 'database', status: 'ok', detail: 'ok' }, { name: 'disk', status: 'failing', detail: 'only 10 MB free' }]),
    });
    const diff = diffHealthTrees(buildHealthTree(base, options), buildHealthTree(recovered, options));
    assert.equal(diff.all, false);
    // The section's count changed, so the section (with its children) redraws; API, deps and alerts do not.
    assert.deepEqual(diff.changed.map((n) => n.id), ['targets']);
  });

  it('redraws a single target whose error text changed', () => {
    const other = structuredClone(base);
    if (other.prometheus.state === 'ok') other.prometheus.value.targets[2].lastError = 'context deadline exceeded';
    const diff = diffHealthTrees(buildHealthTree(base, options), buildHealthTree(other, options));
    assert.deepEqual(diff.changed.map((n) => n.id), ['targets/node/http://n2:9100/metrics']);
  });

  it('asks for a full refresh the first time', () => {
    assert.equal(diffHealthTrees(undefined, buildHealthTree(base, options)).all, true);
  });

  it('builds tooltips at hover time with the scrape URL, error, age and duration', () => {
    const node = find(buildHealthTree(base, options), 'targets/node/http://n2:9100/metrics');
    const md = nodeTooltipMarkdown(node, Date.parse('2026-12-03T16:00:42Z'));
    assert.match(md, /Scrape URL: http:\/\/n2:9100\/metrics/);
    assert.match(md, /Last scrape: 42 s ago \(took 4\.0 ms\)/);
    assert.match(md, /Last error: .*connection refused/);
  });

  it('keeps ids unique when two dependencies share a name', () => {
    const tree = buildHealthTree(snapshot({ api: apiState([{ name: 'db', status: 'ok' }, { name: 'db', status: 'failing' }]) }), options);
    assert.deepEqual(find(tree, 'deps').children?.map((c) => c.id), ['deps/db', 'deps/db#2']);
  });

  it('makes every section expandable from the first render, even while it is empty', () => {
    const tree = buildHealthTree(snapshot({ prometheus: 'down', api: 'down' }), options);
    for (const id of ['deps', 'targets', 'alerts']) {
      const section = find(tree, id);
      assert.ok(Array.isArray(section.children), `${id} has no children array`);
      assert.equal(section.expanded, true);
    }
    assert.equal(find(tree, 'api').children, undefined);
  });
});
