import { computed, inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { Session } from '../../core/auth/session';
import { SaveMySendKeyDocument, type SendKey } from '../../graphql/generated';

export type ComposerKey = Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'isComposing'>;

/**
 * MSG-8: whether a key press in a chat box sends. With ENTER, Enter sends and Shift+Enter breaks
 * the line; with SHIFT_ENTER the reverse. Ctrl/Cmd+Enter sends either way (it never types a line
 * break), and an Enter that confirms an IME composition never sends.
 */
export function sendsOn(event: ComposerKey, sendKey: SendKey): boolean {
  if (event.key !== 'Enter' || event.isComposing) return false;
  if (event.ctrlKey || event.metaKey) return true;
  return sendKey === 'ENTER' ? !event.shiftKey : event.shiftKey;
}

/** The signed-in user's send key: read from the session, saved on the user wherever it changes. */
@Injectable({ providedIn: 'root' })
export class SendKeyPreference {
  private readonly apollo = inject(Apollo);
  private readonly session = inject(Session);

  readonly key = computed<SendKey>(() => this.session.user()?.sendKey ?? 'ENTER');

  /** Applies the choice at once and saves it; puts the previous one back when saving fails. */
  async set(sendKey: SendKey): Promise<void> {
    const before = this.key();
    if (before === sendKey) return;
    this.apply(sendKey);
    try {
      await firstValueFrom(this.apollo.mutate({ mutation: SaveMySendKeyDocument, variables: { sendKey } }));
    } catch (e) {
      this.apply(before);
      throw e;
    }
  }

  /** Takes a value the server already has (e.g. saved with the rest of the profile). */
  apply(sendKey: SendKey): void {
    this.session.user.update((u) => (u ? { ...u, sendKey } : u));
  }
}
