/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearer(header: string | undefined): string | undefined {
  return header ? /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] : undefined;
}
