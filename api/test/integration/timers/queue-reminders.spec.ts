import { createUser } from '../../factories';
import { ConversationMessagesDocument, JoinConversationDocument } from '../../graphql/generated';
import { live } from '../../support/live';
import { sleep, systemTexts, timerApp } from './timer-app';

describe('queue reminders (QUE-11)', () => {
  const app = timerApp();

  it('reminds the waiting visitor after the delay, then at the interval, `repeat` times, with the leave-a-note offer', async () => {
    const { widgetKey } = await app.company({
      queueReminder: {
        enabled: true,
        delaySeconds: 1,
        intervalSeconds: 1,
        repeat: 2,
        text: 'Still busy',
        offerNote: true,
      },
    });
    const { v, conversationId } = await app.opened(widgetKey);
    const feed = live(app.ws(v.token), ConversationMessagesDocument, { conversationId, afterSeq: 0 });
    const events = await feed.waitFor(4); // welcome, "Hello?", two reminders
    expect(events.slice(2).map((e) => e.conversationMessages.message)).toEqual([
      expect.objectContaining({
        senderKind: 'SYSTEM',
        type: 'CUSTOM',
        text: 'Still busy',
        payload: { kind: 'queue-reminder', text: 'Still busy', offerNote: true },
      }),
      expect.objectContaining({ type: 'CUSTOM', payload: expect.objectContaining({ kind: 'queue-reminder' }) }),
    ]);
    await sleep(2500);
    expect(feed.received).toHaveLength(4);
    feed.stop();
  });

  it('sends plain text without the offer, and stops once an agent serves the conversation', async () => {
    const { tenant, widgetKey } = await app.company({
      queueReminder: {
        enabled: true,
        delaySeconds: 1,
        intervalSeconds: 3,
        repeat: 5,
        text: 'Please hold',
        offerNote: false,
      },
    });
    const { conversationId } = await app.opened(widgetKey);
    const first = await app.until(tenant, conversationId, (c) => systemTexts(c).includes('Please hold'));
    expect(first.messages.at(-1)).toMatchObject({
      senderKind: 'SYSTEM',
      type: 'TEXT',
      text: 'Please hold',
      payload: null,
    });
    const agent = await createUser(app.t, tenant);
    await app.t.ok(JoinConversationDocument, { id: conversationId }, agent.token);
    await sleep(4000);
    const later = await app.read(tenant, conversationId);
    expect(later.state).toBe('ONGOING');
    expect(systemTexts(later).filter((text) => text === 'Please hold')).toHaveLength(1);
  });
});
