import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { MatBadgeModule } from '@angular/material/badge';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoDirective } from '@jsverse/transloco';
import { ChatStore } from './chat-store';
import { ColleagueChat } from './colleague-chat';
import { type SinceUnit, timeSince } from './conversation-order';

// How often the "time since the last message" labels move on.
const TICK_MS = 15_000;

/**
 * The Ongoing list (MSG-1): in the tenant's order, new ones highlighted on top, unread counts,
 * the time (or the time since) of the last message, a filter; and the Colleague tab.
 */
@Component({
  selector: 'app-conversation-list',
  imports: [
    ColleagueChat,
    DatePipe,
    MatBadgeModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    TranslocoDirective,
  ],
  templateUrl: './conversation-list.html',
  styleUrl: './conversation-list.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConversationList {
  protected readonly store = inject(ChatStore);
  /** A colleague to open a thread with (a `/users/<id>` link). */
  readonly colleague = input<string | null>(null);
  protected readonly query = signal('');
  protected readonly tab = signal<'ongoing' | 'colleagues'>('ongoing');
  protected readonly now = signal(Date.now());
  protected readonly rows = computed(() => {
    const q = this.query().trim().toLowerCase();
    const fresh = this.store.fresh();
    const list = this.store
      .ordered()
      .filter((c) =>
        !q
          ? true
          : [c.customer.nickname, c.customer.realName, c.customer.externalId, c.lastMessagePreview].some((v) =>
              v?.toLowerCase().includes(q),
            ),
      );
    // New conversations stay on top until opened.
    return [...list.filter((c) => fresh.has(c.id)), ...list.filter((c) => !fresh.has(c.id))];
  });

  constructor() {
    const timer = setInterval(() => this.now.set(Date.now()), TICK_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
    // A colleague link opens the Colleague tab.
    effect(() => {
      if (this.colleague()) untracked(() => this.tab.set('colleagues'));
    });
  }

  protected since(c: { lastMessageAt: string | null; createdAt: string }): { unit: SinceUnit; count: number } {
    return timeSince(c.lastMessageAt ?? c.createdAt, this.now());
  }

  protected name(c: { customer: { nickname: string | null; realName: string | null; externalId: string } }): string {
    return c.customer.nickname || c.customer.realName || c.customer.externalId;
  }

  protected onKeydown(event: KeyboardEvent, index: number): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const items = (event.currentTarget as HTMLElement).parentElement?.querySelectorAll<HTMLElement>('[role=option]');
    items?.[Math.max(0, Math.min((items?.length ?? 1) - 1, index + (event.key === 'ArrowDown' ? 1 : -1)))]?.focus();
  }
}
