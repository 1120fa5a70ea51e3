import { TestBed } from '@angular/core/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatActionListHarness } from '@angular/material/list/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router } from '@angular/router';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';
import { Session } from '../../core/auth/session';
import type { Page } from '../../graphql/generated';
import { Notifications } from './notifications';

const ME = 'u-me';
const CONVERSATION = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const NOTE = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c';

function notification(id: string, title: string, link: string | null, readAt: string | null = null) {
  return {
    __typename: 'Notification',
    id,
    kind: link ? 'SYSTEM' : 'NOTICE',
    title,
    body: `${title} body`,
    createdAt: new Date().toISOString(),
    readAt,
    subjectType: null,
    subjectId: null,
    link,
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    TestBed.tick();
  }
}

describe(Notifications.name, () => {
  async function render(pages: Page[]) {
    await TestBed.configureTestingModule({
      imports: [
        Notifications,
        ApolloTestingModule,
        TranslocoTestingModule.forRoot({
          langs: { en: { links: { denied: 'Your role does not include that page.' } } },
          translocoConfig: { defaultLang: 'en', availableLangs: ['en'] },
          preloadLangs: true,
        }),
      ],
      providers: [
        provideRouter([]),
        { provide: Session, useValue: { has: (p: Page) => pages.includes(p), user: () => ({ id: ME }) } },
      ],
    }).compileComponents();
    const fixture = TestBed.createComponent(Notifications);
    const backend = TestBed.inject(ApolloTestingController);
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const snack = jest.spyOn(TestBed.inject(MatSnackBar), 'open');
    fixture.detectChanges();
    await settle();
    backend.expectOne('MyNotifications').flushData({
      notifications: {
        __typename: 'NotificationConnection',
        totalCount: 3,
        pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
        nodes: [
          notification('n1', 'Auto-closed', `/conversations/${CONVERSATION}`),
          notification('n2', 'Note assigned', `/notes/${NOTE}`, new Date().toISOString()),
          notification('n3', 'Holiday hours', null),
        ],
      },
    });
    await settle();
    fixture.detectChanges();
    const list = await TestbedHarnessEnvironment.loader(fixture).getHarness(MatActionListHarness);
    const item = async (title: string) => (await list.getItems({ title }))[0]!;
    return { fixture, backend, navigate, snack, item };
  }

  it('marks an unread notification read, then opens its subject', async () => {
    const { backend, navigate, item } = await render(['AGENT_CONVERSATIONS', 'AGENT_NOTIFICATIONS']);
    await (await item('Auto-closed')).click();
    await settle();
    const mark = backend.expectOne('MarkNotificationsRead');
    expect(mark.operation.variables).toEqual({ ids: ['n1'] });
    expect(navigate).not.toHaveBeenCalled();
    mark.flushData({ markNotificationsRead: 1 });
    await settle();
    expect(navigate).toHaveBeenCalledWith(`/conversations?open=${CONVERSATION}`);
    expect(await (await item('Auto-closed')).host().then((h) => h.hasClass('unread'))).toBe(false);
  });

  it('opens a read notification without marking it again', async () => {
    const { backend, navigate, item } = await render(['AGENT_NOTES', 'AGENT_NOTIFICATIONS']);
    await (await item('Note assigned')).click();
    await settle();
    backend.expectNone('MarkNotificationsRead');
    expect(navigate).toHaveBeenCalledWith(`/notes/${NOTE}`);
  });

  it('marks a notice read and stays: it has no page of its own', async () => {
    const { fixture, backend, navigate, item } = await render(['AGENT_CONVERSATIONS', 'AGENT_NOTIFICATIONS']);
    const chevrons = () =>
      [...(fixture.nativeElement as HTMLElement).querySelectorAll('[data-notification]')].map(
        (b) => !!b.querySelector('[matListItemMeta]'),
      );
    // Only what this role can open shows the way there: the conversation, not the note nor the notice.
    expect(chevrons()).toEqual([true, false, false]);
    await (await item('Holiday hours')).click();
    await settle();
    backend.expectOne('MarkNotificationsRead').flushData({ markNotificationsRead: 1 });
    await settle();
    expect(navigate).not.toHaveBeenCalled();
  });

  it('says so, instead of opening, when the role does not grant the page', async () => {
    const { navigate, snack, item } = await render(['AGENT_NOTIFICATIONS']);
    await (await item('Note assigned')).click();
    await settle();
    expect(snack).toHaveBeenCalledWith('Your role does not include that page.', 'OK');
    expect(navigate).not.toHaveBeenCalled();
  });
});
