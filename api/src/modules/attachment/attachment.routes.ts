import type { MikroORM } from '@mikro-orm/postgresql';
import { type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import { bearer } from '../../platform/auth/bearer';
import type { Principal } from '../../platform/auth/principal';
import { systemFork, tenantFork } from '../../platform/database/tenant-filter';
import { AppError, ErrorCode } from '../../platform/errors/app-error';
import type { Services } from '../services';

/**
 * `POST /uploads` (multipart, one `file` part and an optional `kind` = image|file field before it)
 * and `GET /files/:id` (a signed, expiring link; supports Range). Mounted before any body parser.
 */
export function attachmentRoutes(deps: {
  orm: MikroORM;
  services: Services;
  authenticate: (token: string | undefined) => Promise<Principal>;
  log: Logger;
}): Router {
  const { orm, services, authenticate, log } = deps;
  const router = Router();

  router.post('/uploads', async (req, res) => {
    try {
      const principal = await authenticate(bearer(req.headers.authorization));
      if (principal.kind === 'anonymous') throw new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in to upload files');
      const { attachment, url } = await services.attachments.upload(
        tenantFork(orm.em, principal.tenantId),
        principal,
        req,
      );
      res.status(201).json({
        id: attachment.id,
        filename: attachment.filename,
        mime: attachment.mime,
        kind: attachment.kind,
        size: attachment.size,
        url,
      });
    } catch (e) {
      // After a refusal the rest of the body is left unread: the connection cannot be reused.
      res.setHeader('connection', 'close');
      sendError(res, e, log);
    }
  });

  router.get('/files/:id', async (req: Request<{ id: string }>, res) => {
    try {
      const found = await services.attachments.resolveDownload(systemFork(orm.em), req.params.id, req.query);
      if (!found) {
        res
          .status(404)
          .json({ errors: [{ message: 'File not found or link expired', extensions: { code: 'NOT_FOUND' } }] });
        return;
      }
      const { attachment, grant } = found;
      res.set(services.attachments.headers(attachment, grant));
      res.setHeader('accept-ranges', 'bytes');
      const size = Number(attachment.size);
      const range = parseRange(req.headers.range, size);
      if (range === 'invalid') {
        res.status(416).setHeader('content-range', `bytes */${size}`).end();
        return;
      }
      if (range) {
        res.status(206);
        res.setHeader('content-range', `bytes ${range.start}-${range.end}/${size}`);
        res.setHeader('content-length', String(range.end - range.start + 1));
      } else {
        res.setHeader('content-length', String(size));
      }
      const stream = services.attachments.read(attachment, range ?? undefined);
      stream.on('error', (err) => {
        log.error({ err, fileId: attachment.id }, 'file read failed');
        res.destroy(err);
      });
      stream.pipe(res);
    } catch (e) {
      sendError(res, e, log);
    }
  });

  return router;
}

function sendError(res: Response, e: unknown, log: Logger): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (e instanceof AppError) {
    res.status(e.status).json({ errors: [{ message: e.message, extensions: e.extensions }] });
    return;
  }
  log.error({ err: e }, 'file route failed');
  res
    .status(500)
    .json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (!m[1] && !m[2])) return 'invalid';
  const start = m[1] ? Number(m[1]) : Math.max(size - Number(m[2]), 0);
  const end = m[1] && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  return start > end || start >= size ? 'invalid' : { start, end };
}
