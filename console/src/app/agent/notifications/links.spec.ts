import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Session } from '../../core/auth/session';
import type { Page } from '../../graphql/generated';
import { followLink, linkTarget } from './links';

const ID = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const ME = '0193a1b2-0000-7000-8000-000000000001';
const AGENT: Page[] = [
  'AGENT_CONVERSATIONS',
  'AGENT_HISTORY',
  'AGENT_NOTES',
  'AGENT_CUSTOMERS',
  'AGENT_NOTIFICATIONS',
  'AGENT_PROFILE',
];
const granting = (pages: Page[]) => (p: Page) => pages.includes(p);

describe(linkTarget.name, () => {
  const target = (link: string | null, pages = AGENT) => linkTarget(link, granting(pages), ME);

  it('opens a conversation in Conversations, which falls back to History when it is no longer ongoing', () => {
    expect(target(`/conversations/${ID}`)).toEqual({ url: `/conversations?open=${ID}` });
  });

  it('opens a conversation straight in History for a role without Conversations', () => {
    expect(target(`/conversations/${ID}`, ['AGENT_HISTORY'])).toEqual({ url: `/history/${ID}` });
    expect(target(`/conversations/${ID}`, ['AGENT_NOTIFICATIONS'])).toEqual({ denied: true });
  });

  it('opens a note and a customer on their pages, when the role grants them', () => {
    expect(target(`/notes/${ID}`)).toEqual({ url: `/notes/${ID}` });
    expect(target(`/customers/${ID}`)).toEqual({ url: `/customers/${ID}` });
    expect(target(`/notes/${ID}`, ['AGENT_CUSTOMERS'])).toEqual({ denied: true });
    expect(target(`/customers/${ID}`, ['AGENT_NOTES'])).toEqual({ denied: true });
  });

  it("opens the colleague chat with a user, and Personal info for one's own user", () => {
    expect(target(`/users/${ID}`)).toEqual({ url: `/conversations?colleague=${ID}` });
    expect(target(`/users/${ME}`)).toEqual({ url: '/profile' });
    expect(target(`/users/${ID}`, ['AGENT_PROFILE'])).toEqual({ denied: true });
  });

  it('follows nothing for notices, for no link, or for anything that is not an id', () => {
    expect(target(`/notices/${ID}`)).toBeNull();
    expect(target(null)).toBeNull();
    expect(target('https://evil.example/conversations/1')).toBeNull();
    expect(target(`/conversations/${ID}/../../admin`)).toBeNull();
    expect(target('/conversations/x?open=1')).toBeNull();
  });
});

@Component({ template: 'page' })
class Blank {}

describe('followLink', () => {
  async function open(url: string, pages: Page[]): Promise<string> {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'conversations/:id', canActivate: [followLink], children: [] },
          { path: 'users/:id', canActivate: [followLink], children: [] },
          { path: '**', component: Blank },
        ]),
        { provide: Session, useValue: { has: granting(pages), user: () => ({ id: ME }) } },
      ],
    });
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    return TestBed.inject(Router).url;
  }

  it('sends a conversation link where the role can open it', async () => {
    expect(await open(`/conversations/${ID}`, AGENT)).toBe(`/conversations?open=${ID}`);
  });

  it('sends a user link to the colleague chat, or home when the role cannot open it', async () => {
    expect(await open(`/users/${ID}`, AGENT)).toBe(`/conversations?colleague=${ID}`);
    TestBed.resetTestingModule();
    expect(await open(`/users/${ID}`, ['AGENT_PROFILE'])).toBe('/');
  });
});
