import * as assert from 'node:assert/strict';
import { AlertmanagerClient } from '../../../src/core/health/alertmanagerClient';
import { hasAlertmanager, RunningAlertmanager, startAlertmanager } from '../../harness/alertmanager';
import { freePort } from '../../harness/freePort';
import { alertRules, RunningPrometheus, startPrometheus } from '../../harness/prometheus';

describe('AlertmanagerClient against a real Alertmanager fed by a real Prometheus', function () {
  this.timeout(150_000);
  let alertmanager: RunningAlertmanager;
  let prometheus: RunningPrometheus;

  before(async function () {
    if (!hasAlertmanager()) this.skip(); // Debian package prometheus-alertmanager (scripts/setup.sh installs it)
    alertmanager = await startAlertmanager({
      // A critical alert of a job mutes that job's warnings.
      extraConfig: ['inhibit_rules:', '  - source_matchers: [severity="critical"]', '    target_matchers: [severity="warning"]', '    equal: [job]'].join('\n'),
    });
    prometheus = await startPrometheus({
      targets: [{ job: 'worker', urls: [`http://127.0.0.1:${await freePort()}/metrics`] }],
      rules: alertRules([
        { alert: 'TargetDown', expr: 'up == 0', severity: 'critical' },
        { alert: 'WorkerSlow', expr: 'up{job="worker"} == 0', severity: 'warning', summary: 'worker is slow' },
        { alert: 'Maintenance', expr: 'vector(1)', severity: 'info', summary: 'planned maintenance' },
      ]),
      alertmanagers: [alertmanager.address],
    });
    await alertmanager.silence({ alertname: 'Maintenance' });
    await alertmanager.waitForAlerts((alerts) => ['TargetDown', 'WorkerSlow', 'Maintenance'].every((n) => alerts.some((a) => a.labels.alertname === n && a.status.state !== 'unprocessed')), 120_000); // usually ~5 s; generous for a loaded CI machine
  });

  after(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
  });

  it('reads the active alert with its labels, summary and start time', async () => {
    const res = await new AlertmanagerClient({ url: alertmanager.url, timeoutMs: 3000 }).alerts();
    assert.ok(res.ok, JSON.stringify(res));
    const down = res.value.find((a) => a.name === 'TargetDown');
    assert.ok(down);
    assert.equal(down.state, 'firing');
    assert.equal(down.labels.job, 'worker');
    assert.equal(down.severity, 'critical');
    assert.equal(down.summary, 'TargetDown: worker is down');
    assert.equal(down.source, 'alertmanager');
    assert.equal(down.silenced, false);
    assert.equal(down.inhibited, false);
    assert.ok(down.activeAt && !Number.isNaN(Date.parse(down.activeAt)));
  });

  it('flags an alert an inhibit rule mutes as inhibited', async () => {
    const res = await new AlertmanagerClient({ url: alertmanager.url }).alerts();
    assert.ok(res.ok);
    const slow = res.value.find((a) => a.name === 'WorkerSlow');
    assert.ok(slow);
    assert.equal(slow.inhibited, true);
    assert.equal(slow.silenced, false);
  });

  it('flags an alert a silence matches as silenced', async () => {
    const res = await new AlertmanagerClient({ url: alertmanager.url }).alerts();
    assert.ok(res.ok);
    const maintenance = res.value.find((a) => a.name === 'Maintenance');
    assert.ok(maintenance);
    assert.equal(maintenance.silenced, true);
    assert.equal(maintenance.summary, 'planned maintenance');
  });
});
