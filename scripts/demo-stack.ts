// The demo's live parts on their usual ports: the example FastAPI app (:8000), a real Prometheus (:9090)
// scraping it plus a target that is down, and the Loki stand-in (:3100) fed with the app's real log lines.
// Runs until SIGINT/SIGTERM. Used by scripts/demo.sh; every part is the same one the tests use.
import { freePort } from '../test/harness/freePort';
import { startExampleApp } from '../test/harness/exampleApp';
import { alertRule, startPrometheus } from '../test/harness/prometheus';
import { pushToLoki, startLokiStandIn } from '../test/harness/lokiStandIn';

const API_PORT = Number(process.env.ZENOPS_DEMO_API_PORT ?? 8000);
const PROMETHEUS_PORT = Number(process.env.ZENOPS_DEMO_PROMETHEUS_PORT ?? 9090);
const LOKI_PORT = Number(process.env.ZENOPS_DEMO_LOKI_PORT ?? 3100);

async function main(): Promise<void> {
  const app = await startExampleApp({ port: API_PORT });
  const downPort = await freePort();
  const prometheus = await startPrometheus({
    port: PROMETHEUS_PORT,
    scrapeInterval: '5s',
    targets: [
      { job: 'api', urls: [`${app.url}/metrics`] },
      { job: 'worker', urls: [`http://127.0.0.1:${downPort}/metrics`] },
    ],
    rules: alertRule('TargetDown', 'up == 0', 'critical', '{{ $labels.job }} is down'),
  });
  const loki = await startLokiStandIn({ port: LOKI_PORT });

  // A little traffic, some of it failing, so metrics, logs and lenses have something to show.
  const paths = ['/api/payroll/payslips', '/api/payroll/payslips/my', '/api/support/threads', '/api/payroll/payslips/1/download', '/api/payroll/runs/0'];
  let round = 0;
  let shipped = 0;
  const tick = async (): Promise<void> => {
    round++;
    for (const p of paths) {
      await fetch(`${app.url}${p}`, { headers: { 'X-Request-Id': `demo-${round}-${p.length}` } }).catch(() => undefined);
    }
    // Ship the app's new log lines to Loki the way a collector would: one entry per line.
    const lines = app.output().split('\n');
    const fresh = lines.slice(shipped, lines.length - 1);
    shipped = lines.length - 1;
    if (fresh.length > 0) {
      const now = BigInt(Date.now()) * 1_000_000n;
      const values = fresh.map((line, i): [string, string] => [String(now + BigInt(i)), line]);
      await pushToLoki(loki.url, { container: 'zenops-api-1', service: 'api', job: 'zenops/api' }, values).catch(() => undefined);
    }
  };
  await tick();
  const timer = setInterval(() => void tick(), 10_000);

  console.log(`demo-stack: API ${app.url}  Prometheus ${prometheus.url}  Loki stand-in ${loki.url}`);
  console.log('demo-stack: READY');

  const stop = async (): Promise<void> => {
    clearInterval(timer);
    await Promise.allSettled([loki.stop(), prometheus.stop(), app.stop()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(`demo-stack: ${err instanceof Error ? err.message : String(err)}`);
  console.error('demo-stack: are ports 8000, 9090 and 3100 free? Set ZENOPS_DEMO_API_PORT / _PROMETHEUS_PORT / _LOKI_PORT to move them.');
  process.exit(1);
});
