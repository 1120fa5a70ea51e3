import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { consoleRouter } from './console-static';

describe(consoleRouter.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'console-'));
  writeFileSync(join(dir, 'index.html'), '<app-root></app-root>');
  writeFileSync(join(dir, 'main-ABCDEFGH.js'), 'console.log(1);\n'.repeat(500));
  let base = '';
  let close: () => void = () => undefined;

  beforeAll(async () => {
    const app = express();
    app.use(consoleRouter(dir)!);
    app.use((_req, res) => res.status(404).send('api'));
    const server = app.listen(0);
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('serves hashed assets for a year and the page for client-side routes', async () => {
    const asset = await fetch(`${base}/main-ABCDEFGH.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(await asset.text()).toContain('console.log(1);');
    const page = await fetch(`${base}/conversations/123`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('app-root');
  });

  it('leaves API paths and non-HTML requests alone', async () => {
    expect(await (await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } })).text()).toBe('api');
    expect(await (await fetch(`${base}/files/x`, { headers: { accept: 'text/html' } })).text()).toBe('api');
    expect((await fetch(`${base}/missing.js`, { headers: { accept: 'application/javascript' } })).status).toBe(404);
  });

  it('is absent when the console has not been built', () => {
    expect(consoleRouter(join(dir, 'nowhere'))).toBeNull();
  });
});
