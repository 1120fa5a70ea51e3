import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  type ElementRef,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { TranslocoDirective, TranslocoService } from '@jsverse/transloco';
import { Session } from '../../core/auth/session';
import { errorMessage, errorReason } from '../../shared/errors';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { InviteRatingDocument } from '../../graphql/generated';
import { BlacklistDialog } from './blacklist-dialog';
import { type ChatItem, ChatStore } from './chat-store';
import { TagDialog } from './tag-dialog';
import { TransferDialog } from './transfer-dialog';
import { TransferOffers } from './transfer-offers';
import { MessageBubble } from './message-bubble';
import { SendKeyPreference, sendsOn } from './send-key';

const EMOJI = [
  '😀',
  '😂',
  '😊',
  '😍',
  '🤔',
  '😅',
  '😢',
  '😡',
  '👍',
  '👎',
  '🙏',
  '👏',
  '🎉',
  '❤️',
  '✅',
  '❌',
  '👋',
  '🌹',
  '☕',
  '📦',
];

/** The open conversation: history (older pages on scroll up), live messages and the composer. */
@Component({
  selector: 'app-chat-window',
  imports: [
    FormsModule,
    MatButtonModule,
    MatIconModule,
    MatMenuModule,
    MatProgressBarModule,
    MatSlideToggleModule,
    MatTooltipModule,
    TranslocoDirective,
    MessageBubble,
  ],
  templateUrl: './chat-window.html',
  styleUrl: './chat-window.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChatWindow {
  protected readonly store = inject(ChatStore);
  protected readonly offers = inject(TransferOffers);
  private readonly dialog = inject(MatDialog);
  private readonly apollo = inject(Apollo);
  private readonly session = inject(Session);
  private readonly snack = inject(MatSnackBar);
  private readonly transloco = inject(TranslocoService);

  protected readonly emoji = EMOJI;
  protected readonly draft = signal('');
  protected readonly sendKey = inject(SendKeyPreference);
  protected readonly dragging = signal(false);
  protected readonly previewUrl = signal<string | null>(null);
  protected readonly me = computed(() => this.session.user()?.id ?? null);
  private readonly scroller = viewChild<ElementRef<HTMLElement>>('scroller');
  private readonly composer = viewChild<ElementRef<HTMLTextAreaElement>>('composer');
  private stickToBottom = true;
  private lastCount = 0;
  private lastFirstSeq = 0;
  private heightBefore = 0;

  constructor() {
    effect(() => {
      const insert = this.store.draftInsert();
      if (!insert) return;
      untracked(() => {
        this.draft.update((d) => (d ? `${d} ${insert.text}` : insert.text));
        this.composer()?.nativeElement.focus();
      });
    });
    // New messages keep the view at the bottom (when it was there); an older page keeps the
    // message the agent was reading in place.
    afterRenderEffect(() => {
      const list = this.store.messages();
      const el = this.scroller()?.nativeElement;
      if (!el) return;
      const firstSeq = list[0]?.seq ?? 0;
      if (this.lastCount && firstSeq < this.lastFirstSeq && list.length > this.lastCount) {
        el.scrollTop += el.scrollHeight - this.heightBefore;
      } else if (this.stickToBottom) {
        el.scrollTop = el.scrollHeight;
      }
      this.lastCount = list.length;
      this.lastFirstSeq = firstSeq;
      this.heightBefore = el.scrollHeight;
    });
  }

  protected onScroll(el: HTMLElement): void {
    this.stickToBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    this.heightBefore = el.scrollHeight;
    if (el.scrollTop < 60 && this.store.hasOlder() && !this.store.loadingOlder()) void this.store.loadOlder();
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (sendsOn(event, this.sendKey.key())) {
      event.preventDefault();
      this.sendText();
    }
  }

  protected sendText(): void {
    const text = this.draft().trim();
    if (!text) return;
    if (text.length > 5000) {
      this.snack.open(this.transloco.translate('chat.tooLong'), 'OK');
      return;
    }
    this.draft.set('');
    this.stickToBottom = true;
    void this.store.send({ type: 'TEXT', text });
  }

  protected insertEmoji(e: string): void {
    const el = this.composer()?.nativeElement;
    const text = this.draft();
    const at = el?.selectionStart ?? text.length;
    this.draft.set(text.slice(0, at) + e + text.slice(el?.selectionEnd ?? at));
    el?.focus();
  }

  protected async setEnterSends(on: boolean): Promise<void> {
    try {
      await this.sendKey.set(on ? 'ENTER' : 'SHIFT_ENTER');
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }

  protected onPaste(event: ClipboardEvent): void {
    const files = [...(event.clipboardData?.files ?? [])];
    if (!files.length) return;
    event.preventDefault();
    this.upload(files);
  }

  protected onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(false);
    this.upload([...(event.dataTransfer?.files ?? [])]);
  }

  protected onDragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    this.dragging.set(true);
  }

  protected pick(input: HTMLInputElement): void {
    this.upload([...(input.files ?? [])]);
    input.value = '';
  }

  protected resend(item: ChatItem): void {
    void this.store.resend(item);
  }

  protected recall(item: ChatItem): void {
    void this.store.recall(item);
  }

  protected async close(): Promise<void> {
    try {
      await this.store.close();
    } catch (e) {
      // CNV-6: with "force conversation tag" on, tag first.
      if (errorReason(e) === 'TAG_REQUIRED') {
        this.snack.open(errorMessage(e), undefined, { duration: 4000 });
        const tagged = await firstValueFrom(
          this.dialog.open(TagDialog, { data: this.ids(), width: '520px' }).afterClosed(),
        );
        if (tagged) await this.close();
        return;
      }
      this.snack.open(errorMessage(e), 'OK');
    }
  }

  protected async transfer(): Promise<void> {
    const id = this.store.selectedId();
    if (!id) return;
    const done = await firstValueFrom(
      this.dialog.open(TransferDialog, { data: { conversationId: id }, width: '560px' }).afterClosed(),
    );
    if (done) this.offers.sent(done, id);
  }

  protected tags(): void {
    this.dialog.open(TagDialog, { data: this.ids(), width: '520px' });
  }

  protected async inviteRating(): Promise<void> {
    const id = this.store.selectedId();
    if (!id) return;
    try {
      await firstValueFrom(this.apollo.mutate({ mutation: InviteRatingDocument, variables: { conversationId: id } }));
      this.snack.open(this.transloco.translate('chat.ratingInvited'), undefined, { duration: 3000 });
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }

  protected async blacklist(): Promise<void> {
    const c = this.store.selected();
    if (!c) return;
    const done = await firstValueFrom(
      this.dialog
        .open(BlacklistDialog, { data: { conversationId: c.id, customerId: c.customer.id }, width: '480px' })
        .afterClosed(),
    );
    if (done) {
      const key = (done as { pending: boolean }).pending ? 'blacklist.pending' : 'blacklist.done';
      this.snack.open(this.transloco.translate(key), undefined, { duration: 4000 });
    }
  }

  private ids(): { conversationId: string } {
    return { conversationId: this.store.selectedId() ?? '' };
  }

  private upload(files: File[]): void {
    this.stickToBottom = true;
    for (const file of files) void this.store.sendFile(file);
  }
}
