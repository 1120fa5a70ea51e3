import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoService } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { Session } from '../../core/auth/session';
import {
  AcceptTransferDocument,
  DeclineTransferDocument,
  TransferChangedDocument,
  type TransferChangedSubscription,
} from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';
import { ChatStore } from './chat-store';

export type Offer = TransferChangedSubscription['transferChanged']['transfer'];

/**
 * CNV-4 with confirmation: offers made to me (accept or decline before they expire) and the
 * fate of offers I made, both live.
 */
@Injectable()
export class TransferOffers {
  private readonly apollo = inject(Apollo);
  private readonly session = inject(Session);
  private readonly store = inject(ChatStore);
  private readonly snack = inject(MatSnackBar);
  private readonly transloco = inject(TranslocoService);

  readonly incoming = signal<Offer[]>([]);
  /** My pending offers, by conversation. */
  readonly outgoing = signal<ReadonlyMap<string, Offer>>(new Map());

  constructor() {
    this.apollo
      .subscribe({ query: TransferChangedDocument })
      .pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe(({ data }) => {
        const offer = data?.transferChanged.transfer;
        if (offer) this.apply(offer);
      });
  }

  private apply(offer: Offer): void {
    const me = this.session.user()?.id;
    const toMe = offer.toUser === me;
    this.incoming.update((list) => {
      const rest = list.filter((o) => o.id !== offer.id);
      return toMe && offer.state === 'OFFERED' ? [...rest, offer] : rest;
    });
    if (offer.fromUser !== me) return;
    this.outgoing.update((map) => {
      const next = new Map(map);
      if (offer.state === 'OFFERED') next.set(offer.conversation, offer);
      else next.delete(offer.conversation);
      return next;
    });
    if (offer.state !== 'OFFERED') {
      this.snack.open(this.transloco.translate(`transfer.outcome.${offer.state}`), undefined, { duration: 5000 });
    }
  }

  async accept(offer: Offer): Promise<void> {
    try {
      await firstValueFrom(this.apollo.mutate({ mutation: AcceptTransferDocument, variables: { id: offer.id } }));
      this.incoming.update((list) => list.filter((o) => o.id !== offer.id));
      await this.store.loadList();
      this.store.select(offer.conversation);
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }

  async decline(offer: Offer): Promise<void> {
    try {
      await firstValueFrom(this.apollo.mutate({ mutation: DeclineTransferDocument, variables: { id: offer.id } }));
      this.incoming.update((list) => list.filter((o) => o.id !== offer.id));
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }

  /** A transfer I just made: an offer to wait for, or done. */
  sent(
    offer:
      Offer | { id: string; state: string; toUser: string | null; toTeam: string | null; expiresAt: string | null },
    conversationId: string,
  ): void {
    if (offer.state === 'OFFERED') {
      this.outgoing.update((map) =>
        new Map(map).set(conversationId, {
          id: offer.id,
          conversation: conversationId,
          state: 'OFFERED',
          fromUser: this.session.user()?.id ?? null,
          toUser: offer.toUser,
          toTeam: offer.toTeam,
          expiresAt: offer.expiresAt,
          remark: null,
        }),
      );
      this.snack.open(this.transloco.translate('transfer.offered'), undefined, { duration: 4000 });
    } else {
      this.snack.open(this.transloco.translate(`transfer.outcome.${offer.state}`), undefined, { duration: 4000 });
    }
  }
}
