import type { EntityManager } from '@mikro-orm/postgresql';
import type { VisitorPrincipal } from '../../platform/auth/principal';
import type { ServiceScope } from '../../platform/auth/scope';
import { tenantFork } from '../../platform/database/tenant-filter';
import { AppError, raise } from '../../platform/errors/app-error';
import { CloseReason, Conversation, ConversationState, SenderKind } from '../conversation/conversation.entity';
import type { ConversationService } from '../conversation/conversation.service';
import { Customer } from '../customer/customer.entity';
import { visitorOf } from '../visitor/visitor.service';
import { Note } from './note.entity';
import { NoteErrors } from './note.errors';
import type { LeaveNoteInput } from './note.inputs';

export const NOTE_RECEIVED_TEXT = 'Thanks, we received your note and will get back to you.';

type NoteContent = Pick<Note, 'content' | 'contactName' | 'contactPhone' | 'contactEmail'>;

// Numbers are handed out under a per-tenant transaction lock: no gaps from retries, no duplicates.
const NUMBER_LOCK_SQL = `select pg_advisory_xact_lock(hashtextextended(?, 0))`;
const NEXT_NUMBER_SQL = `select coalesce(max(number), 0) + 1 as next from note where tenant_id = ?`;

/** Notes ("leave a message", CNT-4): left by visitors, numbered per tenant; they never enter the queue. */
export class NoteService {
  constructor(private readonly conversations: ConversationService) {}

  /**
   * The visitor leaves a note. A conversation of theirs waiting in the queue is closed with it
   * (QUE-11), in one transaction; one an agent is serving is left alone and the note refused.
   */
  async leaveNote(scope: ServiceScope, input: LeaveNoteInput): Promise<Note> {
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
      if (!open) return em.transactional((tx) => this.create(tx, visitor, content, null));
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
            made.note = await this.create(tx, visitor, content, conv.id);
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
  ): Promise<Note> {
    await tx.execute(NUMBER_LOCK_SQL, [`note-number:${visitor.tenantId}`]);
    const [row] = await tx.execute<{ next: number }[]>(NEXT_NUMBER_SQL, [visitor.tenantId]);
    return tx.create(Note, {
      tenant: visitor.tenantId,
      number: Number(row!.next),
      customer: visitor.customerId,
      conversation: conversationId,
      ...content,
    });
  }
}
