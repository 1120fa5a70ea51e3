import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { TranslocoDirective, TranslocoService } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { auditTime, firstValueFrom, merge, skip } from 'rxjs';
import { ConnectionState } from '../../core/apollo/connection-state';
import {
  ApprovalCustomerDocument,
  type ApprovalKind,
  type ApprovalRowFragment,
  ApprovalsPageDocument,
  type ApprovalState,
} from '../../graphql/generated';
import { PagedList } from '../../shared/paged-list';
import { Pager } from '../../shared/pager';
import { errorMessage } from '../../shared/errors';
import { ApprovalAlerts } from './approval-alerts';
import { type Asked, askedOf, headline, requesterName } from './asked';
import { type DecideData, DecideDialog } from './decide-dialog';

type Row = ApprovalRowFragment & { asked: Asked; requester: string };
const PAGE = 20;
const STATES: readonly ApprovalState[] = ['PENDING', 'APPROVED', 'REJECTED', 'CANCELLED'];
const KINDS: readonly ApprovalKind[] = ['STATUS_CHANGE', 'BLACKLIST', 'PUBLIC_PHRASE'];

/** APR-1 (Admin Mode): requests by state, newest first, paged on the server and live; approve or reject. */
@Component({
  selector: 'app-approvals',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatIconModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    MatTooltipModule,
    Pager,
    TranslocoDirective,
  ],
  templateUrl: './approvals.html',
  styleUrl: './approvals.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Approvals {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);
  private readonly dialog = inject(MatDialog);
  private readonly transloco = inject(TranslocoService);
  protected readonly alerts = inject(ApprovalAlerts);

  protected readonly states = STATES;
  protected readonly kinds = KINDS;
  protected readonly state = signal<ApprovalState>('PENDING');
  protected readonly kind = signal<ApprovalKind | 'ALL'>('ALL');
  /** Requests that arrived while the page was open, highlighted until the next filter change. */
  protected readonly fresh = signal<ReadonlySet<string>>(new Set());
  /** Customer names of blacklist requests, by id (null: not visible to this role). */
  protected readonly customers = signal<ReadonlyMap<string, string | null>>(new Map());
  protected readonly list = new PagedList({
    size: PAGE,
    fetch: async (page) => {
      const kind = this.kind();
      const res = await firstValueFrom(
        this.apollo.query({
          query: ApprovalsPageDocument,
          variables: { state: this.state(), kind: kind === 'ALL' ? null : kind, ...page },
          fetchPolicy: 'network-only',
        }),
      );
      return res.data!.approvals;
    },
    map: (a): Row => ({ ...a, asked: askedOf(a), requester: requesterName(a) }),
    failed: (e) => this.snack.open(errorMessage(e), this.transloco.translate('common.close')),
  });

  protected readonly columns = computed(() => {
    const common = ['number', 'requester', 'created', 'kind', 'asked', 'reason'];
    switch (this.state()) {
      case 'PENDING':
        return [...common, 'actions'];
      case 'CANCELLED':
        return [...common, 'cancelled'];
      case 'APPROVED':
      case 'REJECTED':
        return [...common, 'decider', 'decided', 'remark'];
    }
  });

  constructor() {
    void this.list.load();
    // Blacklist requests on the page name their customers once they are read.
    effect(() => {
      const rows = this.list.rows();
      untracked(() => void this.nameCustomers(rows));
    });
    const destroyRef = inject(DestroyRef);
    this.alerts.changes.pipe(takeUntilDestroyed(destroyRef)).subscribe((a) => {
      if (a.state === 'PENDING') this.fresh.update((ids) => new Set(ids).add(a.id));
    });
    // Others' requests and decisions arrive in bursts: read the page at most twice a second; again after a reconnect.
    merge(this.alerts.changes, toObservable(inject(ConnectionState).generation).pipe(skip(1)))
      .pipe(auditTime(500), takeUntilDestroyed(destroyRef))
      .subscribe(() => void this.list.load());
  }

  protected show(state: ApprovalState): void {
    this.state.set(state);
    this.search();
  }

  protected filterKind(kind: ApprovalKind | 'ALL'): void {
    this.kind.set(kind);
    this.search();
  }

  private search(): void {
    this.fresh.set(new Set());
    void this.list.restart();
  }

  /** Blacklist requests name their customer when this role may see customers; else the id stands in. */
  private async nameCustomers(rows: readonly Row[]): Promise<void> {
    const known = this.customers();
    const ids = new Set<string>();
    for (const r of rows) {
      if (r.asked.kind === 'BLACKLIST' && r.asked.customerId && !known.has(r.asked.customerId)) {
        ids.add(r.asked.customerId);
      }
    }
    for (const id of ids) {
      let name: string | null = null;
      try {
        const res = await firstValueFrom(this.apollo.query({ query: ApprovalCustomerDocument, variables: { id } }));
        const c = res.data?.customer;
        name = c ? c.nickname || c.realName || c.externalId : null;
      } catch {
        // Not visible to this role (or gone): the id stands in.
      }
      this.customers.update((m) => new Map(m).set(id, name));
    }
  }

  protected customerName(id: string | null): string {
    if (!id) return '—';
    return this.customers().get(id) ?? id.slice(0, 8);
  }

  protected decide(row: Row, approve: boolean): void {
    const t = (key: string, params?: Record<string, unknown>) => this.transloco.translate(key, params);
    const data: DecideData = { approval: row, approve, headline: headline(row, t) };
    this.dialog
      .open<DecideDialog, DecideData, ApprovalRowFragment>(DecideDialog, { data, width: '480px', maxWidth: '95vw' })
      .afterClosed()
      .subscribe((decided) => {
        if (!decided) return;
        this.snack.open(
          t(decided.state === 'APPROVED' ? 'approvals.approved' : 'approvals.rejected', { number: decided.number }),
          undefined,
          { duration: 4000 },
        );
        void this.list.load();
        void this.alerts.refresh();
      });
  }
}
