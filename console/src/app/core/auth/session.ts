import { computed, inject, Injectable, signal } from '@angular/core';
import { Router } from '@angular/router';
import { TranslocoService } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import {
  CurrentUserDocument,
  type CurrentUserFragment,
  type Language,
  type Page,
  RefreshDocument,
  SignInDocument,
  SignOutDocument,
} from '../../graphql/generated';
import { rememberLanguage } from '../i18n/i18n';
import { TokenStore, type Tokens } from './token-store';

/** The signed-in user and their grants; sign-in, refresh and sign-out. */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly apollo = inject(Apollo);
  private readonly store = inject(TokenStore);
  private readonly router = inject(Router);
  private readonly transloco = inject(TranslocoService);
  private refreshing: Promise<boolean> | null = null;

  readonly user = signal<CurrentUserFragment | null>(null);
  readonly signedIn = computed(() => this.store.tokens() !== null);
  readonly pages = computed(() => new Set<Page>(this.user()?.role.pages ?? []));
  readonly isAdmin = computed(() => this.user()?.role.builtIn === 'ADMIN');
  readonly signedInAt = signal<number>(Date.now());

  accessToken(): string | null {
    return this.store.tokens()?.accessToken ?? null;
  }

  has(page: Page): boolean {
    return this.pages().has(page);
  }

  async signIn(email: string, password: string): Promise<void> {
    const res = await firstValueFrom(
      this.apollo.mutate({ mutation: SignInDocument, variables: { input: { email, password } } }),
    );
    this.store.set(res.data!.login as Tokens);
    this.signedInAt.set(Date.now());
    await this.load();
  }

  /** Loads the current user; false when the session is gone. */
  async load(): Promise<boolean> {
    if (!this.store.tokens()) return false;
    try {
      const res = await firstValueFrom(this.apollo.query({ query: CurrentUserDocument, fetchPolicy: 'network-only' }));
      const me = res.data?.me ?? null;
      this.user.set(me);
      if (me) this.applyLanguage(me.language);
      return !!me;
    } catch {
      return false;
    }
  }

  /** Exchanges the refresh token for new tokens; concurrent callers share one exchange. */
  refresh(): Promise<boolean> {
    const tokens = this.store.tokens();
    if (!tokens) return Promise.resolve(false);
    this.refreshing ??= firstValueFrom(
      this.apollo.mutate({
        mutation: RefreshDocument,
        variables: { refreshToken: tokens.refreshToken },
        context: { skipAuth: true },
      }),
    )
      .then((res) => {
        this.store.set(res.data!.refreshSession as Tokens);
        return true;
      })
      .catch(() => {
        this.expire();
        return false;
      })
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private applyLanguage(language: Language): void {
    const lang = language === 'ZH_CN' ? 'zh-CN' : 'en';
    if (this.transloco.getActiveLang() === lang) return;
    this.transloco.setActiveLang(lang);
    rememberLanguage(lang);
    document.documentElement.lang = lang;
  }

  async signOut(): Promise<void> {
    try {
      await firstValueFrom(this.apollo.mutate({ mutation: SignOutDocument }));
    } catch {
      // Signing out locally is what matters; the server session expires on its own.
    }
    this.expire();
  }

  /** Forgets the session and goes to the sign-in page. */
  expire(): void {
    this.store.set(null);
    this.user.set(null);
    void this.apollo.client.clearStore();
    void this.router.navigate(['/sign-in']);
  }
}
