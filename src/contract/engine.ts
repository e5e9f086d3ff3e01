// The contract engine as the extension host uses it (the scanner itself runs in scanWorker.ts). Imported lazily
// (`await import('./engine.js')`) once a folder has frontend code, so activation does not pay for it.
export { loadSpec, parseSpecText, SpecLoadError } from '../core/contract/loadSpec';
export { SpecIndex } from '../core/contract/matchOperation';
export { checkContract } from '../core/contract/checkContract';
export { pollSpecUrl, type SpecVersion } from '../core/contract/specPoller';
export { chooseSpecSource, describeSpecSource, docsLink, SPEC_FILE_EXCLUDE, SPEC_FILE_GLOB, type SpecSource } from '../core/contract/specSource';
export { FolderContract } from './folderContract';
