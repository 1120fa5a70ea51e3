import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { CrmParam, type CrmFrameSettings } from '../tenant/tenant-settings';

/** The name each value has in the query string and in the sealed JSON (docs/crm-iframe.md). */
export const CRM_PARAM_NAMES: Readonly<Record<CrmParam, string>> = {
  [CrmParam.CUSTOMER_ID]: 'customerId',
  [CrmParam.CUSTOMER_EXTERNAL_ID]: 'customerExternalId',
  [CrmParam.CUSTOMER_NICKNAME]: 'customerNickname',
  [CrmParam.CONVERSATION_ID]: 'conversationId',
  [CrmParam.CHANNEL]: 'channel',
  [CrmParam.AGENT_ID]: 'agentId',
  [CrmParam.AGENT_NICKNAME]: 'agentNickname',
  [CrmParam.TENANT_ID]: 'tenantId',
};

/** The one query parameter that carries the sealed values. */
export const SEALED_PARAM = 'p';
/** The sealed JSON's format; a CRM can refuse versions it does not know. */
export const SEALED_VERSION = 1;

const NONCE_BYTES = 12;

export type CrmValues = Partial<Record<CrmParam, string | null>>;

/** The AES-256 key: SHA-256 of the tenant key's UTF-8 bytes (one line in any language). */
export function crmCipherKey(tenantKey: string): Buffer {
  return createHash('sha256').update(tenantKey, 'utf8').digest();
}

/** base64url (no padding) of nonce ‖ ciphertext ‖ tag: AES-256-GCM, a random 12-byte nonce, a 16-byte tag. */
export function sealCrmPayload(payload: Record<string, unknown>, tenantKey: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', crmCipherKey(tenantKey), nonce);
  const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
}

/**
 * The configured page with the chosen values: each as its own query parameter (values that are
 * not known are left out), or — with `encrypt` — all of them, plus `v` and the issue time `iat`
 * (Unix seconds), sealed in `p`. The page's own query and fragment stay.
 */
export function crmFrameUrl(
  settings: Pick<CrmFrameSettings, 'url' | 'params' | 'encrypt' | 'key'>,
  values: CrmValues,
  now = new Date(),
): string {
  if (!settings.url) throw new Error('The CRM panel has no address');
  const url = new URL(settings.url);
  const named = settings.params.map((param) => [CRM_PARAM_NAMES[param], values[param] ?? null] as const);
  if (settings.encrypt) {
    if (!settings.key) throw new Error('Encrypting the CRM parameters needs a key');
    const payload = { v: SEALED_VERSION, iat: Math.floor(now.getTime() / 1000), ...Object.fromEntries(named) };
    url.searchParams.set(SEALED_PARAM, sealCrmPayload(payload, settings.key));
  } else {
    for (const [name, value] of named) if (value !== null) url.searchParams.set(name, value);
  }
  return url.toString();
}
