import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { MessageAlerts } from '../../core/layout/message-alerts';
import type { ConversationRowFragment } from '../../graphql/generated';
import { ChatStore } from './chat-store';
import { DesktopAlerts } from './desktop-alerts';

interface Shown {
  title: string;
  options: NotificationOptions;
  onclick: (() => void) | null;
  close: jest.Mock;
}

function row(id: string, nickname: string, unreadCount: number, preview: string): ConversationRowFragment {
  return {
    id,
    state: 'ONGOING',
    channel: 'WEB',
    vip: false,
    createdAt: new Date().toISOString(),
    lastMessageAt: null,
    lastAgentMessageAt: null,
    assignedAt: null,
    lastMessagePreview: preview,
    lastSeq: unreadCount,
    unreadCount,
    noReplyAlertAt: null,
    customer: { id: `cu-${id}`, externalId: `ext-${id}`, nickname, realName: null },
  };
}

describe(DesktopAlerts.name, () => {
  const conversations = signal<ConversationRowFragment[]>([]);
  const listLoaded = signal(false);
  const enabled = signal(true);
  const select = jest.fn();
  let shown: Shown[];
  let hidden: boolean;

  beforeEach(async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    shown = [];
    hidden = true;
    conversations.set([]);
    listLoaded.set(false);
    enabled.set(true);
    select.mockReset();
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    const FakeNotification = jest.fn(function (this: Shown, title: string, options: NotificationOptions) {
      Object.assign(this, { title, options, onclick: null, close: jest.fn() });
      shown.push(this);
    });
    Object.assign(FakeNotification, { permission: 'granted' });
    Object.defineProperty(window, 'Notification', { configurable: true, writable: true, value: FakeNotification });
    jest.spyOn(window, 'focus').mockImplementation(() => undefined);

    await TestBed.configureTestingModule({
      imports: [
        TranslocoTestingModule.forRoot({
          langs: { en: { alerts: { more: '(+{{ count }} more)' } } },
          translocoConfig: { defaultLang: 'en', availableLangs: ['en'] },
          preloadLangs: true,
        }),
      ],
      providers: [
        DesktopAlerts,
        { provide: ChatStore, useValue: { conversations, listLoaded, select } },
        { provide: MessageAlerts, useValue: { enabled } },
      ],
    }).compileComponents();
    TestBed.inject(DesktopAlerts);
    // The agent's list as first read: what is already unread there is not news.
    conversations.set([row('a', 'Ann', 2, 'old question'), row('b', 'Bo', 0, 'thanks')]);
    listLoaded.set(true);
    TestBed.tick();
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  function arrive(rows: ConversationRowFragment[]): void {
    conversations.set(rows);
    TestBed.tick();
  }

  it('does not alert for what was already unread when the list was read', () => {
    jest.advanceTimersByTime(5000);
    expect(shown).toHaveLength(0);
  });

  it('collapses the messages of 3 s into one notification showing the last', () => {
    arrive([row('a', 'Ann', 3, 'where is my order?'), row('b', 'Bo', 0, 'thanks')]);
    jest.advanceTimersByTime(1000);
    arrive([row('a', 'Ann', 3, 'where is my order?'), row('b', 'Bo', 1, 'one more thing')]);
    jest.advanceTimersByTime(1000);
    arrive([row('a', 'Ann', 4, 'hello?'), row('b', 'Bo', 1, 'one more thing')]);
    expect(shown).toHaveLength(0);
    jest.advanceTimersByTime(1000);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ title: 'Ann', options: { body: 'hello? (+2 more)' } });
  });

  it('starts a new notification for a message after the 3 s window', () => {
    arrive([row('a', 'Ann', 3, 'first')]);
    jest.advanceTimersByTime(3000);
    arrive([row('a', 'Ann', 4, 'second')]);
    jest.advanceTimersByTime(3000);
    expect(shown.map((n) => n.options.body)).toEqual(['first', 'second']);
  });

  it("alerts for a new conversation's first message, even when the list was empty", () => {
    conversations.set([]);
    TestBed.tick();
    arrive([row('c', 'Cy', 1, 'hi there')]);
    jest.advanceTimersByTime(3000);
    expect(shown.map((n) => n.title)).toEqual(['Cy']);
  });

  it('stays quiet while the console is in view, or with alerts switched off', () => {
    hidden = false;
    arrive([row('a', 'Ann', 3, 'seen on screen')]);
    hidden = true;
    enabled.set(false);
    arrive([row('a', 'Ann', 4, 'alerts are off')]);
    jest.advanceTimersByTime(5000);
    expect(shown).toHaveLength(0);
  });

  it('opens the conversation when the notification is clicked', () => {
    arrive([row('b', 'Bo', 1, 'please call me')]);
    jest.advanceTimersByTime(3000);
    shown[0]!.onclick!();
    expect(window.focus).toHaveBeenCalled();
    expect(select).toHaveBeenCalledWith('b');
    expect(shown[0]!.close).toHaveBeenCalled();
  });
});
