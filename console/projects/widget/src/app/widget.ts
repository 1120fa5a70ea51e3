import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  type ElementRef,
  signal,
  viewChild,
} from '@angular/core';
import type { MessageType } from './generated';
import { texts } from './i18n';
import {
  GraphqlError,
  VisitorApi,
  type VisitorConversation,
  type VisitorMessage,
  type VisitorSession,
} from './visitor-api';

interface Item extends VisitorMessage {
  delivery: 'sent' | 'pending' | 'failed';
}

const params = new URLSearchParams(location.search);
const KEY = params.get('key') ?? '';
const TOKEN_KEY = `parley.visitor.${KEY}`;

// Inside a customer's site the widget is a third-party frame, where browsers may refuse storage:
// the loader keeps the visitor's token in the site's own storage and hands it over in the hash.
function storedToken(): string | null {
  const fromLoader = new URLSearchParams(location.hash.slice(1)).get('t');
  if (fromLoader) return fromLoader;
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function storeToken(token: string, embedded: boolean): void {
  try {
    localStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage refused (a third-party frame): the loader keeps it.
  }
  if (embedded) parent.postMessage({ type: 'parley:token', token }, '*');
}

/**
 * The visitor widget (CHN-2, CHN-4): remembers its customer, sends and receives messages with
 * attachments, shows the queue state, rates when invited (CNV-5), offers the note form (CNT-4)
 * and resumes after a network drop. Everything a person typed is shown as text.
 */
@Component({
  selector: 'pw-root',
  templateUrl: './widget.html',
  styleUrl: './widget.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[style.--accent]': 'color()' },
})
export class Widget {
  protected readonly t = texts(params.get('lang'));
  protected readonly embedded = params.get('embedded') === '1';
  private readonly api = new VisitorApi(location.origin, () => this.online.set(true));

  protected readonly session = signal<VisitorSession | null>(null);
  protected readonly conversation = signal<VisitorConversation | null>(null);
  protected readonly messages = signal<Item[]>([]);
  protected readonly draft = signal('');
  protected readonly error = signal<string | null>(null);
  protected readonly online = signal(true);
  protected readonly mode = signal<'chat' | 'note' | 'noteSent'>('chat');
  protected readonly noteNumber = signal<number | null>(null);
  protected readonly rating = signal<{
    conversationId: string;
    stars: number;
    resolved: boolean | null;
    remark: string;
  } | null>(null);
  protected readonly rated = signal(false);
  protected readonly color = computed(() => this.session()?.widget.style.color ?? '#1565c0');
  protected readonly title = computed(() => this.session()?.widget.style.title || this.t.title);
  protected readonly queued = computed(() => this.conversation()?.state === 'QUEUED');
  protected readonly canNote = computed(() => this.session()?.widget.functions.noteWhenOffline ?? false);
  private readonly scroller = viewChild<ElementRef<HTMLElement>>('scroller');
  private unfollow: (() => void) | null = null;
  // Resolves once the visitor session exists: anything sent before waits for it.
  private readonly ready: Promise<void>;

  constructor() {
    this.ready = this.boot();
    afterRenderEffect(() => {
      this.messages();
      const el = this.scroller()?.nativeElement;
      if (el) el.scrollTop = el.scrollHeight;
    });
    addEventListener('offline', () => this.online.set(false));
    addEventListener('online', () => void this.refresh());
  }

  private async boot(): Promise<void> {
    try {
      const session = await this.api.start(KEY, storedToken());
      storeToken(session.token, this.embedded);
      this.session.set(session);
      await this.refresh();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Reads the open conversation and its messages, and follows it live. */
  private async refresh(): Promise<void> {
    const { conversation, messages } = await this.api.conversation();
    this.online.set(true);
    this.conversation.set(conversation);
    this.merge(messages);
    if (conversation) this.follow(conversation.id);
  }

  private follow(conversationId: string): void {
    this.unfollow?.();
    this.unfollow = this.api.follow(
      conversationId,
      () => this.newestSeq(),
      (kind, m) => {
        if (kind === 'RECALLED') {
          this.messages.update((list) => list.map((x) => (x.id === m.id ? { ...x, ...m, delivery: 'sent' } : x)));
          return;
        }
        this.merge([m]);
        this.watchState(m);
      },
    );
  }

  // Queueing, assignment and closing each come with a system message: re-read the state then.
  private watchState(m: VisitorMessage): void {
    if (m.senderKind === 'SYSTEM') {
      this.api.state().then(
        (conversation) => this.conversation.set(conversation),
        () => undefined, // the next system message or a reconnect reads it again
      );
    }
    const invite = m.type === 'CUSTOM' && m.payload?.['kind'] === 'rating-invitation';
    if (invite && !this.rated()) {
      this.rating.set({ conversationId: m.conversation, stars: 5, resolved: null, remark: '' });
    }
  }

  protected async send(): Promise<void> {
    const text = this.draft().trim();
    if (!text) return;
    this.draft.set('');
    await this.deliver({ type: 'TEXT', text });
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this.send();
    }
  }

  protected async attach(input: HTMLInputElement): Promise<void> {
    const files = [...(input.files ?? [])];
    input.value = '';
    await this.ready;
    for (const file of files) {
      try {
        const attachmentId = await this.api.upload(file);
        await this.deliver({ type: file.type.startsWith('image/') ? 'IMAGE' : 'FILE', payload: { attachmentId } });
      } catch (e) {
        this.fail(e);
      }
    }
  }

  protected retry(item: Item): void {
    this.messages.update((list) => list.filter((m) => m.id !== item.id));
    void this.deliver(
      { type: item.type, text: item.text ?? undefined, payload: item.payload ?? undefined },
      item.clientMessageId,
    );
  }

  private async deliver(
    input: { type: MessageType; text?: string; payload?: Record<string, unknown> },
    clientMessageId: string | null = null,
  ): Promise<void> {
    const id = clientMessageId ?? crypto.randomUUID();
    const draft: Item = {
      id: `local-${id}`,
      seq: Number.MAX_SAFE_INTEGER,
      conversation: this.conversation()?.id ?? '',
      senderKind: 'CUSTOMER',
      type: input.type,
      text: input.text ?? null,
      payload: input.payload ?? null,
      clientMessageId: id,
      createdAt: new Date().toISOString(),
      recalledAt: null,
      attachment: null,
      delivery: 'pending',
    };
    this.messages.update((list) => [...list, draft]);
    try {
      await this.ready;
      if (!this.session()) throw new Error(this.t.error);
      const sent = await this.api.send({ ...input, clientMessageId: id });
      const opened = this.conversation()?.id !== sent.conversation;
      this.merge([sent]);
      if (opened) await this.refresh();
      this.error.set(null);
    } catch (e) {
      this.messages.update((list) => list.map((m) => (m.id === draft.id ? { ...m, delivery: 'failed' } : m)));
      this.fail(e);
    }
  }

  protected async submitNote(content: string, contactName: string, contactPhone: string, contactEmail: string) {
    if (!content.trim()) return;
    try {
      const n = await this.api.leaveNote({
        content: content.trim(),
        contactName: contactName.trim() || undefined,
        contactPhone: contactPhone.trim() || undefined,
        contactEmail: contactEmail.trim() || undefined,
      });
      this.noteNumber.set(n);
      this.mode.set('noteSent');
      await this.refresh();
    } catch (e) {
      this.fail(e);
    }
  }

  protected async submitRating(): Promise<void> {
    const r = this.rating();
    if (!r) return;
    try {
      await this.api.rate({
        conversationId: r.conversationId,
        stars: r.stars,
        remark: r.remark.trim() || undefined,
        resolved: r.resolved,
      });
      this.rating.set(null);
      this.rated.set(true);
    } catch (e) {
      this.fail(e);
    }
  }

  protected setStars(stars: number): void {
    this.rating.update((r) => (r ? { ...r, stars } : r));
  }

  protected setResolved(resolved: boolean): void {
    this.rating.update((r) => (r ? { ...r, resolved } : r));
  }

  protected setRemark(remark: string): void {
    this.rating.update((r) => (r ? { ...r, remark } : r));
  }

  protected closeWidget(): void {
    parent.postMessage({ type: 'parley:close' }, '*');
  }

  private merge(incoming: VisitorMessage[]): void {
    this.messages.update((list) => {
      const bySeq = new Map<string, Item>();
      const local: Item[] = [];
      for (const m of list) {
        if (m.delivery === 'sent') bySeq.set(`${m.conversation}:${m.seq}`, m);
        else local.push(m);
      }
      for (const m of incoming) bySeq.set(`${m.conversation}:${m.seq}`, { ...m, delivery: 'sent' });
      const sent = [...bySeq.values()].sort(
        (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.seq - b.seq,
      );
      const ids = new Set(sent.map((m) => m.clientMessageId));
      return [...sent, ...local.filter((m) => !ids.has(m.clientMessageId))];
    });
  }

  private newestSeq(): number {
    const id = this.conversation()?.id;
    return this.messages().reduce(
      (max, m) => (m.delivery === 'sent' && m.conversation === id ? Math.max(max, m.seq) : max),
      0,
    );
  }

  private fail(e: unknown): void {
    if (e instanceof GraphqlError && e.reason === 'BLACKLISTED') this.error.set(this.t.blocked);
    else if (e instanceof TypeError) this.online.set(false);
    else this.error.set(e instanceof Error ? e.message : this.t.error);
  }

  protected safeUrl(value: unknown): string | null {
    if (typeof value !== 'string') return null;
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch {
      return null;
    }
  }

  protected str(value: unknown): string {
    return typeof value === 'string' ? value : '';
  }
}
