import { DataScope, Page, ScopedArea } from './pages';
import {
  ANONYMOUS,
  type ApiKeyPrincipal,
  FULL_SCOPES,
  hasPage,
  scopeOf,
  teamScopeWhere,
  type UserPrincipal,
  type VisitorPrincipal,
} from './principal';

const TEAM_A = '0190a5b2-0000-7000-8000-00000000000a';
const TEAM_B = '0190a5b2-0000-7000-8000-00000000000b';

// Tenant-wide for customers, team-only for history and ongoing conversations.
const mixedScopes = {
  [ScopedArea.CUSTOMERS]: DataScope.TENANT,
  [ScopedArea.HISTORY]: DataScope.TEAM,
  [ScopedArea.ONGOING]: DataScope.TEAM,
};

const user = (teamIds: string[], scopes = mixedScopes, pages: Page[] = []): UserPrincipal => ({
  kind: 'user',
  tenantId: '0190a5b2-0000-7000-8000-000000000001',
  userId: '0190a5b2-0000-7000-8000-000000000002',
  sessionId: '0190a5b2-0000-7000-8000-000000000003',
  teamIds,
  roleId: '0190a5b2-0000-7000-8000-000000000004',
  isAdmin: false,
  pages: new Set(pages),
  scopes,
});

const apiKey: ApiKeyPrincipal = {
  kind: 'apiKey',
  tenantId: '0190a5b2-0000-7000-8000-000000000001',
  apiKeyId: '0190a5b2-0000-7000-8000-000000000005',
  teamIds: [],
  roleId: '0190a5b2-0000-7000-8000-000000000004',
  isAdmin: false,
  pages: new Set([Page.AGENT_HISTORY]),
  scopes: mixedScopes,
};

describe(scopeOf.name, () => {
  it('is tenant-wide for an area the role scopes to the TENANT', () => {
    expect(scopeOf(user([TEAM_A]), ScopedArea.CUSTOMERS)).toEqual({ tenantWide: true });
  });

  it("is limited to the user's teams for an area the role scopes to the TEAM", () => {
    expect(scopeOf(user([TEAM_A, TEAM_B]), ScopedArea.HISTORY)).toEqual({
      tenantWide: false,
      teamIds: [TEAM_A, TEAM_B],
    });
  });

  it('is tenant-wide in every area with FULL_SCOPES', () => {
    for (const area of Object.values(ScopedArea)) {
      expect(scopeOf(user([], FULL_SCOPES), area)).toEqual({ tenantWide: true });
    }
  });
});

describe(teamScopeWhere.name, () => {
  it('adds no condition for a tenant-wide area', () => {
    expect(teamScopeWhere(user([TEAM_A]), ScopedArea.CUSTOMERS)).toEqual({});
  });

  it("restricts the team reference to the user's teams for a TEAM area", () => {
    expect(teamScopeWhere(user([TEAM_A, TEAM_B]), ScopedArea.ONGOING)).toEqual({ team: { $in: [TEAM_A, TEAM_B] } });
  });

  it('uses the given field name for the team reference', () => {
    expect(teamScopeWhere(user([TEAM_A]), ScopedArea.HISTORY, 'conversation.team')).toEqual({
      'conversation.team': { $in: [TEAM_A] },
    });
  });

  it('matches nothing for a user in no team', () => {
    expect(teamScopeWhere(user([]), ScopedArea.HISTORY)).toEqual({ team: { $in: [] } });
  });

  it('matches nothing for an API key in a TEAM area, since keys belong to no team', () => {
    expect(teamScopeWhere(apiKey, ScopedArea.ONGOING)).toEqual({ team: { $in: [] } });
    expect(teamScopeWhere(apiKey, ScopedArea.CUSTOMERS)).toEqual({});
  });

  it("does not let a caller change the principal's teams through the returned condition", () => {
    const principal = user([TEAM_A]);
    const where = teamScopeWhere(principal, ScopedArea.HISTORY) as { team: { $in: string[] } };
    where.team.$in.push(TEAM_B);

    expect(principal.teamIds).toEqual([TEAM_A]);
  });
});

describe(hasPage.name, () => {
  const visitor: VisitorPrincipal = {
    kind: 'visitor',
    widgetId: 'w1',
    tenantId: '0190a5b2-0000-7000-8000-000000000001',
    customerId: '0190a5b2-0000-7000-8000-000000000006',
  };

  it('is true only for staff whose role grants the page', () => {
    expect(hasPage(user([], mixedScopes, [Page.ADMIN_USERS]), Page.ADMIN_USERS)).toBe(true);
    expect(hasPage(user([], mixedScopes, [Page.ADMIN_USERS]), Page.ADMIN_TEAMS)).toBe(false);
    expect(hasPage(apiKey, Page.AGENT_HISTORY)).toBe(true);
    expect(hasPage(visitor, Page.AGENT_HISTORY)).toBe(false);
    expect(hasPage(ANONYMOUS, Page.AGENT_HISTORY)).toBe(false);
  });
});
