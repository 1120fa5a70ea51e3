import { IMAGE_MIMES, sniff, type FileKind } from './file-type';
import { extensionOf, sanitizeFilename } from './filename';
import { fileError } from './files.errors';

/** What the sender says they are sending: an image message or a file message (MSG-2). */
export type DeclaredKind = 'image' | 'file';

export interface UploadCandidate {
  declared: DeclaredKind;
  /** The client's filename, as received. */
  filename: string | undefined;
  /** The first bytes of the stored content (`FileStorage.write` returns them). */
  head: Buffer;
  size: number;
}

export interface AcceptedUpload {
  /** The sniffed type: the one to store and serve, whatever the client claimed. */
  mime: string;
  kind: FileKind;
  /** Safe to store and to put in Content-Disposition. */
  filename: string;
}

// Names that Windows, macOS or Android would run when opened. A renamed program is harmless
// until someone gives it one of these names back, and text scripts (.bat, .ps1) have no magic bytes.
const EXECUTABLE_EXTENSIONS = new Set(
  `apk app appx bat cmd com command cpl dll exe hta jar jnlp js jse lnk msc msi msix msp
   pif ps1 psm1 reg scr sct sh sys vb vbe vbs ws wsc wsf wsh`.split(/\s+/),
);

/**
 * Decides whether an upload may become a message attachment, from its content rather than from
 * what the client claims. Throws BAD_USER_INPUT with a stable `reason`:
 * EMPTY_FILE, NOT_AN_IMAGE, EXECUTABLE_REFUSED.
 */
export function checkUpload(candidate: UploadCandidate): AcceptedUpload {
  const filename = sanitizeFilename(candidate.filename);
  if (candidate.size === 0 || candidate.head.length === 0) {
    return refuse('EMPTY_FILE', `${filename} is empty`);
  }
  const content = sniff(candidate.head);
  if (candidate.declared === 'image' && !IMAGE_MIMES.includes(content.mime)) {
    return refuse(
      'NOT_AN_IMAGE',
      `${filename} is not a JPG, PNG or GIF image (its content is ${content.description})`,
      content.mime,
    );
  }
  if (content.kind === 'executable') {
    return refuse(
      'EXECUTABLE_REFUSED',
      `${filename} cannot be sent: its content is ${content.description}`,
      content.mime,
    );
  }
  if (EXECUTABLE_EXTENSIONS.has(extensionOf(filename))) {
    return refuse(
      'EXECUTABLE_REFUSED',
      `${filename} cannot be sent: files of this type can run programs`,
      content.mime,
    );
  }
  return { mime: content.mime, kind: content.kind, filename };
}

/** The multipart `kind` field: `image` or `file`, `file` when absent. */
export function parseDeclaredKind(value: string | undefined): DeclaredKind {
  if (value === undefined || value === 'file') return 'file';
  if (value === 'image') return 'image';
  throw fileError('INVALID_KIND');
}

function refuse(reason: 'EMPTY_FILE' | 'NOT_AN_IMAGE' | 'EXECUTABLE_REFUSED', message: string, mime?: string): never {
  throw fileError(reason, message, mime ? { detectedMime: mime } : undefined);
}
