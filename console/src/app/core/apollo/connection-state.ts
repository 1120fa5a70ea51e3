import { computed, Injectable, signal } from '@angular/core';

/** The live socket's state: pages refetch and resubscribe when `generation` moves on. */
@Injectable({ providedIn: 'root' })
export class ConnectionState {
  private readonly connections = signal(0);
  readonly online = signal(true);
  /** How many times the socket has connected; a change after the first is a reconnect. */
  readonly generation = this.connections.asReadonly();
  readonly reconnecting = computed(() => this.connections() > 0 && !this.online());

  connected(): void {
    this.online.set(true);
    this.connections.update((n) => n + 1);
  }

  closed(): void {
    this.online.set(false);
  }
}
