import type { ApprovalRowFragment, UserStatus } from '../../graphql/generated';

/** What a request asks for, read from its payload (see the API's approval payloads). */
export type Asked =
  | { kind: 'STATUS_CHANGE'; status: UserStatus | null }
  | { kind: 'BLACKLIST'; customerId: string | null }
  | { kind: 'PUBLIC_PHRASE'; content: string };

const STATUSES: ReadonlySet<string> = new Set<UserStatus>(['ONLINE', 'BUSY', 'AWAY', 'INVISIBLE', 'OFFLINE']);

export function askedOf(approval: Pick<ApprovalRowFragment, 'kind' | 'payload'>): Asked {
  const payload = (approval.payload && typeof approval.payload === 'object' ? approval.payload : {}) as Record<
    string,
    unknown
  >;
  const text = (key: string): string | null => (typeof payload[key] === 'string' ? payload[key] : null);
  switch (approval.kind) {
    case 'STATUS_CHANGE': {
      const status = text('status');
      return { kind: 'STATUS_CHANGE', status: status && STATUSES.has(status) ? (status as UserStatus) : null };
    }
    case 'BLACKLIST':
      return { kind: 'BLACKLIST', customerId: text('customerId') };
    case 'PUBLIC_PHRASE':
      return { kind: 'PUBLIC_PHRASE', content: text('content') ?? '' };
  }
}

/** The requester as the console names people: nickname, else real name. */
export function requesterName(approval: Pick<ApprovalRowFragment, 'requesterUser'>): string {
  return approval.requesterUser.nickname || approval.requesterUser.realName || '—';
}

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** One line for alerts and dialogs: "Request #12: Amy asks to go Busy". */
export function headline(
  approval: Pick<ApprovalRowFragment, 'number' | 'kind' | 'payload' | 'requesterUser'>,
  t: Translate,
): string {
  const asked = askedOf(approval);
  const status = asked.kind === 'STATUS_CHANGE' && asked.status ? t(`status.${asked.status}`) : '';
  return t(`approvals.headline.${approval.kind}`, { number: approval.number, name: requesterName(approval), status });
}
