import { type DestroyRef, inject, Injectable, Injector, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import { TranslocoService } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { auditTime, filter, firstValueFrom, map, merge, share, skip, Subject } from 'rxjs';
import { ConnectionState } from '../../core/apollo/connection-state';
import { Session } from '../../core/auth/session';
import {
  ApprovalChangedDocument,
  type ApprovalRowFragment,
  PendingApprovalCountDocument,
} from '../../graphql/generated';
import { headline } from './asked';

export const APPROVALS_LINK = '/admin/approvals';

/**
 * APR-1 for whoever decides approvals: an alert on any page when a request is filed, the count of
 * pending requests for the navigation badge, and the live feed the Approvals page follows.
 */
@Injectable({ providedIn: 'root' })
export class ApprovalAlerts {
  private readonly apollo = inject(Apollo);
  private readonly session = inject(Session);
  private readonly snack = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly transloco = inject(TranslocoService);
  private readonly connection = inject(ConnectionState);
  private readonly injector = inject(Injector);
  private readonly changed = new Subject<ApprovalRowFragment>();
  private readonly alerted = new Set<string>();

  /** Pending requests of the tenant. */
  readonly pending = signal(0);
  /** The tenant's requests as they are filed, decided or cancelled. */
  readonly changes = this.changed.asObservable();

  /** Follows the tenant's requests until `destroyRef` ends; nothing for a role without the Approvals page. */
  watch(destroyRef: DestroyRef): void {
    if (!this.session.has('ADMIN_APPROVALS')) return;
    const feed = this.apollo.subscribe({ query: ApprovalChangedDocument }).pipe(
      map(({ data }) => data?.approvalChanged),
      filter((a): a is ApprovalRowFragment => !!a),
      share(),
    );
    feed.pipe(takeUntilDestroyed(destroyRef)).subscribe((approval) => {
      this.changed.next(approval);
      if (approval.state === 'PENDING') this.alert(approval);
    });
    // The count follows the feed, and is read again after a reconnect (events may have been missed).
    merge(feed, toObservable(this.connection.generation, { injector: this.injector }).pipe(skip(1)))
      .pipe(auditTime(500), takeUntilDestroyed(destroyRef))
      .subscribe(() => void this.refresh());
    void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      const res = await firstValueFrom(
        this.apollo.query({ query: PendingApprovalCountDocument, fetchPolicy: 'network-only' }),
      );
      this.pending.set(res.data?.approvals.totalCount ?? 0);
    } catch {
      // The badge is a hint; the Approvals page shows errors.
    }
  }

  private alert(approval: ApprovalRowFragment): void {
    if (this.alerted.has(approval.id) || approval.requesterUser.id === this.session.user()?.id) return;
    this.alerted.add(approval.id);
    const t = (key: string, params?: Record<string, unknown>) => this.transloco.translate(key, params);
    this.snack
      .open(headline(approval, t), t('approvals.open'), { duration: 10_000 })
      .onAction()
      .subscribe(() => void this.router.navigateByUrl(APPROVALS_LINK));
  }
}
