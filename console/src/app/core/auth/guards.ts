import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import type { Page } from '../../graphql/generated';
import { firstLinkOf, homeLinkOf } from '../layout/modes';
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

/** The first page the user may open: Agent Mode's first, else Admin Mode's first (TEN-5). */
export const home: CanActivateFn = () => {
  const session = inject(Session);
  return inject(Router).parseUrl(homeLinkOf((p) => session.has(p)));
};

/** `/admin` opens the first Admin Mode page the role grants. */
export const adminHome: CanActivateFn = () => {
  const session = inject(Session);
  return inject(Router).parseUrl(firstLinkOf('admin', (p) => session.has(p)) ?? '/');
};
