import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { MatBadgeModule } from '@angular/material/badge';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslocoDirective, TranslocoService } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { auditTime, filter, firstValueFrom, map } from 'rxjs';
import { ApprovalAlerts } from '../../admin/approvals/approval-alerts';
import {
  PresenceChangesDocument,
  SaveLanguageDocument,
  SetMyStatusDocument,
  ShellConversationsChangedDocument,
  TopBarWorkloadDocument,
  ShellNotificationAddedDocument,
  UnreadNotificationCountDocument,
  type Page,
  type UserStatus,
} from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';
import { Session } from '../auth/session';
import { LANGUAGES, type LanguageId, rememberLanguage } from '../i18n/i18n';
import { MessageAlerts } from './message-alerts';
import { entriesOf, firstLinkOf, MODE_ICONS, modeOf, modesOf } from './modes';

const STATUSES: readonly { status: UserStatus; color: string }[] = [
  { status: 'ONLINE', color: '#2e7d32' },
  { status: 'BUSY', color: '#c62828' },
  { status: 'AWAY', color: '#ef6c00' },
  { status: 'INVISIBLE', color: '#757575' },
];

/** The signed-in frame: navigation rail, top bar (status, language, account) and the page. */
@Component({
  selector: 'app-shell',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatToolbarModule,
    MatButtonModule,
    MatIconModule,
    MatMenuModule,
    MatTooltipModule,
    MatBadgeModule,
    TranslocoDirective,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  protected readonly session = inject(Session);
  protected readonly alerts = inject(MessageAlerts);
  private readonly approvals = inject(ApprovalAlerts);
  private readonly router = inject(Router);
  private readonly apollo = inject(Apollo);
  private readonly transloco = inject(TranslocoService);
  private readonly snack = inject(MatSnackBar);

  protected readonly statuses = STATUSES;
  protected readonly languages = LANGUAGES;
  /** The mode follows the URL: `/admin/...` is Admin Mode (TEN-5). */
  protected readonly mode = toSignal(
    this.router.events.pipe(
      filter((e) => e instanceof NavigationEnd),
      map((e) => modeOf(e.urlAfterRedirects)),
    ),
    // The shell is created while its first navigation is under way: that navigation's target decides.
    { initialValue: modeOf(this.router.currentNavigation()?.finalUrl?.toString() ?? this.router.url) },
  );
  private readonly has = (page: Page) => this.session.has(page);
  protected readonly nav = computed(() => entriesOf(this.mode(), this.has));
  /** Counts on navigation entries, by page. */
  protected readonly badges = computed<Partial<Record<Page, number>>>(() => ({
    ADMIN_APPROVALS: this.approvals.pending(),
  }));
  /**
   * The modes the role grants pages of, with where each opens and the sum of its entries' counts
   * (so the other mode's news shows on the switch); the switch shows when there are two.
   */
  protected readonly modes = computed(() => {
    const badges = this.badges();
    return modesOf(this.has).map((mode) => {
      const pages = new Set(entriesOf(mode, this.has).map((e) => e.page));
      const badge = [...pages].reduce((sum, page) => sum + (badges[page] ?? 0), 0);
      return { mode, link: firstLinkOf(mode, this.has)!, icon: MODE_ICONS[mode], badge };
    });
  });
  protected readonly status = computed(() => this.session.user()?.status ?? 'OFFLINE');
  protected readonly statusColor = computed(() => STATUSES.find((s) => s.status === this.status())?.color ?? '#9e9e9e');
  protected readonly pendingStatus = signal<UserStatus | null>(null);
  protected readonly language = signal(this.transloco.getActiveLang());
  protected readonly elapsed = signal('0:00');
  protected readonly unread = signal(0);
  protected readonly workload = signal<{ ongoing: number; served: number; closed: number } | null>(null);

  constructor() {
    const destroyRef = inject(DestroyRef);
    // Approval requests alert their deciders on every page of either mode (APR-1).
    this.approvals.watch(destroyRef);
    const tick = setInterval(() => {
      this.elapsed.set(duration(Date.now() - this.session.signedInAt()));
      void this.refreshWorkload();
    }, 30_000);
    void this.refreshWorkload();
    this.elapsed.set(duration(Date.now() - this.session.signedInAt()));
    destroyRef.onDestroy(() => clearInterval(tick));

    // The live socket is what makes the user online (PRE-1); these feeds keep it open.
    this.apollo
      .subscribe({ query: PresenceChangesDocument })
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe(({ data }) => {
        const change = data?.presenceChanges;
        const me = this.session.user();
        if (!change || !me || change.userId !== me.id) return;
        this.session.user.set({ ...me, status: change.status, maxConversations: change.maxConversations });
        if (change.status === this.pendingStatus()) this.pendingStatus.set(null);
      });
    this.apollo
      .subscribe({ query: ShellNotificationAddedDocument })
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe(() => this.unread.update((n) => n + 1));
    // The counters follow the agent's conversations as they come and go.
    this.apollo
      .subscribe({ query: ShellConversationsChangedDocument })
      .pipe(auditTime(1000), takeUntilDestroyed(destroyRef))
      .subscribe(() => void this.refreshWorkload());
    void this.refreshUnread();
    // The socket connects lazily: read the status the connection gave us once it is up.
    setTimeout(() => void this.session.load(), 1500);
  }

  /** Today's served and closed counts, and what is open now. */
  protected async refreshWorkload(): Promise<void> {
    const midnight = new Date();
    midnight.setHours(0, 0, 0, 0);
    try {
      const res = await firstValueFrom(
        this.apollo.query({
          query: TopBarWorkloadDocument,
          variables: { since: midnight.toISOString() },
          fetchPolicy: 'network-only',
        }),
      );
      this.workload.set(res.data?.myWorkload ?? null);
    } catch {
      // The counters are a hint; they come back on the next tick.
    }
  }

  protected async refreshUnread(): Promise<void> {
    try {
      const res = await firstValueFrom(
        this.apollo.query({ query: UnreadNotificationCountDocument, fetchPolicy: 'network-only' }),
      );
      this.unread.set(res.data?.unreadNotificationCount ?? 0);
    } catch {
      // The badge is a hint; the page itself shows errors.
    }
  }

  protected async setStatus(status: UserStatus): Promise<void> {
    try {
      const res = await firstValueFrom(this.apollo.mutate({ mutation: SetMyStatusDocument, variables: { status } }));
      const result = res.data!.setMyStatus;
      this.session.user.update((u) => (u ? { ...u, status: result.user.status } : u));
      this.pendingStatus.set(result.pendingApproval ? status : null);
      if (result.pendingApproval)
        this.snack.open(this.transloco.translate('status.pendingApproval'), undefined, { duration: 4000 });
    } catch (e) {
      this.snack.open(errorMessage(e), this.transloco.translate('common.close'));
    }
  }

  protected async setLanguage(lang: LanguageId): Promise<void> {
    this.transloco.setActiveLang(lang);
    this.language.set(lang);
    rememberLanguage(lang);
    document.documentElement.lang = lang;
    // The choice is the user's, on every device (TEN-2).
    const language = lang === 'zh-CN' ? 'ZH_CN' : 'EN';
    try {
      await firstValueFrom(this.apollo.mutate({ mutation: SaveLanguageDocument, variables: { language } }));
      this.session.user.update((u) => (u ? { ...u, language } : u));
    } catch (e) {
      this.snack.open(errorMessage(e), this.transloco.translate('common.close'));
    }
  }

  protected signOut(): Promise<void> {
    return this.session.signOut();
  }
}

function duration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}
