// Messages between the extension host and the scan worker (scanWorker.ts).
export type ScanRequest = { id: number; key: string } & (
  | { op: 'create'; root: string; include: string[]; exclude: string[]; cacheFile?: string }
  /** `cacheProblem`: why the scan cache could not be read or written, if it could not. */
  | { op: 'scanAll' }
  | { op: 'updateFile'; file: string; text: string }
  | { op: 'removeFile'; file: string }
  | { op: 'dispose' }
);

export type ScanReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
