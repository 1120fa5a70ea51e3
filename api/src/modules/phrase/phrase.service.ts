import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { Page } from '../../platform/auth/pages';
import { type ServiceScope, staffOf, userOf } from '../../platform/auth/scope';
import { CsvSyntaxError, formatCsv, parseCsv, recordsByHeader } from '../../platform/csv/csv';
import { likeContains } from '../../platform/database/like';
import { badInput, raise } from '../../platform/errors/app-error';
import { type Page as ResultPage, pageWindow } from '../../platform/graphql/connection';
import { advisoryXactLock } from '../../platform/database/advisory-lock';
import { type Approval, ApprovalKind } from '../approval/approval.entity';
import type { ApprovalService } from '../approval/approval.service';
import type { AttachmentService } from '../attachment/attachment.service';
import type { ExportedFile, ImportReport, ImportRowError } from '../attachment/data-file.types';
import type { ConversationService } from '../conversation/conversation.service';
import { Customer } from '../customer/customer.entity';
import { addressed } from '../routing/assignment.service';
import type { TenantService } from '../tenant/tenant.service';
import { Phrase, PhraseCategory } from './phrase.entity';
import { PhraseErrors } from './phrase.errors';
import type {
  CreatePhraseCategoryInput,
  CreatePhraseInput,
  PhrasesArgs,
  RequestPublicPhraseInput,
} from './phrase.inputs';
import { PhraseScope } from './phrase.types';

export const MAX_CONTENT = 2000;
export const MAX_NAME = 60;
export const MAX_PHRASES = 5000;
export const MAX_CATEGORIES = 500;
const MAX_FILE_BYTES = 10 * 1024 * 1024;

// Public categories have two levels, personal ones one.
const LEVELS = { public: 2, personal: 1 };

const COLUMNS = {
  category: { aliases: ['分类', '一级分类'] },
  subcategory: { aliases: ['二级分类', '子分类'] },
  content: { aliases: ['内容', '话术'], required: true },
} as const;

/** Who owns a set of phrases: null for the tenant's public set, else the agent's user id. */
type Owner = string | null;

/** What a public phrase request asks for (the approval's payload). */
interface PublicPhrasePayload {
  content: string;
  categoryId: string | null;
  phraseId: string | null;
}

/**
 * Phrases (CNT-2, CNT-3): the public set, which admins with ADMIN_CONTENT manage in two category
 * levels, and each agent's personal set in one level, which nobody else sees. Every write to a set
 * runs under that set's transaction lock, so limits and positions hold under concurrency.
 */
export class PhraseService {
  constructor(
    private readonly attachments: AttachmentService,
    private readonly conversations: ConversationService,
    private readonly tenants: TenantService,
    private readonly approvals: ApprovalService,
    private readonly log: Logger,
  ) {
    approvals.onDecided(ApprovalKind.PUBLIC_PHRASE, (em, approval, approved) =>
      approved ? this.adopt(em, approval) : Promise.resolve(),
    );
  }

  // ── Categories ───────────────────────────────────────────────────────────────

  /** The categories of one set, in their order (level-1 and level-2 together; `parent` links them). */
  async categories(scope: ServiceScope, set: PhraseScope): Promise<PhraseCategory[]> {
    const owner = this.readableOwner(scope, set);
    if (owner === undefined) return [];
    return scope.em.find(PhraseCategory, { owner }, { orderBy: { position: 'asc', name: 'asc', id: 'asc' } });
  }

  async createCategory(scope: ServiceScope, input: CreatePhraseCategoryInput): Promise<PhraseCategory> {
    const owner = this.writableOwner(scope, input.scope);
    const name = checkName(input.name);
    return scope.em.transactional(async (tx) => {
      await this.lock(tx, scope, owner);
      let parent: string | null = null;
      if (input.parentId) {
        const found = await tx.findOne(PhraseCategory, { id: input.parentId, owner });
        if (!found) throw raise(PhraseErrors, 'CATEGORY_NOT_FOUND', undefined, 'Parent category not found');
        if (levelOf(found) + 1 > (owner === null ? LEVELS.public : LEVELS.personal))
          throw raise(PhraseErrors, 'TOO_DEEP');
        parent = found.id;
      }
      if ((await tx.count(PhraseCategory, { owner })) >= MAX_CATEGORIES)
        throw raise(PhraseErrors, 'TOO_MANY_CATEGORIES');
      const siblings = await tx.find(PhraseCategory, { owner, parent });
      if (siblings.some((s) => sameName(s.name, name))) throw raise(PhraseErrors, 'NAME_TAKEN');
      return tx.create(PhraseCategory, {
        tenant: staffOf(scope).tenantId,
        owner,
        parent,
        name,
        position: nextPosition(siblings),
      });
    });
  }

  async renameCategory(scope: ServiceScope, id: string, name: string): Promise<PhraseCategory> {
    const category = await this.visibleCategory(scope, id);
    this.assertWritable(scope, category.owner);
    const trimmed = checkName(name);
    return scope.em.transactional(async (tx) => {
      await this.lock(tx, scope, category.owner);
      const siblings = await tx.find(PhraseCategory, { owner: category.owner, parent: category.parent });
      if (siblings.some((s) => s.id !== category.id && sameName(s.name, trimmed)))
        throw raise(PhraseErrors, 'NAME_TAKEN');
      const row = siblings.find((s) => s.id === category.id) ?? (await tx.findOneOrFail(PhraseCategory, { id }));
      row.name = trimmed;
      return row;
    });
  }

  /** Deletes an empty category; one with phrases or subcategories is refused (CONFLICT). */
  async deleteCategory(scope: ServiceScope, id: string): Promise<string> {
    const category = await this.visibleCategory(scope, id);
    this.assertWritable(scope, category.owner);
    await scope.em.transactional(async (tx) => {
      await this.lock(tx, scope, category.owner);
      const used =
        (await tx.count(Phrase, { category: category.id })) + (await tx.count(PhraseCategory, { parent: category.id }));
      if (used > 0) throw raise(PhraseErrors, 'CATEGORY_NOT_EMPTY');
      await tx.nativeDelete(PhraseCategory, { id: category.id });
    });
    return category.id;
  }

  /** Sets the order of sibling categories: all of them, each once. */
  async reorderCategories(scope: ServiceScope, ids: string[]): Promise<PhraseCategory[]> {
    return scope.em.transactional(async (tx) => {
      const rows = await this.visibleRows(tx, scope, PhraseCategory, ids, 'CATEGORY_NOT_FOUND');
      const { owner, parent } = rows[0]!;
      if (rows.some((r) => r.owner !== owner || r.parent !== parent)) throw raise(PhraseErrors, 'MIXED_SET');
      this.assertWritable(scope, owner);
      await this.lock(tx, scope, owner);
      const siblings = await tx.find(PhraseCategory, { owner, parent });
      return applyOrder(siblings, ids);
    });
  }

  // ── Phrases ──────────────────────────────────────────────────────────────────

  /** Phrases of the public set and the caller's own, filtered and paginated. */
  async list(scope: ServiceScope, args: PhrasesArgs): Promise<ResultPage<Phrase>> {
    const { offset, limit } = pageWindow(args);
    const where: FilterQuery<Phrase>[] = [];
    const owners = this.readableOwners(scope, args.scope ?? null);
    if (!owners.length) return { items: [], totalCount: 0, offset, limit };
    where.push(owners.length === 1 ? { owner: owners[0] } : { $or: owners.map((owner) => ({ owner })) });
    if (args.categoryId) {
      const category = await this.visibleCategory(scope, args.categoryId);
      const children = await scope.em.find(PhraseCategory, { parent: category.id }, { fields: ['id'] });
      where.push({ category: { $in: [category.id, ...children.map((c) => c.id)] } });
    }
    if (args.uncategorised) where.push({ category: null });
    const search = args.search?.trim();
    if (search) where.push({ content: { $ilike: likeContains(search) } });
    const [items, totalCount] = await scope.em.findAndCount(
      Phrase,
      { $and: where },
      {
        orderBy: { owner: 'asc nulls first', category: 'asc nulls first', position: 'asc', id: 'asc' },
        offset,
        limit,
      },
    );
    return { items, totalCount, offset, limit };
  }

  async create(scope: ServiceScope, input: CreatePhraseInput): Promise<Phrase> {
    const owner = this.writableOwner(scope, input.scope);
    const content = checkContent(input.content);
    return scope.em.transactional(async (tx) => {
      await this.lock(tx, scope, owner);
      const category = input.categoryId ? (await this.categoryOf(tx, owner, input.categoryId)).id : null;
      if ((await tx.count(Phrase, { owner })) >= MAX_PHRASES) throw raise(PhraseErrors, 'TOO_MANY_PHRASES');
      const position = nextPosition(await tx.find(Phrase, { owner, category }, { fields: ['position'] }));
      return tx.create(Phrase, { tenant: staffOf(scope).tenantId, owner, category, content, position });
    });
  }

  async update(scope: ServiceScope, id: string, content: string): Promise<Phrase> {
    const phrase = await this.visiblePhrase(scope, id);
    this.assertWritable(scope, phrase.owner);
    phrase.content = checkContent(content);
    await scope.em.flush();
    return phrase;
  }

  async delete(scope: ServiceScope, ids: string[]): Promise<number> {
    return scope.em.transactional(async (tx) => {
      const rows = await this.visibleRows(tx, scope, Phrase, ids, 'NOT_FOUND');
      for (const row of rows) this.assertWritable(scope, row.owner);
      return tx.nativeDelete(Phrase, { id: { $in: rows.map((r) => r.id) } });
    });
  }

  /** Moves phrases of one set to a category of that set (none: uncategorised), appended in the given order. */
  async move(scope: ServiceScope, ids: string[], categoryId: string | null | undefined): Promise<Phrase[]> {
    return scope.em.transactional(async (tx) => {
      const rows = await this.visibleRows(tx, scope, Phrase, ids, 'NOT_FOUND');
      const owner = rows[0]!.owner;
      if (rows.some((r) => r.owner !== owner)) throw raise(PhraseErrors, 'MIXED_SET');
      this.assertWritable(scope, owner);
      await this.lock(tx, scope, owner);
      const category = categoryId ? (await this.categoryOf(tx, owner, categoryId)).id : null;
      const moving = new Set(rows.map((r) => r.id));
      const staying = (await tx.find(Phrase, { owner, category }, { fields: ['id', 'position'] })).filter(
        (p) => !moving.has(p.id),
      );
      let position = nextPosition(staying);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return [...new Set(ids)].map((id) => {
        const row = byId.get(id)!;
        row.category = category;
        row.position = position++;
        return row;
      });
    });
  }

  /** Sets the order of the phrases of one category (or the uncategorised ones): all of them, each once. */
  async reorder(scope: ServiceScope, ids: string[]): Promise<Phrase[]> {
    return scope.em.transactional(async (tx) => {
      const rows = await this.visibleRows(tx, scope, Phrase, ids, 'NOT_FOUND');
      const { owner, category } = rows[0]!;
      if (rows.some((r) => r.owner !== owner || r.category !== category)) throw raise(PhraseErrors, 'MIXED_SET');
      this.assertWritable(scope, owner);
      await this.lock(tx, scope, owner);
      return applyOrder(await tx.find(Phrase, { owner, category }), ids);
    });
  }

  /**
   * The phrase as sent in a conversation the caller may see: `##dear##` becomes the customer's
   * nickname (else real name), or the tenant's default address (TEN-6) — the greetings' rule.
   */
  async render(scope: ServiceScope, phraseId: string, conversationId: string): Promise<string> {
    const phrase = await this.visiblePhrase(scope, phraseId);
    const conversation = await this.conversations.get(scope, conversationId);
    const customer = await scope.em.findOne(Customer, { id: conversation.customer.id });
    const settings = await this.tenants.settings(scope.em, conversation.tenant);
    return addressed(phrase.content, customer?.nickname ?? customer?.realName, settings.defaultAddress);
  }

  // ── Public phrase requests (CNT-3) ───────────────────────────────────────────

  /** Files an approval request to add a personal phrase (or a text) to the public set. */
  async requestPublic(scope: ServiceScope, input: RequestPublicPhraseInput): Promise<Approval> {
    const me = userOf(scope);
    let content: string | null = null;
    let phraseId: string | null = null;
    if (input.phraseId) {
      const phrase = await scope.em.findOne(Phrase, { id: input.phraseId, owner: me.userId });
      if (!phrase) {
        const isPublic = await scope.em.count(Phrase, { id: input.phraseId, owner: null });
        throw isPublic ? raise(PhraseErrors, 'NOT_PERSONAL') : raise(PhraseErrors, 'NOT_FOUND');
      }
      content = phrase.content;
      phraseId = phrase.id;
    }
    const categoryId = input.categoryId ? (await this.categoryOf(scope.em, null, input.categoryId)).id : null;
    if (input.content != null && input.content.trim() !== '') {
      if (content !== null) throw raise(PhraseErrors, 'PROPOSAL_SOURCE');
      content = checkContent(input.content);
    }
    if (content === null) throw raise(PhraseErrors, 'PROPOSAL_SOURCE');
    const payload: PublicPhrasePayload = { content, categoryId, phraseId };
    return this.approvals.request(scope, ApprovalKind.PUBLIC_PHRASE, { ...payload }, input.reason ?? null);
  }

  /**
   * An admin approved a request: the text joins the public set in the deciding transaction, in the
   * chosen category if it still exists, else uncategorised. A full public set fails the decision.
   */
  private async adopt(em: EntityManager, approval: Approval): Promise<void> {
    const payload = approval.payload as Partial<PublicPhrasePayload>;
    if (typeof payload.content !== 'string' || !payload.content.trim()) {
      this.log.warn({ approvalId: approval.id }, 'public phrase approval without content; nothing added');
      return;
    }
    const tenant = approval.tenant;
    await advisoryXactLock(em, lockKey(tenant, null));
    if ((await em.count(Phrase, { tenant, owner: null })) >= MAX_PHRASES) throw raise(PhraseErrors, 'TOO_MANY_PHRASES');
    const found =
      typeof payload.categoryId === 'string'
        ? await em.findOne(PhraseCategory, { id: payload.categoryId, tenant, owner: null })
        : null;
    const category = found?.id ?? null;
    const position = nextPosition(await em.find(Phrase, { tenant, owner: null, category }, { fields: ['position'] }));
    em.create(Phrase, {
      tenant,
      owner: null,
      category,
      content: payload.content.slice(0, MAX_CONTENT),
      position,
    });
  }

  // ── CSV (CNT-2) ──────────────────────────────────────────────────────────────

  /** A CSV with the header and one example row. */
  async template(scope: ServiceScope, set: PhraseScope): Promise<ExportedFile> {
    this.writableOwner(scope, set);
    const example =
      set === PhraseScope.PUBLIC
        ? ['Greetings', 'Opening', 'Hello ##dear##, how can I help you?']
        : ['Greetings', '', 'Hello ##dear##, how can I help you?'];
    return this.store(scope, 'phrases-template.csv', [Object.keys(COLUMNS), example], 1);
  }

  /** The whole set as CSV (the import format): category, subcategory, content. */
  async export(scope: ServiceScope, set: PhraseScope): Promise<ExportedFile> {
    const owner = this.writableOwner(scope, set);
    const categories = await scope.em.find(PhraseCategory, { owner });
    const phrases = await scope.em.find(Phrase, { owner });
    const byId = new Map(categories.map((c) => [c.id, c]));
    const sortKey = (p: Phrase): number[] => {
      const c = p.category ? byId.get(p.category) : undefined;
      const parent = c?.parent ? byId.get(c.parent) : undefined;
      // Uncategorised first, then by level-1 position, level-2 position, phrase position.
      return parent
        ? [1, parent.position, 1, c!.position, p.position]
        : c
          ? [1, c.position, 0, 0, p.position]
          : [0, 0, 0, 0, p.position];
    };
    const ordered = phrases
      .map((p) => ({ p, key: sortKey(p) }))
      .sort((a, b) => compareKeys(a.key, b.key) || (a.p.category ?? '').localeCompare(b.p.category ?? ''));
    const rows = ordered.map(({ p }) => {
      const c = p.category ? byId.get(p.category) : undefined;
      const parent = c?.parent ? byId.get(c.parent) : undefined;
      return parent ? [parent.name, c!.name, p.content] : [c?.name ?? '', '', p.content];
    });
    const name = set === PhraseScope.PUBLIC ? 'phrases-public.csv' : 'phrases-personal.csv';
    return this.store(scope, name, [Object.keys(COLUMNS), ...rows], rows.length);
  }

  /**
   * Imports a CSV into one set in one transaction: valid rows are added (unknown categories are
   * created), a row repeating a phrase of its category is skipped, bad rows are reported by line.
   * A malformed file is refused whole.
   */
  async import(scope: ServiceScope, set: PhraseScope, fileId: string): Promise<ImportReport> {
    const owner = this.writableOwner(scope, set);
    const text = await this.attachments.readUploadedText(scope.em, scope.principal, fileId, {
      maxBytes: MAX_FILE_BYTES,
    });
    let records: { line: number; values: Record<keyof typeof COLUMNS, string> }[];
    try {
      records = recordsByHeader(parseCsv(text), COLUMNS);
    } catch (e) {
      if (e instanceof CsvSyntaxError)
        throw badInput('fileId', `The file is not valid CSV. ${e.message}`, 'CSV_SYNTAX');
      throw e;
    }
    const tenant = staffOf(scope).tenantId;
    return scope.em.transactional(async (tx) => {
      await this.lock(tx, scope, owner);
      const categories = await tx.find(PhraseCategory, { owner });
      const phrases = await tx.find(Phrase, { owner }, { fields: ['id', 'category', 'content', 'position'] });
      const byName = new Map(categories.map((c) => [nameKey(c.parent, c.name), c]));
      const positions = new Map<string, number>();
      for (const c of categories)
        positions.set(`c:${c.parent ?? ''}`, Math.max(positions.get(`c:${c.parent ?? ''}`) ?? -1, c.position));
      for (const p of phrases)
        positions.set(`p:${p.category ?? ''}`, Math.max(positions.get(`p:${p.category ?? ''}`) ?? -1, p.position));
      const next = (key: string) => {
        const value = (positions.get(key) ?? -1) + 1;
        positions.set(key, value);
        return value;
      };
      const existing = new Set(phrases.map((p) => `${p.category ?? ''}\n${p.content}`));
      let phraseCount = phrases.length;
      let categoryCount = categories.length;
      const errors: ImportRowError[] = [];
      let imported = 0;
      let skipped = 0;
      const categoryFor = (parent: string | null, name: string): PhraseCategory | 'full' => {
        const known = byName.get(nameKey(parent, name));
        if (known) return known;
        if (categoryCount >= MAX_CATEGORIES) return 'full';
        categoryCount++;
        const created = tx.create(PhraseCategory, { tenant, owner, parent, name, position: next(`c:${parent ?? ''}`) });
        byName.set(nameKey(parent, name), created);
        return created;
      };
      for (const { line, values } of records) {
        const fail = (column: string | null, message: string) => errors.push({ line, column, message });
        const content = values.content;
        if (!content) {
          fail('content', 'The content is missing');
          continue;
        }
        if (content.length > MAX_CONTENT) {
          fail('content', `The content has ${content.length} characters; at most ${MAX_CONTENT}`);
          continue;
        }
        const [level1, level2] = [values.category, values.subcategory];
        const tooLong = [
          ['category', level1],
          ['subcategory', level2],
        ].find(([, n]) => n!.length > MAX_NAME);
        if (tooLong) {
          fail(tooLong[0]!, `The ${tooLong[0]} name has ${tooLong[1]!.length} characters; at most ${MAX_NAME}`);
          continue;
        }
        if (level2 && owner !== null) {
          fail('subcategory', 'Personal phrases have one category level: leave subcategory empty');
          continue;
        }
        if (level2 && !level1) {
          fail('category', 'A subcategory needs its category');
          continue;
        }
        let category: string | null = null;
        if (level1) {
          const top = categoryFor(null, level1);
          const leaf = top !== 'full' && level2 ? categoryFor(top.id, level2) : top;
          if (leaf === 'full') {
            fail('category', `At most ${MAX_CATEGORIES} categories`);
            continue;
          }
          category = leaf.id;
        }
        const key = `${category ?? ''}\n${content}`;
        if (existing.has(key)) {
          skipped++;
          continue;
        }
        if (phraseCount >= MAX_PHRASES) {
          fail(null, `At most ${MAX_PHRASES} phrases: this row was not imported`);
          continue;
        }
        tx.create(Phrase, { tenant, owner, category, content, position: next(`p:${category ?? ''}`) });
        existing.add(key);
        phraseCount++;
        imported++;
      }
      return { imported, skipped, errors };
    });
  }

  // ── Internals ────────────────────────────────────────────────────────────────

  private async store(scope: ServiceScope, filename: string, rows: string[][], count: number): Promise<ExportedFile> {
    const { attachment, url } = await this.attachments.storeGenerated(scope.em, scope.principal, {
      filename,
      mime: 'text/csv',
      content: formatCsv(rows),
    });
    return { fileId: attachment.id, filename: attachment.filename, url, count };
  }

  /** The owner of a set the caller may change: PUBLIC needs ADMIN_CONTENT, PERSONAL a user with AGENT_PHRASES. */
  private writableOwner(scope: ServiceScope, set: PhraseScope): Owner {
    if (set === PhraseScope.PUBLIC) {
      this.assertWritable(scope, null);
      return null;
    }
    const staff = staffOf(scope);
    if (staff.kind !== 'user' || !staff.pages.has(Page.AGENT_PHRASES)) throw raise(PhraseErrors, 'PERSONAL_NEEDS_USER');
    return staff.userId;
  }

  private assertWritable(scope: ServiceScope, owner: Owner): void {
    const staff = staffOf(scope);
    if (owner === null) {
      if (!staff.pages.has(Page.ADMIN_CONTENT)) throw raise(PhraseErrors, 'PUBLIC_NEEDS_ADMIN');
      return;
    }
    // Someone else's personal rows are never loaded (they read as missing); this is the page check.
    if (staff.kind !== 'user' || staff.userId !== owner) throw raise(PhraseErrors, 'NOT_FOUND');
    if (!staff.pages.has(Page.AGENT_PHRASES)) throw raise(PhraseErrors, 'PERSONAL_NEEDS_USER');
  }

  /** The owner whose set the caller reads; undefined when the caller has no personal set (an API key). */
  private readableOwner(scope: ServiceScope, set: PhraseScope): Owner | undefined {
    if (set === PhraseScope.PUBLIC) return null;
    const staff = staffOf(scope);
    return staff.kind === 'user' ? staff.userId : undefined;
  }

  private readableOwners(scope: ServiceScope, set: PhraseScope | null): Owner[] {
    const sets = set ? [set] : [PhraseScope.PUBLIC, PhraseScope.PERSONAL];
    return sets.map((s) => this.readableOwner(scope, s)).filter((o): o is Owner => o !== undefined);
  }

  /** Public rows, and the caller's own personal rows. */
  private visibleWhere(scope: ServiceScope): { $or: { owner: Owner }[] } {
    const staff = staffOf(scope);
    return { $or: staff.kind === 'user' ? [{ owner: null }, { owner: staff.userId }] : [{ owner: null }] };
  }

  private async visiblePhrase(scope: ServiceScope, id: string): Promise<Phrase> {
    const phrase = await scope.em.findOne(Phrase, { $and: [{ id }, this.visibleWhere(scope)] });
    if (!phrase) throw raise(PhraseErrors, 'NOT_FOUND');
    return phrase;
  }

  private async visibleCategory(scope: ServiceScope, id: string): Promise<PhraseCategory> {
    const category = await scope.em.findOne(PhraseCategory, { $and: [{ id }, this.visibleWhere(scope)] });
    if (!category) throw raise(PhraseErrors, 'CATEGORY_NOT_FOUND');
    return category;
  }

  /** Every row of the ids the caller can see, or NOT_FOUND when one is missing. */
  private async visibleRows<T extends Phrase | PhraseCategory>(
    em: EntityManager,
    scope: ServiceScope,
    entity: EntityClass<T>,
    ids: string[],
    missing: 'NOT_FOUND' | 'CATEGORY_NOT_FOUND',
  ): Promise<T[]> {
    const unique = [...new Set(ids)];
    const where = { $and: [{ id: { $in: unique } }, this.visibleWhere(scope)] } as FilterQuery<T>;
    const rows = await em.find(entity, where);
    if (rows.length !== unique.length) throw raise(PhraseErrors, missing);
    return rows;
  }

  /** A category of the given set, or CATEGORY_NOT_FOUND. */
  private async categoryOf(em: EntityManager, owner: Owner, id: string): Promise<PhraseCategory> {
    const category = await em.findOne(PhraseCategory, { id, owner });
    if (!category) throw raise(PhraseErrors, 'CATEGORY_NOT_FOUND');
    return category;
  }

  private async lock(em: EntityManager, scope: ServiceScope, owner: Owner): Promise<void> {
    await advisoryXactLock(em, lockKey(staffOf(scope).tenantId, owner));
  }
}

function lockKey(tenantId: string, owner: Owner): string {
  return `phrases:${tenantId}:${owner ?? 'public'}`;
}

function checkContent(text: string): string {
  const content = text.trim();
  if (!content) throw raise(PhraseErrors, 'CONTENT_EMPTY');
  if (content.length > MAX_CONTENT) throw raise(PhraseErrors, 'CONTENT_TOO_LONG', { length: content.length });
  return content;
}

function checkName(text: string): string {
  const name = text.trim();
  if (!name) throw raise(PhraseErrors, 'NAME_EMPTY');
  if (name.length > MAX_NAME) throw raise(PhraseErrors, 'NAME_TOO_LONG', { length: name.length });
  return name;
}

function levelOf(category: PhraseCategory): number {
  return category.parent ? 2 : 1;
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const nameKey = (parent: string | null, name: string) => `${parent ?? ''}\n${name.toLowerCase()}`;

function nextPosition(rows: { position: number }[]): number {
  return rows.reduce((max, r) => Math.max(max, r.position), -1) + 1;
}

/** Positions 0, 1, 2… in the order of `ids`, which must name every row of `all` exactly once. */
function applyOrder<T extends { id: string; position: number }>(all: T[], ids: string[]): T[] {
  const byId = new Map(all.map((r) => [r.id, r]));
  if (ids.length !== all.length || new Set(ids).size !== ids.length || ids.some((id) => !byId.has(id))) {
    throw raise(PhraseErrors, 'REORDER_INCOMPLETE');
  }
  return ids.map((id, position) => {
    const row = byId.get(id)!;
    row.position = position;
    return row;
  });
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
