import { existsSync } from 'node:fs';
import { join } from 'node:path';
import compression from 'compression';
import express, { type Router } from 'express';
import { REPO_ROOT } from '../config/config';

/** Where `npm run build -w console` puts the console. */
export const CONSOLE_DIST = join(REPO_ROOT, 'console', 'dist', 'console', 'browser');

// Paths that belong to the API, never to the console's client-side routes.
const API_PATHS = /^\/(graphql|uploads|files|healthz|readyz|widget)(\/|$|\?)/;

/**
 * The built console at `/`: hashed assets cached for a year, `index.html` never cached, and
 * every other GET that asks for HTML answered with `index.html` (client-side routes).
 * Returns null when the console has not been built.
 */
export function consoleRouter(dir = CONSOLE_DIST): Router | null {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return null;
  const router = express.Router();
  // Compressed on the way out (gzip or deflate, as the browser accepts).
  router.use(compression());
  router.use(
    express.static(dir, {
      index: false,
      setHeaders: (res, path) => {
        const hashed = /-[A-Za-z0-9_]{8,}\.(js|css|woff2?)$/.test(path);
        res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  router.get(/.*/, (req, res, next) => {
    if (API_PATHS.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
