import { createTenant, createUser, type TenantFixture } from '../../factories';
import {
  CloseConversationDocument,
  CreateWidgetConfigDocument,
  JoinConversationDocument,
  MyWorkloadDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
} from '../../graphql/generated';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

describe('the top bar counters (myWorkload)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let widgetKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    widgetKey = (await t.ok(CreateWidgetConfigDocument, { input: { name: 'Site' } }, tenant.admin.token))
      .createWidgetConfig.publicKey;
  });
  afterAll(() => t.stop());

  const conversation = async () => {
    const v = (await t.ok(StartVisitorSessionDocument, { input: { widgetKey } })).startVisitorSession;
    return (await t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text: 'hi' } }, v.token)).sendVisitorMessage
      .conversation;
  };

  it('counts what the agent serves now, and what they served and closed since the given time', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const agent = await createUser(t, tenant);
    const other = await createUser(t, tenant);
    const counters = async (token = agent.token) => (await t.ok(MyWorkloadDocument, { since }, token)).myWorkload;
    expect(await counters()).toEqual({ ongoing: 0, served: 0, closed: 0 });

    const first = await conversation();
    const second = await conversation();
    await t.ok(JoinConversationDocument, { id: first }, agent.token);
    await t.ok(JoinConversationDocument, { id: second }, agent.token);
    await t.ok(JoinConversationDocument, { id: await conversation() }, other.token);
    expect(await counters()).toEqual({ ongoing: 2, served: 2, closed: 0 });

    await t.ok(CloseConversationDocument, { id: first }, agent.token);
    expect(await counters()).toEqual({ ongoing: 1, served: 2, closed: 1 });
    // Since a later time, nothing was served or closed; what is open still counts.
    const later = (await t.ok(MyWorkloadDocument, { since: new Date(Date.now() + 60_000).toISOString() }, agent.token))
      .myWorkload;
    expect(later).toEqual({ ongoing: 1, served: 0, closed: 0 });
    expect(await counters(other.token)).toEqual({ ongoing: 1, served: 1, closed: 0 });
  });

  it('is for signed-in users only, and another tenant’s user counts only their own', async () => {
    const since = new Date().toISOString();
    expect(codeOf(await t.gql(MyWorkloadDocument, { since }))).toBe('UNAUTHENTICATED');
    const stranger = await createUser(t, await createTenant(t));
    expect((await t.ok(MyWorkloadDocument, { since }, stranger.token)).myWorkload).toEqual({
      ongoing: 0,
      served: 0,
      closed: 0,
    });
  });
});
