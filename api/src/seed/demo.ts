import { randomBytes } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { WidgetConfig } from '../modules/channel/channel.entity';
import type { Logger } from 'pino';
import { systemFork } from '../platform/database/tenant-filter';
import type { Services } from '../modules/services';
import { Article, ArticleState, KnowledgeCategory } from '../modules/knowledge/knowledge.entity';
import { Phrase, PhraseCategory } from '../modules/phrase/phrase.entity';
import { ConversationTag, CustomerTag } from '../modules/tag/tag.entity';
import { Team, TeamMember } from '../modules/team/team.entity';
import { User } from '../modules/user/user.entity';
import { hashPassword } from '../platform/auth/password';
import { applySettings, CrmParam, withDefaults } from '../modules/tenant/tenant-settings';

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
    await ensureDemoContent(em, admin.tenant);
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
    // The CRM tab shows the demo CRM page, which only lists the parameters it was opened with.
    tenant.settings = applySettings(withDefaults(null), {
      crmFrame: { enabled: true, url: `${services.config.PUBLIC_URL}/demo/crm`, params: Object.values(CrmParam) },
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
    await ensureDemoContent(tx, tenant.id);
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

/** Tags, phrases and an article, so that every part of the chat window has something to show. */
async function ensureDemoContent(em: EntityManager, tenantId: string): Promise<void> {
  if (await em.count(ConversationTag, { tenant: tenantId })) return;
  const tree: [string, string[]][] = [
    ['Consultation', ['Price', 'Delivery', 'Product features']],
    ['After-sales', ['Refund', 'Exchange', 'Repair']],
    ['Complaint', []],
  ];
  tree.forEach(([root, children], i) => {
    const parent = em.create(ConversationTag, { tenant: tenantId, name: root, depth: 1, position: i });
    children.forEach((name, j) =>
      em.create(ConversationTag, { tenant: tenantId, name, parent: parent.id, depth: 2, position: j }),
    );
  });
  ['Returning customer', 'Wholesale', 'Needs follow-up'].forEach((name, i) =>
    em.create(CustomerTag, { tenant: tenantId, name, position: i }),
  );
  const greetings = em.create(PhraseCategory, { tenant: tenantId, name: 'Greetings', position: 0 });
  const orders = em.create(PhraseCategory, { tenant: tenantId, name: 'Orders', position: 1 });
  const phrases: [PhraseCategory, string][] = [
    [greetings, 'Hello ##dear##, how can I help you today?'],
    [greetings, 'Thank you for waiting, ##dear##. I am looking into it now.'],
    [orders, 'Could you tell me your order number, please?'],
    [orders, 'Your refund has been approved; it reaches your account within 3 to 5 working days.'],
  ];
  phrases.forEach(([category, content], i) =>
    em.create(Phrase, { tenant: tenantId, category: category.id, content, position: i }),
  );
  const faq = em.create(KnowledgeCategory, { tenant: tenantId, name: 'FAQ', position: 0 });
  em.create(Article, {
    tenant: tenantId,
    category: faq.id,
    title: 'Refunds and returns',
    body: '<p>Customers may return unused items within <strong>30 days</strong>.</p><ul><li>Refunds go back to the original payment method.</li><li>They take 3 to 5 working days.</li></ul>',
    bodyText:
      'Customers may return unused items within 30 days. Refunds go back to the original payment method. They take 3 to 5 working days.',
    state: ArticleState.PUBLISHED,
    publishedAt: new Date(),
  });
  await em.flush();
}
