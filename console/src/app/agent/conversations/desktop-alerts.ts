import { DestroyRef, effect, inject, Injectable, untracked } from '@angular/core';
import { TranslocoService } from '@jsverse/transloco';
import { MessageAlerts } from '../../core/layout/message-alerts';
import { ChatStore } from './chat-store';

const COALESCE_MS = 3000;

/**
 * MSG-7: while the tab is hidden, new customer messages raise a desktop notification; those
 * within 3 s collapse into one showing the last.
 */
@Injectable()
export class DesktopAlerts {
  private readonly store = inject(ChatStore);
  private readonly settings = inject(MessageAlerts);
  private readonly transloco = inject(TranslocoService);
  private unread = new Map<string, number>();
  /** The first list read is what the agent already has, not news. */
  private baseline = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private latest: { title: string; body: string; id: string } | null = null;
  private count = 0;

  constructor() {
    // A popup still gathering when the page closes is dropped with it.
    inject(DestroyRef).onDestroy(() => {
      if (this.timer) clearTimeout(this.timer);
    });
    effect(() => {
      const rows = this.store.conversations();
      const loaded = this.store.listLoaded();
      untracked(() => {
        // A conversation new to the list counts from zero: its first message alerts too, also
        // when the list was empty.
        for (const c of rows) {
          if (this.baseline && c.unreadCount > (this.unread.get(c.id) ?? 0)) {
            this.queue(c.id, c.customer.nickname || c.customer.externalId, c.lastMessagePreview ?? '');
          }
        }
        this.unread = new Map(rows.map((c) => [c.id, c.unreadCount]));
        this.baseline = loaded;
      });
    });
  }

  private queue(id: string, title: string, body: string): void {
    if (!document.hidden || !this.settings.enabled() || typeof Notification === 'undefined') return;
    if (Notification.permission !== 'granted') return;
    this.latest = { id, title, body };
    this.count++;
    this.timer ??= setTimeout(() => this.flush(), COALESCE_MS);
  }

  private flush(): void {
    const latest = this.latest;
    const count = this.count;
    this.timer = null;
    this.latest = null;
    this.count = 0;
    if (!latest) return;
    const more = count > 1 ? ` ${this.transloco.translate('alerts.more', { count: count - 1 })}` : '';
    const n = new Notification(latest.title, { body: latest.body + more, tag: 'parley-messages' });
    n.onclick = () => {
      window.focus();
      this.store.select(latest.id);
      n.close();
    };
  }
}
