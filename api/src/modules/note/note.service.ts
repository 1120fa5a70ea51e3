import { type FilterQuery, LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { VisitorPrincipal } from '../../platform/auth/principal';
import { type ServiceScope, staffOf, tenantOf } from '../../platform/auth/scope';
import { formatCsv, type CsvValue } from '../../platform/csv/csv';
import { likeContains } from '../../platform/database/like';
import { tenantFork } from '../../platform/database/tenant-filter';
import { AppError, raise } from '../../platform/errors/app-error';
import { type ConnectionArgs, type Page as ResultPage, pageWindow } from '../../platform/graphql/connection';
import type { EventBus } from '../../platform/pubsub/event-bus';
import { nextTenantNumber } from '../../platform/database/advisory-lock';
import type { ExportedFile } from '../attachment/data-file.types';
import type { AttachmentService } from '../attachment/attachment.service';
import { ChannelType, WidgetConfig } from '../channel/channel.entity';
import { CloseReason, Conversation, ConversationState, SenderKind } from '../conversation/conversation.entity';
import type { ConversationService } from '../conversation/conversation.service';
import { Customer } from '../customer/customer.entity';
import { NotificationKind, NotificationSubject } from '../notification/notification.entity';
import type { NotificationService } from '../notification/notification.service';
import { User } from '../user/user.entity';
import { visitorOf } from '../visitor/visitor.service';
import { Note, type NoteState } from './note.entity';
import { NoteErrors } from './note.errors';
import type { LeaveNoteInput, NoteFilterArgs } from './note.inputs';
import { NoteAssignee, NoteChangeKind, type NoteChangeDto, toNoteDto } from './note.types';

export const NOTE_RECEIVED_TEXT = 'Thanks, we received your note and will get back to you.';

type NoteContent = Pick<Note, 'content' | 'contactName' | 'contactPhone' | 'contactEmail'>;

/** New and changed notes of a tenant, for the staff who hold the notes page. */
export const notesTopic = (tenantId: string) => `tenant:${tenantId}:notes`;

// One export file holds at most this many notes; a larger one must be narrowed by the filters.
export const MAX_EXPORT_NOTES = 50_000;
const EXPORT_BATCH = 1000;
const EXPORT_HEADER = [
  'Number',
  'Created',
  'State',
  'Channel',
  'Customer ID',
  'Contact name',
  'Contact phone',
  'Contact email',
  'Content',
  'Assignee',
];

// Numbers are handed out under a per-tenant transaction lock: no gaps from retries, no duplicates.

/**
 * Notes ("leave a message", CNT-4): left by visitors, numbered per tenant; they never enter the
 * queue. Staff with the notes page list, export, assign them and move them OPEN ⇄ PENDING ⇄ SOLVED.
 */
export class NoteService {
  constructor(
    private readonly conversations: ConversationService,
    private readonly bus: EventBus,
    private readonly notifications: NotificationService,
    private readonly attachments: AttachmentService,
  ) {}

  /**
   * The visitor leaves a note. A conversation of theirs waiting in the queue is closed with it
   * (QUE-11), in one transaction; one an agent is serving is left alone and the note refused.
   */
  async leaveNote(scope: ServiceScope, input: LeaveNoteInput): Promise<Note> {
    const note = await this.store(scope, input);
    await this.publish(NoteChangeKind.ADDED, note);
    return note;
  }

  private async store(scope: ServiceScope, input: LeaveNoteInput): Promise<Note> {
    const visitor = visitorOf(scope);
    const customer = await scope.em.findOneOrFail(Customer, { id: visitor.customerId });
    if (customer.blacklistedAt) throw raise(NoteErrors, 'BLACKLISTED');
    const content: NoteContent = {
      content: input.content.trim(),
      contactName: input.contactName?.trim() || null,
      contactPhone: input.contactPhone?.trim() || null,
      contactEmail: input.contactEmail?.trim() || null,
    };
    // Twice at most: a conversation closed between looking and closing leaves the note on its own.
    for (let attempt = 0; ; attempt++) {
      const em = tenantFork(scope.em, visitor.tenantId);
      const open = await em.findOne(Conversation, {
        customer: visitor.customerId,
        state: { $ne: ConversationState.CLOSED },
      });
      if (!open) {
        // No conversation (offline, out of hours): the note records the widget's channel.
        const widget = await em.findOne(WidgetConfig, { id: visitor.widgetId }, { fields: ['channel'] });
        const channel = widget?.channel ?? ChannelType.WEB;
        return em.transactional((tx) => this.create(tx, visitor, content, null, channel));
      }
      if (open.state === ConversationState.ONGOING) throw raise(NoteErrors, 'AGENT_SERVING');
      const made: { note?: Note } = {};
      try {
        // A fork of its own: the closing transaction must read the conversation as it is now.
        await this.conversations.end(tenantFork(scope.em, visitor.tenantId), open.id, {
          closedBy: SenderKind.SYSTEM,
          reason: CloseReason.NOTE_LEFT,
          text: NOTE_RECEIVED_TEXT,
          before: async (tx, conv) => {
            // Assigned meanwhile: the agent serves the visitor now.
            if (conv.state !== ConversationState.QUEUED) throw raise(NoteErrors, 'AGENT_SERVING');
            made.note = await this.create(tx, visitor, content, conv.id, conv.channel);
          },
        });
        return made.note!;
      } catch (e) {
        if (attempt === 0 && e instanceof AppError && e.extensions.reason === 'CLOSED') continue;
        throw e;
      }
    }
  }

  /** Within a transaction: a new note with the tenant's next number (the caller's transaction stores it). */
  private async create(
    tx: EntityManager,
    visitor: VisitorPrincipal,
    content: NoteContent,
    conversationId: string | null,
    channel: ChannelType,
  ): Promise<Note> {
    return tx.create(Note, {
      tenant: visitor.tenantId,
      number: await nextTenantNumber(tx, 'note', visitor.tenantId),
      customer: visitor.customerId,
      conversation: conversationId,
      channel,
      ...content,
    });
  }

  // ── Staff side ────────────────────────────────────────────────────────────────

  /** The tenant's notes that match the filters, newest first. */
  async list(scope: ServiceScope, page: ConnectionArgs, filter: NoteFilterArgs): Promise<ResultPage<Note>> {
    const where = await this.where(scope, filter);
    const { offset, limit } = pageWindow(page);
    const [items, totalCount] = await scope.em.findAndCount(Note, where, {
      orderBy: { createdAt: 'desc', number: 'desc' },
      offset,
      limit,
    });
    return { items, totalCount, offset, limit };
  }

  async get(scope: ServiceScope, id: string): Promise<Note> {
    staffOf(scope);
    const note = await scope.em.findOne(Note, { id });
    if (!note) throw raise(NoteErrors, 'NOT_FOUND');
    return note;
  }

  /** Moves a note to any state (OPEN, PENDING, SOLVED, and back). */
  async setState(scope: ServiceScope, id: string, state: NoteState): Promise<Note> {
    staffOf(scope);
    const { note, changed } = await scope.em.transactional(async (tx) => {
      const note = await tx.findOne(Note, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!note) throw raise(NoteErrors, 'NOT_FOUND');
      if (note.state === state) return { note, changed: false };
      note.state = state;
      return { note, changed: true };
    });
    if (changed) await this.publish(NoteChangeKind.UPDATED, note);
    return note;
  }

  /**
   * Assigns a note to an enabled user of the tenant, or unassigns it (`userId` null). The new
   * assignee is notified, unless they assigned it to themselves.
   */
  async assign(scope: ServiceScope, id: string, userId: string | null): Promise<Note> {
    const staff = staffOf(scope);
    const { note, changed, notification } = await scope.em.transactional(async (tx) => {
      const note = await tx.findOne(Note, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!note) throw raise(NoteErrors, 'NOT_FOUND');
      if (userId && !(await tx.count(User, { id: userId, enabled: true, deletedAt: null }))) {
        throw raise(NoteErrors, 'USER_NOT_FOUND');
      }
      if (note.assignee === userId) return { note, changed: false, notification: null };
      note.assignee = userId;
      const self = staff.kind === 'user' && staff.userId === userId;
      const notification =
        userId && !self
          ? this.notifications.create(
              { ...scope, em: tx },
              {
                recipient: userId,
                kind: NotificationKind.SYSTEM,
                title: `Note #${note.number} was assigned to you`,
                body: excerpt(note.content),
                subjectType: NotificationSubject.NOTE,
                subjectId: note.id,
              },
            )
          : null;
      return { note, changed: true, notification };
    });
    if (notification) await this.notifications.publish(notification);
    if (changed) await this.publish(NoteChangeKind.UPDATED, note);
    return note;
  }

  /** The notes that match the filters as a CSV file, newest first (CNT-4 export). */
  async export(scope: ServiceScope, filter: NoteFilterArgs): Promise<ExportedFile> {
    const staff = staffOf(scope);
    const where = await this.where(scope, filter);
    const count = await scope.em.count(Note, where);
    if (count > MAX_EXPORT_NOTES) {
      throw raise(NoteErrors, 'EXPORT_TOO_LARGE', { count, max: MAX_EXPORT_NOTES });
    }
    const rows: CsvValue[][] = [EXPORT_HEADER];
    for (let offset = 0; offset < count; offset += EXPORT_BATCH) {
      const batch = await scope.em.find(Note, where, {
        orderBy: { createdAt: 'desc', number: 'desc' },
        offset,
        limit: EXPORT_BATCH,
        disableIdentityMap: true,
      });
      if (!batch.length) break;
      const customers = await scope.em.find(
        Customer,
        { id: { $in: [...new Set(batch.map((n) => n.customer))] } },
        { fields: ['externalId'], disableIdentityMap: true },
      );
      const assigneeIds = [...new Set(batch.flatMap((n) => (n.assignee ? [n.assignee] : [])))];
      const users = assigneeIds.length
        ? await scope.em.find(User, { id: { $in: assigneeIds } }, { fields: ['nickname'], disableIdentityMap: true })
        : [];
      const externalId = new Map(customers.map((c) => [c.id, c.externalId]));
      const nickname = new Map(users.map((u) => [u.id, u.nickname]));
      for (const n of batch) {
        rows.push([
          n.number,
          n.createdAt,
          n.state,
          n.channel,
          externalId.get(n.customer) ?? n.customer,
          n.contactName,
          n.contactPhone,
          n.contactEmail,
          n.content,
          n.assignee ? (nickname.get(n.assignee) ?? n.assignee) : null,
        ]);
      }
    }
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    const { attachment, url } = await this.attachments.storeGenerated(scope.em, staff, {
      filename: `notes-${stamp}.csv`,
      mime: 'text/csv',
      content: formatCsv(rows),
    });
    return { fileId: attachment.id, filename: attachment.filename, url, count: rows.length - 1 };
  }

  /** New and changed notes of the tenant, live. */
  subscribe(scope: ServiceScope, signal?: AbortSignal): AsyncIterableIterator<NoteChangeDto> {
    staffOf(scope);
    return this.bus.subscribe(notesTopic(tenantOf(scope)), signal);
  }

  private async publish(kind: NoteChangeKind, note: Note): Promise<void> {
    await this.bus.publish<NoteChangeDto>(notesTopic(note.tenant), { kind, note: toNoteDto(note) });
  }

  /** The filters as a condition; the tenant comes from the request's EntityManager. */
  private async where(scope: ServiceScope, filter: NoteFilterArgs): Promise<FilterQuery<Note>> {
    const staff = staffOf(scope);
    const and: FilterQuery<Note>[] = [];
    if (filter.assignee && filter.assigneeId) throw raise(NoteErrors, 'ASSIGNEE_FILTERS');
    if (filter.assigneeId) {
      // A former assignee (disabled, deleted) still filters their notes; another tenant's id does not exist here.
      if (!(await scope.em.count(User, { id: filter.assigneeId }))) throw raise(NoteErrors, 'ASSIGNEE_NOT_FOUND');
      and.push({ assignee: filter.assigneeId });
    }
    if (filter.assignee === NoteAssignee.MINE) {
      if (staff.kind !== 'user') throw raise(NoteErrors, 'MINE_NEEDS_USER');
      and.push({ assignee: staff.userId });
    }
    if (filter.assignee === NoteAssignee.UNASSIGNED) and.push({ assignee: null });
    if (filter.state) and.push({ state: filter.state });
    if (filter.channel) and.push({ channel: filter.channel });
    if (filter.createdFrom && filter.createdTo && filter.createdFrom >= filter.createdTo) {
      throw raise(NoteErrors, 'DATE_RANGE');
    }
    if (filter.createdFrom) and.push({ createdAt: { $gte: filter.createdFrom } });
    if (filter.createdTo) and.push({ createdAt: { $lt: filter.createdTo } });
    const keyword = filter.keyword?.trim();
    if (keyword) {
      const like = likeContains(keyword);
      and.push({
        $or: [
          { content: { $ilike: like } },
          { contactName: { $ilike: like } },
          { contactPhone: { $ilike: like } },
          { contactEmail: { $ilike: like } },
        ],
      });
    }
    return and.length ? { $and: and } : {};
  }
}

function excerpt(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
