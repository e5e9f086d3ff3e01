// Reads Alertmanager's v2 API (/api/v2/alerts): the alerts it holds, with silenced/inhibited state.
import { getJson, joinUrl } from '../http/getJson';
import { isObject, str, stringRecord } from './jsonShapes';
import type { Fetched, HealthAlert, SourceConnection } from './types';

export class AlertmanagerClient {
  constructor(private readonly connection: SourceConnection) {}

  /** Active, silenced and inhibited alerts (`/api/v2/alerts`); silenced/inhibited ones are flagged, not dropped. */
  async alerts(signal?: AbortSignal): Promise<Fetched<HealthAlert[]>> {
    const { url, auth, dispatcher, timeoutMs } = this.connection;
    const res = await getJson(joinUrl(url, '/api/v2/alerts'), { auth, dispatcher, timeoutMs, signal });
    if (!res.ok) return { ok: false, error: { kind: res.kind, message: res.message, status: res.status } };
    if (!Array.isArray(res.data)) {
      return { ok: false, error: { kind: 'bad-shape', message: 'unexpected answer from Alertmanager /api/v2/alerts: not a list of alerts' } };
    }
    return { ok: true, value: res.data.filter(isObject).map(parseAlert), elapsedMs: res.elapsedMs };
  }
}

function parseAlert(raw: Record<string, unknown>): HealthAlert {
  const labels = stringRecord(raw.labels);
  const annotations = stringRecord(raw.annotations);
  const status = isObject(raw.status) ? raw.status : {};
  const silencedBy = Array.isArray(status.silencedBy) ? status.silencedBy : [];
  const inhibitedBy = Array.isArray(status.inhibitedBy) ? status.inhibitedBy : [];
  const state = str(status.state);
  return {
    name: labels.alertname ?? '(unnamed alert)',
    labels,
    annotations,
    // Alertmanager only holds alerts that fire; 'unprocessed' ones have not been routed yet.
    state: 'firing',
    activeAt: str(raw.startsAt) || undefined,
    severity: labels.severity,
    summary: annotations.summary ?? annotations.description ?? annotations.message,
    source: 'alertmanager',
    silenced: silencedBy.length > 0 || (state === 'suppressed' && inhibitedBy.length === 0),
    inhibited: inhibitedBy.length > 0,
  };
}
