import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';
import { Session } from '../../core/auth/session';
import type { CurrentUserFragment, SendKey } from '../../graphql/generated';
import { type ComposerKey, SendKeyPreference, sendsOn } from './send-key';

const key = (over: Partial<ComposerKey> = {}): ComposerKey => ({
  key: 'Enter',
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  isComposing: false,
  ...over,
});

describe(sendsOn.name, () => {
  it('with ENTER, Enter sends and Shift+Enter does not (it breaks the line)', () => {
    expect(sendsOn(key(), 'ENTER')).toBe(true);
    expect(sendsOn(key({ shiftKey: true }), 'ENTER')).toBe(false);
  });

  it('with SHIFT_ENTER, Shift+Enter sends and Enter does not', () => {
    expect(sendsOn(key({ shiftKey: true }), 'SHIFT_ENTER')).toBe(true);
    expect(sendsOn(key(), 'SHIFT_ENTER')).toBe(false);
  });

  it('sends on Ctrl+Enter or Cmd+Enter either way', () => {
    for (const sendKey of ['ENTER', 'SHIFT_ENTER'] as SendKey[]) {
      expect(sendsOn(key({ ctrlKey: true }), sendKey)).toBe(true);
      expect(sendsOn(key({ metaKey: true }), sendKey)).toBe(true);
    }
  });

  it('never sends on the Enter that confirms an input-method composition, nor on other keys', () => {
    expect(sendsOn(key({ isComposing: true }), 'ENTER')).toBe(false);
    expect(sendsOn(key({ isComposing: true, shiftKey: true }), 'SHIFT_ENTER')).toBe(false);
    expect(sendsOn(key({ key: 'a' }), 'ENTER')).toBe(false);
    expect(sendsOn(key({ key: 'NumpadEnter' }), 'ENTER')).toBe(false);
  });
});

describe(SendKeyPreference.name, () => {
  const user = signal<CurrentUserFragment | null>(null);

  function setup(sendKey: SendKey = 'ENTER') {
    user.set({
      id: 'u1',
      email: 'amy@example.com',
      nickname: 'Amy',
      realName: null,
      avatarUrl: null,
      language: 'EN',
      sendKey,
      status: 'ONLINE',
      maxConversations: 5,
      role: { id: 'r1', name: 'Agent', builtIn: 'AGENT', pages: [] },
    });
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [{ provide: Session, useValue: { user } }],
    });
    return { pref: TestBed.inject(SendKeyPreference), backend: TestBed.inject(ApolloTestingController) };
  }

  it("follows the signed-in user's choice", () => {
    const { pref } = setup('SHIFT_ENTER');
    expect(pref.key()).toBe('SHIFT_ENTER');
    user.set(null);
    expect(pref.key()).toBe('ENTER');
  });

  it('applies a new choice at once and saves it on the user', async () => {
    const { pref, backend } = setup('ENTER');
    const saving = pref.set('SHIFT_ENTER');
    expect(pref.key()).toBe('SHIFT_ENTER');
    const op = backend.expectOne('SaveMySendKey');
    expect(op.operation.variables).toEqual({ sendKey: 'SHIFT_ENTER' });
    op.flushData({ updateMyProfile: { __typename: 'User', id: 'u1', sendKey: 'SHIFT_ENTER' } });
    await saving;
    expect(user()?.sendKey).toBe('SHIFT_ENTER');
    backend.verify();
  });

  it('puts the previous choice back when saving fails', async () => {
    const { pref, backend } = setup('ENTER');
    const saving = pref.set('SHIFT_ENTER');
    backend.expectOne('SaveMySendKey').networkError(new Error('offline'));
    await expect(saving).rejects.toThrow('offline');
    expect(pref.key()).toBe('ENTER');
  });

  it('does not call the API when the choice does not change', async () => {
    const { pref, backend } = setup('ENTER');
    await pref.set('ENTER');
    backend.expectNone('SaveMySendKey');
  });
});
