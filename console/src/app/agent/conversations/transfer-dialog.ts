import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
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
import { CursorPages } from '../../shared/cursor-pages';
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
    TranslocoDirective,
  ],
  templateUrl: './transfer-dialog.html',
  styleUrl: './dialogs.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TransferDialog {
  private readonly apollo = inject(Apollo);
  private readonly ref = inject(MatDialogRef<TransferDialog>);
  protected readonly data = inject<{ conversationId: string; me: string }>(MAT_DIALOG_DATA);

  protected readonly agents = signal<Agent[]>([]);
  protected readonly teams = signal<Team[]>([]);
  protected readonly agentsTotal = signal(0);
  protected readonly teamsTotal = signal(0);
  protected readonly agentPage = signal(0);
  protected readonly teamPage = signal(0);
  private readonly agentPages = new CursorPages();
  private readonly teamPages = new CursorPages();
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  protected remark = '';
  private search = '';
  protected readonly search$ = new Subject<string>();

  constructor() {
    this.search$.pipe(debounceTime(250), takeUntilDestroyed()).subscribe((q) => {
      this.search = q.trim();
      this.agentPages.reset();
      this.teamPages.reset();
      this.agentPage.set(0);
      this.teamPage.set(0);
      void this.load();
    });
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    try {
      const search = this.search || null;
      const [agents, teams] = await Promise.all([
        firstValueFrom(
          this.apollo.query({
            query: TransferCandidatesDocument,
            variables: { search, first: PAGE, after: this.agentPages.after },
            fetchPolicy: 'network-only',
          }),
        ),
        firstValueFrom(
          this.apollo.query({
            query: TransferTeamCandidatesDocument,
            variables: { search, first: PAGE, after: this.teamPages.after },
            fetchPolicy: 'network-only',
          }),
        ),
      ]);
      this.agentPages.ended(agents.data!.colleagues.pageInfo.endCursor);
      this.teamPages.ended(teams.data!.transferTeams.pageInfo.endCursor);
      this.agents.set(agents.data!.colleagues.nodes.filter((a) => a.id !== this.data.me));
      this.agentsTotal.set(agents.data!.colleagues.totalCount);
      this.teams.set(teams.data!.transferTeams.nodes);
      this.teamsTotal.set(teams.data!.transferTeams.totalCount);
      this.error.set(null);
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.loading.set(false);
    }
  }

  protected page(kind: 'agents' | 'teams', delta: number): void {
    const pages = kind === 'agents' ? this.agentPages : this.teamPages;
    pages.move(delta);
    (kind === 'agents' ? this.agentPage : this.teamPage).set(pages.page);
    void this.load();
  }

  protected pages(total: number): number {
    return CursorPages.count(total, PAGE);
  }

  protected async transfer(target: { toUserId?: string; toTeamId?: string }): Promise<void> {
    this.loading.set(true);
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
      this.loading.set(false);
    }
  }
}
