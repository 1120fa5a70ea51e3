import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatAutocompleteHarness } from '@angular/material/autocomplete/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { ActivatedRoute } from '@angular/router';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import type { DocumentNode } from 'graphql';
import { of } from 'rxjs';
import { Session } from '../../core/auth/session';
import {
  ChannelAccountOptionsDocument,
  ConversationTagOptionsDocument,
  HistoryPageDocument,
  type HistoryPageQueryVariables,
  type Page,
  PickTeamsDocument,
  PickUsersDocument,
} from '../../graphql/generated';
import { History } from './history';

const ANSWERS = new Map<DocumentNode, unknown>([
  [HistoryPageDocument, { history: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } }],
  [
    ConversationTagOptionsDocument,
    {
      conversationTags: [
        { id: 't1', name: 'Refund', depth: 1 },
        { id: 't2', name: 'Late delivery', depth: 2 },
      ],
    },
  ],
  [ChannelAccountOptionsDocument, { channelAccounts: { nodes: [{ id: 'a1', name: 'Main site', channel: 'WEB' }] } }],
  [PickUsersDocument, { users: { nodes: [{ id: 'u1', nickname: 'Amy', email: 'amy@example.com' }] } }],
  [PickTeamsDocument, { teams: { nodes: [{ id: 'team1', name: 'Sales', memberCount: 2 }] } }],
]);

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('History', () => {
  const query = jest.fn((options: { query: DocumentNode; variables?: unknown }) =>
    of({ data: ANSWERS.get(options.query) }),
  );

  async function render(mode: 'ADMIN' | null, pages: Page[]) {
    await TestBed.configureTestingModule({
      imports: [
        History,
        TranslocoTestingModule.forRoot({
          langs: { en: {} },
          translocoConfig: { defaultLang: 'en', availableLangs: ['en'] },
        }),
      ],
      providers: [
        { provide: Apollo, useValue: { query } },
        { provide: Session, useValue: { has: (p: Page) => pages.includes(p) } },
        { provide: ActivatedRoute, useValue: { snapshot: { data: mode ? { mode } : {} } } },
      ],
    }).compileComponents();
    const fixture = TestBed.createComponent(History);
    await fixture.whenStable();
    return { fixture, loader: TestbedHarnessEnvironment.loader(fixture), el: fixture.nativeElement as HTMLElement };
  }

  const asked = (document: DocumentNode) => query.mock.calls.filter(([o]) => o.query === document);
  const lastPage = () => asked(HistoryPageDocument).at(-1)![0].variables as HistoryPageQueryVariables;
  const headers = (el: HTMLElement) => [...el.querySelectorAll('th')].map((th) => th.textContent?.trim());

  beforeEach(() => query.mockClear());

  it("asks for the agent's own conversations in Agent Mode, without the Admin Mode filters", async () => {
    const { el } = await render(null, ['AGENT_HISTORY', 'ADMIN_HISTORY', 'ADMIN_USERS', 'ADMIN_ACCESS']);
    expect(lastPage().mode).toBe('AGENT');
    expect(Object.keys(lastPage().filter ?? {})).toEqual(
      expect.not.arrayContaining(['agentId', 'teamId', 'tagIds', 'channelAccountId']),
    );
    expect(el.querySelector('app-picker')).toBeNull();
    expect(headers(el)).not.toContain('records.team');
    expect(asked(ConversationTagOptionsDocument)).toHaveLength(0);
  });

  it('asks for everything in scope in Admin Mode and sends the agent, team, tag and account filters', async () => {
    const { el, loader } = await render('ADMIN', ['ADMIN_HISTORY', 'ADMIN_USERS', 'ADMIN_ACCESS']);
    expect(lastPage().mode).toBe('ADMIN');
    expect(lastPage().filter).toMatchObject({ agentId: null, teamId: null, tagIds: null, channelAccountId: null });
    expect(headers(el)).toContain('records.team');

    const agent = await loader.getHarness(MatAutocompleteHarness.with({ selector: '[data-testid=history-agent]' }));
    await agent.enterText('am');
    await settle();
    await agent.selectOption({ text: /Amy/ });
    const team = await loader.getHarness(MatAutocompleteHarness.with({ selector: '[data-testid=history-team]' }));
    await team.focus();
    await settle();
    await team.selectOption({ text: 'Sales' });
    const tags = await loader.getHarness(MatSelectHarness.with({ selector: '[name=tags]' }));
    await tags.open();
    await tags.clickOptions({ text: 'Late delivery' });
    await tags.close();
    const account = await loader.getHarness(MatSelectHarness.with({ selector: '[name=channelAccount]' }));
    await account.open();
    await account.clickOptions({ text: /Main site/ });
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=history-search]' }))).click();

    expect(lastPage()).toMatchObject({
      mode: 'ADMIN',
      after: null,
      filter: { agentId: 'u1', teamId: 'team1', tagIds: ['t2'], channelAccountId: 'a1' },
    });
    expect(asked(PickUsersDocument).at(-1)![0].variables).toEqual({ search: 'am', enabled: null });
  });

  it('offers no agent, team or account choice to an admin role whose pages cannot list them', async () => {
    const { el } = await render('ADMIN', ['ADMIN_HISTORY']);
    expect(lastPage().mode).toBe('ADMIN');
    expect(el.querySelector('app-picker')).toBeNull();
    expect(el.querySelector('[name=channelAccount]')).toBeNull();
    expect(el.querySelector('[name=tags]')).not.toBeNull();
    expect(asked(ChannelAccountOptionsDocument)).toHaveLength(0);
  });
});
