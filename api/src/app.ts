import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type NextFunction, type Request, type Response } from 'express';
import { type GraphQLSchema, parse } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { type WebSocket, WebSocketServer } from 'ws';
import { bearer } from './platform/auth/bearer';
import { ALL_PAGES } from './platform/auth/pages';
import { ANONYMOUS, FULL_SCOPES, type Principal, type UserPrincipal } from './platform/auth/principal';
import type { Config } from './platform/config/config';
import { sqlCounter } from './platform/database/sql-counter';
import { tenantFork } from './platform/database/tenant-filter';
import { AppError, ErrorCode } from './platform/errors/app-error';
import { createErrorFormatter } from './platform/errors/format-error';
import { checkOperation, limitsPlugin, type OperationLimits } from './platform/graphql/limits';
import { Loaders } from './platform/graphql/loaders';
import { authorizeOperation } from './platform/graphql/operation-access';
import { playgroundRouter } from './platform/graphql/playground';
import { buildAppSchema } from './platform/graphql/schema';
import { consoleRouter } from './platform/web/console-static';
import { type AccessRevoked, topics } from './platform/pubsub/event-bus';
import { resolvers } from './modules';
import { attachmentRoutes } from './modules/attachment/attachment.routes';
import { widgetRoutes } from './modules/channel/widget.routes';
import type { AppContext, Services } from './modules/services';

export interface AppDeps {
  config: Config;
  orm: MikroORM;
  services: Services;
  log: Logger;
}

export interface App {
  server: Server;
  schema: GraphQLSchema;
  listen(port?: number, host?: string): Promise<string>;
  /** Stops accepting, finishes in-flight requests, closes sockets. */
  stop(): Promise<void>;
}

interface ClientMeta {
  requestId: string;
  ip: string;
  userAgent: string;
}

export async function createApp(deps: AppDeps): Promise<App> {
  const { config, orm, services, log } = deps;
  const schema = await buildAppSchema(resolvers);
  const limits: OperationLimits = {
    maxDepth: config.GRAPHQL_MAX_DEPTH,
    maxCost: config.GRAPHQL_MAX_COST,
    maxAliases: config.GRAPHQL_MAX_ALIASES,
  };
  const production = config.NODE_ENV === 'production';
  let ready = false;
  let draining = false;

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  const server = createServer(app);

  // Principal and tenant-confined EntityManager, built once per request or socket operation.
  const buildContext = async (token: string | undefined, meta: ClientMeta): Promise<AppContext> => {
    const principal = await authenticate(token);
    const em = principal.kind === 'anonymous' ? orm.em.fork({ clear: true }) : tenantFork(orm.em, principal.tenantId);
    return {
      ...meta,
      principal,
      em,
      loaders: new Loaders(em),
      services,
      log: log.child({ requestId: meta.requestId }),
      permissionsDisabled: config.PERMISSIONS_DISABLED,
    };
  };

  const authenticate = async (token: string | undefined): Promise<Principal> => {
    if (config.PERMISSIONS_DISABLED) return trustedPrincipal(token);
    return services.auth.resolvePrincipal(orm.em, token);
  };

  // Benchmarks only: the token's claims are trusted without looking at the session, user or role.
  const trustedPrincipal = async (token: string | undefined): Promise<Principal> => {
    const claims = token ? await services.tokens.verifyAccess(token) : null;
    if (!claims) return ANONYMOUS;
    return {
      kind: 'user',
      tenantId: claims.tenantId,
      userId: claims.userId,
      sessionId: claims.sessionId,
      roleId: '',
      isAdmin: true,
      pages: new Set(ALL_PAGES),
      scopes: FULL_SCOPES,
      teamIds: [],
    };
  };

  // A socket lives longer than its checks: it closes as soon as its session or key is revoked.
  const closeWhenAccessEnds = (principal: Principal, socket: WebSocket): void => {
    const topic =
      principal.kind === 'user'
        ? topics.userAccess(principal.tenantId, principal.userId)
        : principal.kind === 'apiKey'
          ? topics.apiKeyAccess(principal.tenantId, principal.apiKeyId)
          : null;
    if (!topic) return;
    const watch = new AbortController();
    socket.once('close', () => watch.abort());
    const mine = principal.kind === 'user' ? principal.sessionId : undefined;
    void (async () => {
      for await (const ended of services.bus.subscribe<AccessRevoked>(topic, watch.signal)) {
        if (
          (ended.sessionId && ended.sessionId !== mine) ||
          (ended.exceptSessionId && ended.exceptSessionId === mine)
        ) {
          continue;
        }
        socket.close(4401, 'Access ended');
        return;
      }
    })().catch((e: unknown) => log.warn({ err: e }, 'access watch failed'));
  };

  // Live connections drive presence (PRE-1): a user's socket keeps them online; the last one closing
  // starts the offline grace timer.
  const trackPresence = (principal: UserPrincipal, socket: WebSocket): void => {
    // A socket that closed while it was being authenticated never counts.
    if (socket.readyState === socket.CLOSED) return;
    const connection = services.presence.connected(principal.tenantId, principal.userId);
    socket.once('close', () => services.presence.disconnected(connection));
  };

  const formatError = createErrorFormatter({
    exposeDetails: config.NODE_ENV === 'development',
    onInternalError: (error) => log.error({ err: error }, 'unhandled error in GraphQL operation'),
  });

  // WebSocket: authenticated at connection_init, and again for every subscribe.
  const wsServer = new WebSocketServer({ server, path: '/graphql' });
  const wsCleanup = useServer<Record<string, unknown>, { meta: ClientMeta; token?: string }>(
    {
      schema,
      onConnect: async (ctx) => {
        const token = bearer(String(ctx.connectionParams?.Authorization ?? ctx.connectionParams?.authorization ?? ''));
        const meta = clientMeta(ctx.extra.request, config.TRUST_PROXY);
        let principal: Principal;
        try {
          principal = await authenticate(token);
        } catch {
          return false;
        }
        Object.assign(ctx.extra, { meta, token });
        closeWhenAccessEnds(principal, ctx.extra.socket);
        if (principal.kind === 'user') trackPresence(principal, ctx.extra.socket);
        return true;
      },
      context: async (ctx) => {
        const extra = ctx.extra as unknown as { meta: ClientMeta; token?: string };
        return buildContext(extra.token, { ...extra.meta, requestId: randomUUID() });
      },
      onSubscribe: async (ctx, _id, payload) => {
        const extra = ctx.extra as unknown as { meta: ClientMeta; token?: string };
        try {
          const principal = await authenticate(extra.token);
          const document = parse(payload.query);
          const operation = authorizeOperation(schema, document, payload.operationName, principal);
          checkOperation(schema, document, operation, payload.variables ?? {}, limits);
        } catch (e) {
          const error = e instanceof AppError ? e : new AppError(ErrorCode.BAD_USER_INPUT, (e as Error).message);
          return [error];
        }
        return undefined;
      },
      // Results over WebSocket get the same error formatting as HTTP (codes kept, internals hidden).
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors?.length ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => {
        log.debug({ errors: errors.map((e) => e.message) }, 'websocket operation failed');
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<AppContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    // Introspection is checked per request (limits plugin): open in development, signed-in only in production.
    introspection: true,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // Shutdown is ours (main.ts): stop accepting, drain, close sockets, then the database.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server, stopGracePeriodMillis: 10_000 }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
              // Closed sockets release their presence before the database goes away.
              await services.presence.settled();
            },
          };
        },
      },
      ApolloServerPluginLandingPageDisabled(),
      limitsPlugin(limits, { introspectionRequiresAuth: production }),
      ...(config.DEBUG_SQL_COUNT ? [sqlCountPlugin()] : []),
    ],
  });
  await apollo.start();

  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    try {
      await orm.em.getConnection().execute('select 1');
      if (!ready) ready = (await orm.migrator.getPending()).length === 0;
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'migrations pending' });
    } catch (e) {
      log.warn({ err: e }, 'readiness check failed');
      res.status(503).json({ status: 'database unreachable' });
    }
  });

  app.use(playgroundRouter({ endpoint: '/graphql', subscriptionEndpoint: '/graphql' }));
  app.use(attachmentRoutes({ orm, services, authenticate, log }));
  app.use(widgetRoutes({ orm, services }));

  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    // After the body is read, so that everything below runs inside the counter's async context.
    (_req: Request, _res: Response, next: NextFunction) =>
      config.DEBUG_SQL_COUNT ? sqlCounter.run({ statements: 0 }, next) : next(),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        try {
          return await buildContext(bearer(req.headers.authorization), {
            ...clientMeta(req, config.TRUST_PROXY),
            requestId: String(req.id),
          });
        } catch (e) {
          if (e instanceof AppError) {
            e.extensions.http = { status: e.status };
            throw e;
          }
          throw e;
        }
      },
    }),
  );

  // The console last: its client-side routes answer any other page request.
  const consoleApp = consoleRouter();
  if (consoleApp) app.use(consoleApp);

  // Anything that escapes the routes above (e.g. a malformed or oversized JSON body) still answers in JSON.
  app.use((err: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) req.log.error({ err }, 'unhandled error');
    const code = status === 500 ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.BAD_USER_INPUT;
    const message =
      status === 413
        ? 'The request body is too large'
        : status === 500
          ? 'Internal server error'
          : err.type === 'entity.parse.failed'
            ? 'The request body is not valid JSON'
            : err.message;
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  });

  return {
    server,
    schema,
    listen: (port = config.PORT, host = config.HOST) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address() as AddressInfo;
          resolve(`http://${host === '0.0.0.0' ? 'localhost' : host}:${address.port}`);
        });
      }),
    stop: async () => {
      draining = true;
      // Apollo's drain plugin stops the HTTP server and waits for in-flight requests; our hook closes sockets.
      await apollo.stop();
      wsServer.close();
    },
  };
}

/** Adds the request's SQL statement count to the response (DEBUG_SQL_COUNT). */
function sqlCountPlugin(): ApolloServerPlugin<AppContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const count = sqlCounter.getStore();
          if (count && response.body.kind === 'single') {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              sqlStatements: count.statements,
            };
          }
        },
      };
    },
  };
}

function clientMeta(req: IncomingMessage & { ip?: string }, trustProxy: boolean): Omit<ClientMeta, 'requestId'> {
  const forwarded = trustProxy
    ? String(req.headers['x-forwarded-for'] ?? '')
        .split(',')[0]
        ?.trim()
    : '';
  const ip = req.ip ?? (forwarded || req.socket.remoteAddress || 'unknown');
  return { ip: ip.slice(0, 64), userAgent: String(req.headers['user-agent'] ?? '').slice(0, 500) };
}
