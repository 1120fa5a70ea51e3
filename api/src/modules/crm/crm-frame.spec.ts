import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../platform/config/config';
import { CrmParam } from '../tenant/tenant-settings';
import { crmFrameUrl, type CrmValues, SEALED_PARAM, sealCrmPayload } from './crm-frame';

const KEY = 'correct horse battery staple';
const NOW = new Date();
const iat = Math.floor(NOW.getTime() / 1000);

const values: CrmValues = {
  [CrmParam.CUSTOMER_ID]: '0197aaaa-0000-7000-8000-000000000001',
  [CrmParam.CUSTOMER_EXTERNAL_ID]: 'u-1842',
  [CrmParam.CUSTOMER_NICKNAME]: '林 伟 & co',
  [CrmParam.CONVERSATION_ID]: '0197aaaa-0000-7000-8000-000000000002',
  [CrmParam.CHANNEL]: 'WEB',
  [CrmParam.AGENT_ID]: '0197aaaa-0000-7000-8000-000000000003',
  [CrmParam.AGENT_NICKNAME]: null,
  [CrmParam.TENANT_ID]: '0197aaaa-0000-7000-8000-000000000004',
};
const ALL = Object.values(CrmParam);
const settings = (over: { encrypt?: boolean; params?: CrmParam[]; url?: string } = {}) => ({
  url: 'https://crm.example.com/panel?lang=zh#top',
  params: ALL,
  encrypt: false,
  key: KEY,
  ...over,
});

/** The first fenced block of `language` after `heading` in docs/crm-iframe.md, exactly as printed there. */
function docExample(heading: string, language: string): string {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'crm-iframe.md'), 'utf8');
  const from = doc.indexOf(`\n${heading}`);
  if (from < 0) throw new Error(`docs/crm-iframe.md has no "${heading}"`);
  const block = new RegExp('```' + language + '\\n([\\s\\S]*?)\\n```').exec(doc.slice(from));
  if (!block?.[1]) throw new Error(`docs/crm-iframe.md has no ${language} block under "${heading}"`);
  return block[1];
}

type Opened = { ok: Record<string, unknown> } | { error: string };

/** Runs the documented Node.js function on each [p, key] in a process of its own, as a CRM would. */
function openWithNodeExample(cases: [string, string][]): Opened[] {
  const dir = mkdtempSync(join(tmpdir(), 'crm-doc-'));
  try {
    writeFileSync(join(dir, 'open-parley.mjs'), docExample('### Node.js', 'js'));
    writeFileSync(
      join(dir, 'run.mjs'),
      `import { openParleyParams } from './open-parley.mjs';
       const cases = JSON.parse(process.argv[2]);
       console.log(JSON.stringify(cases.map(([p, key]) => {
         try { return { ok: openParleyParams(p, key) }; } catch (e) { return { error: e.message }; }
       })));`,
    );
    const env = { ...process.env, NODE_OPTIONS: '' };
    return JSON.parse(
      execFileSync(process.execPath, [join(dir, 'run.mjs'), JSON.stringify(cases)], { env }).toString(),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const python = spawnSync('python3', ['-c', 'import cryptography'], { stdio: 'ignore' }).status === 0;

/** The same with the documented Python function (needs python3 with the `cryptography` package). */
function openWithPythonExample(cases: [string, string][]): Opened[] {
  const dir = mkdtempSync(join(tmpdir(), 'crm-doc-'));
  try {
    writeFileSync(join(dir, 'open_parley.py'), docExample('### Python', 'python'));
    writeFileSync(
      join(dir, 'run.py'),
      [
        'import json, sys',
        'from open_parley import open_parley_params',
        'out = []',
        'for p, key in json.loads(sys.argv[1]):',
        '    try:',
        '        out.append({"ok": open_parley_params(p, key)})',
        '    except Exception as e:',
        '        out.append({"error": type(e).__name__ + ": " + str(e)})',
        'print(json.dumps(out))',
      ].join('\n'),
    );
    return JSON.parse(execFileSync('python3', [join(dir, 'run.py'), JSON.stringify(cases)], { cwd: dir }).toString());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sealedOf = (url: string) => new URL(url).searchParams.get(SEALED_PARAM)!;

/** The same bytes with one bit flipped at `index` (negative: from the end). */
function flipped(p: string, index: number): string {
  const bytes = Buffer.from(p, 'base64url');
  const i = index < 0 ? bytes.length + index : index;
  bytes[i] = bytes[i]! ^ 0x01;
  return bytes.toString('base64url');
}

describe('crmFrameUrl', () => {
  it('passes the chosen values in clear as query parameters, leaving unknown ones out', () => {
    const url = new URL(
      crmFrameUrl(
        settings({ params: [CrmParam.CUSTOMER_NICKNAME, CrmParam.CONVERSATION_ID, CrmParam.AGENT_NICKNAME] }),
        values,
      ),
    );
    expect(url.origin + url.pathname).toBe('https://crm.example.com/panel');
    expect(url.hash).toBe('#top');
    expect([...url.searchParams]).toEqual([
      ['lang', 'zh'],
      ['customerNickname', '林 伟 & co'],
      ['conversationId', values.CONVERSATION_ID],
    ]);
  });

  it('passes every parameter under its documented name', () => {
    const url = new URL(crmFrameUrl(settings(), values));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      lang: 'zh',
      customerId: values.CUSTOMER_ID,
      customerExternalId: 'u-1842',
      customerNickname: '林 伟 & co',
      conversationId: values.CONVERSATION_ID,
      channel: 'WEB',
      agentId: values.AGENT_ID,
      tenantId: values.TENANT_ID,
    });
  });

  it('seals the values in `p` only, each time with a new nonce', () => {
    const first = new URL(crmFrameUrl(settings({ encrypt: true }), values, NOW));
    const second = new URL(crmFrameUrl(settings({ encrypt: true }), values, NOW));
    expect([...first.searchParams.keys()]).toEqual(['lang', 'p']);
    expect(first.hash).toBe('#top');
    expect(first.toString()).not.toContain('u-1842');
    expect(sealedOf(first.toString())).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(sealedOf(first.toString())).not.toBe(sealedOf(second.toString()));
  });
});

describe('docs/crm-iframe.md decryption examples', () => {
  const sealed = sealedOf(crmFrameUrl(settings({ encrypt: true }), values, NOW));
  const expected = {
    v: 1,
    iat,
    customerId: values.CUSTOMER_ID,
    customerExternalId: 'u-1842',
    customerNickname: '林 伟 & co',
    conversationId: values.CONVERSATION_ID,
    channel: 'WEB',
    agentId: values.AGENT_ID,
    agentNickname: null,
    tenantId: values.TENANT_ID,
  };
  const stale = sealCrmPayload({ v: 1, iat: iat - 600, customerId: 'x' }, KEY);
  const cases: [string, string][] = [
    [sealed, KEY],
    [flipped(sealed, 20), KEY], // the ciphertext altered
    [flipped(sealed, -1), KEY], // the tag altered
    [flipped(sealed, 0), KEY], // the nonce altered
    [sealed.slice(0, -4), KEY], // truncated
    [sealed, 'another tenant key'],
    [stale, KEY],
  ];

  const check = (results: Opened[]) => {
    expect(results[0]).toEqual({ ok: expected });
    for (const [i, result] of results.slice(1).entries()) {
      expect({ case: i + 1, opened: 'ok' in result }).toEqual({ case: i + 1, opened: false });
    }
    expect(results[6]).toEqual({ error: expect.stringMatching(/expired/) });
  };

  it('the Node.js example opens what the API seals and refuses a tampered, foreign or stale one', () => {
    check(openWithNodeExample(cases));
  });

  (python ? it : it.skip)('the Python example does the same (python3 with cryptography)', () => {
    check(openWithPythonExample(cases));
  });
});
