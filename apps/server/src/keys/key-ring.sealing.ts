import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { KeyRing, SigningKey } from './key-ring.models.js';

/**
 * Secrets the server must be able to read back later (a share link's token, so its owner can
 * copy it again), sealed with AES-256-GCM under a key derived from a key-ring entry. The key's
 * id is kept beside the sealed text: a rotation leaves older keys able to open what they sealed
 * until they expire, and `resealSecret` moves a secret to the newest key before that.
 */
export type Sealed = { kid: string; sealed: string };

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Its own HKDF label, so the sealing key is independent of the HMACs made with the same secret. */
const sealingKeyOf = (key: SigningKey) =>
  Buffer.from(hkdfSync('sha256', key.hmacSecret, Buffer.alloc(0), 'myfile sealed secret v1', 32));

/**
 * `context` is authenticated but not stored (GCM's additional data): a sealed text copied onto
 * another row (another link's id) does not open.
 */
export const sealSecret = (ring: KeyRing, plaintext: string, context: string): Sealed => {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealingKeyOf(ring.current), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const sealed = [VERSION, iv, body, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
  return { kid: ring.current.kid, sealed };
};

/** The plaintext, or undefined when its key has left the ring or the text was tampered with. */
export const openSealedSecret = (
  ring: KeyRing,
  { kid, sealed }: Sealed,
  context: string,
): string | undefined => {
  const key = ring.byKid(kid);
  const [version, ivText, bodyText, tagText, extra] = sealed.split('.');
  if (!key || version !== VERSION || !ivText || bodyText === undefined || !tagText)
    return undefined;
  if (extra !== undefined) return undefined;
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKeyOf(key), iv, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(Buffer.from(bodyText, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return undefined;
  }
};

/** The same secret sealed under the newest key; undefined when it no longer opens. */
export const resealSecret = (ring: KeyRing, sealed: Sealed, context: string) => {
  const plaintext = openSealedSecret(ring, sealed, context);
  return plaintext === undefined ? undefined : sealSecret(ring, plaintext, context);
};
