import type { Page } from '../../graphql/generated';
import { ADMIN_NAV, AGENT_NAV, type NavEntry } from './nav';

/** The console's two modes (TEN-5): Agent Mode at the root, Admin Mode under `/admin`. */
export type Mode = 'agent' | 'admin';

export const MODES: readonly Mode[] = ['agent', 'admin'];

export const MODE_ICONS: Readonly<Record<Mode, string>> = { agent: 'support_agent', admin: 'admin_panel_settings' };

/** A navigation entry with the absolute link it opens. */
export interface ModeEntry extends NavEntry {
  link: string;
}

const ADMIN_ROOT = 'admin';

/** The mode a console URL belongs to. */
export function modeOf(url: string): Mode {
  const path = url.split(/[?#]/)[0]!.replace(/^\/+/, '');
  return path === ADMIN_ROOT || path.startsWith(`${ADMIN_ROOT}/`) ? 'admin' : 'agent';
}

/** The absolute link of an entry: Admin Mode paths are relative to `/admin` (a leading `admin/` is tolerated). */
export function linkOf(mode: Mode, entry: NavEntry): string {
  const path = entry.path.replace(/^\/+/, '');
  if (mode === 'agent') return `/${path}`;
  return path.startsWith(`${ADMIN_ROOT}/`) ? `/${path}` : `/${ADMIN_ROOT}/${path}`;
}

/** The entries of a mode that the grants allow, in the navigation's order. */
export function entriesOf(mode: Mode, has: (page: Page) => boolean): ModeEntry[] {
  const nav = mode === 'agent' ? AGENT_NAV : ADMIN_NAV;
  return nav.filter((e) => has(e.page)).map((e) => ({ ...e, link: linkOf(mode, e) }));
}

/** The modes with at least one granted page; the switch shows only when there are two. */
export function modesOf(has: (page: Page) => boolean): Mode[] {
  return MODES.filter((m) => entriesOf(m, has).length > 0);
}

/** Where a mode opens: its first granted page, or null when the role grants none. */
export function firstLinkOf(mode: Mode, has: (page: Page) => boolean): string | null {
  return entriesOf(mode, has)[0]?.link ?? null;
}

/** Where a signed-in user starts: the first Agent Mode page (Conversations), else the first Admin Mode page. */
export function homeLinkOf(has: (page: Page) => boolean): string {
  return firstLinkOf('agent', has) ?? firstLinkOf('admin', has) ?? '/profile';
}
