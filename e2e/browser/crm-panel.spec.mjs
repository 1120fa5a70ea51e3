import { expect, test } from '@playwright/test';
import { gql, setStatus, signInConsole, tokenOf } from './support/helpers.mjs';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

test('the CRM tab beside the chat shows the CRM page with the conversation’s parameters (CNV-12)', async ({
  browser,
}) => {
  const admin = await tokenOf('admin@demo.example.com');
  // The demo tenant has the panel on, pointing at the demo CRM page; an entry of the Support team.
  const { teams } = await gql(`{ teams { nodes { id name } } }`, {}, admin);
  const support = teams.nodes.find((t) => t.name === 'Support');
  const { createWidgetConfig } = await gql(
    `mutation($i: CreateWidgetConfigInput!) { createWidgetConfig(input: $i) { publicKey } }`,
    { i: { name: 'CRM check', entryTeamId: support.id } },
    admin,
  );

  const chen = await signInConsole(browser, 'chen@demo.example.com');
  const errors = [];
  chen.page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  // Chen's teammate takes nothing new: the conversation comes to Chen.
  await setStatus(await tokenOf('dara@demo.example.com'), 'BUSY');

  const visitor = await gql(`mutation($i: StartVisitorSessionInput!) { startVisitorSession(input: $i) { token } }`, {
    i: { widgetKey: createWidgetConfig.publicKey },
  });
  const sent = await gql(
    `mutation($i: MessageInput!) { sendVisitorMessage(input: $i) { conversation } }`,
    { i: { type: 'TEXT', text: 'Can you look up my account?' } },
    visitor.startVisitorSession.token,
  );
  const conversationId = sent.sendVisitorMessage.conversation;

  const row = chen.page.locator('[data-conversation].fresh').first();
  await expect(row).toBeVisible();
  await row.click();
  await chen.page.getByRole('tab', { name: 'CRM' }).click();

  const crm = chen.page.frameLocator('iframe[title="CRM"]');
  await expect(crm.locator('body')).toContainText('Acme CRM');
  await expect(crm.locator('tr', { hasText: 'conversationId' })).toContainText(conversationId);
  await expect(crm.locator('tr', { hasText: 'agentNickname' })).toContainText('Chen Jing');
  await expect(chen.page.locator('app-crm-panel mat-progress-bar')).toHaveCount(0);
  const open = chen.page.getByTestId('crm-open');
  await expect(open).toHaveAttribute('target', '_blank');
  expect(await open.getAttribute('href')).toContain(`conversationId=${conversationId}`);
  await chen.page.screenshot({ path: `${SHOTS}crm-panel.png` });

  // Sealed: the page receives only `p`.
  await gql(
    `mutation { updateTenantSettings(input: { crmFrame: { encrypt: true, key: "demo-crm-key-2026" } }) { crmFrame { keySet } } }`,
    {},
    admin,
  );
  await chen.page.getByRole('button', { name: 'Reload' }).click();
  await expect(crm.locator('tr')).toHaveCount(1);
  await expect(crm.locator('tr th')).toHaveText('p');
  expect(await open.getAttribute('href')).not.toContain(conversationId);
  expect(errors).toEqual([]);

  await gql(
    `mutation { updateTenantSettings(input: { crmFrame: { encrypt: false } }) { crmFrame { encrypt } } }`,
    {},
    admin,
  );
  await setStatus(await tokenOf('dara@demo.example.com'), 'ONLINE');
  await chen.context.close();
});
