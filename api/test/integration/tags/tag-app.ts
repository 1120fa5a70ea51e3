import { createUser, type TenantFixture, type UserFixture } from '../../factories';
import {
  CreateWidgetConfigDocument,
  JoinConversationDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
} from '../../graphql/generated';
import type { TestApp } from '../../support/test-app';

/** The steps the tag suites share: conversations to tag, files to import, exports to read. */
export function tagSteps(t: () => TestApp) {
  const steps = {
    async widget(tenant: TenantFixture): Promise<string> {
      return (await t().ok(CreateWidgetConfigDocument, { input: { name: 'Website' } }, tenant.admin.token))
        .createWidgetConfig.publicKey;
    },
    /** A customer in a conversation a fresh agent serves. */
    async served(tenant: TenantFixture, widgetKey: string, agent?: UserFixture) {
      const session = (await t().ok(StartVisitorSessionDocument, { input: { widgetKey } })).startVisitorSession;
      const conversationId = (
        await t().ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text: 'Hello' } }, session.token)
      ).sendVisitorMessage.conversation;
      const serving = agent ?? (await createUser(t(), tenant));
      await t().ok(JoinConversationDocument, { id: conversationId }, serving.token);
      return { session, customerId: session.customer.id, conversationId, agent: serving };
    },
    /** Uploads a CSV file as the user; returns its file id. */
    async upload(token: string, content: string, filename = 'tags.csv'): Promise<string> {
      const form = new FormData();
      form.append('kind', 'file');
      form.append('file', new Blob([content], { type: 'text/csv' }), filename);
      const res = await fetch(`${t().url}/uploads`, {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { id: string };
      if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`);
      return body.id;
    },
    /** The text of an export (its link carries PUBLIC_URL; the test server has a port of its own). */
    async download(url: string): Promise<string> {
      const u = new URL(url);
      const res = await fetch(`${t().url}${u.pathname}${u.search}`);
      if (res.status !== 200) throw new Error(`download failed: ${res.status}`);
      return (await res.text()).replace(/^\uFEFF/, '');
    },
  };
  return steps;
}
