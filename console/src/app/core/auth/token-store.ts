import { Injectable, signal } from '@angular/core';

export interface Tokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
}

const KEY = 'parley.session';

/** The session's tokens, kept in localStorage so a reload (or another tab) stays signed in. */
@Injectable({ providedIn: 'root' })
export class TokenStore {
  private readonly state = signal<Tokens | null>(read());
  readonly tokens = this.state.asReadonly();

  set(tokens: Tokens | null): void {
    this.state.set(tokens);
    if (tokens) localStorage.setItem(KEY, JSON.stringify(tokens));
    else localStorage.removeItem(KEY);
  }

  /** Whether the access token expires within `marginMs`. */
  expiresSoon(marginMs = 30_000): boolean {
    const t = this.state();
    return !!t && Date.parse(t.accessTokenExpiresAt) - Date.now() < marginMs;
  }
}

function read(): Tokens | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const t = JSON.parse(raw) as Tokens;
    return Date.parse(t.refreshTokenExpiresAt) > Date.now() ? t : null;
  } catch {
    return null;
  }
}
