import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal';
import type { Loaders } from './loaders';

/** Everything a resolver receives, built once per HTTP request or WebSocket operation. */
export interface RequestContext<S = unknown> {
  requestId: string;
  principal: Principal;
  /** A fork of the EntityManager confined to the principal's tenant (see tenant-filter). */
  em: EntityManager;
  loaders: Loaders;
  services: S;
  ip: string;
  userAgent: string;
  log: Logger;
  /** Benchmarks only (see PERMISSIONS_DISABLED): skip the access guard. */
  permissionsDisabled: boolean;
}
