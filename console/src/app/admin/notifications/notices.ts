import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule, type NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslocoDirective, TranslocoService } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { Session } from '../../core/auth/session';
import { SendNoticeDocument, SentNoticesDocument, type SentNoticesQuery } from '../../graphql/generated';
import { PagedList } from '../../shared/paged-list';
import { Pager } from '../../shared/pager';
import { errorMessage } from '../../shared/errors';
import { type Picked, Picker } from '../../shared/picker/picker';

type Row = SentNoticesQuery['notices']['nodes'][number];
export type Audience = 'everyone' | 'chosen';
const PAGE = 20;

/** NTF-1 (Admin Mode): send a notice to everyone, or to chosen teams and users; the notices sent. */
@Component({
  selector: 'app-notices',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatRadioModule,
    MatTableModule,
    Picker,
    Pager,
    TranslocoDirective,
  ],
  templateUrl: './notices.html',
  styleUrls: ['../../agent/history/history.scss', './notices.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Notices {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);
  private readonly transloco = inject(TranslocoService);
  private readonly session = inject(Session);

  // Choosing recipients reads the team and user lists, which need these pages.
  protected readonly canPick = this.session.has('ADMIN_TEAMS') || this.session.has('ADMIN_USERS');
  protected readonly title = signal('');
  protected readonly body = signal('');
  protected readonly audience = signal<Audience>('everyone');
  protected readonly teams = signal<readonly Picked[]>([]);
  protected readonly users = signal<readonly Picked[]>([]);
  protected readonly sending = signal(false);
  protected readonly sendError = signal<string | null>(null);

  protected readonly columns = ['sent', 'notice', 'sender', 'recipients'];
  protected readonly list = new PagedList<Row>({
    size: PAGE,
    fetch: async (page) =>
      (
        await firstValueFrom(
          this.apollo.query({ query: SentNoticesDocument, variables: page, fetchPolicy: 'network-only' }),
        )
      ).data!.notices,
    failed: (e) => this.snack.open(errorMessage(e), 'OK'),
  });

  constructor() {
    void this.list.load();
  }

  /** Whether the form can be sent: a title, a body, and someone to send it to. */
  protected ready(): boolean {
    return (
      !!this.title().trim() &&
      !!this.body().trim() &&
      (this.audience() === 'everyone' || this.teams().length + this.users().length > 0)
    );
  }

  protected async send(form?: NgForm): Promise<void> {
    if (!this.ready() || this.sending()) return;
    this.sending.set(true);
    this.sendError.set(null);
    const everyone = this.audience() === 'everyone';
    try {
      const res = await firstValueFrom(
        this.apollo.mutate({
          mutation: SendNoticeDocument,
          variables: {
            input: {
              title: this.title().trim(),
              body: this.body().trim(),
              everyone,
              teamIds: everyone ? null : this.teams().map((t) => t.id),
              userIds: everyone ? null : this.users().map((u) => u.id),
            },
          },
        }),
      );
      const count = res.data!.sendNotice.recipientCount;
      this.snack.open(this.transloco.translate('notices.sent', { count }), undefined, { duration: 4000 });
      this.title.set('');
      this.body.set('');
      this.teams.set([]);
      this.users.set([]);
      // Back to untouched, so the emptied required fields do not show as errors.
      form?.resetForm({ title: '', body: '', audience: this.audience() });
      void this.list.restart();
    } catch (e) {
      this.sendError.set(errorMessage(e));
    } finally {
      this.sending.set(false);
    }
  }
}
