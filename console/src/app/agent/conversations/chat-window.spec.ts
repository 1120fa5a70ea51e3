import { computed, signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatSlideToggleHarness } from '@angular/material/slide-toggle/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { Session } from '../../core/auth/session';
import type { ConversationRowFragment, SendKey } from '../../graphql/generated';
import { type ChatItem, ChatStore } from './chat-store';
import { ChatWindow } from './chat-window';
import { SendKeyPreference } from './send-key';
import { TransferOffers } from './transfer-offers';

const en = {
  chat: {
    hintEnter: 'Enter to send, Shift+Enter for a new line',
    hintShiftEnter: 'Shift+Enter to send, Enter for a new line',
  },
};

const conversation: ConversationRowFragment = {
  id: 'c1',
  state: 'ONGOING',
  channel: 'WEB',
  vip: false,
  createdAt: new Date().toISOString(),
  lastMessageAt: null,
  lastAgentMessageAt: null,
  assignedAt: null,
  lastMessagePreview: null,
  lastSeq: 0,
  unreadCount: 0,
  noReplyAlertAt: null,
  customer: { id: 'cu1', externalId: 'ext-1', nickname: 'Li Lei', realName: null },
};

describe('ChatWindow composer', () => {
  let fixture: ComponentFixture<ChatWindow>;
  const send = jest.fn<Promise<void>, [unknown]>();
  const sendKey = signal<SendKey>('ENTER');
  const setKey = jest.fn<Promise<void>, [SendKey]>();

  async function render(key: SendKey) {
    sendKey.set(key);
    send.mockReset().mockResolvedValue();
    setKey.mockReset().mockImplementation(async (k) => sendKey.set(k));
    const store = {
      selected: computed(() => conversation),
      selectedId: signal('c1'),
      messages: signal<ChatItem[]>([]),
      hasOlder: signal(false),
      loadingOlder: signal(false),
      draftInsert: signal(null),
      send,
    };
    await TestBed.configureTestingModule({
      imports: [
        ChatWindow,
        TranslocoTestingModule.forRoot({
          langs: { en },
          translocoConfig: { defaultLang: 'en', availableLangs: ['en'] },
          preloadLangs: true,
        }),
      ],
      providers: [
        { provide: ChatStore, useValue: store },
        { provide: TransferOffers, useValue: { outgoing: signal(new Map()) } },
        { provide: SendKeyPreference, useValue: { key: sendKey.asReadonly(), set: setKey } },
        { provide: Session, useValue: { user: signal({ id: 'u1' }) } },
        { provide: Apollo, useValue: {} },
      ],
    }).compileComponents();
    fixture = TestBed.createComponent(ChatWindow);
    fixture.detectChanges();
    await fixture.whenStable();
  }

  const composer = () => (fixture.nativeElement as HTMLElement).querySelector('textarea') as HTMLTextAreaElement;

  /** Types a text, then presses Enter (with Shift when asked); returns whether the key's default went ahead. */
  function type(text: string, shiftKey = false): boolean {
    const el = composer();
    el.value = text;
    el.dispatchEvent(new Event('input'));
    const event = new KeyboardEvent('keydown', { key: 'Enter', shiftKey, cancelable: true });
    el.dispatchEvent(event);
    fixture.detectChanges();
    return !event.defaultPrevented;
  }

  it('with Enter as the send key, Enter sends the trimmed text and Shift+Enter breaks the line', async () => {
    await render('ENTER');
    expect(composer().placeholder).toBe(en.chat.hintEnter);
    expect(type('first line', true)).toBe(true);
    expect(send).not.toHaveBeenCalled();
    expect(type('  hello  ')).toBe(false);
    expect(send).toHaveBeenCalledWith({ type: 'TEXT', text: 'hello' });
  });

  it('with Shift+Enter as the send key, Enter breaks the line and Shift+Enter sends', async () => {
    await render('SHIFT_ENTER');
    expect(composer().placeholder).toBe(en.chat.hintShiftEnter);
    expect(type('first line')).toBe(true);
    expect(send).not.toHaveBeenCalled();
    expect(type('two\nlines', true)).toBe(false);
    expect(send).toHaveBeenCalledWith({ type: 'TEXT', text: 'two\nlines' });
  });

  it('does not send an empty message', async () => {
    await render('ENTER');
    type('   ');
    expect(send).not.toHaveBeenCalled();
  });

  it("saves the chat's Enter-sends switch as the user's send key, and follows it", async () => {
    await render('ENTER');
    const toggle = await TestbedHarnessEnvironment.loader(fixture).getHarness(
      MatSlideToggleHarness.with({ selector: '[data-testid=enter-sends]' }),
    );
    expect(await toggle.isChecked()).toBe(true);
    await toggle.toggle();
    expect(setKey).toHaveBeenCalledWith('SHIFT_ENTER');
    fixture.detectChanges();
    expect(composer().placeholder).toBe(en.chat.hintShiftEnter);
    type('now Enter breaks the line');
    expect(send).not.toHaveBeenCalled();
  });
});
