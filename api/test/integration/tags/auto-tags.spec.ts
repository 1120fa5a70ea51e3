import {
  CreateConversationTagDocument,
  DeleteConversationTagDocument,
  TaggedConversationDocument,
  UpdateAutoTagSettingsDocument,
} from '../../graphql/generated';
import { closed, timerApp } from '../timers/timer-app';

describe('automatic tags on the inactivity close (CNV-7 b) and forced tags (CNV-6)', () => {
  const app = timerApp();

  it('adds the configured tags that still exist and the remark when the inactivity close fires', async () => {
    const { tenant, widgetKey } = await app.company({ inactivity: { enabled: true, afterSeconds: 2 } });
    const token = tenant.admin.token;
    const newTag = async (name: string) =>
      (await app.t.ok(CreateConversationTagDocument, { input: { name } }, token)).createConversationTag;
    const quiet = await newTag('No answer');
    const gone = await newTag('Removed later');
    await app.t.ok(
      UpdateAutoTagSettingsDocument,
      { input: { inactivity: { tagIds: [quiet.id, gone.id], remark: 'Closed for inactivity' } } },
      token,
    );
    await app.t.ok(DeleteConversationTagDocument, { id: gone.id }, token);
    const { conversationId } = await app.opened(widgetKey);
    await app.until(tenant, conversationId, closed);
    const c = (await app.t.ok(TaggedConversationDocument, { id: conversationId }, token)).conversation;
    expect(c).toMatchObject({
      state: 'CLOSED',
      closeReason: 'INACTIVE',
      tagRemark: 'Closed for inactivity',
      tags: [{ id: quiet.id, name: 'No answer' }],
    });
  });

  it('never refuses a system close, even when a tag is required', async () => {
    const { tenant, widgetKey } = await app.company({ inactivity: { enabled: true, afterSeconds: 2 } });
    await app.t.ok(UpdateAutoTagSettingsDocument, { input: { forceConversationTag: true } }, tenant.admin.token);
    const { conversationId, agent } = await app.served(tenant, widgetKey);
    expect(agent.id).toBeDefined();
    const c = await app.until(tenant, conversationId, closed);
    expect(c).toMatchObject({ closedBy: 'SYSTEM', closeReason: 'INACTIVE' });
    const tagged = (await app.t.ok(TaggedConversationDocument, { id: conversationId }, tenant.admin.token))
      .conversation;
    expect(tagged.tags).toEqual([]);
  });
});
