import { api } from './client';
import { request } from './request';

export const tacticalReport = () => request('GET', '/reports/tactical');

export const report = (kind) => request('GET', `/reports/${kind}`);

// zenops-ignore: served by the reporting sidecar, not by the API
export const legacyReport = () => request('GET', '/reports/legacy');

export const followLink = (link) => api.get(link.href);
