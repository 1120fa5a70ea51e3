import { createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { text as readAll } from 'node:stream/consumers';
import type { IncomingMessage } from 'node:http';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../platform/auth/principal';
import type { Config } from '../../platform/config/config';
import { badInput, notFound, unauthenticated } from '../../platform/errors/app-error';
import type { FileKind } from '../../platform/files/file-type';
import { contentDisposition, dispositionFor } from '../../platform/files/filename';
import { readSingleFileUpload, type SingleFileUpload } from '../../platform/files/multipart';
import { fileUrlExpiry, signFileUrl, type VerifiedFileUrl, verifyFileUrl } from '../../platform/files/signed-url';
import { type FileStorage, newFileKey } from '../../platform/files/storage';
import { sanitizeFilename } from '../../platform/files/filename';
import { checkUpload, parseDeclaredKind } from '../../platform/files/upload-policy';
import { MessageType } from '../conversation/conversation.entity';
import { Attachment, AttachmentKind } from './attachment.entity';

const KIND: Record<FileKind, AttachmentKind> = {
  image: AttachmentKind.IMAGE,
  audio: AttachmentKind.AUDIO,
  video: AttachmentKind.VIDEO,
  document: AttachmentKind.DOCUMENT,
  archive: AttachmentKind.ARCHIVE,
  text: AttachmentKind.TEXT,
  executable: AttachmentKind.OTHER,
  unknown: AttachmentKind.OTHER,
};

// Which attachments a message type may carry.
const FITS: Partial<Record<MessageType, AttachmentKind[]>> = {
  [MessageType.IMAGE]: [AttachmentKind.IMAGE],
  [MessageType.VOICE]: [AttachmentKind.AUDIO],
  [MessageType.VIDEO]: [AttachmentKind.VIDEO],
};

export interface StoredFile {
  attachment: Attachment;
  url: string;
}

/** Uploads and downloads of attachments, composed from `platform/files`. */
export class AttachmentService {
  private readonly urlSecret: string;

  constructor(
    private readonly config: Config,
    private readonly storage: FileStorage,
  ) {
    // A key of its own, derived from the server secret: file links cannot be forged into tokens.
    this.urlSecret = createHmac('sha256', config.JWT_SECRET).update('parley:file-urls').digest('hex');
  }

  /** Stores one uploaded file for the principal; nothing is kept when any check fails. */
  async upload(em: EntityManager, principal: Principal, req: IncomingMessage): Promise<StoredFile> {
    if (principal.kind === 'anonymous') throw unauthenticated();
    const key = newFileKey(principal.tenantId);
    let upload: SingleFileUpload | undefined;
    let stored = false;
    try {
      upload = await readSingleFileUpload(req, { maxBytes: this.config.MAX_UPLOAD_BYTES, fields: ['kind'] });
      const declared = parseDeclaredKind(upload.fields.kind);
      const object = await this.storage.write(key, upload.stream, { maxBytes: this.config.MAX_UPLOAD_BYTES });
      stored = true;
      const accepted = checkUpload({ declared, filename: upload.filename, head: object.head, size: object.size });
      const attachment = em.create(Attachment, {
        tenant: principal.tenantId,
        storageKey: key,
        filename: accepted.filename,
        mime: accepted.mime,
        kind: KIND[accepted.kind],
        size: object.size,
        sha256: object.sha256,
        uploadedByUser: principal.kind === 'user' ? principal.userId : null,
        uploadedByCustomer: principal.kind === 'visitor' ? principal.customerId : null,
      });
      await em.flush();
      return { attachment, url: this.url(attachment) };
    } catch (error) {
      upload?.stream.destroy();
      if (stored) await this.storage.delete(key);
      throw error;
    }
  }

  url(attachment: Attachment, disposition: 'inline' | 'attachment' = 'inline'): string {
    const path = signFileUrl(this.urlSecret, {
      fileId: attachment.id,
      tenantId: attachment.tenant,
      expiresAt: fileUrlExpiry(this.config.FILE_URL_TTL_SECONDS),
      disposition,
    });
    return `${this.config.PUBLIC_URL}${path}`;
  }

  /** A signed link is the credential: the file it names, or null (answered as 404 either way). */
  async resolveDownload(
    systemEm: EntityManager,
    fileId: string,
    query: Record<string, unknown>,
  ): Promise<{ attachment: Attachment; grant: VerifiedFileUrl } | null> {
    if (!/^[0-9a-f-]{36}$/i.test(fileId)) return null;
    const attachment = await systemEm.findOne(Attachment, { id: fileId });
    if (!attachment) return null;
    const grant = verifyFileUrl(this.urlSecret, fileId, query, attachment.tenant);
    return grant ? { attachment, grant } : null;
  }

  headers(attachment: Attachment, grant: VerifiedFileUrl): Record<string, string> {
    return {
      'content-type': attachment.mime,
      'x-content-type-options': 'nosniff',
      'content-disposition': contentDisposition(
        dispositionFor(attachment.mime, grant.disposition),
        attachment.filename,
      ),
      'cache-control': `private, max-age=${Math.max(0, Math.floor((grant.expiresAt.getTime() - Date.now()) / 1000))}`,
      'content-security-policy': "default-src 'none'; sandbox",
    };
  }

  read(attachment: Attachment, range?: { start: number; end: number }) {
    return this.storage.read(attachment.storageKey, range);
  }

  /**
   * The attachment a message refers to: in the sender's tenant, uploaded by the sender's side
   * (a visitor can attach only their own uploads), and of a kind the message type can carry.
   */
  async forMessage(
    em: EntityManager,
    principal: Principal,
    type: MessageType,
    attachmentId: unknown,
  ): Promise<Attachment> {
    if (typeof attachmentId !== 'string' || !/^[0-9a-f-]{36}$/i.test(attachmentId)) {
      throw badInput('payload.attachmentId', `A ${type.toLowerCase()} message needs the id of an uploaded file`);
    }
    const attachment = await em.findOne(Attachment, { id: attachmentId });
    const mine =
      attachment &&
      (principal.kind === 'visitor'
        ? attachment.uploadedByCustomer === principal.customerId
        : attachment.uploadedByCustomer === null);
    if (!attachment || !mine) throw notFound('Attachment');
    const fits = FITS[type];
    if (fits && !fits.includes(attachment.kind)) {
      throw badInput('payload.attachmentId', `This file (${attachment.mime}) cannot be sent as ${type.toLowerCase()}`);
    }
    return attachment;
  }

  /**
   * The text of a file the signed-in staff member uploaded (an import file): UTF-8, at most
   * `maxBytes`. Anything else is refused with BAD_USER_INPUT on `field`.
   */
  async readUploadedText(
    em: EntityManager,
    principal: Principal,
    attachmentId: string,
    opts: { maxBytes: number; field?: string },
  ): Promise<string> {
    const field = opts.field ?? 'fileId';
    const attachment = await em.findOne(Attachment, { id: attachmentId });
    const mine = attachment && attachment.uploadedByCustomer === null && principal.kind !== 'visitor';
    if (!attachment || !mine) throw notFound('File');
    if (attachment.kind !== AttachmentKind.TEXT && attachment.kind !== AttachmentKind.OTHER) {
      throw badInput(field, `${attachment.filename} is not a text (CSV) file`);
    }
    if (attachment.size > opts.maxBytes) {
      throw badInput(field, `${attachment.filename} is larger than ${Math.round(opts.maxBytes / 1024)} KB`);
    }
    const text = await readAll(this.read(attachment));
    if (text.includes('\uFFFD')) throw badInput(field, `${attachment.filename} is not UTF-8 text`);
    return text;
  }

  /** Stores generated content (an export) as a file of the signed-in staff member; returns a download link. */
  async storeGenerated(
    em: EntityManager,
    principal: Principal,
    file: { filename: string; mime: string; content: string | Buffer },
  ): Promise<StoredFile> {
    if (principal.kind === 'anonymous' || principal.kind === 'visitor') throw unauthenticated();
    const key = newFileKey(principal.tenantId);
    const body = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
    const object = await this.storage.write(key, Readable.from([body]), { maxBytes: Number.MAX_SAFE_INTEGER });
    try {
      const attachment = em.create(Attachment, {
        tenant: principal.tenantId,
        storageKey: key,
        filename: sanitizeFilename(file.filename),
        mime: file.mime,
        kind: file.mime.startsWith('text/') ? AttachmentKind.TEXT : AttachmentKind.DOCUMENT,
        size: object.size,
        sha256: object.sha256,
        uploadedByUser: principal.kind === 'user' ? principal.userId : null,
      });
      await em.flush();
      return { attachment, url: this.url(attachment, 'attachment') };
    } catch (error) {
      await this.storage.delete(key);
      throw error;
    }
  }
}
