import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHealthSources, readHealthOnce } from '../../../src/core/health/healthSources';
import { createTlsDispatcher, getJson } from '../../../src/core/http/getJson';
import { resolveSettings } from '../../../src/core/settings';

describe('getJson over https with a self-signed certificate', () => {
  let dir: string;
  let server: https.Server;
  let url: string;

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zenops-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    } catch {
      this.skip(); // no openssl binary on this machine
    }
    // Enough of each API for every health source to read it: Prometheus, Alertmanager and the backend's health paths.
    const answers: Record<string, unknown> = {
      '/api/v1/targets': { status: 'success', data: { activeTargets: [] } },
      '/api/v1/alerts': { status: 'success', data: { alerts: [] } },
      '/api/v2/alerts': [],
      '/healthz/deps': { status: 'ok', checks: { database: { status: 'ok' } } },
    };
    server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answers[new URL(req.url ?? '/', 'https://x').pathname] ?? { status: 'ok' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
  });

  after(async () => {
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fails as tls with a hint at the TLS settings when the certificate is not trusted', async () => {
    const res = await getJson(url);
    assert.ok(!res.ok);
    assert.equal(res.kind, 'tls');
    assert.match(res.message, /zenops\.tls\.caFile/);
  });

  it('trusts the certificate given as zenops.tls.caFile', async () => {
    const tls = createTlsDispatcher({ caFile: path.join(dir, 'cert.pem') });
    assert.ok(tls.ok && tls.dispatcher);
    const res = await getJson(url, { dispatcher: tls.dispatcher });
    assert.ok(res.ok, JSON.stringify(res));
    assert.deepEqual(res.data, { status: 'ok' });
    await tls.dispatcher.close();
  });

  it('accepts any certificate when rejectUnauthorized is false', async () => {
    const tls = createTlsDispatcher({ rejectUnauthorized: false });
    assert.ok(tls.ok && tls.dispatcher);
    const res = await getJson(url, { dispatcher: tls.dispatcher });
    assert.ok(res.ok, JSON.stringify(res));
    await tls.dispatcher.close();
  });

  it('needs no agent for the default settings', () => {
    const tls = createTlsDispatcher({ caFile: '', rejectUnauthorized: true });
    assert.ok(tls.ok);
    assert.equal(tls.dispatcher, undefined);
  });

  describe('through the health sources built from settings', () => {
    const origin = () => new URL(url).origin;
    const settingsWith = (tls: Record<string, unknown>) =>
      resolveSettings({ 'zenops.prometheus.url': origin(), 'zenops.alertmanager.url': origin(), 'zenops.api.url': origin(), ...tls });

    it('every source (Prometheus, Alertmanager, API) trusts the zenops.tls.caFile certificate', async () => {
      const built = createHealthSources(settingsWith({ 'zenops.tls.caFile': path.join(dir, 'cert.pem') }));
      try {
        const snapshot = await readHealthOnce(built.sources);
        assert.equal(snapshot.prometheus.state, 'ok', JSON.stringify(snapshot.prometheus));
        assert.equal(snapshot.alertmanager.state, 'ok', JSON.stringify(snapshot.alertmanager));
        assert.equal(snapshot.api.state, 'ok', JSON.stringify(snapshot.api));
      } finally {
        await built.dispatcher?.close();
      }
    });

    it('without it every source reports a TLS error, not a crash', async () => {
      const built = createHealthSources(settingsWith({}));
      const snapshot = await readHealthOnce(built.sources);
      for (const name of ['prometheus', 'alertmanager', 'api'] as const) {
        const state = snapshot[name];
        assert.ok(state.state === 'error' && state.error.kind === 'tls', `${name}: ${JSON.stringify(state)}`);
      }
    });

    it('an unreadable CA file is a configuration error on every source', async () => {
      const built = createHealthSources(settingsWith({ 'zenops.tls.caFile': path.join(dir, 'missing.pem') }));
      assert.equal(built.configError?.kind, 'config');
      const snapshot = await readHealthOnce(built.sources);
      for (const name of ['prometheus', 'alertmanager', 'api'] as const) assert.equal(snapshot[name].state === 'error' && snapshot[name].error.kind, 'config');
    });
  });
});
