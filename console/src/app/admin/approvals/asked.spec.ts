import { askedOf, headline, requesterName } from './asked';

const amy = { id: 'u1', nickname: 'Amy', realName: null };
const t = (key: string, params?: Record<string, unknown>) => `${key}${params ? JSON.stringify(params) : ''}`;

describe('askedOf', () => {
  it('reads what each kind of request asks for', () => {
    expect(askedOf({ kind: 'STATUS_CHANGE', payload: { status: 'BUSY' } })).toEqual({
      kind: 'STATUS_CHANGE',
      status: 'BUSY',
    });
    expect(askedOf({ kind: 'BLACKLIST', payload: { customerId: 'c1', conversationId: null, reason: 'spam' } })).toEqual(
      { kind: 'BLACKLIST', customerId: 'c1' },
    );
    expect(askedOf({ kind: 'PUBLIC_PHRASE', payload: { content: 'Hello ##dear##', categoryId: null } })).toEqual({
      kind: 'PUBLIC_PHRASE',
      content: 'Hello ##dear##',
    });
  });

  it('does not trust a payload of another shape', () => {
    expect(askedOf({ kind: 'STATUS_CHANGE', payload: { status: 'ASLEEP' } })).toEqual({
      kind: 'STATUS_CHANGE',
      status: null,
    });
    expect(askedOf({ kind: 'BLACKLIST', payload: null })).toEqual({ kind: 'BLACKLIST', customerId: null });
    expect(askedOf({ kind: 'PUBLIC_PHRASE', payload: { content: 42 } })).toEqual({
      kind: 'PUBLIC_PHRASE',
      content: '',
    });
  });
});

describe('headline', () => {
  it('names the request number, the requester and the status asked', () => {
    const line = headline({ number: 12, kind: 'STATUS_CHANGE', payload: { status: 'BUSY' }, requesterUser: amy }, t);
    expect(line).toBe('approvals.headline.STATUS_CHANGE{"number":12,"name":"Amy","status":"status.BUSY"}');
  });

  it('falls back to the real name when there is no nickname', () => {
    expect(requesterName({ requesterUser: { id: 'u2', nickname: '', realName: 'Ben Li' } })).toBe('Ben Li');
  });
});
