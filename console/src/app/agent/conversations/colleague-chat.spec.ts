import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';
import { Session } from '../../core/auth/session';
import { ColleagueChat } from './colleague-chat';

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    TestBed.tick();
  }
}

const colleague = (id: string, nickname: string) => ({
  __typename: 'User',
  id,
  nickname,
  realName: null,
  status: 'OFFLINE',
});

describe('ColleagueChat, opened from a link', () => {
  async function render(open: string, sendKey: 'ENTER' | 'SHIFT_ENTER' = 'ENTER') {
    await TestBed.configureTestingModule({
      imports: [
        ColleagueChat,
        ApolloTestingModule,
        TranslocoTestingModule.forRoot({
          langs: { en: { links: { colleagueGone: 'This colleague is no longer available.' } } },
          translocoConfig: { defaultLang: 'en', availableLangs: ['en'] },
          preloadLangs: true,
        }),
      ],
      providers: [{ provide: Session, useValue: { user: signal({ id: 'me', sendKey }) } }],
    }).compileComponents();
    const fixture = TestBed.createComponent(ColleagueChat);
    fixture.componentRef.setInput('open', open);
    const backend = TestBed.inject(ApolloTestingController);
    fixture.detectChanges();
    await settle();
    backend.expectOne('ColleagueTab').flushData({
      colleagues: {
        __typename: 'UserConnection',
        nodes: [colleague('me', 'Amy'), colleague('ben', 'Ben')],
      },
      colleagueUnread: [],
    });
    await settle();
    fixture.detectChanges();
    return { fixture, backend, el: fixture.nativeElement as HTMLElement };
  }

  it('opens the thread with the linked colleague', async () => {
    const { fixture, backend, el } = await render('ben');
    const thread = backend.expectOne('ColleagueThreadPage');
    expect(thread.operation.variables).toEqual({ userId: 'ben' });
    thread.flushData({ colleagueMessages: [] });
    await settle();
    fixture.detectChanges();
    expect(el.querySelector('.head strong')?.textContent).toBe('Ben');
  });

  it('says so when the linked colleague is no longer one of the enabled users', async () => {
    const { el, backend } = await render('left-the-company');
    backend.expectNone('ColleagueThreadPage');
    expect(el.querySelector('[role=alert]')?.textContent).toContain('no longer available');
  });

  it("sends on the user's send key in the colleague box too", async () => {
    const { fixture, backend, el } = await render('ben', 'SHIFT_ENTER');
    backend.expectOne('ColleagueThreadPage').flushData({ colleagueMessages: [] });
    await settle();
    fixture.detectChanges();
    const box = el.querySelector('[data-testid=colleague-input]') as HTMLTextAreaElement;
    box.value = 'lunch?';
    box.dispatchEvent(new Event('input'));
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await settle();
    backend.expectNone('SendToColleague');
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true }));
    await settle();
    expect(backend.expectOne('SendToColleague').operation.variables['input']).toMatchObject({
      toUserId: 'ben',
      text: 'lunch?',
    });
  });
});
