import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, effect, inject, input, signal, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatTabsModule } from '@angular/material/tabs';
import { Router } from '@angular/router';
import { TranslocoDirective } from '@jsverse/transloco';
import { Session } from '../../core/auth/session';
import { ChatStore } from './chat-store';
import { ChatWindow } from './chat-window';
import { ConversationList } from './conversation-list';
import { CrmPanel, crmPanelEnabled } from './crm-panel';
import { CustomerPanel } from './customer-panel';
import { DesktopAlerts } from './desktop-alerts';
import { TransferOffers } from './transfer-offers';
import { InteractionsPanel, KnowledgePanel, PhrasePanel } from './side-tools';

/** MSG-1…MSG-8, CNV-1: the three panes — conversations, chat, and the functional area. */
@Component({
  selector: 'app-conversations',
  imports: [
    ConversationList,
    ChatWindow,
    CustomerPanel,
    PhrasePanel,
    KnowledgePanel,
    InteractionsPanel,
    CrmPanel,
    MatTabsModule,
    MatButtonModule,
    DatePipe,
    TranslocoDirective,
  ],
  providers: [ChatStore, DesktopAlerts, TransferOffers],
  templateUrl: './conversations.html',
  styleUrl: './conversations.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Conversations {
  protected readonly store = inject(ChatStore);
  protected readonly alerts = inject(DesktopAlerts);
  protected readonly offers = inject(TransferOffers);
  protected readonly crmEnabled = crmPanelEnabled();
  private readonly session = inject(Session);
  private readonly router = inject(Router);

  /** `?open=<id>`: a conversation just joined from the queue, or a notification's link. */
  readonly open = input<string | null>(null);
  /** `?colleague=<id>`: the Colleague chat with that user (a notification's link). */
  readonly colleague = input<string | null>(null);
  /** The linked conversation is neither ongoing with the agent nor one they may look up. */
  protected readonly gone = signal(false);

  constructor() {
    effect(() => {
      const id = this.open();
      if (!id || !this.store.listLoaded()) return;
      untracked(() => this.follow(id));
    });
  }

  private follow(id: string): void {
    if (this.store.conversations().some((c) => c.id === id)) {
      this.gone.set(false);
      this.store.select(id);
    } else if (this.session.has('AGENT_HISTORY')) {
      // No longer ongoing with this agent (closed, or transferred away): read-only in History.
      void this.router.navigate(['/history', id], { replaceUrl: true });
    } else {
      this.gone.set(true);
    }
  }
}
