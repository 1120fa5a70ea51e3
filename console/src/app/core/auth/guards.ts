import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import type { Page } from '../../graphql/generated';
import { Session } from './session';

/** Signed-in users only; loads the user once per page load. */
export const signedIn: CanActivateFn = async (_route, state) => {
  const session = inject(Session);
  const router = inject(Router);
  if (session.user() || (session.signedIn() && (await session.load()))) return true;
  return router.createUrlTree(['/sign-in'], { queryParams: state.url !== '/' ? { next: state.url } : {} });
};

/** The route's page must be granted by the user's role. */
export const grants =
  (page: Page): CanActivateFn =>
  () =>
    inject(Session).has(page) || inject(Router).createUrlTree(['/']);

/** The first page the user may open. */
export const home: CanActivateFn = () => {
  const session = inject(Session);
  const first = session.has('AGENT_CONVERSATIONS')
    ? 'conversations'
    : session.has('AGENT_NOTIFICATIONS')
      ? 'notifications'
      : 'profile';
  return inject(Router).createUrlTree([`/${first}`]);
};
