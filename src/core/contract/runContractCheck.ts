// One headless contract check of a folder: settings, spec, scan, report. Used by `zenops check`.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { readWorkspaceSettingsFile, resolveSettings, type ZenOpsSettings } from '../settings';
import { checkContract } from './checkContract';
import { findSpecFiles } from './findSpecFiles';
import { hasNoOperations, loadSpec, noOperationsMessage, SpecLoadError } from './loadSpec';
import { SpecIndex } from './matchOperation';
import { FileScanCache } from './scanCache';
import { scanWorkspace } from './scanWorkspace';
import { chooseSpecSource } from './specSource';
import type { ContractReport, LoadedSpec } from './types';

export interface ContractCheckOptions {
  /** The workspace folder (absolute or relative to `cwd`). */
  root: string;
  /** Folder relative command-line paths are read against. */
  cwd: string;
  /** `--spec`: a file (relative to `cwd`) or URL; overrides `zenops.contract.spec`. */
  spec?: string;
  /** `--prefix`: overrides `zenops.contract.apiPrefix`. */
  prefix?: string;
  timeoutMs?: number;
  /** `--cache`: keep the scan's findings in this file (relative to `cwd`) and re-parse only what changed. */
  cacheFile?: string;
}

/** Where `zenops check --cache` keeps its scan cache unless told otherwise (relative to the root). */
export const DEFAULT_CACHE_FILE = 'node_modules/.cache/zenops/scan-cache.json';

export interface ContractCheckRun {
  root: string;
  settings: ZenOpsSettings;
  spec: LoadedSpec;
  report: ContractReport;
  /** Things worth telling the user that do not change the result (unreadable extraRoutes). */
  notices: string[];
}

/** The contract check of a folder as Collect Logs runs it from disk (the CLI's `zenops collect`). */
export function checkContractOnDisk(root: string, settings: ZenOpsSettings): Promise<ContractCheckRun> {
  const { contract } = settings;
  const timeoutMs = Math.max(1, settings.health.requestTimeout) * 1000;
  return runContractCheck({ root, cwd: root, ...(contract.spec.trim() ? { spec: contract.spec.trim() } : {}), prefix: contract.apiPrefix, timeoutMs });
}

/** The run itself could not happen (root missing, settings unreadable); spec problems are SpecLoadError. */
export class CheckRunError extends Error {}

export async function runContractCheck(options: ContractCheckOptions): Promise<ContractCheckRun> {
  const root = path.resolve(options.cwd, options.root);
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat) throw new CheckRunError(`cannot read ${root}: no such folder`);
  if (!stat.isDirectory()) throw new CheckRunError(`${root} is not a folder`);

  // A SettingsError propagates as is: its message names the file.
  const settings = resolveSettings(readWorkspaceSettingsFile(root));
  const contract = settings.contract;
  const apiPrefix = options.prefix ?? contract.apiPrefix;

  let source: string;
  let cwd: string;
  let choice: string | undefined;
  if (options.spec !== undefined && options.spec.trim() !== '') {
    source = options.spec.trim();
    cwd = options.cwd;
  } else {
    const found = contract.spec.trim() === '' ? await findSpecFiles(root) : [];
    const chosen = chooseSpecSource(root, contract.spec, found, settings.api.url);
    source = chosen.kind === 'url' ? chosen.url : chosen.display;
    cwd = root;
    if (chosen.kind === 'file' && found.length > 1) {
      const others = found.length - 1;
      choice = `${found.length} OpenAPI files in the folder: checking against ${chosen.display} (the shallowest; ${others} other${others === 1 ? '' : 's'} ignored); set zenops.contract.spec or --spec to choose`;
    }
  }
  // The scan does not need the spec: both run at once (a failed spec load still ends the run).
  const cache = options.cacheFile !== undefined ? new FileScanCache(path.resolve(options.cwd, options.cacheFile)) : undefined;
  const scanning = scanWorkspace(root, { include: contract.include, exclude: contract.exclude, cache });
  scanning.catch(() => undefined);
  const spec = await loadSpec(source, { cwd, apiPrefix, timeoutMs: options.timeoutMs });
  if (hasNoOperations(spec)) {
    // Every call would be "missing": as in the editor, an empty document flags nothing and says why.
    throw new SpecLoadError(`${noOperationsMessage(source)}: nothing is checked. Did the backend's routers fail to mount?`, 'empty', source);
  }

  const index = new SpecIndex(spec, contract.extraRoutes);
  const scan = await scanning;
  const report = checkContract(scan, spec, { ...contract, apiUrl: settings.api.url }, index);
  const notices = choice ? [choice] : [];
  notices.push(...index.invalidExtraRoutes.map((route) => `ignoring zenops.contract.extraRoutes entry "${route}": write it as METHOD /path`));
  notices.push(...(spec.warnings ?? []));
  if (cache?.problem) notices.push(`scan cache: ${cache.problem}`);
  if (scan.files === 0) notices.push(`no source files under ${root} match zenops.contract.include`);
  return { root, settings, spec, report, notices };
}
