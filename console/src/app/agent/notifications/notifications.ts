import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import { TranslocoDirective, TranslocoService } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { Session } from '../../core/auth/session';
import {
  MarkNotificationsReadDocument,
  MyNotificationsDocument,
  type MyNotificationsQuery,
  NotificationAddedDocument,
} from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';
import { type LinkTarget, linkTarget } from './links';

type Item = MyNotificationsQuery['notifications']['nodes'][number];
const PAGE = 20;

/** NTF-1: the user's notifications, newest first, unread highlighted, live; each opens its subject. */
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
  private readonly router = inject(Router);
  private readonly session = inject(Session);
  private readonly transloco = inject(TranslocoService);

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

  /** Whether a notification leads to a page this user may open (a notice is its own content). */
  protected opens(n: Item): boolean {
    const target = this.target(n);
    return !!target && 'url' in target;
  }

  /** Marks the notification read and opens its subject, when the role grants the page it is on. */
  protected async follow(n: Item): Promise<void> {
    const target = this.target(n);
    if (target && 'denied' in target) {
      this.snack.open(this.transloco.translate('links.denied'), 'OK');
    }
    if (!n.readAt) await this.markRead([n.id]);
    if (target && 'url' in target) await this.router.navigateByUrl(target.url);
  }

  private target(n: Item): LinkTarget | null {
    return linkTarget(n.link, (p) => this.session.has(p), this.session.user()?.id ?? null);
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
