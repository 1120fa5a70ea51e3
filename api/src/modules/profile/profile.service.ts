import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { type ServiceScope, tenantOf } from '../../platform/auth/scope';
import { isUniqueViolation } from '../../platform/database/db-errors';
import { raise } from '../../platform/errors/app-error';
import { type ConnectionArgs, type Page as ResultPage, pageWindow } from '../../platform/graphql/connection';
import { advisoryXactLock } from '../../platform/database/advisory-lock';
import type { Customer } from '../customer/customer.entity';
import { CustomerGroup, ProfileField, ProfileFieldType } from './profile.entity';
import { ProfileErrors } from './profile.errors';
import {
  type CreateProfileFieldInput,
  type CustomerGroupInput,
  MAX_CUSTOM_FIELDS,
  type UpdateProfileFieldInput,
} from './profile.inputs';
import type { CustomerFieldValue } from './profile.types';

/** The system fields every tenant's profile has, in their first order; stored in the customer's own columns. */
export const SYSTEM_FIELDS: readonly { key: string; label: string; type: ProfileFieldType; readOnly?: true }[] = [
  { key: 'nickname', label: 'Nickname', type: ProfileFieldType.TEXT },
  { key: 'realName', label: 'Real name', type: ProfileFieldType.TEXT },
  { key: 'externalId', label: 'Customer ID', type: ProfileFieldType.TEXT, readOnly: true },
  { key: 'phone', label: 'Phone', type: ProfileFieldType.TEXT },
  { key: 'qq', label: 'QQ', type: ProfileFieldType.TEXT },
  { key: 'wechat', label: 'WeChat', type: ProfileFieldType.TEXT },
  { key: 'email', label: 'Email', type: ProfileFieldType.TEXT },
  { key: 'company', label: 'Company', type: ProfileFieldType.TEXT },
  { key: 'description', label: 'Description', type: ProfileFieldType.MULTILINE },
];

// The customer ID identifies the customer: it is never editable.
const CUSTOMER_ID_KEY = 'externalId';
const MAX_TEXT = 200;
const MAX_MULTILINE = 2000;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The profile part of a customer edit: which system fields it sets, custom values, and the group. */
export interface ProfileEdit {
  systemKeys: string[];
  fields?: readonly { key: string; value?: string | null }[] | null;
  /** Undefined keeps the group, null clears it. */
  groupId?: string | null;
}

type SystemValues = Partial<Record<string, string | null>>;

/**
 * Profile field definitions (HIS-4), customer groups, and the checks that make a customer's profile
 * values fit them (CNV-1).
 */
export class ProfileService {
  /** The tenant's fields in their order, the system ones included (created on first use). */
  async fields(em: EntityManager, tenantId: string): Promise<ProfileField[]> {
    await this.ensureSystemFields(em, tenantId);
    return em.find(ProfileField, { tenant: tenantId }, { orderBy: { position: 'asc', createdAt: 'asc', id: 'asc' } });
  }

  async createField(scope: ServiceScope, input: CreateProfileFieldInput): Promise<ProfileField> {
    const tenantId = tenantOf(scope);
    const options = checkOptions(input.type, input.options ?? []);
    return scope.em.transactional(async (tx) => {
      await this.ensureSystemFields(tx, tenantId);
      // Creations of one tenant take turns, so the limit holds when two run at once.
      await advisoryXactLock(tx, `profile-fields:${tenantId}`);
      const custom = await tx.count(ProfileField, { tenant: tenantId, system: false });
      if (custom >= MAX_CUSTOM_FIELDS) throw raise(ProfileErrors, 'TOO_MANY_FIELDS', { limit: MAX_CUSTOM_FIELDS });
      const last = await tx.findOne(ProfileField, { tenant: tenantId }, { orderBy: { position: 'desc' } });
      const field = tx.create(ProfileField, {
        tenant: tenantId,
        key: `f_${randomBytes(5).toString('hex')}`,
        label: input.label.trim(),
        type: input.type,
        system: false,
        enabled: input.enabled,
        readOnly: input.readOnly,
        options,
        position: (last?.position ?? -1) + 1,
      });
      await tx.flush();
      return field;
    });
  }

  async updateField(scope: ServiceScope, id: string, input: UpdateProfileFieldInput): Promise<ProfileField> {
    const tenantId = tenantOf(scope);
    return scope.em.transactional(async (tx) => {
      const field = await this.getField(tx, id);
      if (field.system) {
        if (input.type !== undefined && input.type !== field.type) throw raise(ProfileErrors, 'SYSTEM_FIELD');
        if (input.options !== undefined) throw raise(ProfileErrors, 'OPTIONS_NOT_ALLOWED');
        if (field.key === CUSTOMER_ID_KEY && input.readOnly === false) throw raise(ProfileErrors, 'ALWAYS_READ_ONLY');
      }
      const type = input.type ?? field.type;
      const retyped = type !== field.type;
      const options =
        input.options !== undefined
          ? checkOptions(type, input.options)
          : checkOptions(type, type === ProfileFieldType.SELECT ? field.options : []);
      if (input.label !== undefined) field.label = input.label.trim();
      if (input.enabled !== undefined) field.enabled = input.enabled;
      if (input.readOnly !== undefined) field.readOnly = input.readOnly;
      field.type = type;
      field.options = options;
      // Values of the old type may not fit the new one.
      if (retyped) await this.clearValues(tx, tenantId, field.key);
      await tx.flush();
      return field;
    });
  }

  /** Deletes a custom field and its values; returns the id. */
  async deleteField(scope: ServiceScope, id: string): Promise<string> {
    const tenantId = tenantOf(scope);
    return scope.em.transactional(async (tx) => {
      const field = await this.getField(tx, id);
      if (field.system) throw raise(ProfileErrors, 'SYSTEM_FIELD');
      await this.clearValues(tx, tenantId, field.key);
      tx.remove(field);
      await tx.flush();
      return id;
    });
  }

  /** The given fields first, in that order; the others keep their order after them. */
  async reorderFields(scope: ServiceScope, ids: string[]): Promise<ProfileField[]> {
    const tenantId = tenantOf(scope);
    if (new Set(ids).size !== ids.length) throw raise(ProfileErrors, 'DUPLICATE_IDS');
    return scope.em.transactional(async (tx) => {
      const fields = await this.fields(tx, tenantId);
      const byId = new Map(fields.map((f) => [f.id, f]));
      if (ids.some((id) => !byId.has(id))) throw raise(ProfileErrors, 'FIELD_NOT_FOUND');
      const listed = new Set(ids);
      const ordered = [...ids.map((id) => byId.get(id)!), ...fields.filter((f) => !listed.has(f.id))];
      ordered.forEach((f, i) => (f.position = i));
      await tx.flush();
      return ordered;
    });
  }

  // ── Customer groups ───────────────────────────────────────────────────────────

  async groups(scope: ServiceScope, args: ConnectionArgs): Promise<ResultPage<CustomerGroup>> {
    const { offset, limit } = pageWindow(args);
    const [items, totalCount] = await scope.em.findAndCount(
      CustomerGroup,
      { tenant: tenantOf(scope) },
      { orderBy: { name: 'asc', id: 'asc' }, offset, limit },
    );
    return { items, totalCount, offset, limit };
  }

  async createGroup(scope: ServiceScope, input: CustomerGroupInput): Promise<CustomerGroup> {
    const group = scope.em.create(CustomerGroup, {
      tenant: tenantOf(scope),
      name: input.name.trim(),
      description: input.description?.trim() || null,
    });
    return this.saveGroup(scope.em, group);
  }

  async updateGroup(scope: ServiceScope, id: string, input: CustomerGroupInput): Promise<CustomerGroup> {
    const group = await this.getGroup(scope.em, id);
    group.name = input.name.trim();
    group.description = input.description?.trim() || null;
    return this.saveGroup(scope.em, group);
  }

  /** Deletes a group; its customers are left without one. Returns the id. */
  async deleteGroup(scope: ServiceScope, id: string): Promise<string> {
    const group = await this.getGroup(scope.em, id);
    await scope.em.remove(group).flush();
    return id;
  }

  async getGroup(em: EntityManager, id: string): Promise<CustomerGroup> {
    const group = await em.findOne(CustomerGroup, { id });
    if (!group) throw raise(ProfileErrors, 'GROUP_NOT_FOUND');
    return group;
  }

  // ── Customer profile values ───────────────────────────────────────────────────

  /**
   * Checks the profile part of a customer edit against the tenant's fields and writes the custom
   * values and the group onto the customer (the caller flushes). Turned-off fields are refused;
   * read-only ones too, unless `mayEditReadOnly` (customer admins).
   */
  async applyEdit(
    em: EntityManager,
    customer: Customer,
    edit: ProfileEdit,
    opts: { mayEditReadOnly: boolean },
  ): Promise<void> {
    const defs = new Map((await this.fields(em, customer.tenant)).map((f) => [f.key, f]));
    const editable = (field: ProfileField) => {
      if (!field.enabled) {
        throw raise(ProfileErrors, 'FIELD_DISABLED', { key: field.key }, `The field "${field.label}" is turned off`);
      }
      if (field.readOnly && (!opts.mayEditReadOnly || field.key === CUSTOMER_ID_KEY)) {
        throw raise(ProfileErrors, 'FIELD_READ_ONLY', { key: field.key }, `The field "${field.label}" is read-only`);
      }
    };
    for (const key of edit.systemKeys) {
      const field = defs.get(key);
      if (field) editable(field);
    }
    if (edit.fields?.length) {
      const values = { ...customer.customFields };
      const seen = new Set<string>();
      for (const { key, value } of edit.fields) {
        const field = defs.get(key);
        if (!field) {
          throw raise(ProfileErrors, 'UNKNOWN_FIELD', { key }, `There is no profile field with the key "${key}"`);
        }
        if (field.system) {
          throw raise(
            ProfileErrors,
            'UNKNOWN_FIELD',
            { key },
            `"${key}" is a system field: set it through its own input field`,
          );
        }
        if (seen.has(key)) throw raise(ProfileErrors, 'INVALID_VALUE', { key }, `The field "${key}" is given twice`);
        seen.add(key);
        editable(field);
        const parsed = parseValue(field, value ?? null);
        if (parsed === null) delete values[key];
        else values[key] = parsed;
      }
      customer.customFields = values;
    }
    if (edit.groupId !== undefined) {
      customer.group = edit.groupId === null ? null : (await this.getGroup(em, edit.groupId)).id;
    }
  }

  /** The enabled fields of a customer's profile in order, with their values as text. */
  valuesOf(fields: readonly ProfileField[], customer: Customer): CustomerFieldValue[] {
    const system = customer as unknown as SystemValues;
    return fields
      .filter((f) => f.enabled)
      .map((f) => {
        const raw = f.system ? system[f.key] : customer.customFields[f.key];
        return {
          key: f.key,
          label: f.label,
          type: f.type,
          value: raw === null || raw === undefined ? null : String(raw),
          readOnly: f.readOnly,
          system: f.system,
        };
      });
  }

  // ── Internals ─────────────────────────────────────────────────────────────────

  private async getField(em: EntityManager, id: string): Promise<ProfileField> {
    const field = await em.findOne(ProfileField, { id });
    if (!field) throw raise(ProfileErrors, 'FIELD_NOT_FOUND');
    return field;
  }

  private async saveGroup(em: EntityManager, group: CustomerGroup): Promise<CustomerGroup> {
    try {
      await em.flush();
      return group;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      em.clear();
      throw raise(ProfileErrors, 'GROUP_NAME_TAKEN');
    }
  }

  private async clearValues(em: EntityManager, tenantId: string, key: string): Promise<void> {
    await em.execute(
      `update customer set custom_fields = custom_fields - ?::text, updated_at = now()
        where tenant_id = ? and custom_fields ->> ?::text is not null`,
      [key, tenantId, key],
    );
  }

  /** Creates the system fields a tenant lacks; concurrent first uses insert each one once. */
  private async ensureSystemFields(em: EntityManager, tenantId: string): Promise<void> {
    const have = await em.count(ProfileField, { tenant: tenantId, system: true });
    if (have >= SYSTEM_FIELDS.length) return;
    const rows = SYSTEM_FIELDS.map(() => `(?, now(), now(), ?, ?, ?, ?, true, true, ?, '[]'::jsonb, ?)`).join(', ');
    const params = SYSTEM_FIELDS.flatMap((f, i) => [
      uuidv7(),
      tenantId,
      f.key,
      f.label,
      f.type,
      f.readOnly ?? false,
      i,
    ]);
    await em.execute(
      `insert into profile_field (id, created_at, updated_at, tenant_id, key, label, type, system, enabled, read_only, options, position)
       values ${rows} on conflict (tenant_id, key) do nothing`,
      params,
    );
  }
}

/** The options a field of this type keeps: SELECT needs distinct ones, other types none. */
function checkOptions(type: ProfileFieldType, options: readonly string[]): string[] {
  const trimmed = options.map((o) => o.trim());
  if (type !== ProfileFieldType.SELECT) {
    if (trimmed.length) throw raise(ProfileErrors, 'OPTIONS_NOT_ALLOWED');
    return [];
  }
  if (!trimmed.length) throw raise(ProfileErrors, 'OPTIONS_REQUIRED');
  if (new Set(trimmed).size !== trimmed.length) throw raise(ProfileErrors, 'DUPLICATE_OPTION');
  return trimmed;
}

/** The stored form of a value given as text, or null to clear it; refuses what does not fit the type. */
export function parseValue(
  field: Pick<ProfileField, 'key' | 'label' | 'type' | 'options'>,
  value: string | null,
): string | number | null {
  if (value === null || value.trim() === '') return null;
  const bad = (why: string) =>
    raise(ProfileErrors, 'INVALID_VALUE', { key: field.key }, `The field "${field.label}" ${why}`);
  switch (field.type) {
    case ProfileFieldType.TEXT:
      if (value.length > MAX_TEXT) throw bad(`takes at most ${MAX_TEXT} characters`);
      return value;
    case ProfileFieldType.MULTILINE:
      if (value.length > MAX_MULTILINE) throw bad(`takes at most ${MAX_MULTILINE} characters`);
      return value;
    case ProfileFieldType.NUMBER: {
      const text = value.trim();
      const n = Number(text);
      if (!NUMBER.test(text) || !Number.isFinite(n)) throw bad('takes a number');
      return n;
    }
    case ProfileFieldType.DATE: {
      const text = value.trim();
      const m = DATE.exec(text);
      const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
      const date = new Date(Date.UTC(y, mo - 1, d));
      if (!m || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
        throw bad('takes a date as YYYY-MM-DD');
      }
      return text;
    }
    case ProfileFieldType.SELECT:
      if (!field.options.includes(value)) throw bad(`takes one of: ${field.options.join(', ')}`);
      return value;
  }
}
