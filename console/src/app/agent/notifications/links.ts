import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { Session } from '../../core/auth/session';
import type { Page } from '../../graphql/generated';

/** Where a notification's link opens, or that the role does not grant the page it needs. */
export type LinkTarget = { url: string } | { denied: true };

// Ids are UUIDs; anything else is not a link the console follows.
const LINK = /^\/(conversations|notes|customers|users)\/([0-9A-Za-z-]+)$/;

/**
 * NTF-1: the console page a notification link (`/conversations/<id>`, `/notes/<id>`,
 * `/customers/<id>`, `/users/<id>`) opens for a user with these grants; null for links the console
 * has no page for (a notice is its own content).
 *
 * A conversation opens in Conversations (which falls back to History when it is no longer
 * ongoing with the agent), or straight in History for a role without Conversations. A user opens
 * the Colleague chat with them; one's own user is Personal info.
 */
export function linkTarget(
  link: string | null | undefined,
  has: (page: Page) => boolean,
  me: string | null,
): LinkTarget | null {
  const match = LINK.exec(link ?? '');
  if (!match) return null;
  const [, kind, id] = match;
  const grant = (page: Page, url: string): LinkTarget => (has(page) ? { url } : { denied: true });
  switch (kind) {
    case 'conversations':
      if (has('AGENT_CONVERSATIONS')) return { url: `/conversations?open=${id}` };
      return grant('AGENT_HISTORY', `/history/${id}`);
    case 'notes':
      return grant('AGENT_NOTES', `/notes/${id}`);
    case 'customers':
      return grant('AGENT_CUSTOMERS', `/customers/${id}`);
    default:
      return id === me
        ? grant('AGENT_PROFILE', '/profile')
        : grant('AGENT_CONVERSATIONS', `/conversations?colleague=${id}`);
  }
}

/** `/conversations/<id>` and `/users/<id>`: go where the link points for this user's role, else home. */
export const followLink: CanActivateFn = (_route, state) => {
  const session = inject(Session);
  const router = inject(Router);
  const target = linkTarget(state.url.split(/[?#]/)[0], (p) => session.has(p), session.user()?.id ?? null);
  return target && 'url' in target ? router.parseUrl(target.url) : router.createUrlTree(['/']);
};
