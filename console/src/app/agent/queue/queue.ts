import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router } from '@angular/router';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { auditTime, firstValueFrom, merge, skip } from 'rxjs';
import { ConnectionState } from '../../core/apollo/connection-state';
import {
  JoinQueuedDocument,
  QueueChangedDocument,
  QueuedMessagesDocument,
  type QueuedMessagesQuery,
  QueuePageDocument,
  type QueuePageQuery,
} from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';

type Row = QueuePageQuery['queue']['nodes'][number];
type Preview = QueuedMessagesQuery['conversation']['messages'];

/** QUE-2, QUE-4, QUE-6: the queue of the agent's teams, VIP first then oldest, live. */
@Component({
  selector: 'app-queue',
  imports: [
    DatePipe,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatTableModule,
    MatTooltipModule,
    TranslocoDirective,
  ],
  templateUrl: './queue.html',
  styleUrl: './queue.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Queue {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);
  private readonly router = inject(Router);

  protected readonly columns = ['position', 'customer', 'waiting', 'team', 'preview', 'actions'];
  protected readonly rows = signal<Row[]>([]);
  protected readonly total = signal(0);
  protected readonly loading = signal(false);
  protected readonly busyId = signal<string | null>(null);
  protected readonly preview = signal<{ id: string; messages: Preview } | null>(null);

  constructor() {
    void this.load();
    const destroyRef = inject(DestroyRef);
    // Changes arrive in bursts: read the queue at most twice a second; again after a reconnect.
    merge(
      this.apollo.subscribe({ query: QueueChangedDocument }),
      toObservable(inject(ConnectionState).generation).pipe(skip(1)),
    )
      .pipe(auditTime(500), takeUntilDestroyed(destroyRef))
      .subscribe(() => void this.load());
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    try {
      const res = await firstValueFrom(
        this.apollo.query({ query: QueuePageDocument, variables: { first: 100 }, fetchPolicy: 'network-only' }),
      );
      this.rows.set(res.data!.queue.nodes);
      this.total.set(res.data!.queue.totalCount);
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    } finally {
      this.loading.set(false);
    }
  }

  protected name(r: Row): string {
    return r.customer.nickname || r.customer.realName || r.customer.externalId;
  }

  protected async join(r: Row): Promise<void> {
    this.busyId.set(r.id);
    try {
      await firstValueFrom(this.apollo.mutate({ mutation: JoinQueuedDocument, variables: { id: r.id } }));
      await this.router.navigate(['/conversations'], { queryParams: { open: r.id } });
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
      void this.load();
    } finally {
      this.busyId.set(null);
    }
  }

  protected async view(r: Row): Promise<void> {
    if (this.preview()?.id === r.id) {
      this.preview.set(null);
      return;
    }
    try {
      const res = await firstValueFrom(
        this.apollo.query({ query: QueuedMessagesDocument, variables: { id: r.id }, fetchPolicy: 'network-only' }),
      );
      this.preview.set({ id: r.id, messages: res.data!.conversation.messages });
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }
}
