import type { Page } from '../../graphql/generated';

export interface NavEntry {
  path: string;
  /** The page a role must grant for the entry to show. */
  page: Page;
  icon: string;
  /** Translation key of the label. */
  label: string;
}

/** Agent Mode's pages, in the manual's order. */
export const AGENT_NAV: readonly NavEntry[] = [
  { path: 'conversations', page: 'AGENT_CONVERSATIONS', icon: 'forum', label: 'nav.conversations' },
  { path: 'queue', page: 'AGENT_QUEUE', icon: 'hourglass_top', label: 'nav.queue' },
  { path: 'knowledge', page: 'AGENT_KNOWLEDGE', icon: 'menu_book', label: 'nav.knowledge' },
  { path: 'notes', page: 'AGENT_NOTES', icon: 'sticky_note_2', label: 'nav.notes' },
  { path: 'history', page: 'AGENT_HISTORY', icon: 'history', label: 'nav.history' },
  { path: 'search', page: 'AGENT_SEARCH', icon: 'manage_search', label: 'nav.search' },
  { path: 'customers', page: 'AGENT_CUSTOMERS', icon: 'people', label: 'nav.customers' },
  { path: 'phrases', page: 'AGENT_PHRASES', icon: 'quickreply', label: 'nav.phrases' },
  { path: 'notifications', page: 'AGENT_NOTIFICATIONS', icon: 'notifications', label: 'nav.notifications' },
  { path: 'profile', page: 'AGENT_PROFILE', icon: 'badge', label: 'nav.profile' },
];

/** Admin Mode's pages that the console has, in the manual's order. */
export const ADMIN_NAV: readonly NavEntry[] = [
  // Paths are relative to /admin, where the routes of Admin Mode live (see modes.ts).
  { path: 'access', page: 'ADMIN_ACCESS', icon: 'widgets', label: 'nav.access' },
  { path: 'history', page: 'ADMIN_HISTORY', icon: 'history', label: 'nav.history' },
  { path: 'search', page: 'ADMIN_HISTORY', icon: 'manage_search', label: 'nav.search' },
  { path: 'customers', page: 'ADMIN_CUSTOMERS', icon: 'people', label: 'nav.customers' },
  { path: 'approvals', page: 'ADMIN_APPROVALS', icon: 'approval', label: 'nav.approvals' },
  { path: 'notifications', page: 'ADMIN_NOTIFICATIONS', icon: 'campaign', label: 'nav.notifications' },
  { path: 'settings', page: 'ADMIN_SETTINGS', icon: 'tune', label: 'settings.nav' },
];
