import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { TranslocoDirective } from '@jsverse/transloco';
import type { ChatItem } from './chat-store';

const RECALL_WINDOW_MS = 2 * 60_000;

/**
 * One message. Everything a visitor sent is shown as text (interpolation, never innerHTML);
 * links only for http(s) URLs.
 */
@Component({
  selector: 'app-message-bubble',
  imports: [DatePipe, DecimalPipe, MatButtonModule, MatIconModule, MatTooltipModule, TranslocoDirective],
  templateUrl: './message-bubble.html',
  styleUrl: './message-bubble.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageBubble {
  readonly message = input.required<ChatItem>();
  readonly mine = input(false);
  readonly resend = output<ChatItem>();
  readonly recall = output<ChatItem>();
  readonly preview = output<string>();

  protected readonly side = computed(() => {
    const kind = this.message().senderKind;
    return kind === 'CUSTOMER' ? 'left' : kind === 'SYSTEM' ? 'center' : 'right';
  });
  protected readonly payload = computed(() => (this.message().payload ?? {}) as Record<string, unknown>);
  protected readonly url = computed(() => safeUrl(this.payload()['url']));
  protected readonly fields = computed(() => {
    const fields = this.payload()['fields'];
    if (!fields || typeof fields !== 'object') return [];
    return Object.entries(fields as Record<string, unknown>).map(([k, v]) => ({ key: k, value: String(v) }));
  });
  protected readonly mapUrl = computed(() => {
    const { lat, lng } = this.payload();
    return typeof lat === 'number' && typeof lng === 'number'
      ? `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=16/${lat}/${lng}`
      : null;
  });
  protected readonly canRecall = computed(() => {
    const m = this.message();
    return (
      this.mine() && m.delivery === 'sent' && !m.recalledAt && Date.now() - Date.parse(m.createdAt) < RECALL_WINDOW_MS
    );
  });

  protected text(value: unknown): string {
    return typeof value === 'string' ? value : '';
  }
}

function safeUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
