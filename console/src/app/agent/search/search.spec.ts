import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
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
  type Page,
  SearchConversationDocument,
  SearchPageDocument,
  type SearchPageQueryVariables,
} from '../../graphql/generated';
import { Search } from './search';

const ANSWERS = new Map<DocumentNode, unknown>([
  [
    SearchPageDocument,
    {
      searchMessages: {
        totalCount: 1,
        totalCountCapped: false,
        pageInfo: { hasNextPage: false, endCursor: null },
        nodes: [
          {
            conversationId: 'conv1',
            customer: { id: 'c1', externalId: 'webim-visitor-1', nickname: 'Lin' },
            message: {
              id: 'm30',
              seq: 30,
              text: '我想退款',
              createdAt: '2026-01-05T10:00:00.000Z',
              senderKind: 'CUSTOMER',
            },
            highlights: [{ start: 2, length: 2 }],
          },
        ],
      },
    },
  ],
  [ConversationTagOptionsDocument, { conversationTags: [{ id: 't1', name: 'Refund', depth: 1 }] }],
  [ChannelAccountOptionsDocument, { channelAccounts: { nodes: [] } }],
  [
    SearchConversationDocument,
    {
      conversation: {
        id: 'conv1',
        state: 'CLOSED',
        messages: [
          {
            id: 'm29',
            seq: 29,
            senderKind: 'AGENT',
            type: 'TEXT',
            text: 'How can I help?',
            createdAt: '2026-01-05T09:59:00.000Z',
            recalledAt: null,
          },
          {
            id: 'm30',
            seq: 30,
            senderKind: 'CUSTOMER',
            type: 'TEXT',
            text: '我想退款',
            createdAt: '2026-01-05T10:00:00.000Z',
            recalledAt: null,
          },
        ],
      },
    },
  ],
]);

describe('Search', () => {
  const query = jest.fn((options: { query: DocumentNode; variables?: unknown }) =>
    of({ data: ANSWERS.get(options.query) }),
  );

  async function render(mode: 'ADMIN' | null, pages: Page[]) {
    await TestBed.configureTestingModule({
      imports: [
        Search,
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
    const fixture = TestBed.createComponent(Search);
    await fixture.whenStable();
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const search = async (keyword: string) => {
      await (
        await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=search-keyword]' }))
      ).setValue(keyword);
      await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=search-submit]' }))).click();
    };
    return { fixture, loader, search, el: fixture.nativeElement as HTMLElement };
  }

  const searches = () =>
    query.mock.calls
      .filter(([o]) => o.query === SearchPageDocument)
      .map(([o]) => o.variables as SearchPageQueryVariables);

  beforeEach(() => query.mockClear());

  it("searches the agent's own conversations in Agent Mode, with dates only", async () => {
    const { search, el } = await render(null, ['AGENT_SEARCH', 'ADMIN_HISTORY', 'ADMIN_ACCESS']);
    await search(' 退款 ');
    expect(searches()).toHaveLength(1);
    expect(searches()[0]).toMatchObject({ keyword: '退款', mode: 'AGENT', after: null });
    expect(Object.keys(searches()[0]!.filter ?? {}).sort()).toEqual(['from', 'to']);
    expect(el.querySelector('[name=channel]')).toBeNull();
    expect(el.textContent).toContain('search.hint');
  });

  it('searches within the role’s scopes in Admin Mode, with the channel and tag filters', async () => {
    const { search, loader, el } = await render('ADMIN', ['ADMIN_HISTORY']);
    expect(el.textContent).toContain('records.searchHint');
    const channel = await loader.getHarness(MatSelectHarness.with({ selector: '[name=channel]' }));
    await channel.open();
    await channel.clickOptions({ text: 'channel.WECHAT' });
    const tags = await loader.getHarness(MatSelectHarness.with({ selector: '[name=tags]' }));
    await tags.open();
    await tags.clickOptions({ text: 'Refund' });
    await tags.close();
    await search('refund');
    expect(searches().at(-1)).toMatchObject({
      keyword: 'refund',
      mode: 'ADMIN',
      filter: { channel: 'WECHAT', tagIds: ['t1'], channelAccountId: null },
    });
    // Channel accounts are listed only for roles with the Access page.
    expect(el.querySelector('[name=channelAccount]')).toBeNull();
  });

  it('opens the conversation of a hit at the hit, with the messages before it', async () => {
    const { fixture, search, el } = await render(null, ['AGENT_SEARCH']);
    await search('退款');
    expect(el.querySelector('mark')?.textContent).toBe('退款');
    const hit = el.querySelector<HTMLButtonElement>('button.hit')!;
    expect(hit.getAttribute('aria-expanded')).toBe('false');
    hit.click();
    await fixture.whenStable();
    const opened = query.mock.calls.find(([o]) => o.query === SearchConversationDocument)![0];
    expect(opened.variables).toEqual({ id: 'conv1', afterSeq: 19 });
    expect(hit.getAttribute('aria-expanded')).toBe('true');
    const shown = el.querySelector('[data-testid=search-conversation]')!;
    expect(shown.textContent).toContain('How can I help?');
    expect(shown.querySelector('.found')?.textContent).toContain('我想退款');
    hit.click();
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=search-conversation]')).toBeNull();
  });
});
