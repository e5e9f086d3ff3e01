import api from './client';

// Spelled without the leading slash: axios joins it to the client's baseURL.
const resource = 'support/threads';

interface Thread {
  id: number;
  subject: string;
  status: string;
}

export const publicConfig = () => api.get<Record<string, unknown>>('/support/public/config');

export const listThreads = (status?: string) => api.get<Thread[]>(resource, { params: { status } });

export const getThread = (threadId: number) => api.get<Thread>(`${resource}/${threadId}`);

export const openThread = (thread: Thread) => api.post<Thread>(`/${resource}`, thread);

export const resolveThread = (threadId: number) => api.post(`/${resource}/${threadId}/resolve`);

export const postMessage = (threadId: number, body: string) =>
  api.post(`/${resource}/${threadId}/messages`, { body });

export const revokeToken = (tokenId: string) => api.delete(`/support/tokens/${tokenId}`);

export const recentThreads = () => api.get<Thread[]>('/support/threads/');

// An old-style type assertion: valid TypeScript, a syntax error if parsed as JSX.
export const draftThread = <Thread>{ id: 0, subject: '', status: 'draft' };
