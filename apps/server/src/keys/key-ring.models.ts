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

/**
 * The stored form, the same in DATA_DIR/keys and in the AWS Secrets Manager secret, whose
 * rotation Lambda (infra/lambda/key-rotation) builds on these functions too.
 */
export const keyRingDocumentSchema = z.object({
  version: z.literal(1),
  keys: z.array(
    z.object({
      kid: z.string().min(1),
      createdAt: z.iso.datetime(),
      expiresAt: z.iso.datetime(),
      ed25519PrivateKeyPem: z.string().includes('PRIVATE KEY'),
      hmacSecret: z.string().min(43),
    }),
  ),
});

export type KeyRingDocument = z.infer<typeof keyRingDocumentSchema>;
export type KeyEntry = KeyRingDocument['keys'][number];

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

export class KeyRingError extends Error {
  override name = 'KeyRingError';
}

export const parseKeyRingDocument = (text: string): KeyRingDocument => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KeyRingError('The key ring is not JSON.');
  }
  const parsed = keyRingDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KeyRingError(
      `The key ring is invalid at ${issue?.path.join('.') ?? '(root)'}: ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
};

export const generateKeyEntry = (now: Date): KeyEntry => {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    // Random suffix: two keys generated in the same instant still get distinct ids.
    kid: `${now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}-${randomBytes(4).toString('hex')}`,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + KEY_LIFETIME_DAYS * DAY_MS).toISOString(),
    ed25519PrivateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }),
    hmacSecret: randomBytes(32).toString('base64url'),
  };
};

const isExpired = (key: KeyEntry, now: Date) => Date.parse(key.expiresAt) <= now.getTime();

export const createKeyRingDocument = (now: Date): KeyRingDocument => ({
  version: 1,
  keys: [generateKeyEntry(now)],
});

/** Rotation: a new signing key first, the unexpired older keys kept so what they signed still verifies. */
export const rotateKeyRingDocument = (
  document: KeyRingDocument,
  now: Date,
  generateKey: (now: Date) => KeyEntry = generateKeyEntry,
): KeyRingDocument => ({
  version: 1,
  keys: [generateKey(now), ...document.keys.filter((key) => !isExpired(key, now))],
});

export const newestKeyEntry = (document: KeyRingDocument): KeyEntry | undefined =>
  [...document.keys].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];

/** The usable ring at `now`; refuses one that cannot sign or holds a malformed key. */
export const toKeyRing = (document: KeyRingDocument, now: Date): KeyRing => {
  const kids = new Set<string>();
  const all = [...document.keys]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .filter((key) => !isExpired(key, now))
    .map((key): SigningKey => {
      if (kids.has(key.kid)) throw new KeyRingError(`Duplicate key id ${key.kid}.`);
      kids.add(key.kid);
      const privateKey = createPrivateKey(key.ed25519PrivateKeyPem);
      if (privateKey.asymmetricKeyType !== 'ed25519') {
        throw new KeyRingError(`Key ${key.kid} is not an Ed25519 key.`);
      }
      const hmacSecret = Buffer.from(key.hmacSecret, 'base64url');
      if (hmacSecret.length !== 32)
        throw new KeyRingError(`Key ${key.kid} has no 32-byte HMAC secret.`);
      return {
        kid: key.kid,
        createdAt: new Date(key.createdAt),
        expiresAt: new Date(key.expiresAt),
        privateKey,
        publicKey: createPublicKey(privateKey),
        hmacSecret,
      };
    });
  const current = all[0];
  if (!current) throw new KeyRingError('The key ring has no unexpired signing key; rotate it.');
  return { current, all, byKid: (kid) => all.find((key) => key.kid === kid) };
};
