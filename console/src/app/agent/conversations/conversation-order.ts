import type { ConversationRowFragment } from '../../graphql/generated';

/** The tenant's switches for the ongoing list (SET-1); both off until they are read. */
export interface ListSettings {
  sortByAgentLatestMessage: boolean;
  showLastMessageTime: boolean;
}

export const DEFAULT_LIST_SETTINGS: ListSettings = { sortByAgentLatestMessage: false, showLastMessageTime: false };

type Ordered = Pick<
  ConversationRowFragment,
  'id' | 'createdAt' | 'lastMessageAt' | 'lastAgentMessageAt' | 'assignedAt'
>;

const time = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : Number.NEGATIVE_INFINITY);

/**
 * The ongoing list's order (MSG-1). By default the newest activity first, whoever wrote.
 *
 * With "sort by the agent's latest message" on, the conversation the agent wrote in most recently
 * comes first, as the manual says ("when a conversation has a new message from the agent, the
 * conversation goes to the top"). Customer messages then do not move rows, so an agent working
 * down a busy list finds each conversation where they left it, and the ones they have not answered
 * for longest sink to the bottom, where their unread counts and no-reply marks stand out. A
 * conversation the agent has not written in yet counts from when it was assigned (else created),
 * so a newly joined one starts near the top rather than below every answered one.
 */
export function orderConversations<T extends Ordered>(rows: readonly T[], sortByAgentLatestMessage: boolean): T[] {
  const at = sortByAgentLatestMessage
    ? (c: T) => time(c.lastAgentMessageAt ?? c.assignedAt ?? c.createdAt)
    : (c: T) => time(c.lastMessageAt ?? c.createdAt);
  return [...rows].sort((a, b) => at(b) - at(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

export type SinceUnit = 'now' | 'minutes' | 'hours' | 'days';

/**
 * How long ago `iso` was, for "time since the last message": under a minute "now", then whole
 * minutes, hours and days (rounded down, so a label never runs ahead of the clock).
 */
export function timeSince(iso: string, now: number): { unit: SinceUnit; count: number } {
  const minutes = Math.floor(Math.max(0, now - Date.parse(iso)) / 60_000);
  if (minutes < 1) return { unit: 'now', count: 0 };
  if (minutes < 60) return { unit: 'minutes', count: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return { unit: 'hours', count: hours };
  return { unit: 'days', count: Math.floor(hours / 24) };
}
