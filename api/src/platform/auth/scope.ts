import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { forbidden, unauthenticated } from '../errors/app-error';
import { isStaff, type Principal, type StaffPrincipal, type TenantScoped, type UserPrincipal } from './principal';

/** What a service call needs from its request: who asks, and the tenant-confined EntityManager. */
export interface ServiceScope {
  principal: Principal;
  em: EntityManager;
  ip: string;
  userAgent: string;
  log: Logger;
}

export function tenantOf(scope: { principal: Principal }): string {
  return tenantScoped(scope.principal).tenantId;
}

export function tenantScoped(p: Principal): TenantScoped {
  if (p.kind === 'anonymous') throw unauthenticated();
  return p;
}

export function staffOf(scope: { principal: Principal }): StaffPrincipal {
  const p = scope.principal;
  if (p.kind === 'anonymous') throw unauthenticated();
  if (!isStaff(p)) throw forbidden();
  return p;
}

export function userOf(scope: { principal: Principal }): UserPrincipal {
  const p = scope.principal;
  if (p.kind === 'anonymous') throw unauthenticated();
  if (p.kind !== 'user') throw forbidden('Only signed-in users can do this');
  return p;
}
