import createClient from 'openapi-fetch';

const client = createClient({ baseUrl: import.meta.env.VITE_API_URL });

export const getRun = (runId: number) => client.GET('/api/payroll/runs/{run_id}', { params: { path: { run_id: runId } } });

export const renameRun = (runId: number, period: string) =>
  client.PATCH('/api/payroll/runs/{run_id}', { params: { path: { run_id: runId } }, body: { period } });
