import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { Apollo } from 'apollo-angular';
import { EMPTY, filter, firstValueFrom, from, switchMap } from 'rxjs';
import { ConnectionState } from '../../core/apollo/connection-state';
import { TokenStore } from '../../core/auth/token-store';
import {
  type ChatMessageFragment,
  CloseConversationDocument,
  ConversationMessageEventsDocument,
  ConversationListSettingsDocument,
  ConversationMessagesDocument,
  type ConversationRowFragment,
  MarkConversationReadDocument,
  type MessageType,
  MyConversationsChangedDocument,
  MyConversationsDocument,
  type MyConversationsQuery,
  RecallAgentMessageDocument,
  SendAgentMessageDocument,
} from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';
import { uploadFile } from '../../shared/upload';
import { DEFAULT_LIST_SETTINGS, type ListSettings, orderConversations } from './conversation-order';

export type Delivery = 'sent' | 'pending' | 'failed';
export interface ChatItem extends ChatMessageFragment {
  delivery: Delivery;
  error?: string;
}

const PAGE = 30;

/**
 * The agent's ongoing conversations and the open chat: the list follows the live feed; the chat
 * loads older messages on demand, merges live events by `seq` (a replay after a reconnect adds
 * nothing twice), and sends with a client id so that a retry never duplicates a message.
 */
@Injectable()
export class ChatStore {
  private readonly apollo = inject(Apollo);
  private readonly tokens = inject(TokenStore);
  private readonly connection = inject(ConnectionState);

  readonly conversations = signal<ConversationRowFragment[]>([]);
  readonly fresh = signal<ReadonlySet<string>>(new Set());
  readonly listLoading = signal(false);
  /** The list has been read once (a link can then tell whether a conversation is in it). */
  readonly listLoaded = signal(false);
  readonly settings = signal<ListSettings>(DEFAULT_LIST_SETTINGS);
  /** The ongoing list in the order the tenant chose (SET-1). */
  readonly ordered = computed(() => orderConversations(this.conversations(), this.settings().sortByAgentLatestMessage));
  readonly selectedId = signal<string | null>(null);
  readonly selected = computed(() => this.conversations().find((c) => c.id === this.selectedId()) ?? null);
  readonly messages = signal<ChatItem[]>([]);
  readonly hasOlder = signal(false);
  readonly loadingOlder = signal(false);
  readonly error = signal<string | null>(null);
  /** Text another pane (phrases) hands to the composer. */
  readonly draftInsert = signal<{ text: string } | null>(null);

  constructor() {
    const destroyRef = inject(DestroyRef);
    void this.loadList();
    void this.loadSettings();
    this.apollo
      .subscribe({ query: MyConversationsChangedDocument })
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe(({ data }) => {
        const change = data?.myConversationsChanged;
        if (!change) return;
        const row = change.conversation;
        if (change.kind === 'CLOSED' || change.kind === 'REMOVED') {
          this.conversations.update((list) => list.filter((c) => c.id !== row.id));
          if (this.selectedId() === row.id) this.selectedId.set(null);
          return;
        }
        // Only NEW adds a row: a late UPDATED (e.g. the notice of a transfer that just took the
        // conversation away) must not bring back one that left.
        if (change.kind === 'NEW') {
          this.upsert(row);
          this.fresh.update((s) => new Set([...s, row.id]));
        } else if (this.conversations().some((c) => c.id === row.id)) {
          this.upsert(row);
        }
      });

    // After a reconnect the list is read again (the feed does not replay), and the open chat
    // resubscribes from the newest seq it holds: the server replays what was missed.
    const startedAt = Math.max(this.connection.generation(), 1);
    toObservable(this.connection.generation)
      .pipe(
        filter((g) => g > startedAt),
        takeUntilDestroyed(destroyRef),
      )
      .subscribe(() => {
        void this.loadList();
        void this.loadSettings();
      });
    const chatFeed = computed(() => ({ id: this.selectedId(), generation: this.connection.generation() }));
    let current: string | null = null;
    toObservable(chatFeed)
      .pipe(
        switchMap(({ id }) => {
          if (id !== current) {
            current = id;
            this.messages.set([]);
            this.hasOlder.set(false);
          }
          if (!id) return EMPTY;
          const ready = this.messages().length ? Promise.resolve() : this.loadOlder();
          return from(ready).pipe(
            switchMap(() =>
              this.apollo.subscribe({
                query: ConversationMessageEventsDocument,
                variables: { conversationId: id, afterSeq: this.newestSeq() },
              }),
            ),
          );
        }),
        takeUntilDestroyed(destroyRef),
      )
      .subscribe(({ data }) => {
        const event = data?.conversationMessages;
        if (!event || event.message.conversation !== this.selectedId()) return;
        if (event.kind === 'RECALLED') {
          this.messages.update((list) =>
            list.map((m) => (m.id === event.message.id ? { ...m, ...event.message, delivery: 'sent' } : m)),
          );
        } else {
          this.merge([event.message]);
          void this.markRead();
        }
      });
  }

  async loadList(): Promise<void> {
    this.listLoading.set(true);
    try {
      const rows: ConversationRowFragment[] = [];
      let after: string | null = null;
      // An agent serves at most a few dozen at once; read them all.
      for (let page = 0; page < 10; page++) {
        const variables: { first: number; after: string | null } = { first: 100, after };
        const res = await firstValueFrom(
          this.apollo.query({ query: MyConversationsDocument, variables, fetchPolicy: 'network-only' }),
        );
        const conn: MyConversationsQuery['myConversations'] = res.data!.myConversations;
        rows.push(...conn.nodes);
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor ?? null;
      }
      this.conversations.set(rows);
      this.listLoaded.set(true);
      this.error.set(null);
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.listLoading.set(false);
    }
  }

  /** The tenant's list switches; read with the list, so a change applies on the next read. */
  async loadSettings(): Promise<void> {
    try {
      const res = await firstValueFrom(
        this.apollo.query({ query: ConversationListSettingsDocument, fetchPolicy: 'network-only' }),
      );
      const s = res.data!.tenant.settings;
      this.settings.set({
        sortByAgentLatestMessage: s.sortByAgentLatestMessage,
        showLastMessageTime: s.showLastMessageTime,
      });
    } catch {
      // The list works without them: the default order, clock times.
    }
  }

  customerRenamed(customerId: string, nickname: string | null, realName: string | null): void {
    this.conversations.update((list) =>
      list.map((c) => (c.customer.id === customerId ? { ...c, customer: { ...c.customer, nickname, realName } } : c)),
    );
  }

  insertDraft(text: string): void {
    this.draftInsert.set({ text });
  }

  select(id: string): void {
    this.fresh.update((s) => {
      const next = new Set(s);
      next.delete(id);
      return next;
    });
    this.selectedId.set(id);
  }

  async loadOlder(): Promise<void> {
    const id = this.selectedId();
    if (!id || this.loadingOlder()) return;
    this.loadingOlder.set(true);
    try {
      const oldest = this.messages().find((m) => m.delivery === 'sent')?.seq;
      const res = await firstValueFrom(
        this.apollo.query({
          query: ConversationMessagesDocument,
          variables: { id, beforeSeq: oldest ?? null, first: PAGE },
          fetchPolicy: 'network-only',
        }),
      );
      if (this.selectedId() !== id) return;
      const page = res.data!.conversation.messages;
      this.merge(page);
      this.hasOlder.set(page.length === PAGE && (page[0]?.seq ?? 1) > 1);
      if (oldest === undefined) void this.markRead();
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.loadingOlder.set(false);
    }
  }

  /** Sends a text (or another type); shows it at once as pending, then as sent or failed. */
  async send(input: {
    type: MessageType;
    text?: string | null;
    payload?: Record<string, unknown> | null;
  }): Promise<void> {
    const conversationId = this.selectedId();
    if (!conversationId) return;
    const clientMessageId = crypto.randomUUID();
    const draft: ChatItem = {
      id: `local-${clientMessageId}`,
      seq: Number.MAX_SAFE_INTEGER,
      conversation: conversationId,
      senderKind: 'AGENT',
      senderUser: null,
      type: input.type,
      text: input.text ?? null,
      payload: input.payload ?? null,
      clientMessageId,
      createdAt: new Date().toISOString(),
      recalledAt: null,
      attachment: null,
      delivery: 'pending',
    };
    this.messages.update((list) => [...list, draft]);
    await this.deliver(draft);
  }

  resend(item: ChatItem): Promise<void> {
    this.messages.update((list) =>
      list.map((m) => (m.id === item.id ? { ...m, delivery: 'pending', error: undefined } : m)),
    );
    return this.deliver(item);
  }

  async recall(item: ChatItem): Promise<void> {
    try {
      const res = await firstValueFrom(
        this.apollo.mutate({ mutation: RecallAgentMessageDocument, variables: { id: item.id } }),
      );
      const recalledAt = res.data!.recallMessage.recalledAt;
      this.messages.update((list) => list.map((m) => (m.id === item.id ? { ...m, recalledAt, text: null } : m)));
    } catch (e) {
      this.error.set(errorMessage(e));
    }
  }

  async close(): Promise<void> {
    const id = this.selectedId();
    if (!id) return;
    await firstValueFrom(this.apollo.mutate({ mutation: CloseConversationDocument, variables: { id } }));
    this.conversations.update((list) => list.filter((c) => c.id !== id));
    this.selectedId.set(null);
  }

  /** Uploads a file (POST /uploads), then sends it as an image or file message. */
  async sendFile(file: File): Promise<void> {
    const image = file.type.startsWith('image/');
    try {
      const attachmentId = await uploadFile(file, this.tokens.tokens()?.accessToken ?? null, image ? 'image' : 'file');
      await this.send({ type: image ? 'IMAGE' : 'FILE', payload: { attachmentId } });
    } catch (e) {
      this.error.set(errorMessage(e));
    }
  }

  private async deliver(item: ChatItem): Promise<void> {
    try {
      const res = await firstValueFrom(
        this.apollo.mutate({
          mutation: SendAgentMessageDocument,
          variables: {
            conversationId: item.conversation,
            input: { type: item.type, text: item.text, payload: item.payload, clientMessageId: item.clientMessageId },
          },
        }),
      );
      const sent = res.data!.sendMessage;
      this.messages.update((list) => list.filter((m) => m.id !== item.id));
      this.merge([sent]);
    } catch (e) {
      this.messages.update((list) =>
        list.map((m) => (m.id === item.id ? { ...m, delivery: 'failed', error: errorMessage(e) } : m)),
      );
    }
  }

  private merge(incoming: readonly ChatMessageFragment[]): void {
    this.messages.update((list) => {
      const bySeq = new Map<number, ChatItem>();
      const local: ChatItem[] = [];
      for (const m of list) {
        if (m.delivery === 'sent') bySeq.set(m.seq, m);
        else local.push(m);
      }
      for (const m of incoming) bySeq.set(m.seq, { ...m, delivery: 'sent' });
      const sentIds = new Set([...bySeq.values()].map((m) => m.clientMessageId).filter(Boolean));
      const pending = local.filter((m) => !sentIds.has(m.clientMessageId));
      return [...[...bySeq.values()].sort((a, b) => a.seq - b.seq), ...pending];
    });
    const sent = this.messages().filter((m) => m.delivery === 'sent');
    const newest = sent[sent.length - 1];
    const id = this.selectedId();
    if (id && newest) {
      // The row follows the chat at once (its order may depend on it); the feed confirms it.
      this.conversations.update((list) =>
        list.map((c) =>
          c.id === id && newest.seq > c.lastSeq
            ? {
                ...c,
                lastSeq: newest.seq,
                lastMessageAt: newest.createdAt,
                ...(newest.senderKind === 'AGENT' ? { lastAgentMessageAt: newest.createdAt } : {}),
              }
            : c,
        ),
      );
    }
  }

  private newestSeq(): number {
    const sent = this.messages().filter((m) => m.delivery === 'sent');
    return sent.length ? sent[sent.length - 1].seq : 0;
  }

  private async markRead(): Promise<void> {
    const id = this.selectedId();
    const seq = this.newestSeq();
    if (!id || !seq || document.hidden) return;
    try {
      await firstValueFrom(this.apollo.mutate({ mutation: MarkConversationReadDocument, variables: { id, seq } }));
      this.conversations.update((list) => list.map((c) => (c.id === id ? { ...c, unreadCount: 0 } : c)));
    } catch {
      // Read marks are best effort; the next one catches up.
    }
  }

  private upsert(row: ConversationRowFragment): void {
    this.conversations.update((list) => [row, ...list.filter((c) => c.id !== row.id)]);
  }
}
