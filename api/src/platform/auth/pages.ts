import { registerEnumType } from 'type-graphql';

/**
 * The console's pages: a role grants a set of them, and the same grant governs the API.
 * Agent Mode pages start with AGENT_, Admin Mode pages with ADMIN_.
 */
export enum Page {
  AGENT_CONVERSATIONS = 'AGENT_CONVERSATIONS',
  AGENT_QUEUE = 'AGENT_QUEUE',
  AGENT_KNOWLEDGE = 'AGENT_KNOWLEDGE',
  AGENT_NOTES = 'AGENT_NOTES',
  AGENT_HISTORY = 'AGENT_HISTORY',
  AGENT_REVIEW = 'AGENT_REVIEW',
  AGENT_SEARCH = 'AGENT_SEARCH',
  AGENT_CUSTOMERS = 'AGENT_CUSTOMERS',
  AGENT_EXPORT = 'AGENT_EXPORT',
  AGENT_PHRASES = 'AGENT_PHRASES',
  AGENT_NOTIFICATIONS = 'AGENT_NOTIFICATIONS',
  AGENT_STATISTICS = 'AGENT_STATISTICS',
  AGENT_PROFILE = 'AGENT_PROFILE',
  ADMIN_HOME = 'ADMIN_HOME',
  ADMIN_ACCESS = 'ADMIN_ACCESS',
  ADMIN_CONTENT = 'ADMIN_CONTENT',
  ADMIN_HISTORY = 'ADMIN_HISTORY',
  ADMIN_CUSTOMERS = 'ADMIN_CUSTOMERS',
  ADMIN_MONITOR = 'ADMIN_MONITOR',
  ADMIN_APPROVALS = 'ADMIN_APPROVALS',
  ADMIN_STATISTICS = 'ADMIN_STATISTICS',
  ADMIN_QUALITY = 'ADMIN_QUALITY',
  ADMIN_USERS = 'ADMIN_USERS',
  ADMIN_TEAMS = 'ADMIN_TEAMS',
  ADMIN_ROLES = 'ADMIN_ROLES',
  ADMIN_EXPORT = 'ADMIN_EXPORT',
  ADMIN_NOTIFICATIONS = 'ADMIN_NOTIFICATIONS',
  ADMIN_SETTINGS = 'ADMIN_SETTINGS',
  ADMIN_ACCOUNT = 'ADMIN_ACCOUNT',
}

export const ALL_PAGES: readonly Page[] = Object.values(Page);
export const AGENT_PAGES: readonly Page[] = ALL_PAGES.filter((p) => p.startsWith('AGENT_'));

/** Areas whose data a role sees either tenant-wide or only for the user's teams. */
export enum ScopedArea {
  CUSTOMERS = 'CUSTOMERS',
  HISTORY = 'HISTORY',
  ONGOING = 'ONGOING',
}

export enum DataScope {
  TENANT = 'TENANT',
  TEAM = 'TEAM',
}

registerEnumType(Page, {
  name: 'Page',
  description: 'A console page; roles grant pages, and pages gate API operations.',
});
registerEnumType(ScopedArea, { name: 'ScopedArea' });
registerEnumType(DataScope, {
  name: 'DataScope',
  description: 'TENANT: all data of the tenant. TEAM: only data of the teams the user belongs to.',
});
