import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import type { ConversationRowFragment } from '../../graphql/generated';
import { ChatStore } from './chat-store';
import { ConversationList } from './conversation-list';
import type { ListSettings } from './conversation-order';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

const en = {
  conversations: {
    since: { now: 'just now', minutes: '{{ count }} min', hours: '{{ count }} h', days: '{{ count }} d' },
  },
};

function row(id: string, nickname: string, lastMessageMinutesAgo: number): ConversationRowFragment {
  return {
    id,
    state: 'ONGOING',
    channel: 'WEB',
    vip: false,
    createdAt: ago(600),
    lastMessageAt: ago(lastMessageMinutesAgo),
    lastAgentMessageAt: null,
    assignedAt: null,
    lastMessagePreview: `from ${nickname}`,
    lastSeq: 1,
    unreadCount: 0,
    noReplyAlertAt: null,
    customer: { id: `cu-${id}`, externalId: `ext-${id}`, nickname, realName: null },
  };
}

describe(ConversationList.name, () => {
  let fixture: ComponentFixture<ConversationList>;
  const settings = signal<ListSettings>({ sortByAgentLatestMessage: false, showLastMessageTime: true });
  const ordered = signal<ConversationRowFragment[]>([]);
  const fresh = signal<ReadonlySet<string>>(new Set());

  beforeEach(async () => {
    jest.useFakeTimers({ now: NOW, doNotFake: ['queueMicrotask', 'nextTick'] });
    settings.set({ sortByAgentLatestMessage: false, showLastMessageTime: true });
    ordered.set([row('a', 'Ann', 0), row('b', 'Bo', 3), row('c', 'Cy', 125)]);
    fresh.set(new Set());
    const store = {
      ordered,
      fresh,
      settings,
      conversations: ordered,
      listLoading: signal(false),
      selectedId: signal<string | null>(null),
      select: jest.fn(),
    };
    void TestBed.configureTestingModule({
      imports: [
        ConversationList,
        TranslocoTestingModule.forRoot({
          langs: { en },
          translocoConfig: { defaultLang: 'en', availableLangs: ['en'] },
          preloadLangs: true,
        }),
      ],
      providers: [{ provide: ChatStore, useValue: store }],
    }).compileComponents();
    fixture = TestBed.createComponent(ConversationList);
    fixture.detectChanges();
  });

  afterEach(() => jest.useRealTimers());

  const el = () => fixture.nativeElement as HTMLElement;
  const names = () => [...el().querySelectorAll('[data-conversation] .name')].map((n) => n.textContent?.trim());
  const times = () => [...el().querySelectorAll('[data-conversation] .time')].map((n) => n.textContent?.trim());

  it('shows the time since each last message, and moves it on as time passes', () => {
    expect(times()).toEqual(['just now', '3 min', '2 h']);
    jest.advanceTimersByTime(2 * 60_000);
    fixture.detectChanges();
    expect(times()).toEqual(['2 min', '5 min', '2 h']);
  });

  it('shows the clock time of the last message when the tenant turned the time since off', () => {
    settings.set({ sortByAgentLatestMessage: false, showLastMessageTime: false });
    fixture.detectChanges();
    expect(el().querySelector('[data-testid=since]')).toBeNull();
    expect(times().every((t) => /^\d\d:\d\d$/.test(t ?? ''))).toBe(true);
  });

  it("keeps a new conversation on top with its highlight, whatever the list's order", () => {
    fresh.set(new Set(['c']));
    fixture.detectChanges();
    expect(names()).toEqual(['Cy', 'Ann', 'Bo']);
    expect(el().querySelector('[data-conversation=c]')?.classList).toContain('fresh');
  });

  it('filters by name or by the last message', () => {
    const input = el().querySelector('input') as HTMLInputElement;
    input.value = 'from bo';
    input.dispatchEvent(new Event('input'));
    fixture.detectChanges();
    expect(names()).toEqual(['Bo']);
  });
});
