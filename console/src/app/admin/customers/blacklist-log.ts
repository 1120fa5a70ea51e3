import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { BlacklistLogPageDocument, type BlacklistLogPageQuery } from '../../graphql/generated';
import { CursorPages } from '../../shared/cursor-pages';
import { errorMessage } from '../../shared/errors';
import { CustomersTabs } from './customers-tabs';

type Row = BlacklistLogPageQuery['blacklistLog']['nodes'][number];
const PAGE = 25;

/** HIS-5: every addition to and removal from the blacklist, newest first, within the customer scope. */
@Component({
  selector: 'app-blacklist-log',
  imports: [
    CustomersTabs,
    DatePipe,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatTableModule,
    TranslocoDirective,
  ],
  templateUrl: './blacklist-log.html',
  styleUrl: '../../agent/history/history.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BlacklistLog {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);

  protected readonly columns = ['time', 'action', 'customer', 'operator', 'reason'];
  protected readonly rows = signal<Row[]>([]);
  protected readonly total = signal(0);
  protected readonly loading = signal(false);
  protected readonly page = signal(0);
  private readonly pager = new CursorPages();

  constructor() {
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
          query: BlacklistLogPageDocument,
          variables: { first: PAGE, after: this.pager.after },
          fetchPolicy: 'network-only',
        }),
      );
      const conn = res.data!.blacklistLog;
      this.pager.ended(conn.pageInfo.endCursor);
      this.rows.set(conn.nodes);
      this.total.set(conn.totalCount);
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    } finally {
      this.loading.set(false);
    }
  }

  protected customer(r: Row): string {
    const c = r.customerProfile;
    return c.nickname || c.realName || c.externalId;
  }
}
