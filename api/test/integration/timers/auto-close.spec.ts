import { createUser } from '../../factories';
import { TimedConversationDocument, UpdateTimerSettingsDocument } from '../../graphql/generated';
import { codeOf } from '../../support/test-app';
import { closed, sleep, systemTexts, timerApp } from './timer-app';

describe('automatic close (CNV-7) and its settings (SET-1)', () => {
  const app = timerApp();

  describe('when the customer does not answer the agent (CNV-7 a)', () => {
    const customerNoReply = {
      customerNoReply: {
        enabled: true,
        reminderAfterSeconds: 1,
        reminderText: 'Are you still there?',
        closeAfterSeconds: 2,
        closeText: 'We did not hear back, so we closed this chat.',
      },
    };

    it('reminds the customer after the agent’s message, then closes as the system', async () => {
      const { tenant, widgetKey } = await app.company(customerNoReply);
      const { conversationId, agent } = await app.served(tenant, widgetKey);
      await app.reply(agent, conversationId, 'Could you send your order number?');
      const reminded = await app.until(tenant, conversationId, (c) => systemTexts(c).includes('Are you still there?'));
      expect(reminded.state).toBe('ONGOING');
      const c = await app.until(tenant, conversationId, closed);
      expect(c).toMatchObject({ closedBy: 'SYSTEM', closeReason: 'CUSTOMER_NO_REPLY' });
      expect(c.messages.slice(-3).map((m) => [m.senderKind, m.text])).toEqual([
        ['SYSTEM', 'Are you still there?'],
        ['SYSTEM', 'We did not hear back, so we closed this chat.'],
        ['SYSTEM', 'The conversation has ended.'],
      ]);
    });

    it('does not close when the customer answers the reminder', async () => {
      const { tenant, widgetKey } = await app.company(customerNoReply);
      const { v, conversationId, agent } = await app.served(tenant, widgetKey);
      await app.reply(agent, conversationId, 'Could you send your order number?');
      await app.until(tenant, conversationId, (c) => systemTexts(c).includes('Are you still there?'));
      await app.say(v.token, 'Yes, it is 1234');
      await sleep(3500);
      const c = await app.read(tenant, conversationId);
      expect(c.state).toBe('ONGOING');
      expect(systemTexts(c).filter((text) => text === 'Are you still there?')).toHaveLength(1);
    });
  });

  describe('when no one writes (CNV-7 b)', () => {
    it('closes the conversation after the timeout, with the closing text', async () => {
      const { tenant, widgetKey } = await app.company({
        inactivity: { enabled: true, afterSeconds: 2, closeText: 'Closed after a quiet spell.' },
      });
      const { conversationId } = await app.opened(widgetKey);
      const c = await app.until(tenant, conversationId, closed);
      expect(c).toMatchObject({ closedBy: 'SYSTEM', closeReason: 'INACTIVE' });
      expect(systemTexts(c).slice(-2)).toEqual(['Closed after a quiet spell.', 'The conversation has ended.']);
    });

    it('counts from the latest message of either side', async () => {
      const { tenant, widgetKey } = await app.company({ inactivity: { enabled: true, afterSeconds: 3 } });
      const { v, conversationId, agent } = await app.served(tenant, widgetKey);
      await sleep(2000);
      await app.say(v.token, 'still here');
      await sleep(2000);
      await app.reply(agent, conversationId, 'me too');
      await sleep(2000);
      expect((await app.read(tenant, conversationId)).state).toBe('ONGOING');
      const c = await app.until(tenant, conversationId, closed);
      expect(c.closeReason).toBe('INACTIVE');
    });
  });

  describe('settings are effective immediately (SET-1)', () => {
    it('a shortened timeout applies to conversations already open, in that tenant only', async () => {
      const { tenant, widgetKey } = await app.company({ inactivity: { enabled: true, afterSeconds: 24 * 3600 } });
      const other = await app.company({ inactivity: { enabled: true, afterSeconds: 24 * 3600 } });
      const { conversationId } = await app.opened(widgetKey);
      const elsewhere = await app.opened(other.widgetKey);
      await sleep(1000);
      expect((await app.read(tenant, conversationId)).state).toBe('QUEUED');

      await app.settings(tenant, { inactivity: { afterSeconds: 1 } });
      const c = await app.until(tenant, conversationId, closed);
      expect(c.closeReason).toBe('INACTIVE');
      await sleep(1500);
      expect((await app.read(other.tenant, elsewhere.conversationId)).state).toBe('QUEUED');
    });

    it('a rule turned off no longer acts', async () => {
      const { tenant, widgetKey } = await app.company({ inactivity: { enabled: true, afterSeconds: 3 } });
      const { conversationId } = await app.opened(widgetKey);
      await app.settings(tenant, { inactivity: { enabled: false } });
      await sleep(4500);
      expect((await app.read(tenant, conversationId)).state).toBe('QUEUED');
    });
  });

  describe('access', () => {
    it('lets only admins with the settings page change the timers', async () => {
      const { tenant } = await app.company({});
      const agent = await createUser(app.t, tenant);
      const input = { inactivity: { afterSeconds: 1 } };
      expect(codeOf(await app.t.gql(UpdateTimerSettingsDocument, { input }, agent.token))).toBe('FORBIDDEN');
      expect(codeOf(await app.t.gql(UpdateTimerSettingsDocument, { input }))).toBe('UNAUTHENTICATED');
    });

    it("keeps another tenant's conversation out of reach", async () => {
      const { tenant, widgetKey } = await app.company({ inactivity: { enabled: true, afterSeconds: 1 } });
      const other = await app.company({});
      const { conversationId } = await app.opened(widgetKey);
      await app.until(tenant, conversationId, closed);
      const res = await app.t.gql(TimedConversationDocument, { id: conversationId }, other.tenant.admin.token);
      expect(codeOf(res)).toBe('NOT_FOUND');
      expect(res.data?.conversation ?? null).toBeNull();
    });
  });
});
