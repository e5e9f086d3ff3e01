// SARIF 2.1.0 for code-scanning UIs (GitHub, Azure DevOps): one rule per call status.
import type { CallStatus, ContractReport } from '../types';
import { CALL_STATUSES, severityOf } from './severity';
import { locationOf, relativeFile } from './location';

const RULE_TEXT: Record<CallStatus, string> = {
  'missing-path': 'The called path is not in the OpenAPI document.',
  'method-not-allowed': 'The path exists in the OpenAPI document, but not with this HTTP method.',
  'trailing-slash': 'The path differs from the OpenAPI document only by a trailing slash (FastAPI redirects with 307).',
  deprecated: 'The operation is marked deprecated in the OpenAPI document.',
  unresolved: 'The URL cannot be worked out without running the code.',
  external: "The URL is another host's API; it is not checked.",
  ok: 'The call matches an operation in the OpenAPI document.',
};

export interface SarifOptions {
  /** `zenops.contract.showUnresolved`: unresolved calls become `note` results (off: left out, as in the editor). */
  showUnresolved?: boolean;
}

export function formatSarif(report: ContractReport, root: string, toolVersion = '0.1.0', options: SarifOptions = {}): string {
  const rules = CALL_STATUSES.map((status) => ({
    id: status,
    name: status.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: RULE_TEXT[status] },
    defaultConfiguration: { level: severityOf(status) },
  }));
  const results = report.calls
    // ok and external calls (level none) are not results; unresolved ones only when asked for.
    .filter((call) => severityOf(call.result.status) !== 'none' && (call.result.status !== 'unresolved' || options.showUnresolved === true))
    .map((call) => {
      const at = locationOf(call, root);
      return {
        ruleId: call.result.status,
        ruleIndex: CALL_STATUSES.indexOf(call.result.status),
        level: severityOf(call.result.status),
        message: { text: call.result.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: encodeUriPath(at.file), uriBaseId: '%SRCROOT%' },
              region: { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: at.endColumn },
            },
          },
        ],
      };
    });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'ZenOps', version: toolVersion, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileUri(root)}/` } },
        // Files that could not be checked: a code-scanning UI shows these as the run's own warnings.
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.skipped.map((s) => ({
              level: 'warning',
              message: { text: `skipped: ${s.reason}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: encodeUriPath(relativeFile(root, s.file)), uriBaseId: '%SRCROOT%' } } }],
            })),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function pathToFileUri(root: string): string {
  const forward = root.split('\\').join('/').replace(/\/+$/, '');
  return `file://${forward.startsWith('/') ? '' : '/'}${encodeUriPath(forward)}`;
}

/** encodeURI leaves `#` and `?` alone, but in a file path they are characters, not a fragment or a query. */
function encodeUriPath(filePath: string): string {
  return encodeURI(filePath).replace(/#/g, '%23').replace(/\?/g, '%3F');
}
