import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { PLAYGROUND_ASSETS_PATH, playgroundRouter } from './playground';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('playgroundRouter', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    const app = express();
    app.use(playgroundRouter({ endpoint: '/graphql', subscriptionEndpoint: '/graphql' }));
    // Stands in for Apollo Server on the same path.
    app.all('/graphql', (_req, res) => {
      res.status(200).json({ handledBy: 'next' });
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, () => resolve(listening));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  });

  async function fetchPage(): Promise<string> {
    const response = await fetch(`${baseUrl}/graphql`, { headers: { Accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(200);
    return response.text();
  }

  // Every src/href except the inline data: favicon.
  function assetUrls(html: string): string[] {
    return [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((match) => match[1] ?? '')
      .filter((url) => !url.startsWith('data:'));
  }

  it('serves the HTML page when the browser prefers text/html', async () => {
    const response = await fetch(`${baseUrl}/graphql`, { headers: { Accept: BROWSER_ACCEPT } });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain('<div id="graphiql">');
    expect(html).toContain('"endpoint":"/graphql"');
    // CSP forbids inline scripts: every executable script must be an external file.
    expect(html).not.toMatch(/<script>/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it.each([
    ['application/json', 'application/json'],
    ['*/*', '*/*'],
    ['no Accept header', undefined],
  ])('passes GET requests with %s to the next handler', async (_label, accept) => {
    const response = await fetch(`${baseUrl}/graphql?query=%7B__typename%7D`, {
      headers: accept === undefined ? {} : { Accept: accept },
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ handledBy: 'next' });
  });

  it('passes POST requests to the next handler', async () => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { Accept: BROWSER_ACCEPT, 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });

    expect(await response.json()).toEqual({ handledBy: 'next' });
  });

  it('serves every asset the page references with a JS or CSS content type', async () => {
    const urls = assetUrls(await fetchPage());

    expect(urls.length).toBeGreaterThanOrEqual(6);
    for (const url of urls) {
      expect(url.startsWith(`${PLAYGROUND_ASSETS_PATH}/`)).toBe(true);
      const response = await fetch(`${baseUrl}${url}`);
      expect({ url, status: response.status }).toEqual({ url, status: 200 });
      const expectedType = url.endsWith('.css') ? /^text\/css/ : /^text\/javascript/;
      expect(response.headers.get('content-type')).toMatch(expectedType);
      expect(response.headers.get('cache-control')).toContain('immutable');
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
  });

  it('keeps configured endpoints from breaking out of the config block', async () => {
    const app = express();
    app.use(playgroundRouter({ endpoint: '/graphql?x=</script><script>alert(1)</script>' }));
    const other = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, () => resolve(listening));
    });
    try {
      const port = (other.address() as AddressInfo).port;
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        headers: { Accept: BROWSER_ACCEPT },
      });
      const html = await response.text();

      expect(html).not.toContain('alert(1)</script>');
      expect(html).toContain('\\u003c/script\\u003e');
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it('answers 404 for unknown assets', async () => {
    const response = await fetch(`${baseUrl}${PLAYGROUND_ASSETS_PATH}/nope.js`);

    expect(response.status).toBe(404);
  });
});
