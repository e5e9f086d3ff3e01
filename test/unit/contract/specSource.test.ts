import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { chooseSpecSource, docsLink, rankSpecFiles } from '../../../src/core/contract/specSource';

const root = path.resolve('/work/app');
const at = (rel: string) => path.join(root, rel);

describe('choosing where the spec comes from', () => {
  it('takes the setting first: a URL as a URL, anything else as a file relative to the folder', () => {
    assert.deepEqual(chooseSpecSource(root, 'https://api.example.com/openapi.json', [at('openapi.json')], 'http://localhost:8000'), {
      kind: 'url',
      url: 'https://api.example.com/openapi.json',
      origin: 'setting',
    });
    assert.deepEqual(chooseSpecSource(root, 'backend/openapi.json', [], 'http://localhost:8000'), {
      kind: 'file',
      file: at('backend/openapi.json'),
      display: 'backend/openapi.json',
      origin: 'setting',
    });
  });

  it('uses a spec file found in the folder when the setting is empty', () => {
    const source = chooseSpecSource(root, '', [at('docs/swagger.yaml'), at('backend/openapi.json')], 'http://localhost:8000');
    assert.deepEqual(source, { kind: 'file', file: at('backend/openapi.json'), display: 'backend/openapi.json', origin: 'found' });
  });

  it("falls back to the API's /openapi.json", () => {
    assert.deepEqual(chooseSpecSource(root, '  ', [], 'http://localhost:8000/'), { kind: 'url', url: 'http://localhost:8000/openapi.json', origin: 'default' });
  });

  it('ranks found files shallowest first, openapi before swagger, JSON before YAML', () => {
    assert.deepEqual(
      rankSpecFiles(root, [at('a/b/openapi.json'), at('a/swagger.json'), at('a/openapi.yaml'), at('a/openapi.json')]),
      [at('a/openapi.json'), at('a/openapi.yaml'), at('a/swagger.json'), at('a/b/openapi.json')],
    );
  });
});

describe('links to the API docs', () => {
  it('deep-links an operation the way Swagger UI does', () => {
    assert.equal(docsLink('http://localhost:8000/', { operationId: 'close_run', tags: ['payroll'] }), 'http://localhost:8000/docs#/payroll/close_run');
    assert.equal(docsLink('http://localhost:8000', { tags: [] }), 'http://localhost:8000/docs');
  });
});
