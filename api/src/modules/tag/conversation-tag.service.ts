import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { Page } from '../../platform/auth/pages';
import type { StaffPrincipal } from '../../platform/auth/principal';
import { type ServiceScope, staffOf, tenantOf } from '../../platform/auth/scope';
import { formatCsv } from '../../platform/csv/csv';
import { badInput, raise } from '../../platform/errors/app-error';
import { advisoryXactLock } from '../../platform/database/advisory-lock';
import type { AttachmentService } from '../attachment/attachment.service';
import type { ExportedFile, ImportReport, ImportRowError } from '../attachment/data-file.types';
import { CloseReason, Conversation, ConversationAgent, ConversationState } from '../conversation/conversation.entity';
import type { ConversationService } from '../conversation/conversation.service';
import type { TenantService } from '../tenant/tenant.service';
import { ConversationTag, ConversationTagging } from './tag.entity';
import { MAX_CONVERSATION_TAGS, MAX_ROOT_TAGS, MAX_TAG_DEPTH, TagErrors } from './tag.errors';
import type { CreateConversationTagInput, MoveConversationTagInput, TagConversationArgs } from './tag.inputs';
import { IMPORT_MAX_BYTES, readCsv, unformula } from './tag-csv';

const MAX_NAME = 60;
const LEVELS = Array.from({ length: MAX_TAG_DEPTH }, (_, i) => `level${i + 1}`);
const COLUMNS = Object.fromEntries(LEVELS.map((name, i) => [name, { required: i === 0 }])) as Record<
  string,
  { required?: boolean }
>;

/** A tenant's whole tag set, read under the tenant's tag lock. */
class TagSet {
  readonly byId: Map<string, ConversationTag>;

  constructor(readonly all: ConversationTag[]) {
    this.byId = new Map(all.map((t) => [t.id, t]));
  }

  children(parent: string | null): ConversationTag[] {
    return this.all.filter((t) => t.parent === parent).sort(byPosition);
  }

  named(parent: string | null, name: string): ConversationTag | undefined {
    return this.all.find((t) => t.parent === parent && t.name === name);
  }

  /** The tag and all tags under it. */
  subtree(root: ConversationTag): ConversationTag[] {
    const out = [root];
    for (let i = 0; i < out.length; i++) out.push(...this.all.filter((t) => t.parent === out[i]!.id));
    return out;
  }

  nextPosition(parent: string | null): number {
    return Math.max(-1, ...this.children(parent).map((t) => t.position)) + 1;
  }

  /** Depth first, each level in its order: the order of the tree as admins see it. */
  ordered(): ConversationTag[] {
    const out: ConversationTag[] = [];
    const walk = (parent: string | null) => {
      for (const t of this.children(parent)) {
        out.push(t);
        walk(t.id);
      }
    };
    walk(null);
    return out;
  }

  pathOf(tag: ConversationTag): string[] {
    const path: string[] = [];
    for (let t: ConversationTag | undefined = tag; t; t = t.parent ? this.byId.get(t.parent) : undefined) {
      path.unshift(t.name);
    }
    return path;
  }

  add(tag: ConversationTag): void {
    this.all.push(tag);
    this.byId.set(tag.id, tag);
  }
}

const byPosition = (a: ConversationTag, b: ConversationTag) =>
  a.position - b.position || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/**
 * Conversation tags (CNV-3): a tree of at most 10 levels, 1,000 tags and 20 roots per tenant.
 * Changes to a tenant's tree take turns under a transaction-scoped advisory lock, so the limits
 * hold under concurrency. Tagging a conversation, forced tags on close (CNV-6) and automatic tags
 * on the inactivity close (CNV-7 b).
 */
export class ConversationTagService {
  constructor(
    private readonly conversations: ConversationService,
    private readonly tenants: TenantService,
    private readonly attachments: AttachmentService,
  ) {
    conversations.onClosing((tx, conversation, reason) => this.closing(tx, conversation, reason));
  }

  async tree(scope: ServiceScope): Promise<ConversationTag[]> {
    return new TagSet(await scope.em.find(ConversationTag, { tenant: tenantOf(scope) })).ordered();
  }

  async create(scope: ServiceScope, input: CreateConversationTagInput): Promise<ConversationTag> {
    const tenantId = tenantOf(scope);
    return this.locked(scope, async (tx, set) => {
      const parent = input.parentId ? this.found(set, input.parentId) : null;
      const name = input.name.trim();
      checkRoom(set, parent, 1);
      if (set.named(parent?.id ?? null, name)) throw raise(TagErrors, 'SIBLING_NAME_TAKEN');
      const tag = tx.create(ConversationTag, {
        tenant: tenantId,
        name,
        parent: parent?.id ?? null,
        depth: (parent?.depth ?? 0) + 1,
        position: set.nextPosition(parent?.id ?? null),
      });
      await tx.flush();
      return tag;
    });
  }

  async rename(scope: ServiceScope, id: string, name: string): Promise<ConversationTag> {
    return this.locked(scope, async (tx, set) => {
      const tag = this.found(set, id);
      const trimmed = name.trim();
      if (!trimmed || trimmed.length > MAX_NAME) {
        throw badInput('name', `A tag name has 1 to ${MAX_NAME} characters`, 'INVALID_NAME');
      }
      const clash = set.named(tag.parent, trimmed);
      if (clash && clash.id !== tag.id) throw raise(TagErrors, 'SIBLING_NAME_TAKEN');
      tag.name = trimmed;
      await tx.flush();
      return tag;
    });
  }

  /** Moves a tag (with everything under it) under another parent or to the roots, at a position. */
  async move(scope: ServiceScope, id: string, input: MoveConversationTagInput): Promise<ConversationTag> {
    return this.locked(scope, async (tx, set) => {
      const tag = this.found(set, id);
      const parent = input.parentId ? this.found(set, input.parentId) : null;
      const subtree = set.subtree(tag);
      if (parent && subtree.includes(parent)) throw raise(TagErrors, 'MOVE_INTO_ITSELF');
      const parentId = parent?.id ?? null;
      const depth = (parent?.depth ?? 0) + 1;
      const height = Math.max(...subtree.map((t) => t.depth)) - tag.depth;
      if (depth + height > MAX_TAG_DEPTH) throw tooDeep(depth + height);
      if (!parent && tag.parent !== null && set.children(null).length >= MAX_ROOT_TAGS) throw tooManyRoots();
      const clash = set.named(parentId, tag.name);
      if (clash && clash.id !== tag.id) throw raise(TagErrors, 'SIBLING_NAME_TAKEN');
      const siblings = set.children(parentId).filter((t) => t.id !== tag.id);
      siblings.splice(Math.min(input.position ?? siblings.length, siblings.length), 0, tag);
      siblings.forEach((t, i) => (t.position = i));
      const shift = depth - tag.depth;
      for (const t of subtree) t.depth += shift;
      tag.parent = parentId;
      await tx.flush();
      return tag;
    });
  }

  /** Deletes a tag and every tag under it; they come off the conversations. Returns the id. */
  async delete(scope: ServiceScope, id: string): Promise<string> {
    return this.locked(scope, async (tx, set) => {
      this.found(set, id);
      // The parent reference cascades: the subtree and its taggings go with the tag.
      await tx.nativeDelete(ConversationTag, { id });
      return id;
    });
  }

  /**
   * Sets a conversation's tags and remark: during the conversation by the agent serving it or a
   * supervisor; after close by whoever may see it in History (own ones with AGENT_HISTORY, or
   * ADMIN_HISTORY within the HISTORY data scope).
   */
  async tag(scope: ServiceScope, args: TagConversationArgs): Promise<Conversation> {
    const staff = staffOf(scope);
    const visible = await this.conversations.get(scope, args.conversationId);
    const wanted = [...new Set(args.tagIds)];
    const found = await scope.em.count(ConversationTag, { id: { $in: wanted } });
    if (found !== wanted.length) throw raise(TagErrors, 'CONVERSATION_TAG_NOT_FOUND');
    return scope.em.transactional(async (tx) => {
      // Under the conversation's lock: a close (which checks for tags) waits for this, or goes first.
      const conv = await tx.findOneOrFail(
        Conversation,
        { id: visible.id },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      await this.assertMayTag(tx, staff, conv);
      await tx.nativeDelete(ConversationTagging, { conversation: conv.id, tag: { $nin: wanted } });
      await this.addTags(tx, conv, wanted, staff.kind === 'user' ? staff.userId : null);
      if (args.remark !== undefined) conv.tagRemark = args.remark?.trim() || null;
      await tx.flush();
      return conv;
    });
  }

  /** The tags of each conversation, in tree order (a DataLoader batch). */
  async tagsOf(em: EntityManager, conversationIds: readonly string[]): Promise<ConversationTag[][]> {
    const taggings = await em.find(ConversationTagging, { conversation: { $in: [...conversationIds] } });
    const tags = taggings.length
      ? await em.find(
          ConversationTag,
          { id: { $in: [...new Set(taggings.map((t) => t.tag))] } },
          { orderBy: { depth: 'asc', position: 'asc', name: 'asc' } },
        )
      : [];
    return conversationIds.map((id) => {
      const mine = new Set(taggings.filter((t) => t.conversation === id).map((t) => t.tag));
      return tags.filter((t) => mine.has(t.id));
    });
  }

  // ── CSV (SET-2): one row per tag, its path in the columns level1…level10 ───────

  async export(scope: ServiceScope): Promise<ExportedFile> {
    const set = new TagSet(await scope.em.find(ConversationTag, { tenant: tenantOf(scope) }));
    const tags = set.ordered();
    const rows = [LEVELS, ...tags.map((t) => set.pathOf(t))];
    const { attachment, url } = await this.attachments.storeGenerated(scope.em, scope.principal, {
      filename: 'conversation-tags.csv',
      mime: 'text/csv',
      content: formatCsv(rows),
    });
    return { fileId: attachment.id, filename: attachment.filename, url, count: tags.length };
  }

  /**
   * Creates the paths of the file that do not exist yet (with their missing ancestors); paths that
   * exist are skipped. A row that would break a limit, or is not a path, is reported with its line.
   */
  async import(scope: ServiceScope, fileId: string): Promise<ImportReport> {
    const tenantId = tenantOf(scope);
    const text = await this.attachments.readUploadedText(scope.em, scope.principal, fileId, {
      maxBytes: IMPORT_MAX_BYTES,
    });
    const rows = readCsv(text, COLUMNS);
    return this.locked(scope, async (tx, set) => {
      const errors: ImportRowError[] = [];
      let imported = 0;
      let skipped = 0;
      for (const { line, values } of rows) {
        const cells = LEVELS.map((level) => unformula(values[level] ?? ''));
        const length = cells.indexOf('') === -1 ? cells.length : cells.indexOf('');
        const gap = cells.findIndex((c, i) => i > length && c !== '');
        if (length === 0) {
          errors.push({ line, column: 'level1', message: 'The row names no tag' });
          continue;
        }
        if (gap !== -1) {
          errors.push({
            line,
            column: LEVELS[length]!,
            message: `${LEVELS[length]} is empty but ${LEVELS[gap]} is not`,
          });
          continue;
        }
        const tooLong = cells.findIndex((c) => c.length > MAX_NAME);
        if (tooLong !== -1) {
          errors.push({ line, column: LEVELS[tooLong]!, message: `A tag name has at most ${MAX_NAME} characters` });
          continue;
        }
        const path = cells.slice(0, length);
        // The existing part of the path, then what is new.
        let parent: ConversationTag | null = null;
        let at = 0;
        for (; at < path.length; at++) {
          const existing = set.named(parent?.id ?? null, path[at]!);
          if (!existing) break;
          parent = existing;
        }
        if (at === path.length) {
          skipped++;
          continue;
        }
        try {
          checkRoom(set, parent, path.length - at);
        } catch (e) {
          errors.push({ line, column: null, message: e instanceof Error ? e.message : String(e) });
          continue;
        }
        for (; at < path.length; at++) {
          const tag: ConversationTag = tx.create(ConversationTag, {
            tenant: tenantId,
            name: path[at]!,
            parent: parent?.id ?? null,
            depth: (parent?.depth ?? 0) + 1,
            position: set.nextPosition(parent?.id ?? null),
          });
          set.add(tag);
          parent = tag;
        }
        imported++;
      }
      await tx.flush();
      return { imported, skipped, errors };
    });
  }

  // ── Closing (CNV-6, CNV-7 b) ──────────────────────────────────────────────────

  /** Runs in the closing transaction with the conversation locked. */
  private async closing(tx: EntityManager, conv: Conversation, reason: CloseReason): Promise<void> {
    if (reason === CloseReason.AGENT || reason === CloseReason.ADMIN) {
      // Only people's closes need a tag: the system's closes are never refused.
      const settings = await this.tenants.settings(tx, conv.tenant);
      if (settings.forceConversationTag && (await tx.count(ConversationTagging, { conversation: conv.id })) === 0) {
        throw raise(TagErrors, 'TAG_REQUIRED');
      }
    } else if (reason === CloseReason.INACTIVE) {
      const { tagIds, remark } = (await this.tenants.settings(tx, conv.tenant)).inactivity;
      await this.addTags(tx, conv, tagIds, null);
      // An agent's own remark stays; the automatic one fills an empty remark.
      if (remark?.trim() && !conv.tagRemark) conv.tagRemark = remark.trim();
    }
  }

  // ── Internals ─────────────────────────────────────────────────────────────────

  /** Adds the tags that exist (others are ignored) and that the conversation does not have yet. */
  private async addTags(tx: EntityManager, conv: Conversation, tagIds: readonly string[], by: string | null) {
    if (!tagIds.length) return;
    await tx.execute(
      `insert into conversation_tagging (id, created_at, updated_at, tenant_id, conversation_id, tag_id, tagged_by_id)
       select r.id, now(), now(), t.tenant_id, ?, t.id, ?::uuid
         from jsonb_to_recordset(?::jsonb) as r(id uuid, tag uuid)
         join conversation_tag t on t.tenant_id = ? and t.id = r.tag
       on conflict (tenant_id, conversation_id, tag_id) do nothing`,
      [conv.id, by, JSON.stringify(tagIds.map((tag) => ({ id: uuidv7(), tag }))), conv.tenant],
    );
  }

  private async assertMayTag(em: EntityManager, staff: StaffPrincipal, conv: Conversation): Promise<void> {
    if (staff.kind === 'user') {
      const closed = conv.state === ConversationState.CLOSED;
      if (!closed || staff.pages.has(Page.AGENT_HISTORY)) {
        const part = await em.count(ConversationAgent, {
          conversation: conv.id,
          user: staff.userId,
          ...(closed ? {} : { leftAt: null }),
        });
        if (part > 0) return;
      }
    }
    if (this.conversations.supervises(staff, conv)) return;
    throw raise(TagErrors, 'MAY_NOT_TAG');
  }

  private found(set: TagSet, id: string): ConversationTag {
    const tag = set.byId.get(id);
    if (!tag) throw raise(TagErrors, 'CONVERSATION_TAG_NOT_FOUND');
    return tag;
  }

  /** Runs a change of the tenant's tree in a transaction holding the tenant's tag lock, over its whole tag set. */
  private locked<T>(scope: ServiceScope, change: (tx: EntityManager, set: TagSet) => Promise<T>): Promise<T> {
    const tenantId = tenantOf(scope);
    return scope.em.transactional(async (tx) => {
      await advisoryXactLock(tx, `conversation-tags:${tenantId}`);
      const all = await tx.find(ConversationTag, { tenant: tenantId }, { refresh: true });
      return change(tx, new TagSet(all));
    });
  }
}

/** Refuses adding `count` tags in a chain under `parent` when that breaks a limit of the tree. */
function checkRoom(set: TagSet, parent: ConversationTag | null, count: number): void {
  if (set.all.length + count > MAX_CONVERSATION_TAGS) {
    throw raise(TagErrors, 'TOO_MANY_TAGS', { limit: MAX_CONVERSATION_TAGS });
  }
  const deepest = (parent?.depth ?? 0) + count;
  if (deepest > MAX_TAG_DEPTH) throw tooDeep(deepest);
  if (!parent && set.children(null).length >= MAX_ROOT_TAGS) throw tooManyRoots();
}

const tooDeep = (depth: number) =>
  raise(
    TagErrors,
    'TOO_DEEP',
    { limit: MAX_TAG_DEPTH },
    `Conversation tags can be at most ${MAX_TAG_DEPTH} levels deep (this would make level ${depth})`,
  );
const tooManyRoots = () => raise(TagErrors, 'TOO_MANY_ROOTS', { limit: MAX_ROOT_TAGS });
