import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { z } from 'zod';

const DAY_MS = 86_400_000;
/**
 * Keys rotate every 30 days; a key then only verifies, long enough to outlive everything it
 * signed (the longest-lived is a session's CSRF token, 30 days).
 */
export const KEY_LIFETIME_DAYS = 61;

/** The stored form, the same in DATA_DIR/keys and in the AWS Secrets Manager secret. */
export const keyRingDocumentSchema = z.object({
  version: z.literal(1),
  keys: z
    .array(
      z.object({
        kid: z.string().min(1),
        createdAt: z.iso.datetime(),
        expiresAt: z.iso.datetime(),
        ed25519PrivateKeyPem: z.string().includes('PRIVATE KEY'),
        hmacSecret: z.string().min(43),
      }),
    )
    .min(1),
});

export type KeyRingDocument = z.infer<typeof keyRingDocumentSchema>;

export type SigningKey = {
  kid: string;
  createdAt: Date;
  expiresAt: Date;
  privateKey: KeyObject;
  publicKey: KeyObject;
  hmacSecret: Buffer;
};

export type KeyRing = {
  /** The newest key: signs everything new. */
  current: SigningKey;
  /** Every key not yet expired, newest first: verifies what they signed. */
  all: SigningKey[];
  byKid(kid: string): SigningKey | undefined;
};

export const generateKeyEntry = (now: Date): KeyRingDocument['keys'][number] => {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    kid: `${now.toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + KEY_LIFETIME_DAYS * DAY_MS).toISOString(),
    ed25519PrivateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    hmacSecret: randomBytes(32).toString('base64url'),
  };
};

export const createKeyRingDocument = (now: Date): KeyRingDocument => ({
  version: 1,
  keys: [generateKeyEntry(now)],
});

/** Rotation: a new signing key, and the expired ones dropped. */
export const rotateKeyRingDocument = (document: KeyRingDocument, now: Date): KeyRingDocument => ({
  version: 1,
  keys: [
    generateKeyEntry(now),
    ...document.keys.filter((key) => new Date(key.expiresAt).getTime() > now.getTime()),
  ],
});

export class KeyRingError extends Error {
  override name = 'KeyRingError';
}

export const toKeyRing = (document: KeyRingDocument, now: Date): KeyRing => {
  const all = newestFirst(document.keys)
    .filter((key) => new Date(key.expiresAt).getTime() > now.getTime())
    .map((key): SigningKey => {
      const privateKey = createPrivateKey(key.ed25519PrivateKeyPem);
      return {
        kid: key.kid,
        createdAt: new Date(key.createdAt),
        expiresAt: new Date(key.expiresAt),
        privateKey,
        publicKey: createPublicKey(privateKey),
        hmacSecret: Buffer.from(key.hmacSecret, 'base64url'),
      };
    });
  const current = all[0];
  if (!current) throw new KeyRingError('Every signing key has expired; rotate the key ring.');
  return { current, all, byKid: (kid) => all.find((key) => key.kid === kid) };
};

const newestFirst = <K extends { createdAt: string }>(keys: K[]) =>
  [...keys].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
