import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatBadgeModule } from '@angular/material/badge';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoDirective } from '@jsverse/transloco';
import { ChatStore } from './chat-store';
import { ColleagueChat } from './colleague-chat';

/** The Ongoing list: newest activity first, new ones highlighted, unread counts, a filter. */
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
  protected readonly query = signal('');
  protected readonly tab = signal<'ongoing' | 'colleagues'>('ongoing');
  protected readonly rows = computed(() => {
    const q = this.query().trim().toLowerCase();
    const fresh = this.store.fresh();
    const list = this.store
      .conversations()
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
