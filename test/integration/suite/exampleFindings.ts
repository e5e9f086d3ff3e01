// examples/zenops findings, shared by the single-folder and the multi-root contract suites.

/** The README's table: every call the check must flag, and nothing else. */
export const EXAMPLE_FINDINGS = [
  'api/auth.js:14 missing-path',
  'api/documents.js:5 trailing-slash',
  'api/documents.js:26 missing-path',
  'api/payroll.js:13 missing-path',
  'api/payroll.js:19 method-not-allowed',
  'api/payroll.js:23 missing-path',
  'api/support.ts:20 missing-path',
  'api/support.ts:25 deprecated',
  'api/support.ts:27 trailing-slash',
  'api/typed.ts:8 method-not-allowed',
  'components/PayslipList.jsx:7 missing-path',
];
