import { api } from './client';
import { routes } from './routes';

export const listPayslips = (page) => api.get(routes.payslips, { params: { page } });

export const myPayslips = () => api.get('/payroll/payslips/my');

export const getPayslip = (id) => api.get(routes.payslip(id));

export const downloadPayslip = (payslipId) =>
  api.get(`/payroll/payslips/${payslipId}/download`, { responseType: 'blob' });

export const emailPayslip = (id) => api.post(`/payroll/payslips/${id}/send-email`);

export const listRuns = () => api.get(routes.runs);

export const startRun = (run) => api.post(routes.runs, run);

export const closeRun = (runId) => api.put(routes.closeRun(runId));

export const exportRun = (runId, type) => api.get(`/payroll/runs/${runId}/export/${type}?format=csv`);

export const sendForApproval = (runId) => api.post(`/payroll/runs/${runId}/send-approval`);
