import { randomBytes } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { WidgetConfig } from '../modules/channel/channel.entity';
import type { Logger } from 'pino';
import { systemFork } from '../platform/database/tenant-filter';
import type { Services } from '../modules/services';
import { Team, TeamMember } from '../modules/team/team.entity';
import { User } from '../modules/user/user.entity';
import { hashPassword } from '../platform/auth/password';

export const DEMO = {
  tenant: 'Parley Demo',
  widgetKey: 'demo-widget',
  password: 'parley-demo-2026',
  admin: { email: 'admin@demo.example.com', nickname: 'Ada Admin' },
  agents: [
    { email: 'amy@demo.example.com', nickname: 'Amy', team: 'Sales' },
    { email: 'ben@demo.example.com', nickname: 'Ben', team: 'Sales' },
    { email: 'chen@demo.example.com', nickname: 'Chen Jing', team: 'Support' },
    { email: 'dara@demo.example.com', nickname: 'Dara', team: 'Support' },
  ],
} as const;

/** Creates the demo tenant once; later starts find it and leave it alone. */
export async function seedDemo(orm: MikroORM, services: Services, log: Logger): Promise<'created' | 'exists'> {
  const em = systemFork(orm.em);
  const admin = await em.findOne(User, { email: DEMO.admin.email });
  if (admin) {
    await ensureDemoWidget(em, admin.tenant);
    return 'exists';
  }
  await em.transactional(async (tx) => {
    const { tenant, roles } = await services.auth.createTenant(tx, {
      name: DEMO.tenant,
      adminEmail: DEMO.admin.email,
      adminPassword: DEMO.password,
      adminNickname: DEMO.admin.nickname,
      seats: 20,
    });
    const passwordHash = await hashPassword(DEMO.password);
    const teams = new Map<string, Team>();
    for (const name of new Set(DEMO.agents.map((a) => a.team))) {
      teams.set(
        name,
        tx.create(Team, { tenant: tenant.id, name, greeting: `Hello ##dear##, this is the ${name} team.` }),
      );
    }
    for (const agent of DEMO.agents) {
      const user = tx.create(User, {
        tenant: tenant.id,
        email: agent.email,
        nickname: agent.nickname,
        passwordHash,
        role: roles.agent,
      });
      tx.create(TeamMember, { tenant: tenant.id, team: teams.get(agent.team)!.id, user: user.id });
    }
    await tx.flush();
    await ensureDemoWidget(tx, tenant.id);
  });
  log.info({ tenant: DEMO.tenant }, 'demo tenant created');
  return 'created';
}

/** The demo web widget with a fixed key, so the playground and the docs can name it. */
async function ensureDemoWidget(em: EntityManager, tenantId: string): Promise<void> {
  if (await em.findOne(WidgetConfig, { publicKey: DEMO.widgetKey })) return;
  em.create(WidgetConfig, {
    tenant: tenantId,
    name: 'Demo website',
    publicKey: DEMO.widgetKey,
    identitySecret: randomBytes(32).toString('hex'),
  });
  await em.flush();
}
