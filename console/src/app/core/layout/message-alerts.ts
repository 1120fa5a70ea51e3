import { Injectable, signal } from '@angular/core';

const KEY = 'parley.messageAlerts';

/** The top bar's message-alert switch: desktop notifications for new messages (MSG-7). */
@Injectable({ providedIn: 'root' })
export class MessageAlerts {
  readonly enabled = signal(localStorage.getItem(KEY) === 'on');

  async toggle(): Promise<void> {
    const on = !this.enabled();
    if (on && typeof Notification !== 'undefined' && Notification.permission === 'default') {
      await Notification.requestPermission();
    }
    this.enabled.set(on);
    localStorage.setItem(KEY, on ? 'on' : 'off');
  }
}
