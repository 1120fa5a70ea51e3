import type { Routes } from '@angular/router';
import { adminHome, grants, home, signedIn } from './core/auth/guards';
import { followLink } from './agent/notifications/links';

export const routes: Routes = [
  { path: 'sign-in', loadComponent: () => import('./auth/sign-in/sign-in').then((m) => m.SignIn) },
  {
    path: '',
    canActivate: [signedIn],
    loadComponent: () => import('./core/layout/shell').then((m) => m.Shell),
    children: [
      { path: '', pathMatch: 'full', canActivate: [home], children: [] },
      {
        path: 'conversations',
        canActivate: [grants('AGENT_CONVERSATIONS')],
        loadComponent: () => import('./agent/conversations/conversations').then((m) => m.Conversations),
        title: 'Conversations · Parley',
      },
      // Notification links (NTF-1): each opens its subject where the role allows.
      { path: 'conversations/:id', canActivate: [followLink], children: [] },
      { path: 'users/:id', canActivate: [followLink], children: [] },
      {
        path: 'queue',
        canActivate: [grants('AGENT_QUEUE')],
        loadComponent: () => import('./agent/queue/queue').then((m) => m.Queue),
        title: 'Queue · Parley',
      },
      {
        path: 'knowledge',
        canActivate: [grants('AGENT_KNOWLEDGE')],
        loadComponent: () => import('./agent/knowledge/knowledge').then((m) => m.Knowledge),
        title: 'Knowledge · Parley',
      },
      {
        path: 'notes',
        canActivate: [grants('AGENT_NOTES')],
        loadComponent: () => import('./agent/notes/notes').then((m) => m.Notes),
        title: 'Notes · Parley',
      },
      {
        path: 'notes/:id',
        canActivate: [grants('AGENT_NOTES')],
        loadComponent: () => import('./agent/notes/notes').then((m) => m.Notes),
        title: 'Notes · Parley',
      },
      {
        path: 'history',
        canActivate: [grants('AGENT_HISTORY')],
        loadComponent: () => import('./agent/history/history').then((m) => m.History),
        title: 'History · Parley',
      },
      {
        path: 'history/:id',
        canActivate: [grants('AGENT_HISTORY')],
        loadComponent: () => import('./agent/history/history').then((m) => m.History),
        title: 'History · Parley',
      },
      {
        path: 'search',
        canActivate: [grants('AGENT_SEARCH')],
        loadComponent: () => import('./agent/search/search').then((m) => m.Search),
        title: 'Search · Parley',
      },
      {
        path: 'customers',
        canActivate: [grants('AGENT_CUSTOMERS')],
        loadComponent: () => import('./agent/customers/customers').then((m) => m.Customers),
        title: 'Customers · Parley',
      },
      {
        path: 'customers/:id',
        canActivate: [grants('AGENT_CUSTOMERS')],
        loadComponent: () => import('./agent/customers/customers').then((m) => m.Customers),
        title: 'Customers · Parley',
      },
      {
        path: 'phrases',
        canActivate: [grants('AGENT_PHRASES')],
        loadComponent: () => import('./agent/phrases/phrases').then((m) => m.Phrases),
        title: 'Phrases · Parley',
      },
      {
        path: 'notifications',
        canActivate: [grants('AGENT_NOTIFICATIONS')],
        loadComponent: () => import('./agent/notifications/notifications').then((m) => m.Notifications),
        title: 'Notifications · Parley',
      },
      {
        path: 'profile',
        canActivate: [grants('AGENT_PROFILE')],
        loadComponent: () => import('./agent/profile/profile').then((m) => m.Profile),
        title: 'Personal info · Parley',
      },
      { path: 'admin', pathMatch: 'full', canActivate: [adminHome], children: [] },
      {
        path: 'admin/access',
        canActivate: [grants('ADMIN_ACCESS')],
        loadComponent: () => import('./admin/access/access').then((m) => m.Access),
        title: 'Access · Parley',
      },
      {
        path: 'admin/history',
        canActivate: [grants('ADMIN_HISTORY')],
        loadComponent: () => import('./agent/history/history').then((m) => m.History),
        data: { mode: 'ADMIN' },
        title: 'History · Admin · Parley',
      },
      {
        path: 'admin/search',
        canActivate: [grants('ADMIN_HISTORY')],
        loadComponent: () => import('./agent/search/search').then((m) => m.Search),
        data: { mode: 'ADMIN' },
        title: 'Search · Admin · Parley',
      },
      {
        path: 'admin/customers',
        canActivate: [grants('ADMIN_CUSTOMERS')],
        loadComponent: () => import('./agent/customers/customers').then((m) => m.Customers),
        data: { mode: 'ADMIN' },
        title: 'Customers · Admin · Parley',
      },
      {
        path: 'admin/customers/blacklist-log',
        canActivate: [grants('ADMIN_CUSTOMERS')],
        loadComponent: () => import('./admin/customers/blacklist-log').then((m) => m.BlacklistLog),
        title: 'Blacklist log · Admin · Parley',
      },
      {
        path: 'admin/approvals',
        canActivate: [grants('ADMIN_APPROVALS')],
        loadComponent: () => import('./admin/approvals/approvals').then((m) => m.Approvals),
        title: 'Approvals · Parley',
      },
      {
        path: 'admin/notifications',
        canActivate: [grants('ADMIN_NOTIFICATIONS')],
        loadComponent: () => import('./admin/notifications/notices').then((m) => m.Notices),
        title: 'Notifications · Admin · Parley',
      },
      {
        path: 'admin/settings',
        canActivate: [grants('ADMIN_SETTINGS')],
        loadComponent: () => import('./admin/settings/settings').then((m) => m.Settings),
        title: 'Settings · Admin · Parley',
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
