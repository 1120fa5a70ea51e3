import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../src/platform/auth/password';
import { systemFork } from '../../src/platform/database/tenant-filter';
import { Role } from '../../src/modules/role/role.entity';
import { Team, TeamMember } from '../../src/modules/team/team.entity';
import { Tenant } from '../../src/modules/tenant/tenant.entity';
import { User } from '../../src/modules/user/user.entity';
import { LoginDocument } from '../graphql/generated';
import type { TestApp } from '../support/test-app';

export const PASSWORD = 'correct-horse-battery';

const unique = () => randomBytes(4).toString('hex');

export interface TenantFixture {
  tenantId: string;
  adminRoleId: string;
  agentRoleId: string;
  admin: UserFixture;
}

export interface UserFixture {
  id: string;
  email: string;
  token: string;
}

/** A tenant with its built-in roles and a signed-in admin. */
export async function createTenant(t: TestApp, opts: { seats?: number; name?: string } = {}): Promise<TenantFixture> {
  const email = `admin-${unique()}@test.example.com`;
  const em = systemFork(t.orm.em);
  const { tenant, roles } = await em.transactional((tx) =>
    t.services.auth.createTenant(tx, {
      name: opts.name ?? `Tenant ${unique()}`,
      adminEmail: email,
      adminPassword: PASSWORD,
      adminNickname: 'Admin',
      seats: opts.seats ?? 50,
    }),
  );
  const admin = await signIn(t, email);
  return { tenantId: tenant.id, adminRoleId: roles.admin.id, agentRoleId: roles.agent.id, admin };
}

export interface UserOptions {
  roleId?: string;
  nickname?: string;
  email?: string;
  enabled?: boolean;
  maxConversations?: number;
  realName?: string;
  phone?: string;
  employeeNo?: string;
  teamIds?: string[];
  signIn?: boolean;
}

/** A user of the tenant (an agent unless a role is given), signed in unless told otherwise. */
export async function createUser(t: TestApp, tenant: TenantFixture, opts: UserOptions = {}): Promise<UserFixture> {
  const em = systemFork(t.orm.em);
  const email = opts.email ?? `user-${unique()}@test.example.com`;
  const user = em.create(User, {
    tenant: tenant.tenantId,
    email,
    nickname: opts.nickname ?? `User ${unique()}`,
    passwordHash: await hashPassword(PASSWORD),
    role: em.getReference(Role, opts.roleId ?? tenant.agentRoleId),
    enabled: opts.enabled ?? true,
    maxConversations: opts.maxConversations ?? 5,
    realName: opts.realName ?? null,
    phone: opts.phone ?? null,
    employeeNo: opts.employeeNo ?? null,
  });
  for (const team of opts.teamIds ?? []) em.create(TeamMember, { tenant: tenant.tenantId, team, user: user.id });
  await em.flush();
  const token = opts.signIn === false || opts.enabled === false ? '' : (await signIn(t, email)).token;
  return { id: user.id, email, token };
}

export async function createTeam(t: TestApp, tenant: TenantFixture, name = `Team ${unique()}`): Promise<string> {
  const em = systemFork(t.orm.em);
  const team = em.create(Team, { tenant: tenant.tenantId, name });
  await em.flush();
  return team.id;
}

/** A custom role with exactly these pages. */
export async function createRole(t: TestApp, tenant: TenantFixture, pages: Role['pages']): Promise<string> {
  const em = systemFork(t.orm.em);
  const role = em.create(Role, { tenant: tenant.tenantId, name: `Role ${unique()}`, pages });
  await em.flush();
  return role.id;
}

export async function setSeats(t: TestApp, tenant: TenantFixture, seats: number): Promise<void> {
  await systemFork(t.orm.em).nativeUpdate(Tenant, { id: tenant.tenantId }, { seats });
}

export async function signIn(t: TestApp, email: string, password = PASSWORD): Promise<UserFixture> {
  const data = await t.ok(LoginDocument, { input: { email, password } });
  return { id: data.login.user.id, email, token: data.login.accessToken };
}

/** A custom role with these pages and data scopes (each scope TEAM unless given). */
export async function createScopedRole(
  t: TestApp,
  tenant: TenantFixture,
  pages: Role['pages'],
  scopes: Partial<Pick<Role, 'customersScope' | 'historyScope' | 'ongoingScope'>> = {},
): Promise<string> {
  const em = systemFork(t.orm.em);
  const role = em.create(Role, { tenant: tenant.tenantId, name: `Role ${unique()}`, pages, ...scopes });
  await em.flush();
  return role.id;
}
