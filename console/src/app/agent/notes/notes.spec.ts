import { TestBed } from '@angular/core/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';
import { Session } from '../../core/auth/session';
import { Notes } from './notes';

function note(id: string, number: number) {
  return {
    __typename: 'Note',
    id,
    number,
    state: 'SOLVED',
    channel: 'WEB',
    content: `note ${number}`,
    contactName: null,
    contactPhone: null,
    contactEmail: null,
    createdAt: new Date().toISOString(),
    assigneeUser: null,
    customerProfile: { __typename: 'Customer', id: 'cu1', externalId: 'ext-1', nickname: 'Li' },
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    TestBed.tick();
  }
}

describe('Notes, opened from a link', () => {
  async function render(id: string) {
    await TestBed.configureTestingModule({
      imports: [
        Notes,
        ApolloTestingModule,
        TranslocoTestingModule.forRoot({
          langs: { en: { links: { noteGone: 'This note no longer exists, or you cannot see it.' } } },
          translocoConfig: { defaultLang: 'en', availableLangs: ['en'] },
          preloadLangs: true,
        }),
      ],
      providers: [{ provide: Session, useValue: { user: () => ({ id: 'u1' }) } }],
    }).compileComponents();
    const fixture = TestBed.createComponent(Notes);
    fixture.componentRef.setInput('id', id);
    const backend = TestBed.inject(ApolloTestingController);
    fixture.detectChanges();
    await settle();
    backend.expectOne('NotesPage').flushData({
      notes: {
        __typename: 'NoteConnection',
        totalCount: 2,
        pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
        nodes: [note('n1', 1), note('n2', 2)],
      },
    });
    const el = fixture.nativeElement as HTMLElement;
    return { fixture, backend, el };
  }

  it('shows the linked note first and marked, even when the filters would hide it', async () => {
    const { fixture, backend, el } = await render('n9');
    const linked = backend.expectOne('LinkedNote');
    expect(linked.operation.variables).toEqual({ id: 'n9' });
    linked.flushData({ note: note('n9', 9) });
    await settle();
    fixture.detectChanges();
    const cards = [...el.querySelectorAll('[data-note]')];
    expect(cards.map((c) => c.getAttribute('data-note'))).toEqual(['n9', 'n1', 'n2']);
    expect(cards[0]!.getAttribute('aria-current')).toBe('true');
  });

  it('says so when the linked note is gone or out of reach', async () => {
    const { fixture, backend, el } = await render('n404');
    backend.expectOne('LinkedNote').graphqlErrors([{ message: 'Note not found', extensions: { code: 'NOT_FOUND' } }]);
    await settle();
    fixture.detectChanges();
    expect(el.querySelector('[data-testid=link-gone]')?.textContent).toContain('This note no longer exists');
    expect(el.querySelectorAll('[data-note]')).toHaveLength(2);
  });
});
