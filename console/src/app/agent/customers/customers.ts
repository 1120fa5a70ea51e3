import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import {
  CustomersPageDocument,
  type CustomersPageQuery,
  RemoveFromBlacklistPageDocument,
} from '../../graphql/generated';
import { CursorPages } from '../../shared/cursor-pages';
import { errorMessage } from '../../shared/errors';

type Row = CustomersPageQuery['customers']['nodes'][number];
const PAGE = 25;

/** HIS-3 (Agent Mode): customers I served; this week by default; fuzzy search; blacklist view. */
@Component({
  selector: 'app-customers',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatTableModule,
    TranslocoDirective,
  ],
  templateUrl: './customers.html',
  styleUrl: '../history/history.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Customers {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);

  protected readonly columns = ['customer', 'contact', 'tags', 'seen', 'actions'];
  protected readonly rows = signal<Row[]>([]);
  protected readonly total = signal(0);
  protected readonly loading = signal(false);
  protected readonly page = signal(0);
  private readonly pager = new CursorPages();
  protected search = '';
  protected from = '';
  protected to = '';
  protected blacklisted = false;

  constructor() {
    void this.load();
  }

  protected find(): void {
    this.pager.reset();
    this.page.set(0);
    void this.load();
  }

  protected go(delta: number): void {
    this.pager.move(delta);
    this.page.set(this.pager.page);
    void this.load();
  }

  protected pages(): number {
    return CursorPages.count(this.total(), PAGE);
  }

  private async load(): Promise<void> {
    this.loading.set(true);
    try {
      const res = await firstValueFrom(
        this.apollo.query({
          query: CustomersPageDocument,
          variables: {
            first: PAGE,
            after: this.pager.after,
            filter: {
              search: this.search.trim() || null,
              blacklistedOnly: this.blacklisted || null,
              from: this.from ? new Date(`${this.from}T00:00:00`).toISOString() : null,
              to: this.to ? new Date(`${this.to}T23:59:59.999`).toISOString() : null,
            },
          },
          fetchPolicy: 'network-only',
        }),
      );
      const conn = res.data!.customers;
      this.pager.ended(conn.pageInfo.endCursor);
      this.rows.set(conn.nodes);
      this.total.set(conn.totalCount);
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    } finally {
      this.loading.set(false);
    }
  }

  protected async unblock(row: Row): Promise<void> {
    try {
      await firstValueFrom(
        this.apollo.mutate({
          mutation: RemoveFromBlacklistPageDocument,
          variables: { customerId: row.id, reason: null },
        }),
      );
      this.rows.update((list) => list.map((r) => (r.id === row.id ? { ...r, blacklistedAt: null } : r)));
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }
}
