import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatTabsModule } from '@angular/material/tabs';
import { ActivatedRoute } from '@angular/router';
import { TranslocoDirective } from '@jsverse/transloco';
import { ChatStore } from './chat-store';
import { ChatWindow } from './chat-window';
import { ConversationList } from './conversation-list';
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

  constructor() {
    // `?open=<id>`: a conversation just joined from the queue.
    const open = inject(ActivatedRoute).snapshot.queryParamMap.get('open');
    if (open) this.store.select(open);
  }
}
