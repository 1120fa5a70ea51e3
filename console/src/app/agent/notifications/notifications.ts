import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import {
  MarkNotificationsReadDocument,
  MyNotificationsDocument,
  type MyNotificationsQuery,
  NotificationAddedDocument,
} from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';

type Item = MyNotificationsQuery['notifications']['nodes'][number];
const PAGE = 20;

/** NTF-1: the user's notifications, newest first, unread highlighted, live. */
@Component({
  selector: 'app-notifications',
  imports: [
    DatePipe,
    MatButtonModule,
    MatButtonToggleModule,
    MatIconModule,
    MatListModule,
    MatProgressBarModule,
    TranslocoDirective,
  ],
  templateUrl: './notifications.html',
  styleUrl: './notifications.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Notifications {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);

  protected readonly items = signal<Item[]>([]);
  protected readonly total = signal(0);
  protected readonly loading = signal(false);
  protected readonly unreadOnly = signal(false);
  private cursor: string | null = null;
  protected readonly hasMore = signal(false);

  constructor() {
    void this.reload();
    this.apollo
      .subscribe({ query: NotificationAddedDocument })
      .pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe(() => void this.reload());
  }

  protected async reload(): Promise<void> {
    this.cursor = null;
    this.items.set([]);
    await this.more();
  }

  protected async more(): Promise<void> {
    this.loading.set(true);
    try {
      const res = await firstValueFrom(
        this.apollo.query({
          query: MyNotificationsDocument,
          variables: { first: PAGE, after: this.cursor, unreadOnly: this.unreadOnly() },
          fetchPolicy: 'network-only',
        }),
      );
      const page = res.data!.notifications;
      this.items.update((list) => [...list, ...page.nodes]);
      this.total.set(page.totalCount);
      this.cursor = page.pageInfo.endCursor ?? null;
      this.hasMore.set(page.pageInfo.hasNextPage);
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    } finally {
      this.loading.set(false);
    }
  }

  protected filter(unreadOnly: boolean): void {
    this.unreadOnly.set(unreadOnly);
    void this.reload();
  }

  protected async markRead(ids?: string[]): Promise<void> {
    try {
      await firstValueFrom(this.apollo.mutate({ mutation: MarkNotificationsReadDocument, variables: { ids } }));
      const now = new Date().toISOString();
      this.items.update((list) =>
        list.map((n) => (!ids || ids.includes(n.id) ? { ...n, readAt: n.readAt ?? now } : n)),
      );
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }
}
