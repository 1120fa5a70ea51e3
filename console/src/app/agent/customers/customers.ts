import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, effect, inject, input, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { CustomersTabs } from '../../admin/customers/customers-tabs';
import {
  CustomersPageDocument,
  type CustomersPageQuery,
  LinkedCustomerDocument,
  type LinkedCustomerQuery,
} from '../../graphql/generated';
import { routeMode } from '../../shared/console-mode';
import { PagedList } from '../../shared/paged-list';
import { Pager } from '../../shared/pager';
import { errorCode, errorMessage } from '../../shared/errors';
import { type CustomerTagOption, FilterOptions } from '../../shared/filter-options';
import { UnblockDialog } from './unblock-dialog';

type Row = CustomersPageQuery['customers']['nodes'][number];
type Linked = LinkedCustomerQuery['customer'];
const PAGE = 25;

/**
 * HIS-3: customers, this week by default; fuzzy search; blacklist view with removal. Agent Mode:
 * the customers I served. Admin Mode (route data `mode: 'ADMIN'`): all within the role's customer
 * scope, with the tag filter and the way to the blacklist log (HIS-5).
 */
@Component({
  selector: 'app-customers',
  imports: [
    CustomersTabs,
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    Pager,
    TranslocoDirective,
  ],
  templateUrl: './customers.html',
  styleUrls: ['../history/history.scss', './customers.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Customers {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);
  private readonly dialog = inject(MatDialog);
  private readonly options = inject(FilterOptions);

  protected readonly mode = routeMode();
  protected readonly admin = this.mode === 'ADMIN';
  protected readonly columns = ['customer', 'contact', 'tags', 'seen', 'actions'];
  protected readonly list = new PagedList<Row>({
    size: PAGE,
    fetch: async (page) => {
      const res = await firstValueFrom(
        this.apollo.query({
          query: CustomersPageDocument,
          variables: {
            ...page,
            mode: this.mode,
            filter: {
              search: this.search.trim() || null,
              blacklistedOnly: this.blacklisted || null,
              ...(this.admin ? { tagIds: this.tagIds.length ? this.tagIds : null } : {}),
              from: this.from ? new Date(`${this.from}T00:00:00`).toISOString() : null,
              to: this.to ? new Date(`${this.to}T23:59:59.999`).toISOString() : null,
            },
          },
          fetchPolicy: 'network-only',
        }),
      );
      return res.data!.customers;
    },
    failed: (e) => this.snack.open(errorMessage(e), 'OK'),
  });
  protected search = '';
  protected from = '';
  protected to = '';
  protected blacklisted = false;
  protected tagIds: string[] = [];
  protected readonly tagOptions = signal<CustomerTagOption[]>([]);

  /** `/customers/<id>` (a notification's link): that customer's profile, above the list. */
  readonly id = input<string | null>(null);
  protected readonly linked = signal<Linked | null>(null);
  protected readonly linkGone = signal(false);

  constructor() {
    void this.list.load();
    effect(() => {
      const id = this.id();
      if (id) untracked(() => void this.openLinked(id));
    });
    if (this.admin) void this.loadOptions();
  }

  protected find(): void {
    void this.list.restart();
  }

  private async loadOptions(): Promise<void> {
    try {
      this.tagOptions.set(await this.options.customerTags());
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }

  protected async unblock(row: Row): Promise<void> {
    const removed = await firstValueFrom(
      this.dialog
        .open<UnblockDialog, unknown, boolean>(UnblockDialog, {
          data: { customerId: row.id, name: this.name(row), reason: row.blacklistReason ?? null },
          width: '440px',
          maxWidth: '95vw',
        })
        .afterClosed(),
    );
    if (!removed) return;
    // In the blacklist view the customer leaves the list; elsewhere the row loses its mark.
    if (this.blacklisted) void this.list.load();
    else this.list.rows.update((rows) => rows.map((r) => (r.id === row.id ? { ...r, blacklistedAt: null } : r)));
  }

  private async openLinked(id: string): Promise<void> {
    try {
      const res = await firstValueFrom(
        this.apollo.query({ query: LinkedCustomerDocument, variables: { id }, fetchPolicy: 'network-only' }),
      );
      this.linked.set(res.data!.customer);
      this.linkGone.set(false);
    } catch (e) {
      this.linked.set(null);
      // Removed, or outside what this user may see: the API answers NOT_FOUND to both.
      if (errorCode(e) === 'NOT_FOUND') this.linkGone.set(true);
      else this.snack.open(errorMessage(e), 'OK');
    }
  }

  protected filled(c: Linked): Linked['fields'] {
    return c.fields.filter((f) => f.value);
  }

  protected name(r: Row): string {
    return r.nickname || r.realName || r.externalId;
  }
}
