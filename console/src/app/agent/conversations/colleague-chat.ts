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
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { filter, firstValueFrom } from 'rxjs';
import { ConnectionState } from '../../core/apollo/connection-state';
import { Session } from '../../core/auth/session';
import {
  ColleagueMessageArrivedDocument,
  type ColleagueTabQuery,
  ColleagueTabDocument,
  ColleagueThreadPageDocument,
  type ColleagueThreadPageQuery,
  ReadColleagueDocument,
  SendToColleagueDocument,
} from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';
import { SendKeyPreference, sendsOn } from './send-key';

type Colleague = ColleagueTabQuery['colleagues']['nodes'][number];
type Line = ColleagueThreadPageQuery['colleagueMessages'][number];

/** MSG-5: the Colleague tab — colleagues with unread counts, and a thread with each, live. */
@Component({
  selector: 'app-colleague-chat',
  imports: [DatePipe, FormsModule, MatButtonModule, MatIconModule, TranslocoDirective],
  templateUrl: './colleague-chat.html',
  styleUrl: './colleague-chat.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ColleagueChat {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);
  private readonly session = inject(Session);
  protected readonly sendKey = inject(SendKeyPreference);
  /** A colleague to open at once (a `/users/<id>` link). */
  readonly open = input<string | null>(null);
  private readonly loaded = signal(false);
  /** The linked colleague is not one of the tenant's enabled users. */
  protected readonly missing = signal(false);

  protected readonly colleagues = signal<Colleague[]>([]);
  protected readonly unread = signal<ReadonlyMap<string, number>>(new Map());
  protected readonly withId = signal<string | null>(null);
  protected readonly with = computed(() => this.colleagues().find((c) => c.id === this.withId()) ?? null);
  protected readonly thread = signal<Line[]>([]);
  protected readonly me = computed(() => this.session.user()?.id ?? null);
  protected draft = '';

  constructor() {
    const destroyRef = inject(DestroyRef);
    void this.load();
    this.apollo
      .subscribe({ query: ColleagueMessageArrivedDocument })
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe(({ data }) => {
        const m = data?.colleagueMessageAdded;
        if (!m) return;
        const other = m.sender === this.me() ? m.recipient : m.sender;
        if (other === this.withId()) {
          this.thread.update((list) => (list.some((x) => x.id === m.id) ? list : [...list, m]));
          if (m.sender === other) void this.markRead(other);
        } else if (m.sender !== this.me()) {
          this.unread.update((u) => new Map(u).set(other, (u.get(other) ?? 0) + 1));
        }
      });
    // After a reconnect the feed does not replay: read again.
    toObservable(inject(ConnectionState).generation)
      .pipe(
        filter((g) => g > 1),
        takeUntilDestroyed(destroyRef),
      )
      .subscribe(() => void this.load());
    effect(() => {
      const id = this.open();
      if (!id || !this.loaded()) return;
      untracked(() => {
        const found = this.colleagues().some((c) => c.id === id);
        this.missing.set(!found);
        if (found) void this.openThread(id);
      });
    });
  }

  private async load(): Promise<void> {
    try {
      const res = await firstValueFrom(this.apollo.query({ query: ColleagueTabDocument, fetchPolicy: 'network-only' }));
      this.colleagues.set(res.data!.colleagues.nodes);
      this.unread.set(new Map(res.data!.colleagueUnread.map((u) => [u.userId, u.count])));
      this.loaded.set(true);
      const open = this.withId();
      if (open) await this.openThread(open);
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }

  protected async openThread(userId: string): Promise<void> {
    this.withId.set(userId);
    try {
      const res = await firstValueFrom(
        this.apollo.query({ query: ColleagueThreadPageDocument, variables: { userId }, fetchPolicy: 'network-only' }),
      );
      this.thread.set(res.data!.colleagueMessages);
      await this.markRead(userId);
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }

  private async markRead(userId: string): Promise<void> {
    this.unread.update((u) => {
      const next = new Map(u);
      next.delete(userId);
      return next;
    });
    await firstValueFrom(this.apollo.mutate({ mutation: ReadColleagueDocument, variables: { userId } })).catch(
      () => undefined,
    );
  }

  protected async send(): Promise<void> {
    const toUserId = this.withId();
    const text = this.draft.trim();
    if (!toUserId || !text) return;
    this.draft = '';
    try {
      const res = await firstValueFrom(
        this.apollo.mutate({
          mutation: SendToColleagueDocument,
          variables: { input: { toUserId, text, clientMessageId: crypto.randomUUID() } },
        }),
      );
      const m = res.data!.sendColleagueMessage;
      this.thread.update((list) => (list.some((x) => x.id === m.id) ? list : [...list, m]));
    } catch (e) {
      this.draft = text;
      this.snack.open(errorMessage(e), 'OK');
    }
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (sendsOn(event, this.sendKey.key())) {
      event.preventDefault();
      void this.send();
    }
  }
}
