import { inject } from '@angular/core';
import { ActivatedRoute } from '@angular/router';
import type { ConsoleMode } from '../graphql/generated';

/**
 * The mode of the page being opened: Admin Mode routes say `data: { mode: 'ADMIN' }`, every other
 * route is Agent Mode. Read from the route's data, not from query parameters, so a URL cannot
 * switch a page into the other mode (the API checks the grant either way).
 */
export function routeMode(): ConsoleMode {
  return inject(ActivatedRoute, { optional: true })?.snapshot.data['mode'] === 'ADMIN' ? 'ADMIN' : 'AGENT';
}
