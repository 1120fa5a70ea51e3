import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { NEVER } from 'rxjs';
import { Session } from '../../core/auth/session';
import type { Page } from '../../graphql/generated';
import { ChatStore } from './chat-store';
import { Conversations } from './conversations';
import { DesktopAlerts } from './desktop-alerts';
import { TransferOffers } from './transfer-offers';

describe('Conversations, opened from a link', () => {
  const conversations = signal([{ id: 'mine' }]);
  const listLoaded = signal(false);
  const selectedId = signal<string | null>(null);
  const select = jest.fn((id: string) => selectedId.set(id));

  async function render(open: string, pages: Page[]) {
    listLoaded.set(false);
    selectedId.set(null);
    select.mockClear();
    await TestBed.configureTestingModule({
      imports: [
        Conversations,
        TranslocoTestingModule.forRoot({
          langs: { en: { links: { conversationGone: 'This conversation is not open to you.' } } },
          translocoConfig: { defaultLang: 'en', availableLangs: ['en'] },
          preloadLangs: true,
        }),
      ],
      providers: [
        provideRouter([]),
        { provide: Session, useValue: { has: (p: Page) => pages.includes(p) } },
        { provide: Apollo, useValue: { query: () => NEVER } },
      ],
    })
      // The panes have their own tests; here only the link matters.
      .overrideComponent(Conversations, {
        set: {
          imports: [],
          template: `@if (gone()) { <p role="alert">gone</p> }`,
          providers: [
            { provide: ChatStore, useValue: { conversations, listLoaded, selectedId, select } },
            { provide: DesktopAlerts, useValue: {} },
            { provide: TransferOffers, useValue: {} },
          ],
        },
      })
      .compileComponents();
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const fixture = TestBed.createComponent(Conversations);
    fixture.componentRef.setInput('open', open);
    fixture.detectChanges();
    return { fixture, navigate };
  }

  it('waits for the list, then selects the conversation when it is ongoing with the agent', async () => {
    const { fixture } = await render('mine', ['AGENT_CONVERSATIONS', 'AGENT_HISTORY']);
    expect(select).not.toHaveBeenCalled();
    listLoaded.set(true);
    fixture.detectChanges();
    expect(select).toHaveBeenCalledWith('mine');
  });

  it('opens one that is no longer ongoing with the agent read-only in History', async () => {
    const { fixture, navigate } = await render('closed', ['AGENT_CONVERSATIONS', 'AGENT_HISTORY']);
    listLoaded.set(true);
    fixture.detectChanges();
    expect(select).not.toHaveBeenCalled();
    expect(navigate).toHaveBeenCalledWith(['/history', 'closed'], { replaceUrl: true });
  });

  it('says the conversation is not open to the agent when the role has no History', async () => {
    const { fixture, navigate } = await render('closed', ['AGENT_CONVERSATIONS']);
    listLoaded.set(true);
    fixture.detectChanges();
    expect(navigate).not.toHaveBeenCalled();
    expect((fixture.nativeElement as HTMLElement).querySelector('[role=alert]')).not.toBeNull();
  });
});
