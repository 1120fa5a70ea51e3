import type { Routes } from '@angular/router';
import { grants, home, signedIn } from './core/auth/guards';

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
      {
        path: 'queue',
        canActivate: [grants('AGENT_QUEUE')],
        loadComponent: () => import('./agent/queue/queue').then((m) => m.Queue),
        title: 'Queue · Parley',
      },
      {
        path: 'history',
        canActivate: [grants('AGENT_HISTORY')],
        loadComponent: () => import('./agent/history/history').then((m) => m.History),
        title: 'History · Parley',
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
    ],
  },
  { path: '**', redirectTo: '' },
];
