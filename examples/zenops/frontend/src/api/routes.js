// One place for the payroll routes, shared by the API module and the pages.
export const routes = {
  payslips: '/payroll/payslips',
  payslip: (id) => `/payroll/payslips/${id}`,
  runs: '/payroll/runs',
  closeRun: (runId) => `/payroll/runs/${runId}/close`,
};
