import { SignJWT } from 'jose';
import { type AccessClaims, hashSecret, newOpaqueToken, parseOpaqueToken, secretMatches, TokenService } from './tokens';

const SECRET = 'a-test-signing-secret-of-at-least-32-chars';
const claims: AccessClaims = {
  userId: '0190a5b2-0000-7000-8000-000000000001',
  tenantId: '0190a5b2-0000-7000-8000-000000000002',
  sessionId: '0190a5b2-0000-7000-8000-000000000003',
};

/** A token signed with the service's own key, but with a payload of the test's choosing. */
function forge(payload: Record<string, unknown>, options: { issuer?: string; secret?: string } = {}): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.userId)
    .setIssuer(options.issuer ?? 'parley')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(options.secret ?? SECRET));
}

describe(TokenService.name, () => {
  const service = new TokenService(SECRET, 900);

  afterEach(() => {
    jest.useRealTimers();
  });

  it('verifies its own access token back to the same claims', async () => {
    const { token } = await service.signAccess(claims);

    await expect(service.verifyAccess(token)).resolves.toEqual(claims);
  });

  it('reports when the token expires', async () => {
    const before = Date.now();
    const { expiresAt } = await service.signAccess(claims);

    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + 900_000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 900_000);
  });

  it('accepts a token until its lifetime is over, and refuses it afterwards', async () => {
    const start = new Date('2030-01-01T00:00:00Z');
    jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    const shortLived = new TokenService(SECRET, 60);
    const { token, expiresAt } = await shortLived.signAccess(claims);

    expect(expiresAt).toEqual(new Date(start.getTime() + 60_000));

    jest.setSystemTime(start.getTime() + 59_000);
    await expect(shortLived.verifyAccess(token)).resolves.toEqual(claims);

    jest.setSystemTime(start.getTime() + 61_000);
    await expect(shortLived.verifyAccess(token)).resolves.toBeNull();
  });

  it('refuses a token that is already past its expiry', async () => {
    const expired = new TokenService(SECRET, -60);
    const { token } = await expired.signAccess(claims);

    await expect(expired.verifyAccess(token)).resolves.toBeNull();
  });

  it('refuses a token signed with another secret', async () => {
    const other = new TokenService('another-signing-secret-of-32-chars-or-more', 900);
    const { token } = await other.signAccess(claims);

    await expect(service.verifyAccess(token)).resolves.toBeNull();
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const { token } = await service.signAccess(claims);
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(
      JSON.stringify({
        sub: claims.userId,
        tid: 'another-tenant',
        sid: claims.sessionId,
        typ: 'access',
        iss: 'parley',
      }),
    ).toString('base64url');

    await expect(service.verifyAccess(`${header}.${payload}.${signature}`)).resolves.toBeNull();
  });

  it('refuses a correctly signed token of another kind', async () => {
    const refresh = await forge({ tid: claims.tenantId, sid: claims.sessionId, typ: 'refresh' });
    const untyped = await forge({ tid: claims.tenantId, sid: claims.sessionId });

    await expect(service.verifyAccess(refresh)).resolves.toBeNull();
    await expect(service.verifyAccess(untyped)).resolves.toBeNull();
  });

  it('refuses a correctly signed access token from another issuer', async () => {
    const token = await forge({ tid: claims.tenantId, sid: claims.sessionId, typ: 'access' }, { issuer: 'evil' });

    await expect(service.verifyAccess(token)).resolves.toBeNull();
  });

  it('refuses a correctly signed access token missing its tenant or session', async () => {
    const noTenant = await forge({ sid: claims.sessionId, typ: 'access' });
    const noSession = await forge({ tid: claims.tenantId, typ: 'access' });

    await expect(service.verifyAccess(noTenant)).resolves.toBeNull();
    await expect(service.verifyAccess(noSession)).resolves.toBeNull();
  });

  it('accepts a forged-looking token only when it has every access claim (control for the cases above)', async () => {
    const token = await forge({ tid: claims.tenantId, sid: claims.sessionId, typ: 'access' });

    await expect(service.verifyAccess(token)).resolves.toEqual(claims);
  });

  it.each([['not-a-jwt'], [''], ['a.b.c']])('returns null for garbage %p instead of throwing', async (token) => {
    await expect(service.verifyAccess(token)).resolves.toBeNull();
  });
});

describe(newOpaqueToken.name, () => {
  const id = '0190a5b2-6c1e-7c3a-9d4e-1f2a3b4c5d6e';

  it('builds `<prefix>_<id>_<secret>` that parses back to the same id and secret', () => {
    const made = newOpaqueToken('pk', id);

    expect(made.id).toBe(id);
    expect(made.token).toBe(`pk_${id}_${made.secret}`);
    expect(parseOpaqueToken('pk', made.token)).toEqual({ id, secret: made.secret });
  });

  it('makes a different, long secret every time', () => {
    const secrets = new Set(Array.from({ length: 20 }, () => newOpaqueToken('pk', id).secret));

    expect(secrets.size).toBe(20);
    for (const secret of secrets) expect(secret.length).toBeGreaterThanOrEqual(43);
  });
});

describe(parseOpaqueToken.name, () => {
  const id = '0190a5b2-6c1e-7c3a-9d4e-1f2a3b4c5d6e';
  const secret = 'Ab_-0123456789abcdefghijKLMN';

  it('reads a secret that contains underscores and dashes', () => {
    expect(parseOpaqueToken('rt', `rt_${id}_${secret}`)).toEqual({ id, secret });
  });

  it.each([
    ['another prefix', `pk_${id}_${secret}`],
    ['no prefix', `${id}_${secret}`],
    ['a malformed id', `rt_not-a-uuid_${secret}`],
    ['a secret that is too short', `rt_${id}_short`],
    ['a secret with characters outside base64url', `rt_${id}_${secret}+/=`],
    ['trailing whitespace', `rt_${id}_${secret} `],
    ['an empty token', ''],
  ])('returns null for %s', (_label, token) => {
    expect(parseOpaqueToken('rt', token)).toBeNull();
  });
});

describe(secretMatches.name, () => {
  const secret = newOpaqueToken('pk', '0190a5b2-6c1e-7c3a-9d4e-1f2a3b4c5d6e').secret;

  it('matches the secret against its stored hash', () => {
    expect(secretMatches(secret, hashSecret(secret))).toBe(true);
  });

  it('does not store the secret itself', () => {
    expect(hashSecret(secret)).not.toContain(secret);
    expect(hashSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses another secret', () => {
    expect(secretMatches(`${secret}x`, hashSecret(secret))).toBe(false);
  });

  it.each([[''], ['not-hex'], ['abcd']])('refuses a malformed stored hash %p without throwing', (stored) => {
    expect(secretMatches(secret, stored)).toBe(false);
  });
});
