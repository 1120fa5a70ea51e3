import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { BlacklistLogPageDocument, type BlacklistLogPageQuery } from '../../graphql/generated';
import { PagedList } from '../../shared/paged-list';
import { Pager } from '../../shared/pager';
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
    Pager,
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
  protected readonly list = new PagedList<Row>({
    size: PAGE,
    fetch: async (page) =>
      (
        await firstValueFrom(
          this.apollo.query({ query: BlacklistLogPageDocument, variables: page, fetchPolicy: 'network-only' }),
        )
      ).data!.blacklistLog,
    failed: (e) => this.snack.open(errorMessage(e), 'OK'),
  });

  constructor() {
    void this.list.load();
  }

  protected customer(r: Row): string {
    const c = r.customerProfile;
    return c.nickname || c.realName || c.externalId;
  }
}
