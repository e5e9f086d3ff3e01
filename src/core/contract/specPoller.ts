// Polls a spec URL cheaply: a conditional GET (If-None-Match / If-Modified-Since) that the server can
// answer with 304, and a content comparison for servers that send no validators (FastAPI by default).
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { loadSpec, parseSpecText, unfinishedLoadError, wholeLoadTimeoutMs, type LoadSpecOptions } from './loadSpec';
import type { LoadedSpec } from './types';

/** What the last successful fetch returned, to send back as validators and to compare against. */
export interface SpecVersion {
  etag?: string;
  lastModified?: string;
  /** sha256 of the body. */
  digest: string;
}

export type PollResult = { changed: false; version: SpecVersion } | { changed: true; spec: LoadedSpec; version: SpecVersion };

export type PollOptions = Omit<LoadSpecOptions, 'cwd'>;

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Fetches `url` unless it is unchanged since `previous`. A failure throws the SpecLoadError loadSpec
 * gives for the same URL, so a poll and a first load word a problem the same way.
 */
export async function pollSpecUrl(url: string, previous: SpecVersion | undefined, options: PollOptions = {}): Promise<PollResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(wholeLoadTimeoutMs(timeoutMs));
  const headers: Record<string, string> = { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' };
  if (previous?.etag) headers['if-none-match'] = previous.etag;
  if (previous?.lastModified) headers['if-modified-since'] = previous.lastModified;
  let statusCode: number;
  let text: string | undefined;
  let etag: string | undefined;
  let lastModified: string | undefined;
  try {
    // As in loadSpec, the whole poll has a deadline: a trickling server cannot hold it.
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    const response = await request(url, { method: 'GET', headers, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal });
    statusCode = response.statusCode;
    etag = header(response.headers, 'etag');
    lastModified = header(response.headers, 'last-modified');
    const contentType = header(response.headers, 'content-type') ?? '';
    if (statusCode === 200 && !/text\/html/i.test(contentType)) text = await response.body.text();
    else await response.body.dump().catch(() => undefined);
  } catch {
    // Out of time: trying again with loadSpec would only wait as long once more.
    if (deadline.aborted && !options.signal?.aborted) throw unfinishedLoadError(url, url, wholeLoadTimeoutMs(timeoutMs));
    statusCode = 0;
  }
  if (statusCode === 304 && previous) return { changed: false, version: previous };
  if (text === undefined) {
    // Redirects, errors and HTML: loadSpec follows or words them; it throws unless the retry succeeds.
    const spec = await loadSpec(url, { ...options, cwd: process.cwd() });
    return { changed: true, spec, version: { digest: '' } };
  }
  const digest = createHash('sha256').update(text).digest('hex');
  const version: SpecVersion = { digest };
  if (etag) version.etag = etag;
  if (lastModified) version.lastModified = lastModified;
  if (previous && previous.digest === digest) return { changed: false, version };
  const spec = parseSpecText(text, url, { apiPrefix: options.apiPrefix, documentUrl: url });
  return { changed: true, spec, version };
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
