import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { type ServiceScope, tenantOf } from '../../platform/auth/scope';
import { formatCsv } from '../../platform/csv/csv';
import { isUniqueViolation } from '../../platform/database/db-errors';
import { likeContains } from '../../platform/database/like';
import { raise } from '../../platform/errors/app-error';
import { type Page as ResultPage, pageWindow } from '../../platform/graphql/connection';
import type { AttachmentService } from '../attachment/attachment.service';
import type { ExportedFile, ImportReport, ImportRowError } from '../attachment/data-file.types';
import type { Customer } from '../customer/customer.entity';
import type { CustomerService } from '../customer/customer.service';
import { CustomerTag, CustomerTagging } from './tag.entity';
import { TagErrors } from './tag.errors';
import type { CustomerTagInput, CustomerTagsArgs } from './tag.inputs';
import { IMPORT_MAX_BYTES, readCsv, unformula } from './tag-csv';

const COLOR = /^#[0-9a-fA-F]{6}$/;
const COLUMNS = {
  name: { aliases: ['名称', '标签'], required: true },
  color: { aliases: ['colour', '颜色'] },
} as const;

/** Customer tags (CNV-2): defined by admins, attached to customers by the agents who may edit them. */
export class CustomerTagService {
  constructor(
    private readonly customers: CustomerService,
    private readonly attachments: AttachmentService,
  ) {}

  async list(scope: ServiceScope, args: CustomerTagsArgs): Promise<ResultPage<CustomerTag>> {
    const { offset, limit } = pageWindow(args);
    const search = args.search?.trim();
    const [items, totalCount] = await scope.em.findAndCount(
      CustomerTag,
      { tenant: tenantOf(scope), ...(search ? { name: { $ilike: likeContains(search) } } : {}) },
      { orderBy: { position: 'asc', name: 'asc', id: 'asc' }, offset, limit },
    );
    return { items, totalCount, offset, limit };
  }

  async create(scope: ServiceScope, input: CustomerTagInput): Promise<CustomerTag> {
    const tenantId = tenantOf(scope);
    const last = await scope.em.findOne(CustomerTag, { tenant: tenantId }, { orderBy: { position: 'desc' } });
    const tag = scope.em.create(CustomerTag, {
      tenant: tenantId,
      name: input.name.trim(),
      color: input.color ?? null,
      position: (last?.position ?? -1) + 1,
    });
    return this.save(scope.em, tag);
  }

  async update(scope: ServiceScope, id: string, input: CustomerTagInput): Promise<CustomerTag> {
    const tag = await this.get(scope.em, id);
    tag.name = input.name.trim();
    tag.color = input.color ?? null;
    return this.save(scope.em, tag);
  }

  /** Deletes a tag; it comes off every customer. Returns the id. */
  async delete(scope: ServiceScope, id: string): Promise<string> {
    const tag = await this.get(scope.em, id);
    await scope.em.remove(tag).flush();
    return id;
  }

  /** Sets the tags of a customer the principal may edit (the same rule as editing the profile). */
  async setForCustomer(scope: ServiceScope, customerId: string, tagIds: string[]): Promise<Customer> {
    const { customer } = await this.customers.editable(scope, customerId);
    const wanted = [...new Set(tagIds)];
    const found = await scope.em.count(CustomerTag, { id: { $in: wanted } });
    if (found !== wanted.length) throw raise(TagErrors, 'CUSTOMER_TAG_NOT_FOUND');
    const by = scope.principal.kind === 'user' ? scope.principal.userId : null;
    await scope.em.transactional(async (tx) => {
      await tx.nativeDelete(CustomerTagging, { customer: customer.id, tag: { $nin: wanted } });
      if (!wanted.length) return;
      // A concurrent call may add the same tag: the unique key keeps one.
      await tx.execute(
        `insert into customer_tagging (id, created_at, updated_at, tenant_id, customer_id, tag_id, tagged_by_id)
         select r.id, now(), now(), ?, ?, r.tag, ?::uuid from jsonb_to_recordset(?::jsonb) as r(id uuid, tag uuid)
         on conflict (tenant_id, customer_id, tag_id) do nothing`,
        [customer.tenant, customer.id, by, JSON.stringify(wanted.map((tag) => ({ id: uuidv7(), tag })))],
      );
    });
    return customer;
  }

  /** The tags of each customer, in tag order (a DataLoader batch). */
  async tagsOf(em: EntityManager, customerIds: readonly string[]): Promise<CustomerTag[][]> {
    const taggings = await em.find(CustomerTagging, { customer: { $in: [...customerIds] } });
    const tags = taggings.length
      ? await em.find(
          CustomerTag,
          { id: { $in: [...new Set(taggings.map((t) => t.tag))] } },
          { orderBy: { position: 'asc', name: 'asc' } },
        )
      : [];
    return customerIds.map((id) => {
      const mine = new Set(taggings.filter((t) => t.customer === id).map((t) => t.tag));
      return tags.filter((t) => mine.has(t.id));
    });
  }

  // ── CSV (SET-2) ───────────────────────────────────────────────────────────────

  async template(scope: ServiceScope): Promise<ExportedFile> {
    return this.store(scope, 'customer-tags-template.csv', [['name', 'color']], 0);
  }

  async export(scope: ServiceScope): Promise<ExportedFile> {
    const tags = await scope.em.find(
      CustomerTag,
      { tenant: tenantOf(scope) },
      { orderBy: { position: 'asc', name: 'asc' } },
    );
    const rows = [['name', 'color'], ...tags.map((t) => [t.name, t.color])];
    return this.store(scope, 'customer-tags.csv', rows, tags.length);
  }

  /**
   * Imports new tags only: names that exist already (or come twice) are skipped, invalid rows are
   * reported with their line; a malformed file is refused whole.
   */
  async import(scope: ServiceScope, fileId: string): Promise<ImportReport> {
    const tenantId = tenantOf(scope);
    const text = await this.attachments.readUploadedText(scope.em, scope.principal, fileId, {
      maxBytes: IMPORT_MAX_BYTES,
    });
    const rows = readCsv(text, COLUMNS);
    const errors: ImportRowError[] = [];
    const fresh: { line: number; name: string; color: string | null }[] = [];
    const inFile = new Set<string>();
    let skipped = 0;
    const existing = new Set(
      (await scope.em.find(CustomerTag, { tenant: tenantId }, { fields: ['name'] })).map((t) => t.name),
    );
    for (const { line, values } of rows) {
      const name = unformula(values.name);
      const color = values.color || null;
      if (!name) errors.push({ line, column: 'name', message: 'The name is empty' });
      else if (name.length > 40)
        errors.push({ line, column: 'name', message: 'The name is longer than 40 characters' });
      else if (color && !COLOR.test(color)) {
        errors.push({ line, column: 'color', message: 'The colour must be like #1a2b3c' });
      } else if (existing.has(name) || inFile.has(name)) skipped++;
      else {
        inFile.add(name);
        fresh.push({ line, name, color });
      }
    }
    if (!fresh.length) return { imported: 0, skipped, errors };
    const last = await scope.em.findOne(CustomerTag, { tenant: tenantId }, { orderBy: { position: 'desc' } });
    const start = (last?.position ?? -1) + 1;
    // One statement: a tag created meanwhile under the same name is skipped, not an error.
    const inserted = await scope.em.execute<{ name: string }[]>(
      `insert into customer_tag (id, created_at, updated_at, tenant_id, name, color, position)
       select id, now(), now(), ?, name, color, position
         from jsonb_to_recordset(?::jsonb) as r(id uuid, name text, color text, position int)
       on conflict (tenant_id, name) do nothing
       returning name`,
      [
        tenantId,
        JSON.stringify(fresh.map((r, i) => ({ id: uuidv7(), name: r.name, color: r.color, position: start + i }))),
      ],
    );
    return { imported: inserted.length, skipped: skipped + fresh.length - inserted.length, errors };
  }

  // ── Internals ─────────────────────────────────────────────────────────────────

  private async get(em: EntityManager, id: string): Promise<CustomerTag> {
    const tag = await em.findOne(CustomerTag, { id });
    if (!tag) throw raise(TagErrors, 'CUSTOMER_TAG_NOT_FOUND');
    return tag;
  }

  private async save(em: EntityManager, tag: CustomerTag): Promise<CustomerTag> {
    try {
      await em.flush();
      return tag;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      em.clear();
      throw raise(TagErrors, 'CUSTOMER_TAG_NAME_TAKEN');
    }
  }

  private async store(
    scope: ServiceScope,
    filename: string,
    rows: (string | null)[][],
    count: number,
  ): Promise<ExportedFile> {
    const { attachment, url } = await this.attachments.storeGenerated(scope.em, scope.principal, {
      filename,
      mime: 'text/csv',
      content: formatCsv(rows),
    });
    return { fileId: attachment.id, filename: attachment.filename, url, count };
  }
}
