import { Page } from '../../../src/platform/auth/pages';
import { createRole, createTenant, createUser, type TenantFixture, type UserFixture } from '../../factories';
import {
  CloseConversationDocument,
  ConversationCustomerProfileDocument,
  CreateCustomerGroupDocument,
  CreateProfileFieldDocument,
  type CreateProfileFieldInput,
  CreateWidgetConfigDocument,
  CustomerGroupsDocument,
  DeleteCustomerGroupDocument,
  DeleteProfileFieldDocument,
  JoinConversationDocument,
  ProfileFieldsDocument,
  ReorderProfileFieldsDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
  UpdateCustomerGroupDocument,
  UpdateCustomerProfileDocument,
  type UpdateCustomerInput,
  UpdateProfileFieldDocument,
} from '../../graphql/generated';
import { codeOf, type GraphQLResponse, startTestApp, type TestApp } from '../../support/test-app';

const reasonOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.reason;
const SYSTEM_KEYS = ['nickname', 'realName', 'externalId', 'phone', 'qq', 'wechat', 'email', 'company', 'description'];

describe('customer profile fields and groups (HIS-4, CNV-1)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let widgetKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    widgetKey = (await t.ok(CreateWidgetConfigDocument, { input: { name: 'Website' } }, tenant.admin.token))
      .createWidgetConfig.publicKey;
  });
  afterAll(() => t.stop());

  const fieldsOf = async (token = tenant.admin.token) => (await t.ok(ProfileFieldsDocument, {}, token)).profileFields;
  const create = (
    input: Omit<CreateProfileFieldInput, 'enabled' | 'readOnly'> & Partial<CreateProfileFieldInput>,
    token = tenant.admin.token,
  ) => t.gql(CreateProfileFieldDocument, { input: { enabled: true, readOnly: false, ...input } }, token);
  const field = async (input: Parameters<typeof create>[0]) => (await create(input)).data!.createProfileField;
  const edit = (id: string, input: UpdateCustomerInput, as: UserFixture) =>
    t.gql(UpdateCustomerProfileDocument, { id, input }, as.token);

  /** A customer in a conversation a fresh agent serves. */
  const served = async () => {
    const session = (await t.ok(StartVisitorSessionDocument, { input: { widgetKey } })).startVisitorSession;
    const say = (text: string) => t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text } }, session.token);
    const conversationId = (await say('Hello')).sendVisitorMessage.conversation;
    const agent = await createUser(t, tenant);
    await t.ok(JoinConversationDocument, { id: conversationId }, agent.token);
    return { session, say, customerId: session.customer.id, conversationId, agent };
  };

  it('lists the system fields on first use, once, even when first read concurrently', async () => {
    const fresh = await createTenant(t);
    const reads = await Promise.all([1, 2, 3].map(() => fieldsOf(fresh.admin.token)));
    for (const fields of reads) expect(fields.map((f) => f.key)).toEqual(SYSTEM_KEYS);
    const customerId = (await fieldsOf(fresh.admin.token)).find((f) => f.key === 'externalId')!;
    expect(customerId).toMatchObject({ system: true, readOnly: true, enabled: true, type: 'TEXT' });
    // Any staff member reads the definitions.
    const agent = await createUser(t, fresh);
    expect((await fieldsOf(agent.token)).length).toBe(SYSTEM_KEYS.length);
  });

  it('lets admins add, change, reorder and delete custom fields, with clear limits', async () => {
    const admin = await createTenant(t);
    const token = admin.admin.token;
    const level = (await create({ label: 'Level', type: 'SELECT', options: ['Gold', 'Silver'] }, token)).data!
      .createProfileField;
    expect(level).toMatchObject({ system: false, type: 'SELECT', options: ['Gold', 'Silver'], enabled: true });
    expect(level.key).toMatch(/^f_/);

    const noOptions = await create({ label: 'Plan', type: 'SELECT' }, token);
    expect([codeOf(noOptions), reasonOf(noOptions)]).toEqual(['BAD_USER_INPUT', 'OPTIONS_REQUIRED']);
    const longLabel = await create({ label: 'x'.repeat(61), type: 'TEXT' }, token);
    expect(codeOf(longLabel)).toBe('BAD_USER_INPUT');
    const manyOptions = await create(
      { label: 'Many', type: 'SELECT', options: Array.from({ length: 51 }, (_, i) => `o${i}`) },
      token,
    );
    expect(codeOf(manyOptions)).toBe('BAD_USER_INPUT');
    expect(manyOptions.errors![0]!.message).toMatch(/at most 50 options/);
    const longOption = await create({ label: 'Long', type: 'SELECT', options: ['y'.repeat(61)] }, token);
    expect(codeOf(longOption)).toBe('BAD_USER_INPUT');

    const changed = await t.ok(
      UpdateProfileFieldDocument,
      { id: level.id, input: { label: 'Tier', options: ['Gold', 'Silver', 'Bronze'], readOnly: true } },
      token,
    );
    expect(changed.updateProfileField).toMatchObject({
      label: 'Tier',
      options: ['Gold', 'Silver', 'Bronze'],
      readOnly: true,
    });

    const system = await fieldsOf(token);
    const phone = system.find((f) => f.key === 'phone')!;
    const externalId = system.find((f) => f.key === 'externalId')!;
    const retype = await t.gql(UpdateProfileFieldDocument, { id: phone.id, input: { type: 'NUMBER' } }, token);
    expect([codeOf(retype), reasonOf(retype)]).toEqual(['BAD_USER_INPUT', 'SYSTEM_FIELD']);
    const del = await t.gql(DeleteProfileFieldDocument, { id: phone.id }, token);
    expect([codeOf(del), reasonOf(del)]).toEqual(['BAD_USER_INPUT', 'SYSTEM_FIELD']);
    const unlock = await t.gql(UpdateProfileFieldDocument, { id: externalId.id, input: { readOnly: false } }, token);
    expect(reasonOf(unlock)).toBe('ALWAYS_READ_ONLY');
    const off = await t.ok(
      UpdateProfileFieldDocument,
      { id: phone.id, input: { enabled: false, label: 'Mobile' } },
      token,
    );
    expect(off.updateProfileField).toMatchObject({ enabled: false, label: 'Mobile', type: 'TEXT' });

    const reordered = await t.ok(ReorderProfileFieldsDocument, { ids: [level.id, phone.id] }, token);
    expect(reordered.reorderProfileFields.slice(0, 3).map((f) => f.key)).toEqual([level.key, 'phone', 'nickname']);
    expect((await fieldsOf(token)).map((f) => f.id).slice(0, 2)).toEqual([level.id, phone.id]);

    expect((await t.ok(DeleteProfileFieldDocument, { id: level.id }, token)).deleteProfileField).toBe(level.id);
    expect((await fieldsOf(token)).some((f) => f.id === level.id)).toBe(false);

    // At most 50 custom fields.
    for (let i = 0; i < 50; i++) expect((await create({ label: `F${i}`, type: 'TEXT' }, token)).errors).toBeUndefined();
    const fiftyFirst = await create({ label: 'One too many', type: 'TEXT' }, token);
    expect([codeOf(fiftyFirst), reasonOf(fiftyFirst)]).toEqual(['BAD_USER_INPUT', 'TOO_MANY_FIELDS']);
    expect(fiftyFirst.errors![0]!.message).toMatch(/at most 50 custom/);
  });

  it('lets the serving agent set custom values checked by type; refuses unknown, turned-off and read-only fields', async () => {
    const orders = await field({ label: 'Orders', type: 'NUMBER' });
    const birthday = await field({ label: 'Birthday', type: 'DATE' });
    const plan = await field({ label: 'Plan', type: 'SELECT', options: ['Free', 'Pro'] });
    const notes = await field({ label: 'Notes', type: 'MULTILINE' });
    const code = await field({ label: 'Code', type: 'TEXT' });
    const hidden = await field({ label: 'Hidden', type: 'TEXT', enabled: false });
    const locked = await field({ label: 'Account no', type: 'TEXT', readOnly: true });
    const { customerId, agent } = await served();

    const ok = await edit(
      customerId,
      {
        nickname: 'Mia',
        fields: [
          { key: orders.key, value: ' 12.5 ' },
          { key: birthday.key, value: '1990-02-28' },
          { key: plan.key, value: 'Pro' },
          { key: notes.key, value: 'line 1\nline 2' },
        ],
      },
      agent,
    );
    expect(ok.errors).toBeUndefined();
    const values = Object.fromEntries(ok.data!.updateCustomer.fields.map((f) => [f.key, f.value]));
    expect(values).toMatchObject({
      nickname: 'Mia',
      [orders.key]: '12.5',
      [birthday.key]: '1990-02-28',
      [plan.key]: 'Pro',
      [notes.key]: 'line 1\nline 2',
    });
    expect(values).not.toHaveProperty(hidden.key);
    expect(ok.data!.updateCustomer.fields.find((f) => f.key === 'externalId')).toMatchObject({ readOnly: true });

    const refused = async (input: UpdateCustomerInput, reason: string) => {
      const res = await edit(customerId, input, agent);
      expect({ code: codeOf(res), reason: reasonOf(res) }).toEqual({ code: 'BAD_USER_INPUT', reason });
      return res;
    };
    await refused({ fields: [{ key: orders.key, value: 'twelve' }] }, 'INVALID_VALUE');
    await refused({ fields: [{ key: orders.key, value: '1e999' }] }, 'INVALID_VALUE');
    await refused({ fields: [{ key: birthday.key, value: '1990-02-30' }] }, 'INVALID_VALUE');
    await refused({ fields: [{ key: birthday.key, value: '28/02/1990' }] }, 'INVALID_VALUE');
    const select = await refused({ fields: [{ key: plan.key, value: 'Enterprise' }] }, 'INVALID_VALUE');
    expect(select.errors![0]!.message).toMatch(/one of: Free, Pro/);
    await refused({ fields: [{ key: code.key, value: 'c'.repeat(201) }] }, 'INVALID_VALUE');
    await refused({ fields: [{ key: notes.key, value: 'n'.repeat(2001) }] }, 'INVALID_VALUE');
    await refused({ fields: [{ key: 'f_nosuchfield', value: 'x' }] }, 'UNKNOWN_FIELD');
    await refused({ fields: [{ key: hidden.key, value: 'x' }] }, 'FIELD_DISABLED');
    await refused({ fields: [{ key: locked.key, value: 'A-1' }] }, 'FIELD_READ_ONLY');

    // A system field made read-only is refused to agents too; an admin may still set it.
    const phone = (await fieldsOf()).find((f) => f.key === 'phone')!;
    await t.ok(UpdateProfileFieldDocument, { id: phone.id, input: { readOnly: true } }, tenant.admin.token);
    await refused({ phone: '555-0100' }, 'FIELD_READ_ONLY');
    const byAdmin = await edit(
      customerId,
      { phone: '555-0100', fields: [{ key: locked.key, value: 'A-1' }] },
      tenant.admin,
    );
    expect(byAdmin.errors).toBeUndefined();
    expect(byAdmin.data!.updateCustomer.phone).toBe('555-0100');
    await t.ok(UpdateProfileFieldDocument, { id: phone.id, input: { readOnly: false } }, tenant.admin.token);

    // Nothing of a refused edit is kept; an empty value clears.
    const after = await edit(customerId, { fields: [{ key: orders.key, value: '' }] }, agent);
    const kept = Object.fromEntries(after.data!.updateCustomer.fields.map((f) => [f.key, f.value]));
    expect(kept).toMatchObject({ [orders.key]: null, [plan.key]: 'Pro', phone: '555-0100', [locked.key]: 'A-1' });
  });

  it('puts customers in groups, and the profile follows the customer into later conversations', async () => {
    const vip = (
      await t.ok(CreateCustomerGroupDocument, { input: { name: 'VIP', description: 'Top' } }, tenant.admin.token)
    ).createCustomerGroup;
    const dup = await t.gql(CreateCustomerGroupDocument, { input: { name: 'VIP' } }, tenant.admin.token);
    expect([codeOf(dup), reasonOf(dup)]).toEqual(['CONFLICT', 'GROUP_NAME_TAKEN']);
    const renamed = await t.ok(
      UpdateCustomerGroupDocument,
      { id: vip.id, input: { name: 'Gold', description: null } },
      tenant.admin.token,
    );
    expect(renamed.updateCustomerGroup).toMatchObject({ name: 'Gold', description: null });

    const city = await field({ label: 'City', type: 'TEXT' });
    const { customerId, conversationId, agent, say } = await served();
    const grouped = await edit(customerId, { groupId: vip.id, fields: [{ key: city.key, value: 'Lyon' }] }, agent);
    expect(grouped.data!.updateCustomer).toMatchObject({ group: vip.id, customerGroup: { id: vip.id, name: 'Gold' } });

    await t.ok(CloseConversationDocument, { id: conversationId }, agent.token);
    const later = (await say('Back again')).sendVisitorMessage.conversation;
    expect(later).not.toBe(conversationId);
    const profile = (await t.ok(ConversationCustomerProfileDocument, { id: later }, tenant.admin.token)).conversation
      .customer;
    expect(profile.group).toBe(vip.id);
    expect(profile.fields.find((f) => f.key === city.key)?.value).toBe('Lyon');

    // Agents list the groups; clearing takes the customer out; deleting a group empties it.
    const agentList = await t.ok(CustomerGroupsDocument, { first: 50 }, agent.token);
    expect(agentList.customerGroups.nodes.map((g) => g.id)).toContain(vip.id);
    const cleared = await edit(customerId, { groupId: null }, tenant.admin);
    expect(cleared.data!.updateCustomer.group).toBeNull();
    await edit(customerId, { groupId: vip.id }, tenant.admin);
    await t.ok(DeleteCustomerGroupDocument, { id: vip.id }, tenant.admin.token);
    const orphan = (await t.ok(ConversationCustomerProfileDocument, { id: later }, tenant.admin.token)).conversation;
    expect(orphan.customer.group).toBeNull();
  });

  it("gives another tenant nothing: NOT_FOUND on this tenant's fields, groups and customers", async () => {
    const other = await createTenant(t);
    const mine = await field({ label: 'Secret', type: 'TEXT' });
    const group = (await t.ok(CreateCustomerGroupDocument, { input: { name: 'Mine' } }, tenant.admin.token))
      .createCustomerGroup;
    const { customerId } = await served();
    const token = other.admin.token;
    expect(codeOf(await t.gql(UpdateProfileFieldDocument, { id: mine.id, input: { label: 'x' } }, token))).toBe(
      'NOT_FOUND',
    );
    expect(codeOf(await t.gql(DeleteProfileFieldDocument, { id: mine.id }, token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(ReorderProfileFieldsDocument, { ids: [mine.id] }, token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(DeleteCustomerGroupDocument, { id: group.id }, token))).toBe('NOT_FOUND');
    expect(codeOf(await edit(customerId, { nickname: 'x' }, other.admin))).toBe('NOT_FOUND');
    expect((await fieldsOf(token)).map((f) => f.key)).toEqual(SYSTEM_KEYS);
    expect((await t.ok(CustomerGroupsDocument, {}, token)).customerGroups.totalCount).toBe(0);
    // Their own customer groups' ids do not work on this tenant's customers either.
    const theirs = (await t.ok(CreateCustomerGroupDocument, { input: { name: 'Theirs' } }, token)).createCustomerGroup;
    expect(codeOf(await edit(customerId, { groupId: theirs.id }, tenant.admin))).toBe('NOT_FOUND');
  });

  it('refuses field and group administration to a role without the settings page (FORBIDDEN)', async () => {
    const roleId = await createRole(t, tenant, [Page.AGENT_CONVERSATIONS]);
    const agent = await createUser(t, tenant, { roleId });
    expect(codeOf(await create({ label: 'Nope', type: 'TEXT' }, agent.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(CreateCustomerGroupDocument, { input: { name: 'Nope' } }, agent.token))).toBe(
      'FORBIDDEN',
    );
    // Reading the definitions is for any staff member.
    expect((await fieldsOf(agent.token)).length).toBeGreaterThanOrEqual(SYSTEM_KEYS.length);
    // An agent who does not serve the customer cannot edit it.
    const { customerId } = await served();
    expect(codeOf(await edit(customerId, { nickname: 'x' }, agent))).toBe('NOT_FOUND');
  });
});
