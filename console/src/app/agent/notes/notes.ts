import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { auditTime, firstValueFrom } from 'rxjs';
import { Session } from '../../core/auth/session';
import {
  AssignNoteToMeDocument,
  type ChannelType,
  ExportNotesDocument,
  LinkedNoteDocument,
  NoteChangedDocument,
  type NoteAssignee,
  type NoteState,
  type NoteCardFragment,
  NotesPageDocument,
  SetNoteStateDocument,
} from '../../graphql/generated';
import { errorCode, errorMessage } from '../../shared/errors';

type Note = NoteCardFragment;
const PAGE = 20;

/**
 * CNT-4: notes left by visitors; filters on the server, state and assignment, export, live.
 * `/notes/<id>` (a notification's link) shows that note first, whatever the filters.
 */
@Component({
  selector: 'app-notes',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    TranslocoDirective,
  ],
  templateUrl: './notes.html',
  styleUrl: './notes.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Notes {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);
  protected readonly session = inject(Session);

  protected readonly states: NoteState[] = ['OPEN', 'PENDING', 'SOLVED'];
  protected readonly channels: ChannelType[] = ['WEB', 'APP', 'WECHAT', 'WEIBO'];
  protected readonly notes = signal<Note[]>([]);
  /** The note a link opened; it stays first until the page is left. */
  readonly id = input<string | null>(null);
  protected readonly linked = signal<Note | null>(null);
  protected readonly linkGone = signal(false);
  protected readonly shown = computed(() => {
    const linked = this.linked();
    const list = this.notes();
    return linked ? [linked, ...list.filter((n) => n.id !== linked.id)] : list;
  });
  protected readonly total = signal(0);
  protected readonly loading = signal(false);
  protected readonly hasMore = signal(false);
  protected state: NoteState | null = 'OPEN';
  protected assignee: NoteAssignee | null = null;
  protected channel: ChannelType | null = null;
  protected keyword = '';
  protected from = '';
  protected to = '';
  private cursor: string | null = null;

  constructor() {
    void this.load(true);
    this.apollo
      .subscribe({ query: NoteChangedDocument })
      .pipe(auditTime(500), takeUntilDestroyed(inject(DestroyRef)))
      .subscribe(() => void this.load(true));
    effect(() => {
      const id = this.id();
      if (id) untracked(() => void this.openLinked(id));
    });
  }

  private async openLinked(id: string): Promise<void> {
    try {
      const res = await firstValueFrom(
        this.apollo.query({ query: LinkedNoteDocument, variables: { id }, fetchPolicy: 'network-only' }),
      );
      this.linked.set(res.data!.note);
      this.linkGone.set(false);
    } catch (e) {
      this.linked.set(null);
      // Deleted, or not one this user may see: the API answers NOT_FOUND to both.
      if (errorCode(e) === 'NOT_FOUND') this.linkGone.set(true);
      else this.snack.open(errorMessage(e), 'OK');
    }
  }

  /** Applies a change to a note wherever it shows. */
  private patch(id: string, change: Partial<Note>): void {
    this.notes.update((list) => list.map((n) => (n.id === id ? { ...n, ...change } : n)));
    this.linked.update((n) => (n?.id === id ? { ...n, ...change } : n));
  }

  protected async load(reset: boolean): Promise<void> {
    if (reset) this.cursor = null;
    this.loading.set(true);
    try {
      const res = await firstValueFrom(
        this.apollo.query({
          query: NotesPageDocument,
          variables: {
            ...this.filters(),
            createdFrom: this.from ? new Date(`${this.from}T00:00:00`).toISOString() : null,
            createdTo: this.to ? new Date(`${this.to}T23:59:59.999`).toISOString() : null,
            first: PAGE,
            after: this.cursor,
          },
          fetchPolicy: 'network-only',
        }),
      );
      const conn = res.data!.notes;
      this.notes.update((list) => (reset ? conn.nodes : [...list, ...conn.nodes]));
      this.total.set(conn.totalCount);
      this.cursor = conn.pageInfo.endCursor ?? null;
      this.hasMore.set(conn.pageInfo.hasNextPage);
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    } finally {
      this.loading.set(false);
    }
  }

  private filters() {
    return { state: this.state, assignee: this.assignee, channel: this.channel, keyword: this.keyword.trim() || null };
  }

  protected async setState(note: Note, state: NoteState): Promise<void> {
    try {
      await firstValueFrom(this.apollo.mutate({ mutation: SetNoteStateDocument, variables: { id: note.id, state } }));
      this.patch(note.id, { state });
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }

  protected async take(note: Note, mine: boolean): Promise<void> {
    try {
      const userId = mine ? (this.session.user()?.id ?? null) : null;
      const res = await firstValueFrom(
        this.apollo.mutate({ mutation: AssignNoteToMeDocument, variables: { id: note.id, userId } }),
      );
      const assigneeUser = res.data!.assignNote.assigneeUser;
      this.patch(note.id, { assigneeUser });
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }

  protected async export(): Promise<void> {
    try {
      const f = this.filters();
      const res = await firstValueFrom(
        this.apollo.mutate({
          mutation: ExportNotesDocument,
          variables: { state: f.state, channel: f.channel, keyword: f.keyword },
        }),
      );
      location.assign(res.data!.exportNotes.url);
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }
}
