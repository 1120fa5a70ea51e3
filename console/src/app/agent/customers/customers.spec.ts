import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { ActivatedRoute, provideRouter } from '@angular/router';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import type { DocumentNode } from 'graphql';
import { of } from 'rxjs';
import {
  CustomersPageDocument,
  type CustomersPageQueryVariables,
  CustomerTagOptionsDocument,
  RemoveFromBlacklistPageDocument,
} from '../../graphql/generated';
import { Customers } from './customers';

const blocked = {
  id: 'c1',
  externalId: 'webim-visitor-1',
  nickname: 'Rude visitor',
  realName: null,
  phone: null,
  email: null,
  vip: false,
  lastSeenAt: '2026-01-05T10:00:00.000Z',
  blacklistedAt: '2026-01-05T10:00:00.000Z',
  blacklistReason: 'Abuse',
  tags: [],
};

const ANSWERS = new Map<DocumentNode, unknown>([
  [
    CustomersPageDocument,
    { customers: { totalCount: 1, pageInfo: { hasNextPage: false, endCursor: 'e1' }, nodes: [blocked] } },
  ],
  [CustomerTagOptionsDocument, { customerTags: { nodes: [{ id: 'ct1', name: 'Wholesale' }] } }],
]);

describe('Customers', () => {
  const query = jest.fn((options: { query: DocumentNode; variables?: unknown }) =>
    of({ data: ANSWERS.get(options.query) }),
  );
  const mutate = jest.fn((_options: { mutation: DocumentNode; variables?: unknown }) =>
    of({ data: { removeFromBlacklist: { id: 'c1', blacklistedAt: null } } }),
  );

  async function render(mode: 'ADMIN' | null) {
    await TestBed.configureTestingModule({
      imports: [
        Customers,
        TranslocoTestingModule.forRoot({
          langs: { en: { records: { blacklistedFor: 'Blacklisted for: {{ reason }}' } } },
          translocoConfig: { defaultLang: 'en', availableLangs: ['en'] },
          preloadLangs: true,
        }),
      ],
      providers: [
        provideRouter([]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: Apollo, useValue: { query, mutate } },
        { provide: ActivatedRoute, useValue: { snapshot: { data: mode ? { mode } : {} } } },
      ],
    }).compileComponents();
    const fixture = TestBed.createComponent(Customers);
    await fixture.whenStable();
    return {
      fixture,
      loader: TestbedHarnessEnvironment.loader(fixture),
      root: TestbedHarnessEnvironment.documentRootLoader(fixture),
      el: fixture.nativeElement as HTMLElement,
    };
  }

  const pages = () =>
    query.mock.calls
      .filter(([o]) => o.query === CustomersPageDocument)
      .map(([o]) => o.variables as CustomersPageQueryVariables);

  beforeEach(() => {
    query.mockClear();
    mutate.mockClear();
  });

  it('lists the customers the agent served in Agent Mode, with no tag filter or blacklist log', async () => {
    const { el } = await render(null);
    expect(pages()[0]).toMatchObject({ mode: 'AGENT', after: null });
    expect(pages()[0]!.filter).not.toHaveProperty('tagIds');
    expect(el.querySelector('app-customers-tabs')).toBeNull();
    expect(el.querySelector('[name=tags]')).toBeNull();
    expect(query.mock.calls.some(([o]) => o.query === CustomerTagOptionsDocument)).toBe(false);
  });

  it('lists every customer in scope in Admin Mode, filters by tag and links the blacklist log', async () => {
    const { el, loader } = await render('ADMIN');
    expect(pages()[0]).toMatchObject({ mode: 'ADMIN' });
    const links = [...el.querySelectorAll('app-customers-tabs a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(['/admin/customers', '/admin/customers/blacklist-log']);
    const tags = await loader.getHarness(MatSelectHarness.with({ selector: '[name=tags]' }));
    await tags.open();
    await tags.clickOptions({ text: 'Wholesale' });
    await tags.close();
    await (await loader.getHarness(MatButtonHarness.with({ text: /history\.search/ }))).click();
    expect(pages().at(-1)).toMatchObject({ mode: 'ADMIN', filter: { tagIds: ['ct1'] } });
  });

  it('takes a customer off the blacklist with the reason given for the log', async () => {
    const { fixture, loader, root, el } = await render('ADMIN');
    await (await loader.getHarness(MatButtonHarness.with({ text: 'customers.unblock' }))).click();
    const dialog = await root.getHarness(MatDialogHarness);
    expect(await dialog.getText()).toContain('Blacklisted for: Abuse');
    await (await dialog.getHarness(MatInputHarness)).setValue(' Apologised by phone ');
    await (await dialog.getHarness(MatButtonHarness.with({ selector: '[data-testid=unblock-confirm]' }))).click();
    expect(mutate).toHaveBeenCalledWith(
      expect.objectContaining({
        mutation: RemoveFromBlacklistPageDocument,
        variables: { customerId: 'c1', reason: 'Apologised by phone' },
      }),
    );
    await fixture.whenStable();
    expect(el.textContent).not.toContain('customers.onBlacklist');
  });
});
