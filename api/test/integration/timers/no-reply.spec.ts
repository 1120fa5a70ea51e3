import { systemFork } from '../../../src/platform/database/tenant-filter';
import { AlarmRecord } from '../../../src/modules/conversation/conversation.entity';
import { createTenant } from '../../factories';
import { AlarmRecordsDocument, MyConversationsChangedDocument } from '../../graphql/generated';
import { codeOf } from '../../support/test-app';
import { live } from '../../support/live';
import { sleep, systemTexts, timerApp } from './timer-app';

describe('no reply from the agent (CNV-9)', () => {
  const app = timerApp();
  const noReply = {
    noReply: {
      enabled: true,
      afterSeconds: 2,
      highlight: true,
      remindCustomer: true,
      reminderText: 'Sorry for the wait',
      alarm: true,
      alarmLevel: 'CRITICAL' as const,
    },
  };
  const alarmsOf = (conversationId: string) =>
    systemFork(app.t.orm.em).find(AlarmRecord, { conversation: conversationId }, { orderBy: { createdAt: 'asc' } });

  it('highlights the conversation for the agent, reminds the customer and records an alarm; once per wait', async () => {
    const { tenant, widgetKey } = await app.company(noReply);
    const { v, conversationId, agent } = await app.served(tenant, widgetKey);
    await app.say(v.token, 'Anyone there?');
    // Listening from now on: the next change of the agent's list is the alert's.
    const changes = live(app.ws(agent.token), MyConversationsChangedDocument, {});

    const alerted = await app.until(tenant, conversationId, (c) => !!c.noReplyAlertAt);
    expect(alerted.state).toBe('ONGOING');
    expect(alerted.messages.at(-1)).toMatchObject({ senderKind: 'SYSTEM', text: 'Sorry for the wait' });
    const [alarm, ...more] = await alarmsOf(conversationId);
    expect(more).toEqual([]);
    expect(alarm).toMatchObject({ tenant: tenant.tenantId, user: agent.id, level: 'CRITICAL' });
    expect(alarm!.waitedSeconds).toBeGreaterThanOrEqual(2);
    const [change] = await changes.waitFor(1);
    expect(change!.myConversationsChanged).toMatchObject({
      kind: 'UPDATED',
      conversation: { id: conversationId, state: 'ONGOING' },
    });

    // Still the same wait: no second alert.
    await sleep(2500);
    expect(await alarmsOf(conversationId)).toHaveLength(1);

    // The agent answers (the highlight goes), the customer writes again: a new wait, a new alert.
    await app.reply(agent, conversationId, 'Here, sorry!');
    expect((await app.read(tenant, conversationId)).noReplyAlertAt).toBeNull();
    await app.say(v.token, 'Thanks, one more question');
    await app.until(tenant, conversationId, (c) => !!c.noReplyAlertAt);
    expect(await alarmsOf(conversationId)).toHaveLength(2);
    changes.stop();

    // Admins read them (newest first); agents without the monitor page and other tenants do not.
    const listed = (await app.t.ok(AlarmRecordsDocument, { level: 'CRITICAL' }, tenant.admin.token)).alarmRecords;
    expect(listed.totalCount).toBe(2);
    expect(listed.nodes[0]).toMatchObject({ conversation: conversationId, user: agent.id, level: 'CRITICAL' });
    expect(codeOf(await app.t.gql(AlarmRecordsDocument, {}, agent.token))).toBe('FORBIDDEN');
    const other = await createTenant(app.t);
    expect((await app.t.ok(AlarmRecordsDocument, {}, other.admin.token)).alarmRecords.totalCount).toBe(0);
  });

  it('counts from the first unanswered message: a customer who keeps writing still gets an answer in time', async () => {
    const { tenant, widgetKey } = await app.company({ noReply: { ...noReply.noReply, afterSeconds: 3 } });
    const { v, conversationId, agent } = await app.served(tenant, widgetKey);
    await app.reply(agent, conversationId, 'Hello!');
    await app.say(v.token, 'Question one');
    const started = Date.now();
    for (let i = 0; i < 5 && Date.now() - started < 3000; i++) {
      await sleep(800);
      await app.say(v.token, `ping ${i}`);
    }
    const c = await app.until(tenant, conversationId, (x) => !!x.noReplyAlertAt, 3000);
    expect(new Date(c.noReplyAlertAt!).getTime() - started).toBeLessThan(5000);
  });

  it('does nothing when the agent answers in time', async () => {
    const { tenant, widgetKey } = await app.company(noReply);
    const { v, conversationId, agent } = await app.served(tenant, widgetKey);
    await app.reply(agent, conversationId, 'Hi, how can I help?');
    await app.say(v.token, 'My order is late');
    await sleep(1000);
    await app.reply(agent, conversationId, 'Let me check');
    await sleep(3000);
    const c = await app.read(tenant, conversationId);
    expect(c.noReplyAlertAt).toBeNull();
    expect(systemTexts(c)).not.toContain('Sorry for the wait');
    expect(await alarmsOf(conversationId)).toEqual([]);
  });

  it('only highlights when neither the reminder nor the alarm is on', async () => {
    const { tenant, widgetKey } = await app.company({
      noReply: { ...noReply.noReply, remindCustomer: false, alarm: false },
    });
    const { conversationId } = await app.served(tenant, widgetKey);
    const c = await app.until(tenant, conversationId, (x) => !!x.noReplyAlertAt);
    expect(systemTexts(c)).not.toContain('Sorry for the wait');
    expect(await alarmsOf(conversationId)).toEqual([]);
  });
});
