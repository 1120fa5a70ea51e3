import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { base, gql, PASSWORD, tokenOf } from './support/helpers.mjs';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

test.describe.configure({ mode: 'serial' });

const CHEN = 'chen@demo.example.com';

/** Signs in to the console; the page's clock is a controllable one, so time can be moved on. */
async function signIn(browser, email) {
  const context = await browser.newContext();
  await context.clock.install();
  const page = await context.newPage();
  await page.goto(`${base()}/`);
  await page.getByTestId('email').fill(email);
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('sign-in').click();
  await page.waitForURL(/\/conversations/);
  await expect(page.getByTestId('status-button')).toContainText(/Online|在线/);
  return { context, page };
}

async function visitorSays(text) {
  const session = await gql(
    `mutation { startVisitorSession(input: { widgetKey: "demo-widget" }) { token customer { id externalId } } }`,
  );
  const { token, customer } = session.startVisitorSession;
  const sent = await gql(
    `mutation($i: MessageInput!) { sendVisitorMessage(input: $i) { conversation } }`,
    { i: { type: 'TEXT', text } },
    token,
  );
  return { token, customer, conversationId: sent.sendVisitorMessage.conversation };
}

const myId = async (token) => (await gql(`{ me { id } }`, {}, token)).me.id;
const sendKeyOf = async (token) => (await gql(`{ me { sendKey } }`, {}, token)).me.sendKey;

test('a conversation link selects it while ongoing and shows it read-only once closed; the list shows and sorts by time', async ({
  browser,
}) => {
  const admin = await tokenOf('admin@demo.example.com');
  const chenToken = await tokenOf(CHEN);
  const chenId = await myId(chenToken);
  // Only Chen takes new conversations during this test.
  const { users } = await gql(`{ users(first: 100) { nodes { id maxConversations } } }`, {}, admin);
  const others = users.nodes.filter((u) => u.id !== chenId);
  const setMax = (userId, max) =>
    gql(
      `mutation($u: ID!, $m: Int!) { setMaxConversations(userId: $u, max: $m) { id } }`,
      { u: userId, m: max },
      admin,
    );
  const sorting = (on) =>
    gql(
      `mutation($on: Boolean!) { updateTenantSettings(input: { sortByAgentLatestMessage: $on, showLastMessageTime: true }) { sortByAgentLatestMessage } }`,
      { on },
      admin,
    );
  for (const u of others) await setMax(u.id, 0);
  try {
    await sorting(false);
    const { page } = await signIn(browser, CHEN);
    const first = await visitorSays('first customer: where is my parcel?');
    await expect(page.locator(`[data-conversation="${first.conversationId}"]`)).toBeVisible();
    const second = await visitorSays('second customer: can I change my address?');
    const rows = page.locator('[data-conversation]');
    await expect(page.locator(`[data-conversation="${second.conversationId}"]`)).toBeVisible();

    // MSG-1: each row says how long ago its last message was, and the label moves on with time.
    const since = (id) => page.locator(`[data-conversation="${id}"] [data-testid=since]`);
    await expect(since(first.conversationId)).toHaveText('just now');
    await page.clock.fastForward('03:00');
    await expect(since(first.conversationId)).toHaveText('3 min');
    await expect(since(second.conversationId)).toHaveText('3 min');
    await page.screenshot({ path: `${SHOTS}ongoing-last-message-times.png` });

    // A conversation link selects the conversation while it is ongoing with the agent.
    await page.goto(`${base()}/conversations/${first.conversationId}`);
    await expect(page).toHaveURL(new RegExp(`/conversations\\?open=${first.conversationId}$`));
    await expect(page.getByTestId('messages')).toContainText('where is my parcel?');
    await expect(page.locator(`[data-conversation="${first.conversationId}"]`)).toHaveAttribute(
      'aria-selected',
      'true',
    );

    // MSG-8: the chat's switch saves the send key on the user; then Enter breaks the line.
    const enterSends = page.getByTestId('enter-sends').getByRole('switch');
    await expect(enterSends).toBeChecked();
    await enterSends.click();
    await expect.poll(() => sendKeyOf(chenToken)).toBe('SHIFT_ENTER');
    const composer = page.getByTestId('composer');
    await composer.fill('Let me check');
    await composer.press('Enter');
    await composer.pressSequentially('your parcel.');
    await expect(composer).toHaveValue('Let me check\nyour parcel.');
    await composer.press('Shift+Enter');
    await expect(composer).toHaveValue('');
    await expect(page.getByTestId('messages')).toContainText('your parcel.');
    await enterSends.click();
    await expect.poll(() => sendKeyOf(chenToken)).toBe('ENTER');

    // SET-1: sorted by the agent's latest message, the conversation Chen answered is first, and a
    // customer writing elsewhere does not move it.
    await sorting(true);
    await page.reload();
    await expect(rows.first()).toHaveAttribute('data-conversation', first.conversationId);
    await gql(
      `mutation($i: MessageInput!) { sendVisitorMessage(input: $i) { seq } }`,
      { i: { type: 'TEXT', text: 'hello again' } },
      second.token,
    );
    await expect(page.locator(`[data-conversation="${second.conversationId}"]`)).toContainText('hello again');
    await expect(rows.first()).toHaveAttribute('data-conversation', first.conversationId);
    await page.screenshot({ path: `${SHOTS}ongoing-sorted-by-agent.png` });

    // Once closed, the same link opens the conversation read-only in History.
    await page.locator(`[data-conversation="${first.conversationId}"]`).click();
    await page.getByTestId('close-conversation').click();
    await expect(page.locator(`[data-conversation="${first.conversationId}"]`)).toHaveCount(0);
    await page.goto(`${base()}/conversations/${first.conversationId}`);
    await expect(page).toHaveURL(new RegExp(`/history/${first.conversationId}$`));
    await expect(page.getByRole('region', { name: 'Conversation' })).toContainText('where is my parcel?');

    // A customer link opens the customer's profile above the Customers list.
    await page.goto(`${base()}/customers/${first.customer.id}`);
    await expect(page.getByTestId('customer-detail')).toContainText(first.customer.externalId);
    await page.screenshot({ path: `${SHOTS}customer-link.png` });

    // A conversation that is not the agent's to see says so.
    await page.goto(`${base()}/conversations/${randomUUID()}`);
    await expect(page.locator('mat-snack-bar-container')).toContainText('This conversation is not open to you');

    await gql(`mutation($id: ID!) { closeConversation(id: $id) { id } }`, { id: second.conversationId }, chenToken);
  } finally {
    await sorting(false);
    for (const u of others) await setMax(u.id, u.maxConversations);
  }
});

test("a notification's link opens its subject; the send-key choice persists across sign-in", async ({ browser }) => {
  const admin = await tokenOf('admin@demo.example.com');
  const chenToken = await tokenOf(CHEN);
  const chenId = await myId(chenToken);
  const { user } = await gql(`query($id: ID!) { user(id: $id) { maxConversations } }`, { id: chenId }, admin);

  // A visitor leaves a note; an admin assigns it to Chen and changes Chen's capacity.
  const visitor = await gql(`mutation { startVisitorSession(input: { widgetKey: "demo-widget" }) { token } }`);
  const { leaveNote: note } = await gql(
    `mutation { leaveNote(input: { content: "Please call me back about order 77", contactName: "Wang" }) { id number } }`,
    {},
    visitor.startVisitorSession.token,
  );
  await gql(`mutation($id: ID!, $u: ID) { assignNote(id: $id, userId: $u) { id } }`, { id: note.id, u: chenId }, admin);
  await gql(
    `mutation($u: ID!, $m: Int!) { setMaxConversations(userId: $u, max: $m) { id } }`,
    { u: chenId, m: user.maxConversations + 1 },
    admin,
  );

  try {
    const { context, page } = await signIn(browser, CHEN);
    await page.goto(`${base()}/notifications`);
    const noteItem = page.locator('[data-notification]', { hasText: `Note #${note.number} was assigned to you` });
    await expect(noteItem).toHaveClass(/unread/);
    await page.screenshot({ path: `${SHOTS}notifications-links.png` });

    // A click marks it read and opens the note, first and marked.
    await noteItem.click();
    await expect(page).toHaveURL(new RegExp(`/notes/${note.id}$`));
    const card = page.locator(`[data-note="${note.id}"]`);
    await expect(card).toHaveAttribute('aria-current', 'true');
    await expect(card).toContainText('order 77');
    await page.goBack();
    await expect(noteItem).not.toHaveClass(/unread/);

    // Enter on a notification about one's own user opens Personal info.
    await page.locator('[data-notification]', { hasText: 'Your maximum conversations changed' }).first().focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/profile$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Personal info' })).toBeVisible();

    // MSG-8: the send key chosen on Personal info is the user's, in the next session too.
    await page.getByTestId('send-key').click();
    await page.getByRole('option', { name: 'Shift+Enter (Enter for a new line)' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.locator('mat-snack-bar-container')).toContainText('Saved.');
    await context.close();

    const again = await signIn(browser, CHEN);
    await again.page.goto(`${base()}/profile`);
    await expect(again.page.getByTestId('send-key')).toContainText('Shift+Enter (Enter for a new line)');
    expect(await sendKeyOf(chenToken)).toBe('SHIFT_ENTER');
    await again.page.getByTestId('send-key').click();
    await again.page.getByRole('option', { name: 'Enter (Shift+Enter for a new line)' }).click();
    await again.page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => sendKeyOf(chenToken)).toBe('ENTER');

    // A link to something gone says so.
    await again.page.goto(`${base()}/notes/${randomUUID()}`);
    await expect(again.page.getByTestId('link-gone')).toContainText('This note no longer exists');
    await again.page.goto(`${base()}/customers/${randomUUID()}`);
    await expect(again.page.getByTestId('link-gone')).toContainText('This customer no longer exists');
  } finally {
    await gql(
      `mutation($u: ID!, $m: Int!) { setMaxConversations(userId: $u, max: $m) { id } }`,
      { u: chenId, m: user.maxConversations },
      admin,
    );
  }
});
