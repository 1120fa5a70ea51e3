import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Router, type NextFunction, type Request, type Response } from 'express';

export interface PlaygroundOptions {
  /** GraphQL HTTP endpoint the playground sends operations to, e.g. `/graphql`. */
  endpoint: string;
  /**
   * graphql-ws endpoint for subscriptions, e.g. `/graphql`. A relative path is resolved
   * against the page's origin with the ws:/wss: scheme. Omit for HTTP only.
   */
  subscriptionEndpoint?: string;
}

export const PLAYGROUND_PATH = '/graphql';
export const PLAYGROUND_ASSETS_PATH = `${PLAYGROUND_PATH}/assets`;

const JS_TYPE = 'text/javascript; charset=utf-8';
const CSS_TYPE = 'text/css; charset=utf-8';
const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

// Types Apollo Server answers itself; the playground only wins when text/html is preferred.
const NEGOTIATED_TYPES = ['application/json', 'application/graphql-response+json', 'multipart/mixed', 'text/html'];

// Pre-built browser bundles (UMD globals React, ReactDOM, GraphiQL) shipped in the npm packages.
const PACKAGE_ASSETS = [
  { packageName: 'react', file: 'umd/react.production.min.js', contentType: JS_TYPE },
  { packageName: 'react-dom', file: 'umd/react-dom.production.min.js', contentType: JS_TYPE },
  { packageName: 'graphiql', file: 'graphiql.min.js', contentType: JS_TYPE },
  { packageName: 'graphiql', file: 'graphiql.min.css', contentType: CSS_TYPE },
] as const;

const PAGE_CSS = `html, body { height: 100%; margin: 0; }
#graphiql { height: 100vh; }
`;

// Runs in the browser; lives in its own file so the CSP can stay at script-src 'self'.
const PAGE_JS = `(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('playground-config').textContent);

  function absoluteUrl(endpoint, webSocket) {
    var url = new URL(endpoint, window.location.href);
    if (webSocket && url.protocol === 'http:') url.protocol = 'ws:';
    if (webSocket && url.protocol === 'https:') url.protocol = 'wss:';
    return url.toString();
  }

  var fetcherOptions = { url: absoluteUrl(config.endpoint, false) };
  if (config.subscriptionEndpoint) {
    // GraphiQL passes the headers editor content as graphql-ws connectionParams.
    fetcherOptions.subscriptionUrl = absoluteUrl(config.subscriptionEndpoint, true);
  }

  var defaultQuery = [
    '# Welcome to the Parley GraphQL playground.',
    '#',
    '# 1. Run the login mutation; copy the access token it returns.',
    '# 2. Open the "Headers" tab below and set:',
    '#      { "Authorization": "Bearer <access token>" }',
    '#    Headers are kept in this browser (local storage).',
    '# 3. Run authenticated queries.',
    '',
    '{',
    '  __typename',
    '}',
    '',
  ].join('\\n');

  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher(fetcherOptions),
      defaultQuery: defaultQuery,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      defaultEditorToolsVisibility: 'headers',
    }),
  );
})();
`;

interface Asset {
  url: string;
  contentType: string;
  send: (res: Response) => void;
}

export function playgroundRouter(options: PlaygroundOptions): Router {
  const packageAssets = PACKAGE_ASSETS.map(({ packageName, file, contentType }): Asset => {
    // Packages' "exports" maps hide these files, but every one of them exports ./package.json.
    const packageJsonPath = require.resolve(`${packageName}/package.json`);
    const version = readPackageVersion(packageJsonPath);
    const filePath = join(dirname(packageJsonPath), file);
    const fileName = file.slice(file.lastIndexOf('/') + 1);
    return {
      // The version in the URL makes the asset immutable for caching.
      url: `${PLAYGROUND_ASSETS_PATH}/${packageName}@${version}/${fileName}`,
      contentType,
      send: (res) => res.sendFile(filePath, { maxAge: ONE_YEAR_MS, immutable: true }),
    };
  });
  const [reactJs, reactDomJs, graphiqlJs, graphiqlCss] = packageAssets;
  const pageCss = inlineAsset('playground', '.css', CSS_TYPE, PAGE_CSS);
  const pageJs = inlineAsset('playground', '.js', JS_TYPE, PAGE_JS);
  const assets = new Map<string, Asset>(
    [...packageAssets, pageCss, pageJs].map((asset) => [asset.url.slice(PLAYGROUND_ASSETS_PATH.length), asset]),
  );

  const html = renderPage({
    config: options,
    styles: [graphiqlCss.url, pageCss.url],
    scripts: [reactJs.url, reactDomJs.url, graphiqlJs.url, pageJs.url],
  });
  const csp = contentSecurityPolicy(options);

  const router = Router();

  router.get(PLAYGROUND_PATH, (req: Request, res: Response, next: NextFunction) => {
    res.vary('Accept');
    if (req.accepts(NEGOTIATED_TYPES) !== 'text/html') {
      next();
      return;
    }
    res
      .status(200)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': csp,
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      })
      .send(html);
  });

  router.use(PLAYGROUND_ASSETS_PATH, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    const asset = assets.get(req.path);
    if (!asset) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    res.set({ 'Content-Type': asset.contentType, 'X-Content-Type-Options': 'nosniff' });
    asset.send(res);
  });

  return router;
}

function readPackageVersion(packageJsonPath: string): string {
  const manifest: unknown = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
  if (
    typeof manifest === 'object' &&
    manifest !== null &&
    'version' in manifest &&
    typeof manifest.version === 'string'
  ) {
    return manifest.version;
  }
  throw new Error(`No version in ${packageJsonPath}`);
}

function inlineAsset(name: string, extension: string, contentType: string, body: string): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return {
    url: `${PLAYGROUND_ASSETS_PATH}/${name}-${hash}${extension}`,
    contentType,
    send: (res) => res.set('Cache-Control', `public, max-age=${ONE_YEAR_MS / 1000}, immutable`).send(body),
  };
}

function renderPage(page: { config: PlaygroundOptions; styles: string[]; scripts: string[] }): string {
  const config = JSON.stringify({
    endpoint: page.config.endpoint,
    subscriptionEndpoint: page.config.subscriptionEndpoint ?? null,
  });
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>Parley GraphQL Playground</title>
    <link rel="icon" href="data:," />
${page.styles.map((href) => `    <link rel="stylesheet" href="${escapeHtml(href)}" />`).join('\n')}
  </head>
  <body>
    <div id="graphiql">Loading GraphQL playground…</div>
    <noscript>The GraphQL playground needs JavaScript.</noscript>
    <script id="playground-config" type="application/json">${escapeJsonForScript(config)}</script>
${page.scripts.map((src) => `    <script src="${escapeHtml(src)}"></script>`).join('\n')}
  </body>
</html>
`;
}

function contentSecurityPolicy(options: PlaygroundOptions): string {
  const connectSources = new Set(["'self'"]);
  for (const endpoint of [options.endpoint, options.subscriptionEndpoint]) {
    const origin = endpoint === undefined ? undefined : absoluteOrigin(endpoint);
    if (origin) connectSources.add(origin);
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    // GraphiQL's dialogs inject <style> elements (react-remove-scroll) at runtime.
    "style-src 'self' 'unsafe-inline'",
    // GraphiQL's CSS embeds its fonts and icons as data: URLs.
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${[...connectSources].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function absoluteOrigin(endpoint: string): string | undefined {
  try {
    return new URL(endpoint).origin;
  } catch {
    return undefined; // relative path: covered by 'self'
  }
}

function escapeHtml(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

// Keeps "</script>" and "<!--" in configured values from ending the JSON data block.
function escapeJsonForScript(json: string): string {
  return json.replaceAll('<', '\\u003c').replaceAll('>', '\\u003e').replaceAll('&', '\\u0026');
}
