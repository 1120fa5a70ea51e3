import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, type UrlTree } from '@angular/router';
import type { Page } from '../../graphql/generated';
import { adminHome, home } from '../auth/guards';
import { Session } from '../auth/session';
import { entriesOf, firstLinkOf, homeLinkOf, linkOf, modeOf, modesOf } from './modes';
import { ADMIN_NAV, AGENT_NAV } from './nav';

const grants =
  (...pages: Page[]) =>
  (page: Page) =>
    pages.includes(page);
const ALL_AGENT = AGENT_NAV.map((e) => e.page);
const ALL_ADMIN = ADMIN_NAV.map((e) => e.page);

describe('console modes', () => {
  it('takes the mode from the URL: /admin and below is Admin Mode', () => {
    expect(modeOf('/admin')).toBe('admin');
    expect(modeOf('/admin/approvals?state=PENDING')).toBe('admin');
    expect(modeOf('/admin#main')).toBe('admin');
    expect(modeOf('/conversations')).toBe('agent');
    expect(modeOf('/')).toBe('agent');
    expect(modeOf('/administrators')).toBe('agent');
  });

  it('links Admin Mode entries under /admin, whether or not their path says so', () => {
    const entry = { path: 'approvals', page: 'ADMIN_APPROVALS' as const, icon: 'x', label: 'x' };
    expect(linkOf('admin', entry)).toBe('/admin/approvals');
    expect(linkOf('admin', { ...entry, path: 'admin/history' })).toBe('/admin/history');
    expect(linkOf('agent', { ...entry, path: 'queue' })).toBe('/queue');
  });

  it('shows both modes, and the switch, to a role with pages of each', () => {
    const has = grants('AGENT_CONVERSATIONS', 'AGENT_PROFILE', 'ADMIN_APPROVALS', 'ADMIN_ACCESS');
    expect(modesOf(has)).toEqual(['agent', 'admin']);
    expect(entriesOf('agent', has).map((e) => e.link)).toEqual(['/conversations', '/profile']);
    expect(entriesOf('admin', has).map((e) => e.link)).toEqual(['/admin/access', '/admin/approvals']);
    expect(firstLinkOf('admin', has)).toBe('/admin/access');
    expect(firstLinkOf('agent', has)).toBe('/conversations');
  });

  it('lists only the granted entries of a mode, in the navigation order', () => {
    const has = grants('AGENT_PROFILE', 'AGENT_QUEUE', 'ADMIN_APPROVALS');
    expect(entriesOf('agent', has).map((e) => e.page)).toEqual(['AGENT_QUEUE', 'AGENT_PROFILE']);
    expect(entriesOf('admin', has).map((e) => e.page)).toEqual(['ADMIN_APPROVALS']);
    expect(firstLinkOf('agent', has)).toBe('/queue');
  });

  it('gives an agent-only role no switch and no Admin Mode', () => {
    const has = grants(...ALL_AGENT);
    expect(modesOf(has)).toEqual(['agent']);
    expect(entriesOf('admin', has)).toEqual([]);
    expect(firstLinkOf('admin', has)).toBeNull();
  });

  it('gives an admin-only role no switch, and starts it in Admin Mode', () => {
    const has = grants('ADMIN_APPROVALS');
    expect(modesOf(has)).toEqual(['admin']);
    expect(homeLinkOf(has)).toBe('/admin/approvals');
  });

  it('ignores Admin Mode pages the console has no entry for', () => {
    const has = grants('AGENT_CONVERSATIONS', 'ADMIN_ACCOUNT');
    expect(ADMIN_NAV.some((e) => e.page === 'ADMIN_ACCOUNT')).toBe(false);
    expect(modesOf(has)).toEqual(['agent']);
  });

  it('opens Admin Mode for any page listed in ADMIN_NAV', () => {
    for (const entry of ADMIN_NAV) {
      const has = grants('AGENT_PROFILE', entry.page);
      expect(modesOf(has)).toEqual(['agent', 'admin']);
      expect(firstLinkOf('admin', has)).toMatch(/^\/admin\//);
    }
  });

  it('opens the first of several entries that share a page (History before Search)', () => {
    const has = grants('AGENT_PROFILE', 'ADMIN_HISTORY');
    expect(entriesOf('admin', has).map((e) => e.link)).toEqual(['/admin/history', '/admin/search']);
    expect(firstLinkOf('admin', has)).toBe('/admin/history');
  });

  it('starts a full role in Conversations', () => {
    expect(homeLinkOf(grants(...ALL_AGENT, ...ALL_ADMIN))).toBe('/conversations');
  });
});

describe('home and adminHome guards', () => {
  function run(guard: typeof home, pages: Page[]): string {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: Session, useValue: { has: (p: Page) => pages.includes(p) } }],
    });
    const result = TestBed.runInInjectionContext(() => guard({} as never, {} as never)) as UrlTree;
    return TestBed.inject(Router).serializeUrl(result);
  }

  it('sends a user without Agent Mode pages to their first Admin Mode page', () => {
    expect(run(home, ['ADMIN_APPROVALS'])).toBe('/admin/approvals');
  });

  it('sends everyone else to Agent Mode', () => {
    expect(run(home, ['AGENT_CONVERSATIONS', 'ADMIN_APPROVALS'])).toBe('/conversations');
    expect(run(home, ['AGENT_NOTIFICATIONS', 'AGENT_PROFILE'])).toBe('/notifications');
  });

  it('opens /admin at the first granted Admin Mode page, or home without any', () => {
    expect(run(adminHome, ['AGENT_CONVERSATIONS', 'ADMIN_APPROVALS'])).toBe('/admin/approvals');
    expect(run(adminHome, ['AGENT_CONVERSATIONS'])).toBe('/');
  });
});
