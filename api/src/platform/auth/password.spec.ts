import { burnPasswordCheck, hashPassword, verifyPassword } from './password';

describe(hashPassword.name, () => {
  it('produces an argon2id hash that does not contain the password', async () => {
    const hashed = await hashPassword('correct horse battery staple');

    expect(hashed).toMatch(/^\$argon2id\$/);
    expect(hashed).not.toContain('correct horse');
  });

  it('salts every hash, so the same password hashes differently', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);

    expect(a).not.toBe(b);
    await expect(verifyPassword(a, 'same password')).resolves.toBe(true);
    await expect(verifyPassword(b, 'same password')).resolves.toBe(true);
  });
});

describe(verifyPassword.name, () => {
  let hashed: string;

  beforeAll(async () => {
    hashed = await hashPassword('S3cret password ✓');
  });

  it('accepts the password that was hashed', async () => {
    await expect(verifyPassword(hashed, 'S3cret password ✓')).resolves.toBe(true);
  });

  it.each([['s3cret password ✓'], ['S3cret password'], ['S3cret password ✓ '], ['']])(
    'refuses the wrong password %p',
    async (attempt) => {
      await expect(verifyPassword(hashed, attempt)).resolves.toBe(false);
    },
  );

  it.each([[''], ['not a hash'], ['$argon2id$v=19$m=19456,t=2,p=1$garbage'], ['$2b$10$abcdefghijklmnopqrstuv']])(
    'returns false for the unusable stored hash %p instead of throwing',
    async (stored) => {
      await expect(verifyPassword(stored, 'S3cret password ✓')).resolves.toBe(false);
    },
  );
});

describe(burnPasswordCheck.name, () => {
  it('completes without revealing anything', async () => {
    await expect(burnPasswordCheck('whatever')).resolves.toBeUndefined();
  });
});
