import { api } from './client';

// A thin wrapper: its callers are the real call sites.
export function request(method, url, body) {
  return api.request({ method, url, data: body });
}
