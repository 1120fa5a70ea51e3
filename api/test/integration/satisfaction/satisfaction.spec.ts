import type { Client } from 'graphql-ws';
import { Page } from '../../../src/platform/auth/pages';
import { systemFork, tenantFork } from '../../../src/platform/database/tenant-filter';
import { CloseReason, Conversation, SenderKind } from '../../../src/modules/conversation/conversation.entity';
import { Rating } from '../../../src/modules/satisfaction/rating.entity';
import { createRole, createTenant, createUser, type TenantFixture, type UserFixture } from '../../factories';
import {
  CloseConversationDocument,
  ConversationMessagesDocument,
  ConversationRatingDocument,
  CreateWidgetConfigDocument,
  InviteRatingDocument,
  JoinConversationDocument,
  MyConversationsChangedDocument,
  RateConversationDocument,
  type RateConversationInput,
  SendMessageDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
  UpdateSatisfactionSettingsDocument,
  type SatisfactionSettingsInput,
} from '../../graphql/generated';
import { connectWs, live } from '../../support/live';
import { codeOf, type GraphQLResponse, startTestApp, type TestApp } from '../../support/test-app';

const reasonOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.reason;

describe('satisfaction ratings (CNV-5)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let widgetKey: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    widgetKey = (await t.ok(CreateWidgetConfigDocument, { input: { name: 'Website' } }, tenant.admin.token))
      .createWidgetConfig.publicKey;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.stop();
  });

  const ws = (token: string): Client => {
    const client = connectWs(t, token);
    clients.push(client);
    return client;
  };
  const settings = (input: SatisfactionSettingsInput) =>
    t.ok(UpdateSatisfactionSettingsDocument, { input }, tenant.admin.token);
  const visitor = async (key = widgetKey) =>
    (await t.ok(StartVisitorSessionDocument, { input: { widgetKey: key } })).startVisitorSession;
  const say = (token: string, text: string) =>
    t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text } }, token);

  /**
   * A conversation a fresh agent serves: the visitor wrote once, the agent joined. An agent who
   * will connect live (and so come online) gets room for this one conversation only, so that the
   * assignment engine gives later ones to no one.
   */
  const served = async (opts: { agentReplies?: boolean; goesOnline?: boolean } = {}) => {
    const v = await visitor();
    const conversationId = (await say(v.token, 'Hello')).sendVisitorMessage.conversation;
    const agent = await createUser(t, tenant, opts.goesOnline ? { maxConversations: 1 } : {});
    await t.ok(JoinConversationDocument, { id: conversationId }, agent.token);
    if (opts.agentReplies) {
      await t.ok(
        SendMessageDocument,
        { conversationId, input: { type: 'TEXT', text: 'How can I help?' } },
        agent.token,
      );
    }
    return { v, conversationId, agent };
  };
  const ratingOf = async (conversationId: string, token: string) =>
    (await t.ok(ConversationRatingDocument, { id: conversationId }, token)).conversation;
  const rate = (token: string, input: RateConversationInput) => t.gql(RateConversationDocument, { input }, token);
  const close = (conversationId: string, agent: UserFixture) =>
    t.ok(CloseConversationDocument, { id: conversationId }, agent.token);
  /** Closes as the system does (the timers of CNV-7 and the blacklist use the same path). */
  const closeBySystem = (conversationId: string, reason: CloseReason) =>
    t.services.conversations.end(tenantFork(t.orm.em, tenant.tenantId), conversationId, {
      closedBy: SenderKind.SYSTEM,
      reason,
    });

  describe('invitation by the agent', () => {
    it('invites once, by the serving agent only; the widget receives the form live', async () => {
      await settings({ autoInviteChannels: [] });
      const { v, conversationId, agent } = await served();
      const visitorFeed = live(ws(v.token), ConversationMessagesDocument, { conversationId, afterSeq: 0 });
      await visitorFeed.waitFor(3); // welcome, "Hello", "… is now serving you"

      // The admin can see the conversation (monitoring) but does not serve it.
      const notServing = await t.gql(InviteRatingDocument, { conversationId }, tenant.admin.token);
      expect(codeOf(notServing)).toBe('FORBIDDEN');
      const bystander = await createUser(t, tenant);
      expect(codeOf(await t.gql(InviteRatingDocument, { conversationId }, bystander.token))).toBe('NOT_FOUND');

      const invited = (await t.ok(InviteRatingDocument, { conversationId }, agent.token)).inviteRating;
      expect(invited).toMatchObject({ conversation: conversationId, invitedBy: agent.id, stars: null, ratedAt: null });
      const [form] = (await visitorFeed.waitFor(4)).slice(3);
      expect(form!.conversationMessages.message).toMatchObject({
        seq: 4,
        senderKind: 'SYSTEM',
        type: 'CUSTOM',
        payload: { kind: 'rating-invitation', ratingId: invited.id },
      });

      const again = await t.gql(InviteRatingDocument, { conversationId }, agent.token);
      expect(codeOf(again)).toBe('CONFLICT');
      expect(again.errors?.[0]?.message).toMatch(/already invited/);
      expect((await ratingOf(conversationId, agent.token)).messages.filter((m) => m.type === 'CUSTOM')).toHaveLength(1);
      visitorFeed.stop();
    });

    it('invites on a just-closed conversation, but not 30 minutes after the close', async () => {
      await settings({ autoInviteChannels: [] });
      const first = await served();
      await close(first.conversationId, first.agent);
      const invited = await t.ok(InviteRatingDocument, { conversationId: first.conversationId }, first.agent.token);
      expect(invited.inviteRating.invitedBy).toBe(first.agent.id);
      const conversation = await ratingOf(first.conversationId, first.agent.token);
      expect(conversation.messages.slice(-2).map((m) => [m.text, m.type])).toEqual([
        ['The conversation has ended.', 'TEXT'],
        ['How would you rate this conversation?', 'CUSTOM'],
      ]);

      const late = await served();
      await close(late.conversationId, late.agent);
      await systemFork(t.orm.em).nativeUpdate(
        Conversation,
        { id: late.conversationId },
        { closedAt: new Date(Date.now() - 31 * 60 * 1000) },
      );
      const refused = await t.gql(InviteRatingDocument, { conversationId: late.conversationId }, late.agent.token);
      expect(codeOf(refused)).toBe('CONFLICT');
      expect(reasonOf(refused)).toBe('CLOSED_TOO_LONG_AGO');
    });
  });

  describe('rating by the customer', () => {
    it('rates within the time limit; the agent sees the rating live and on the conversation', async () => {
      await settings({ autoInviteChannels: [], timeLimitSeconds: 3600, kept: 'LAST' });
      const { v, conversationId, agent } = await served({ goesOnline: true });
      const notInvited = await rate(v.token, { conversationId, stars: 5 });
      expect(codeOf(notInvited)).toBe('CONFLICT');
      expect(reasonOf(notInvited)).toBe('NOT_INVITED');

      await t.ok(InviteRatingDocument, { conversationId }, agent.token);
      const changes = live(ws(agent.token), MyConversationsChangedDocument, {});
      // Subscriptions are not acknowledged: ping until the feed carries a change of ours.
      for (let attempt = 0; changes.received.length === 0; attempt += 1) {
        await t.ok(SendMessageDocument, { conversationId, input: { type: 'TEXT', text: 'ping' } }, agent.token);
        await changes.waitFor(1, 500).catch((e: unknown) => {
          if (attempt >= 20) throw e;
        });
      }
      const before = changes.received.length;

      const rated = await rate(v.token, {
        conversationId,
        stars: 4,
        labels: ['Fast', ' Friendly '],
        remark: '  Thanks!  ',
        resolved: true,
      });
      expect(rated.errors).toBeUndefined();
      expect(rated.data?.rateConversation).toMatchObject({
        stars: 4,
        labels: ['Fast', 'Friendly'],
        remark: 'Thanks!',
        resolved: true,
        ratedAt: expect.any(String),
      });
      const seen = await changes.waitFor(before + 1);
      expect(seen.at(-1)!.myConversationsChanged).toMatchObject({
        kind: 'UPDATED',
        conversation: { id: conversationId },
      });
      expect((await ratingOf(conversationId, agent.token)).rating).toMatchObject({ stars: 4, resolved: true });
      expect((await ratingOf(conversationId, v.token)).rating).toMatchObject({ stars: 4, remark: 'Thanks!' });
      changes.stop();
    });

    it('validates stars, labels and remark', async () => {
      const { v, conversationId, agent } = await served();
      await t.ok(InviteRatingDocument, { conversationId }, agent.token);
      const field = async (input: RateConversationInput) => {
        const res = await rate(v.token, input);
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        return res.errors?.[0]?.extensions?.field;
      };
      expect(await field({ conversationId, stars: 0 })).toBe('stars');
      expect(await field({ conversationId, stars: 6 })).toBe('stars');
      expect(await field({ conversationId, stars: 3, remark: 'x'.repeat(501) })).toBe('remark');
      expect(await field({ conversationId, stars: 3, labels: ['  '] })).toBe('labels');
      expect((await ratingOf(conversationId, agent.token)).rating?.stars).toBeNull();
    });

    it('refuses a rating once the time limit after the invitation has passed', async () => {
      await settings({ timeLimitSeconds: 600 });
      const { v, conversationId, agent } = await served();
      await t.ok(InviteRatingDocument, { conversationId }, agent.token);
      await systemFork(t.orm.em).nativeUpdate(
        Rating,
        { conversation: conversationId },
        { invitedAt: new Date(Date.now() - 601_000) },
      );
      const late = await rate(v.token, { conversationId, stars: 2 });
      expect(codeOf(late)).toBe('CONFLICT');
      expect(reasonOf(late)).toBe('RATING_EXPIRED');
      expect(late.errors?.[0]?.message).toMatch(/time to rate/);
      expect((await ratingOf(conversationId, agent.token)).rating?.stars).toBeNull();
    });

    it('keeps the first rating or replaces it with the last, per the settings', async () => {
      await settings({ timeLimitSeconds: 3600, kept: 'FIRST' });
      const first = await served();
      await t.ok(InviteRatingDocument, { conversationId: first.conversationId }, first.agent.token);
      await rate(first.v.token, { conversationId: first.conversationId, stars: 5 });
      const second = await rate(first.v.token, { conversationId: first.conversationId, stars: 1 });
      expect(codeOf(second)).toBe('CONFLICT');
      expect(reasonOf(second)).toBe('ALREADY_RATED');
      expect((await ratingOf(first.conversationId, first.agent.token)).rating?.stars).toBe(5);

      await settings({ kept: 'LAST' });
      const last = await served();
      await t.ok(InviteRatingDocument, { conversationId: last.conversationId }, last.agent.token);
      await rate(last.v.token, { conversationId: last.conversationId, stars: 5, remark: 'great' });
      const replaced = await rate(last.v.token, { conversationId: last.conversationId, stars: 2, resolved: false });
      expect(replaced.data?.rateConversation).toMatchObject({ stars: 2, remark: null, resolved: false });
      expect((await ratingOf(last.conversationId, last.agent.token)).rating).toMatchObject({ stars: 2 });
    });
  });

  describe('automatic invitation on close', () => {
    const autoInvited = async (conversationId: string, agent: UserFixture) => {
      const { rating, messages } = await ratingOf(conversationId, agent.token);
      const forms = messages.filter((m) => m.type === 'CUSTOM');
      expect(forms).toHaveLength(rating ? 1 : 0);
      return rating;
    };

    it("invites when the conversation's channel is switched on, and not otherwise", async () => {
      await settings({ autoInviteChannels: ['WEB'], skipSingleMessage: true, skipAutoClosed: true });
      const web = await served({ agentReplies: true });
      await close(web.conversationId, web.agent);
      expect(await autoInvited(web.conversationId, web.agent)).toMatchObject({ invitedBy: null, stars: null });
      // The customer can answer it like an agent's invitation.
      expect((await rate(web.v.token, { conversationId: web.conversationId, stars: 3 })).errors).toBeUndefined();

      await settings({ autoInviteChannels: ['APP', 'WECHAT'] });
      const other = await served({ agentReplies: true });
      await close(other.conversationId, other.agent);
      expect(await autoInvited(other.conversationId, other.agent)).toBeNull();
    });

    it('skips a conversation with a single message when told to (system messages do not count)', async () => {
      await settings({ autoInviteChannels: ['WEB'], skipSingleMessage: true, skipAutoClosed: true });
      const single = await served();
      await close(single.conversationId, single.agent);
      expect(await autoInvited(single.conversationId, single.agent)).toBeNull();

      await settings({ skipSingleMessage: false });
      const counted = await served();
      await close(counted.conversationId, counted.agent);
      expect(await autoInvited(counted.conversationId, counted.agent)).not.toBeNull();
    });

    it('skips automatic closes when told to, and never invites after a blacklisting or a left note', async () => {
      await settings({ autoInviteChannels: ['WEB'], skipSingleMessage: false, skipAutoClosed: true });
      const inactive = await served({ agentReplies: true });
      await closeBySystem(inactive.conversationId, CloseReason.INACTIVE);
      expect(await autoInvited(inactive.conversationId, inactive.agent)).toBeNull();
      const noReply = await served({ agentReplies: true });
      await closeBySystem(noReply.conversationId, CloseReason.CUSTOMER_NO_REPLY);
      expect(await autoInvited(noReply.conversationId, noReply.agent)).toBeNull();

      await settings({ skipAutoClosed: false });
      const invited = await served({ agentReplies: true });
      await closeBySystem(invited.conversationId, CloseReason.INACTIVE);
      expect(await autoInvited(invited.conversationId, invited.agent)).not.toBeNull();
      for (const reason of [CloseReason.BLACKLISTED, CloseReason.NOTE_LEFT]) {
        const never = await served({ agentReplies: true });
        await closeBySystem(never.conversationId, reason);
        expect({ reason, rating: await autoInvited(never.conversationId, never.agent) }).toEqual({
          reason,
          rating: null,
        });
      }
    });

    it("keeps the agent's earlier invitation, and invites no one for a conversation closed from the queue", async () => {
      await settings({ autoInviteChannels: ['WEB'], skipSingleMessage: false, skipAutoClosed: false });
      const early = await served({ agentReplies: true });
      const byAgent = (await t.ok(InviteRatingDocument, { conversationId: early.conversationId }, early.agent.token))
        .inviteRating;
      await close(early.conversationId, early.agent);
      expect(await autoInvited(early.conversationId, early.agent)).toMatchObject({
        id: byAgent.id,
        invitedBy: early.agent.id,
      });

      const v = await visitor();
      const queued = (await say(v.token, 'anyone?')).sendVisitorMessage.conversation;
      await say(v.token, 'hello?');
      await t.ok(CloseConversationDocument, { id: queued }, tenant.admin.token);
      expect((await ratingOf(queued, tenant.admin.token)).rating).toBeNull();
    });
  });

  describe('isolation and roles', () => {
    it("answers NOT_FOUND for another tenant's conversation and another customer's", async () => {
      const { v, conversationId, agent } = await served();
      await t.ok(InviteRatingDocument, { conversationId }, agent.token);
      const other = await createTenant(t);
      expect(codeOf(await t.gql(InviteRatingDocument, { conversationId }, other.admin.token))).toBe('NOT_FOUND');
      const otherKey = (await t.ok(CreateWidgetConfigDocument, { input: { name: 'Other' } }, other.admin.token))
        .createWidgetConfig.publicKey;
      const foreignVisitor = await visitor(otherKey);
      expect(codeOf(await rate(foreignVisitor.token, { conversationId, stars: 1 }))).toBe('NOT_FOUND');
      const sameTenantStranger = await visitor();
      expect(codeOf(await rate(sameTenantStranger.token, { conversationId, stars: 1 }))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(ConversationRatingDocument, { id: conversationId }, foreignVisitor.token))).toBe(
        'NOT_FOUND',
      );
      expect((await ratingOf(conversationId, v.token)).rating?.stars).toBeNull();
    });

    it('refuses invitations to roles without the conversations page and ratings to staff (FORBIDDEN)', async () => {
      const { v, conversationId, agent } = await served();
      const roleId = await createRole(t, tenant, [Page.AGENT_QUEUE, Page.AGENT_HISTORY]);
      const limited = await createUser(t, tenant, { roleId });
      expect(codeOf(await t.gql(InviteRatingDocument, { conversationId }, limited.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(InviteRatingDocument, { conversationId }, v.token))).toBe('FORBIDDEN');
      await t.ok(InviteRatingDocument, { conversationId }, agent.token);
      expect(codeOf(await rate(agent.token, { conversationId, stars: 5 }))).toBe('FORBIDDEN');
    });
  });
});
