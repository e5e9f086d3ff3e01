import * as assert from 'node:assert/strict';
import { summarizeHealth } from '../../../src/core/health/summarizeHealth';
import { EMPTY_SNAPSHOT } from '../../../src/core/health/types';
import { statusBarLook, statusTooltipMarkdown } from '../../../src/core/health/healthText';
import { alert, apiState, snapshot, target } from './healthBuilders';

const twelveUp = Array.from({ length: 12 }, (_, i) => target(i < 2 ? 'api' : 'node', `host${i}:9100`));

describe('summarizeHealth', () => {
  it('is ok with every target up, no alert and a healthy API', () => {
    const s = summarizeHealth(snapshot({ targets: twelveUp }));
    assert.equal(s.level, 'ok');
    assert.equal(s.text, '12/12 · API ok');
    assert.deepEqual(s.problems, []);
  });

  it('is degraded when a target is down, and counts it', () => {
    const targets = [...twelveUp.slice(1), target('api', 'host0:9100', 'down')];
    const s = summarizeHealth(snapshot({ targets }));
    assert.equal(s.level, 'degraded');
    assert.equal(s.text, '11/12 · API ok');
    assert.deepEqual(s.targets?.jobs.map((j) => [j.job, j.up, j.total]), [['api', 1, 2], ['node', 10, 10]]);
    assert.match(s.problems[0], /target api host0:9100 is down: .*connection refused/);
  });

  it('is degraded when an alert fires, and says how many', () => {
    const s = summarizeHealth(snapshot({ targets: twelveUp, alerts: [alert('HighLatency'), alert('Slow', { state: 'pending' })] }));
    assert.equal(s.level, 'degraded');
    assert.equal(s.firing, 1);
    assert.equal(s.pending, 1);
    assert.equal(s.text, '12/12 · 1 alert · API ok');
  });

  it('is degraded when a dependency fails, naming it', () => {
    const s = summarizeHealth(snapshot({ targets: twelveUp, api: apiState([{ name: 'database', status: 'failing' }, { name: 'disk', status: 'ok' }]) }));
    assert.equal(s.level, 'degraded');
    assert.equal(s.api, 'degraded');
    assert.deepEqual(s.failingDeps, ['database']);
    assert.equal(s.text, '12/12 · API degraded (database)');
  });

  it('is api-down when the API does not answer, whatever else holds', () => {
    const s = summarizeHealth(snapshot({ prometheus: 'down', api: 'down' }));
    assert.equal(s.level, 'api-down');
    assert.equal(s.text, 'Prometheus unreachable · API down');
    assert.match(s.problems[0], /^API down: connection refused/);
  });

  it('tells an unreachable Prometheus apart from targets being down', () => {
    const s = summarizeHealth(snapshot({ prometheus: 'down' }));
    assert.equal(s.level, 'prometheus-unreachable');
    assert.equal(s.targets, undefined);
    assert.equal(s.text, 'Prometheus unreachable · API ok');
  });

  it('is not-configured when every source is off', () => {
    const s = summarizeHealth(EMPTY_SNAPSHOT);
    assert.equal(s.level, 'not-configured');
    assert.equal(s.text, 'ZenOps: not configured');
  });

  it("prefers Alertmanager's alerts and does not count silenced or inhibited ones", () => {
    const s = summarizeHealth(
      snapshot({
        targets: twelveUp,
        alerts: [alert('FromPrometheus')],
        alertmanager: [alert('Silenced', { source: 'alertmanager', silenced: true }), alert('Inhibited', { source: 'alertmanager', inhibited: true })],
      }),
    );
    assert.equal(s.level, 'ok');
    assert.equal(s.firing, 0);
    assert.deepEqual(s.alerts.map((a) => a.name), ['Inhibited', 'Silenced']);
  });

  it("falls back to Prometheus's alerts when Alertmanager is unreachable", () => {
    const s = summarizeHealth(snapshot({ targets: twelveUp, alerts: [alert('FromPrometheus')], alertmanager: 'down' }));
    assert.equal(s.firing, 1);
    assert.equal(s.level, 'degraded');
  });

  it('orders alerts firing first, then by severity', () => {
    const s = summarizeHealth(
      snapshot({
        alerts: [alert('Pending', { state: 'pending' }), alert('Warn', { severity: 'warning' }), alert('Crit', { severity: 'critical' })],
      }),
    );
    assert.deepEqual(s.alerts.map((a) => a.name), ['Crit', 'Warn', 'Pending']);
  });

  it('writes a markdown table for the status-bar tooltip and escapes what sources say', () => {
    const s = summarizeHealth(snapshot({ targets: [target('api', 'a:1', 'down', { lastError: 'bad | pipe' })] }));
    const md = statusTooltipMarkdown(s);
    assert.match(md, /\| Targets \| 0\/1 up \|/);
    assert.match(md, /\| API \| ok \(4 ms\) \|/);
    assert.match(md, /bad \\\| pipe/);
  });

  it('gives the status bar a pulse, a warning background when degraded and an error background when the API is down', () => {
    assert.deepEqual(statusBarLook(summarizeHealth(snapshot({ targets: twelveUp }))), { text: '$(pulse) 12/12 · API ok', background: undefined });
    const degraded = statusBarLook(summarizeHealth(snapshot({ targets: twelveUp, alerts: [alert('X')] })));
    assert.equal(degraded.background, 'statusBarItem.warningBackground');
    assert.equal(statusBarLook(summarizeHealth(snapshot({ api: 'down' }))).background, 'statusBarItem.errorBackground');
  });

  it('marks an unreachable Prometheus and a missing configuration with their own icons', () => {
    assert.equal(statusBarLook(summarizeHealth(snapshot({ prometheus: 'down' }))).text, '$(debug-disconnect) Prometheus unreachable · API ok');
    assert.equal(statusBarLook(summarizeHealth(EMPTY_SNAPSHOT)).text, '$(circle-slash) ZenOps: not configured');
  });
});
