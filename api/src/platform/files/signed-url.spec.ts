import { fileUrlExpiry, signFileUrl, verifyFileUrl } from './signed-url';

const SECRET = 'a-test-secret-that-is-long-enough-for-hmac';
const FILE = '0b7e5c1a-3f7e-4d2a-9a51-7c1d9e2f4b60';
const TENANT = 'd2f6a0c4-8b1e-4f3a-a9c7-5e2b1d0f6a38';
const OTHER = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const NOW = new Date('2026-03-01T12:00:00Z');
const IN_AN_HOUR = new Date('2026-03-01T13:00:00Z');

/** The path and query of a signed URL, as a route would see them. */
function parse(url: string): { fileId: string; query: URLSearchParams } {
  const parsed = new URL(url, 'https://chat.example.com');
  return { fileId: decodeURIComponent(parsed.pathname.replace(/^\/files\//, '')), query: parsed.searchParams };
}

function withParam(url: string, name: string, value: string | null): URLSearchParams {
  const { query } = parse(url);
  if (value === null) query.delete(name);
  else query.set(name, value);
  return query;
}

describe(signFileUrl.name, () => {
  it('gives /files/<id>?exp=<unix seconds>&sig=<base64url>', () => {
    const url = signFileUrl(SECRET, { fileId: FILE, tenantId: TENANT, expiresAt: IN_AN_HOUR });

    expect(url).toMatch(new RegExp(`^/files/${FILE}\\?exp=${IN_AN_HOUR.getTime() / 1000}&sig=[A-Za-z0-9_-]{43}$`));
  });

  it('never shows the tenant id', () => {
    const url = signFileUrl(SECRET, { fileId: FILE, tenantId: TENANT, expiresAt: IN_AN_HOUR });

    expect(url).not.toContain(TENANT);
    expect(url).not.toContain(Buffer.from(TENANT).toString('base64url'));
  });

  it('marks a download with dl=1', () => {
    const url = signFileUrl(SECRET, {
      fileId: FILE,
      tenantId: TENANT,
      expiresAt: IN_AN_HOUR,
      disposition: 'attachment',
    });

    expect(parse(url).query.get('dl')).toBe('1');
  });
});

describe(verifyFileUrl.name, () => {
  const inline = signFileUrl(SECRET, { fileId: FILE, tenantId: TENANT, expiresAt: IN_AN_HOUR });
  const download = signFileUrl(SECRET, {
    fileId: FILE,
    tenantId: TENANT,
    expiresAt: IN_AN_HOUR,
    disposition: 'attachment',
  });

  it('accepts the URL it signed, for the tenant stored on the file', () => {
    const { fileId, query } = parse(inline);

    expect(verifyFileUrl(SECRET, fileId, query, TENANT, NOW)).toEqual({
      tenantId: TENANT,
      disposition: 'inline',
      expiresAt: IN_AN_HOUR,
    });
  });

  it('accepts the query object Express gives', () => {
    const { fileId, query } = parse(download);

    expect(verifyFileUrl(SECRET, fileId, Object.fromEntries(query), TENANT, NOW)).toMatchObject({
      disposition: 'attachment',
    });
  });

  it('refuses it one second after it expires, and at the very second', () => {
    const { fileId, query } = parse(inline);

    expect(verifyFileUrl(SECRET, fileId, query, TENANT, new Date(IN_AN_HOUR.getTime() - 1))).not.toBeNull();
    expect(verifyFileUrl(SECRET, fileId, query, TENANT, IN_AN_HOUR)).toBeNull();
    expect(verifyFileUrl(SECRET, fileId, query, TENANT, new Date(IN_AN_HOUR.getTime() + 1000))).toBeNull();
  });

  it('refuses it for a file stored under another tenant', () => {
    const { fileId, query } = parse(inline);

    expect(verifyFileUrl(SECRET, fileId, query, OTHER, NOW)).toBeNull();
  });

  it('refuses it for another file', () => {
    expect(verifyFileUrl(SECRET, OTHER, parse(inline).query, TENANT, NOW)).toBeNull();
  });

  it('refuses it under another secret', () => {
    const { fileId, query } = parse(inline);

    expect(verifyFileUrl(`${SECRET}-rotated`, fileId, query, TENANT, NOW)).toBeNull();
  });

  it('refuses a later expiry than the one signed', () => {
    const later = String(IN_AN_HOUR.getTime() / 1000 + 86400);

    expect(verifyFileUrl(SECRET, FILE, withParam(inline, 'exp', later), TENANT, NOW)).toBeNull();
  });

  it('refuses switching between inline and download', () => {
    expect(verifyFileUrl(SECRET, FILE, withParam(inline, 'dl', '1'), TENANT, NOW)).toBeNull();
    expect(verifyFileUrl(SECRET, FILE, withParam(download, 'dl', null), TENANT, NOW)).toBeNull();
  });

  it('refuses a signature with any character changed', () => {
    const sig = parse(inline).query.get('sig')!;
    for (const at of [0, 20, sig.length - 1]) {
      const changed = sig.slice(0, at) + (sig[at] === 'A' ? 'B' : 'A') + sig.slice(at + 1);

      expect(verifyFileUrl(SECRET, FILE, withParam(inline, 'sig', changed), TENANT, NOW)).toBeNull();
    }
  });

  it.each<[string, Record<string, unknown>]>([
    ['no signature', { exp: '9999999999' }],
    ['no expiry', { sig: 'A'.repeat(43) }],
    ['a signature of the wrong length', { exp: '9999999999', sig: 'A'.repeat(42) }],
    ['an expiry that is not a number', { exp: '1e12', sig: 'A'.repeat(43) }],
    ['repeated parameters', { exp: ['9999999999', '9999999999'], sig: 'A'.repeat(43) }],
    ['a nested parameter', { exp: { a: '1' }, sig: 'A'.repeat(43) }],
    ['an unknown dl value', { exp: '9999999999', sig: 'A'.repeat(43), dl: 'yes' }],
  ])('refuses %s', (_case, query) => {
    expect(verifyFileUrl(SECRET, FILE, query, TENANT, NOW)).toBeNull();
  });

  it('refuses a repeated signature in a URL', () => {
    const query = parse(inline).query;
    query.append('sig', query.get('sig')!);

    expect(verifyFileUrl(SECRET, FILE, query, TENANT, NOW)).toBeNull();
  });

  it('round-trips an id that needs escaping in a path', () => {
    const url = signFileUrl(SECRET, { fileId: 'a b/c', tenantId: TENANT, expiresAt: IN_AN_HOUR });
    const { fileId, query } = parse(url);

    expect(url.startsWith('/files/a%20b%2Fc?')).toBe(true);
    expect(verifyFileUrl(SECRET, fileId, query, TENANT, NOW)).not.toBeNull();
  });
});

describe(fileUrlExpiry.name, () => {
  it('is at least the TTL away and at most one step (a tenth of it, up to 5 minutes) more', () => {
    const expiry = fileUrlExpiry(3600, NOW);
    const seconds = (expiry.getTime() - NOW.getTime()) / 1000;

    expect(seconds).toBeGreaterThanOrEqual(3600);
    expect(seconds).toBeLessThanOrEqual(3600 + 300);
  });

  it('stays the same for a while, so the same file keeps the same URL and browsers can cache it', () => {
    const start = new Date('2026-03-01T12:00:01Z');

    expect(fileUrlExpiry(3600, start)).toEqual(fileUrlExpiry(3600, new Date(start.getTime() + 200_000)));
    expect(fileUrlExpiry(3600, start)).not.toEqual(fileUrlExpiry(3600, new Date(start.getTime() + 301_000)));
  });

  it('handles TTLs shorter than ten seconds', () => {
    expect(fileUrlExpiry(5, NOW).getTime() - NOW.getTime()).toBeGreaterThanOrEqual(5000);
  });
});
