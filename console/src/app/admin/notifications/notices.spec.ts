import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatAutocompleteHarness } from '@angular/material/autocomplete/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatChipGridHarness } from '@angular/material/chips/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatRadioButtonHarness } from '@angular/material/radio/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import type { DocumentNode } from 'graphql';
import { of } from 'rxjs';
import { Session } from '../../core/auth/session';
import {
  type Page,
  PickTeamsDocument,
  PickUsersDocument,
  SendNoticeDocument,
  type SendNoticeMutationVariables,
  SentNoticesDocument,
} from '../../graphql/generated';
import { Notices } from './notices';

const ANSWERS = new Map<DocumentNode, unknown>([
  [SentNoticesDocument, { notices: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } }],
  [
    PickUsersDocument,
    {
      users: {
        nodes: [
          { id: 'u1', nickname: 'Amy', email: 'amy@example.com' },
          { id: 'u2', nickname: 'Ben', email: 'ben@example.com' },
        ],
      },
    },
  ],
  [PickTeamsDocument, { teams: { nodes: [{ id: 'team1', name: 'Sales', memberCount: 2 }] } }],
]);

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('Notices', () => {
  const query = jest.fn((options: { query: DocumentNode; variables?: unknown }) =>
    of({ data: ANSWERS.get(options.query) }),
  );
  const mutate = jest.fn((_options: { mutation: DocumentNode; variables?: unknown }) =>
    of({ data: { sendNotice: { id: 'n1', recipientCount: 5 } } }),
  );

  async function render(pages: Page[]) {
    await TestBed.configureTestingModule({
      imports: [
        Notices,
        TranslocoTestingModule.forRoot({
          langs: { en: {} },
          translocoConfig: { defaultLang: 'en', availableLangs: ['en'] },
        }),
      ],
      providers: [
        { provide: Apollo, useValue: { query, mutate } },
        { provide: Session, useValue: { has: (p: Page) => pages.includes(p) } },
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    }).compileComponents();
    const fixture = TestBed.createComponent(Notices);
    await fixture.whenStable();
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const input = (id: string) => loader.getHarness(MatInputHarness.with({ selector: `[data-testid=${id}]` }));
    const send = () => loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=notice-send]' }));
    return { fixture, loader, input, send };
  }

  const sent = () => mutate.mock.calls.map(([o]) => o.variables as SendNoticeMutationVariables);
  const listed = () => query.mock.calls.filter(([o]) => o.query === SentNoticesDocument).length;

  beforeEach(() => {
    query.mockClear();
    mutate.mockClear();
  });

  it('sends a notice to everyone once it has a title and a message, then lists it', async () => {
    const { input, send } = await render(['ADMIN_NOTIFICATIONS', 'ADMIN_USERS']);
    expect(listed()).toBe(1);
    expect(await (await send()).isDisabled()).toBe(true);
    await (await input('notice-title')).setValue('  Maintenance tonight ');
    expect(await (await send()).isDisabled()).toBe(true);
    await (await input('notice-body')).setValue('The console is down from 22:00 to 22:30.');
    await (await send()).click();
    expect(mutate).toHaveBeenCalledTimes(1);
    expect(mutate.mock.calls[0]![0].mutation).toBe(SendNoticeDocument);
    expect(sent()[0]).toEqual({
      input: {
        title: 'Maintenance tonight',
        body: 'The console is down from 22:00 to 22:30.',
        everyone: true,
        teamIds: null,
        userIds: null,
      },
    });
    expect(listed()).toBe(2);
    expect(await (await input('notice-title')).getValue()).toBe('');
  });

  it('sends to the chosen teams and enabled users only', async () => {
    const { loader, input, send } = await render(['ADMIN_NOTIFICATIONS', 'ADMIN_TEAMS']);
    await (await input('notice-title')).setValue('Training');
    await (await input('notice-body')).setValue('Friday 10:00, room 2.');
    await (await loader.getHarness(MatRadioButtonHarness.with({ selector: '[data-testid=audience-chosen]' }))).check();
    // Nobody chosen yet: nothing to send.
    expect(await (await send()).isDisabled()).toBe(true);

    const teams = await loader.getHarness(MatAutocompleteHarness.with({ selector: '[data-testid=notice-teams]' }));
    await teams.focus();
    await settle();
    await teams.selectOption({ text: 'Sales' });
    const users = await loader.getHarness(MatAutocompleteHarness.with({ selector: '[data-testid=notice-users]' }));
    await users.focus();
    await settle();
    await users.selectOption({ text: /Amy/ });
    await users.enterText('be');
    await settle();
    await users.selectOption({ text: /Ben/ });
    const chips = await loader.getAllHarnesses(MatChipGridHarness);
    expect(await Promise.all(chips.map(async (g) => (await g.getRows()).length))).toEqual([1, 2]);

    await (await send()).click();
    expect(sent()[0]!.input).toMatchObject({ everyone: false, teamIds: ['team1'], userIds: ['u1', 'u2'] });
    expect(query.mock.calls.find(([o]) => o.query === PickUsersDocument)![0].variables).toEqual({
      search: null,
      enabled: true,
    });
  });

  it('offers only "everyone" to a role that cannot list teams or users', async () => {
    const { loader } = await render(['ADMIN_NOTIFICATIONS']);
    const chosen = await loader.getHarness(MatRadioButtonHarness.with({ selector: '[data-testid=audience-chosen]' }));
    expect(await chosen.isDisabled()).toBe(true);
  });
});
