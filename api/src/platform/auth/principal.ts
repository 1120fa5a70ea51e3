import { DataScope, type Page, ScopedArea } from './pages';

export type PrincipalKind = 'anonymous' | 'user' | 'apiKey' | 'visitor';

/** What a role grants, resolved once per request. */
export interface Grants {
  roleId: string;
  /** The built-in admin role: never subject to approvals, sees every page. */
  isAdmin: boolean;
  pages: ReadonlySet<Page>;
  scopes: Readonly<Record<ScopedArea, DataScope>>;
}

export interface AnonymousPrincipal {
  kind: 'anonymous';
}

export interface UserPrincipal extends Grants {
  kind: 'user';
  tenantId: string;
  userId: string;
  sessionId: string;
  teamIds: readonly string[];
}

export interface ApiKeyPrincipal extends Grants {
  kind: 'apiKey';
  tenantId: string;
  apiKeyId: string;
  // An API key belongs to no team: a TEAM data scope gives it no scoped data.
  teamIds: readonly string[];
}

export interface VisitorPrincipal {
  kind: 'visitor';
  tenantId: string;
  customerId: string;
  /** The widget configuration the visitor came through. */
  widgetId: string;
}

export type Principal = AnonymousPrincipal | UserPrincipal | ApiKeyPrincipal | VisitorPrincipal;
export type TenantScoped = Exclude<Principal, AnonymousPrincipal>;
export type StaffPrincipal = UserPrincipal | ApiKeyPrincipal;

export const ANONYMOUS: AnonymousPrincipal = Object.freeze({ kind: 'anonymous' });

export function isStaff(p: Principal): p is StaffPrincipal {
  return p.kind === 'user' || p.kind === 'apiKey';
}

export function hasPage(p: Principal, page: Page): boolean {
  return isStaff(p) && p.pages.has(page);
}

/** How far a principal's view of a scoped area reaches. */
export type ScopeFilter = { tenantWide: true } | { tenantWide: false; teamIds: readonly string[] };

/**
 * The team-scope helper: computed from the Principal alone, so that every query over
 * customers, history or ongoing conversations narrows the same way.
 */
export function scopeOf(p: StaffPrincipal, area: ScopedArea): ScopeFilter {
  return p.scopes[area] === DataScope.TENANT ? { tenantWide: true } : { tenantWide: false, teamIds: p.teamIds };
}

/**
 * A MikroORM condition for an entity with a team reference (`team` by default): empty for a
 * tenant-wide scope, `team IN (...)` otherwise (matching nothing when the user has no team).
 */
export function teamScopeWhere(p: StaffPrincipal, area: ScopedArea, teamField = 'team'): Record<string, unknown> {
  const scope = scopeOf(p, area);
  return scope.tenantWide ? {} : { [teamField]: { $in: [...scope.teamIds] } };
}

export const FULL_SCOPES: Readonly<Record<ScopedArea, DataScope>> = Object.freeze({
  [ScopedArea.CUSTOMERS]: DataScope.TENANT,
  [ScopedArea.HISTORY]: DataScope.TENANT,
  [ScopedArea.ONGOING]: DataScope.TENANT,
});
