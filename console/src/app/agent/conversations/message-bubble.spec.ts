import { TestBed } from '@angular/core/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import type { ChatItem } from './chat-store';
import { MessageBubble } from './message-bubble';

const base: ChatItem = {
  id: 'm1',
  seq: 3,
  conversation: 'c1',
  senderKind: 'CUSTOMER',
  senderUser: null,
  type: 'TEXT',
  text: null,
  payload: null,
  clientMessageId: null,
  createdAt: new Date().toISOString(),
  recalledAt: null,
  attachment: null,
  delivery: 'sent',
};

describe('MessageBubble', () => {
  function render(message: Partial<ChatItem>, mine = false): HTMLElement {
    TestBed.configureTestingModule({
      imports: [
        MessageBubble,
        TranslocoTestingModule.forRoot({ langs: { en: {} }, translocoConfig: { defaultLang: 'en' } }),
      ],
    });
    const fixture = TestBed.createComponent(MessageBubble);
    fixture.componentRef.setInput('message', { ...base, ...message });
    fixture.componentRef.setInput('mine', mine);
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  it('shows what a visitor typed as text, never as markup', () => {
    const el = render({ text: '<img src=x onerror="alert(1)"><b>hi</b>' });
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('b')).toBeNull();
    expect(el.textContent).toContain('<b>hi</b>');
  });

  it('links only http(s) URLs', () => {
    expect(render({ type: 'URL', payload: { url: 'javascript:alert(1)' } }).querySelector('a')).toBeNull();
    TestBed.resetTestingModule();
    const link = render({ type: 'URL', payload: { url: 'https://example.com/a', title: 'Order' } }).querySelector('a');
    expect(link?.getAttribute('href')).toBe('https://example.com/a');
    expect(link?.getAttribute('rel')).toContain('noopener');
  });

  it('offers recall only on my own message within two minutes', () => {
    const recall = (el: HTMLElement) =>
      [...el.querySelectorAll('button')].some((b) => b.textContent?.includes('chat.recall'));
    expect(recall(render({ senderKind: 'AGENT', text: 'x' }, true))).toBe(true);
    TestBed.resetTestingModule();
    const old = new Date(Date.now() - 3 * 60_000).toISOString();
    expect(recall(render({ senderKind: 'AGENT', text: 'x', createdAt: old }, true))).toBe(false);
    TestBed.resetTestingModule();
    expect(recall(render({ senderKind: 'AGENT', text: 'x' }, false))).toBe(false);
  });

  it('marks a failed message and offers to resend it', () => {
    const el = render({ senderKind: 'AGENT', text: 'x', delivery: 'failed', error: 'Network down' }, true);
    expect(el.textContent).toContain('chat.failed');
    expect([...el.querySelectorAll('button')].some((b) => b.textContent?.includes('chat.resend'))).toBe(true);
  });
});
