import { AppError } from '../../platform/errors/app-error';
import { applySettings, DEFAULT_SETTINGS, isCrmFrameUrl, withDefaults } from './tenant-settings';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.extensions : e;
  }
  throw new Error('not refused');
};

describe('CRM panel settings (CNV-12)', () => {
  const configured = applySettings(withDefaults(null), {
    crmFrame: { enabled: true, url: 'https://crm.example.com/', encrypt: true, key: 'k'.repeat(16) },
  });

  it('keeps the stored key when an update leaves it out, and removes it on null', () => {
    const renamed = applySettings(configured, { crmFrame: { url: 'https://crm.example.com/v2' } });
    expect(renamed.crmFrame).toMatchObject({ url: 'https://crm.example.com/v2', encrypt: true, key: 'k'.repeat(16) });
    const cleared = applySettings(configured, { crmFrame: { encrypt: false, key: null } });
    expect(cleared.crmFrame).toMatchObject({ encrypt: false, key: null });
  });

  it('refuses encrypting without a key, and the panel without a page, naming the field', () => {
    expect(refusal(() => applySettings(configured, { crmFrame: { key: null } }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'CRM_KEY_REQUIRED',
      field: 'crmFrame.key',
    });
    expect(refusal(() => applySettings(withDefaults(null), { crmFrame: { encrypt: true } }))).toMatchObject({
      field: 'crmFrame.key',
    });
    expect(refusal(() => applySettings(withDefaults(null), { crmFrame: { enabled: true } }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'CRM_URL_REQUIRED',
      field: 'crmFrame.url',
    });
  });

  it('fills in defaults for tenants stored before the CRM panel existed', () => {
    expect(withDefaults({ welcomeMessage: 'Hi' }).crmFrame).toEqual(DEFAULT_SETTINGS.crmFrame);
  });

  it.each([
    ['https://crm.example.com/panel?x=1', true],
    ['HTTPS://crm.example.com', true],
    ['http://localhost:3000/crm', true],
    ['http://127.0.0.1/crm', true],
    ['http://[::1]:8080/', true],
    ['http://crm.example.com/', false],
    ['http://localhost.example.com/', false],
    ['https://user:secret@crm.example.com/', false],
    ['javascript:alert(1)', false],
    ['ftp://crm.example.com/', false],
    ['https:crm.example.com', false],
    ['crm.example.com', false],
  ])('takes %s as a CRM page: %s', (url, ok) => {
    expect(isCrmFrameUrl(url)).toBe(ok);
  });
});
