import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTabsModule } from '@angular/material/tabs';
import { MatTooltipModule } from '@angular/material/tooltip';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { debounceTime, firstValueFrom, Subject } from 'rxjs';
import {
  TransferCandidatesDocument,
  type TransferCandidatesQuery,
  TransferConversationDocument,
  TransferTeamCandidatesDocument,
  type TransferTeamCandidatesQuery,
} from '../../graphql/generated';
import { PagedList } from '../../shared/paged-list';
import { Pager } from '../../shared/pager';
import { errorMessage } from '../../shared/errors';

type Agent = TransferCandidatesQuery['colleagues']['nodes'][number];
type Team = TransferTeamCandidatesQuery['transferTeams']['nodes'][number];
const PAGE = 20;

/** CNV-4: pick a colleague or a team; agents searchable and paged, real names on hover. */
@Component({
  selector: 'app-transfer-dialog',
  imports: [
    FormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatTabsModule,
    MatTooltipModule,
    Pager,
    TranslocoDirective,
  ],
  templateUrl: './transfer-dialog.html',
  styleUrl: './dialogs.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TransferDialog {
  private readonly apollo = inject(Apollo);
  private readonly ref = inject(MatDialogRef<TransferDialog>);
  protected readonly data = inject<{ conversationId: string }>(MAT_DIALOG_DATA);

  protected readonly error = signal<string | null>(null);
  private readonly transferring = signal(false);
  protected remark = '';
  private search: string | null = null;
  protected readonly search$ = new Subject<string>();

  protected readonly agents = new PagedList<Agent>({
    size: PAGE,
    fetch: async (page) => {
      const res = await firstValueFrom(
        this.apollo.query({
          query: TransferCandidatesDocument,
          variables: { search: this.search, ...page },
          fetchPolicy: 'network-only',
        }),
      );
      return res.data!.colleagues;
    },
    failed: (e) => this.error.set(errorMessage(e)),
  });
  protected readonly teams = new PagedList<Team>({
    size: PAGE,
    fetch: async (page) =>
      (
        await firstValueFrom(
          this.apollo.query({
            query: TransferTeamCandidatesDocument,
            variables: { search: this.search, ...page },
            fetchPolicy: 'network-only',
          }),
        )
      ).data!.transferTeams,
    failed: (e) => this.error.set(errorMessage(e)),
  });
  protected readonly loading = computed(() => this.agents.loading() || this.teams.loading() || this.transferring());

  constructor() {
    this.search$.pipe(debounceTime(250), takeUntilDestroyed()).subscribe((q) => {
      this.search = q.trim() || null;
      void this.agents.restart();
      void this.teams.restart();
    });
    void this.agents.load();
    void this.teams.load();
  }

  protected async transfer(target: { toUserId?: string; toTeamId?: string }): Promise<void> {
    this.transferring.set(true);
    this.error.set(null);
    try {
      const res = await firstValueFrom(
        this.apollo.mutate({
          mutation: TransferConversationDocument,
          variables: {
            input: { conversationId: this.data.conversationId, remark: this.remark.trim() || null, ...target },
          },
        }),
      );
      this.ref.close(res.data!.transferConversation);
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.transferring.set(false);
    }
  }
}
