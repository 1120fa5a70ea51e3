import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import compression from 'compression';
import express, { type Router } from 'express';
import { REPO_ROOT } from '../../platform/config/config';
import { systemFork } from '../../platform/database/tenant-filter';
import type { Services } from '../services';
import { widgetLoader } from './widget-loader';

/** Where `npm run build -w console` puts the widget app. */
export const WIDGET_DIST = join(REPO_ROOT, 'console', 'dist', 'widget', 'browser');

/** `/widget.js` (the loader for customers' sites) and `/widget/` (the widget app; also the H5 page). */
export function widgetRoutes(deps: { orm: MikroORM; services: Services; dist?: string }): Router {
  const router = express.Router();
  const dist = deps.dist ?? WIDGET_DIST;
  router.use(['/widget.js', '/widget', '/demo'], compression());

  router.get('/widget.js', async (req, res, next) => {
    try {
      const key = typeof req.query.key === 'string' ? req.query.key : '';
      const widget = key ? await deps.services.channels.findWidgetByKey(systemFork(deps.orm.em), key) : null;
      res.setHeader('content-type', 'text/javascript; charset=utf-8');
      res.setHeader('x-content-type-options', 'nosniff');
      if (!widget) {
        res.setHeader('cache-control', 'no-cache');
        res.status(404).send('console.warn("Parley: unknown widget key");\n');
        return;
      }
      // Short caching: a colour change reaches sites within minutes.
      res.setHeader('cache-control', 'public, max-age=300');
      res.send(widgetLoader({ origin: deps.services.config.PUBLIC_URL, key: widget.publicKey, style: widget.style }));
    } catch (e) {
      next(e);
    }
  });

  // A stand-in for a customer's site: a page of its own styles with the widget embedded.
  router.get('/demo', (req, res) => {
    const key =
      typeof req.query.key === 'string' && /^[\w-]{1,64}$/.test(req.query.key) ? req.query.key : 'demo-widget';
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-cache');
    res.send(DEMO_PAGE.replace('__KEY__', key));
  });

  // A stand-in for a CRM page (CNV-12): shows the parameters it was opened with; decodes nothing.
  router.get('/demo/crm', (req, res) => {
    const rows = Object.entries(req.query)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`)
      .join('');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    // No script runs here, whatever the parameters hold.
    res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.send(DEMO_CRM_PAGE.replace('__ROWS__', rows || '<tr><td>No parameters.</td></tr>'));
  });

  if (existsSync(join(dist, 'index.html'))) {
    router.use(
      '/widget',
      express.static(dist, {
        setHeaders: (res, path) => {
          const hashed = /-[A-Za-z0-9_]{8,}\.(js|css)$/.test(path);
          res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      }),
    );
  }
  return router;
}

const DEMO_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Outdoor — demo shop</title>
<style>
  /* Deliberately aggressive page styles: the widget must look the same anyway. */
  * { font-family: Georgia, serif; }
  button { background: hotpink; border: 4px solid black; font-size: 30px; }
  iframe { border: 10px dashed red; }
  body { margin: 0; background: #f7f3ea; color: #333; }
  header { padding: 24px 40px; background: #2f4f4f; color: #fff; }
  main { padding: 40px; max-width: 800px; }
</style>
</head>
<body>
<header><h1>Acme Outdoor</h1><p>Tents, boots and everything for the trail.</p></header>
<main>
  <h2>Summer sale</h2>
  <p>This page stands in for a customer's website. The chat button in the corner is the Parley widget,
  embedded with one script tag.</p>
  <button type="button">A button of the page</button>
</main>
<script src="/widget.js?key=__KEY__" async></script>
</body>
</html>
`;

const DEMO_CRM_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme CRM — demo</title>
<style>
  body { margin: 0; font: 14px/1.5 system-ui, sans-serif; color: #222; background: #fff; }
  header { padding: 10px 14px; background: #37474f; color: #fff; font-weight: 600; }
  main { padding: 10px 14px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid #e0e0e0; overflow-wrap: anywhere; }
  th { font-weight: 600; white-space: nowrap; }
  p { color: #555; }
</style>
</head>
<body>
<header>Acme CRM (demo)</header>
<main>
  <p>This page stands in for a company's CRM. Parley opened it with these parameters:</p>
  <table>__ROWS__</table>
  <p>With encryption on, they arrive sealed in <code>p</code>; a real CRM opens it with the tenant key
  (see docs/crm-iframe.md).</p>
</main>
</body>
</html>
`;

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
