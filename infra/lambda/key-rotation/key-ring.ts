import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';

/** The SecretString format the app reads through `SECRETS_ID`. */
export interface KeyRing {
  version: 1;
  keys: SigningKey[];
}

export interface SigningKey {
  kid: string;
  createdAt: string;
  expiresAt: string;
  ed25519PrivateKeyPem: string;
  hmacSecret: string;
}

export const KEY_LIFETIME_DAYS = 61;
const DAY_MS = 24 * 60 * 60 * 1000;

export class InvalidKeyRingError extends Error {
  override name = 'InvalidKeyRingError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readIsoDate(key: Record<string, unknown>, field: string, index: number): string {
  const value = key[field];
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new InvalidKeyRingError(`keys[${index}].${field} must be an ISO date`);
  }
  return value;
}

function readString(key: Record<string, unknown>, field: string, index: number): string {
  const value = key[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidKeyRingError(`keys[${index}].${field} must be a non-empty string`);
  }
  return value;
}

export function parseKeyRing(secretString: string): KeyRing {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new InvalidKeyRingError('key ring is not JSON');
  }
  if (!isRecord(parsed) || parsed.version !== 1 || !Array.isArray(parsed.keys)) {
    throw new InvalidKeyRingError('key ring must be {"version":1,"keys":[...]}');
  }
  const keys = parsed.keys.map((key: unknown, index): SigningKey => {
    if (!isRecord(key)) throw new InvalidKeyRingError(`keys[${index}] must be an object`);
    return {
      kid: readString(key, 'kid', index),
      createdAt: readIsoDate(key, 'createdAt', index),
      expiresAt: readIsoDate(key, 'expiresAt', index),
      ed25519PrivateKeyPem: readString(key, 'ed25519PrivateKeyPem', index),
      hmacSecret: readString(key, 'hmacSecret', index),
    };
  });
  return { version: 1, keys };
}

export function serializeKeyRing(ring: KeyRing): string {
  return JSON.stringify(ring);
}

export function isKeyExpired(key: SigningKey, now: Date): boolean {
  return Date.parse(key.expiresAt) <= now.getTime();
}

export function generateSigningKey(now: Date): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return {
    kid: `${stamp}-${randomBytes(4).toString('hex')}`,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + KEY_LIFETIME_DAYS * DAY_MS).toISOString(),
    ed25519PrivateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    hmacSecret: randomBytes(32).toString('base64url'),
  };
}

/**
 * The ring after one rotation at `now`: a fresh key is added (it signs, being the newest)
 * and keys whose `expiresAt` has passed are dropped; unexpired older keys stay so tokens
 * they signed still verify.
 */
export function buildNextKeyRing(
  current: KeyRing,
  now: Date,
  generateKey: (now: Date) => SigningKey = generateSigningKey,
): KeyRing {
  const kept = current.keys.filter((key) => !isKeyExpired(key, now));
  const keys = [...kept, generateKey(now)].sort(
    (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt),
  );
  return { version: 1, keys };
}

/** The key that signs: the one created last. */
export function signingKeyOf(ring: KeyRing): SigningKey | undefined {
  return ring.keys.reduce<SigningKey | undefined>(
    (newest, key) =>
      newest === undefined || Date.parse(key.createdAt) > Date.parse(newest.createdAt)
        ? key
        : newest,
    undefined,
  );
}

/** Throws unless the ring can sign at `now` and every key in it is usable. */
export function assertUsableKeyRing(ring: KeyRing, now: Date): void {
  const signing = signingKeyOf(ring);
  if (signing === undefined) throw new InvalidKeyRingError('key ring has no keys');
  if (isKeyExpired(signing, now)) throw new InvalidKeyRingError('newest key has expired');
  const kids = new Set<string>();
  for (const key of ring.keys) {
    if (kids.has(key.kid)) throw new InvalidKeyRingError(`duplicate kid ${key.kid}`);
    kids.add(key.kid);
    const privateKey = createPrivateKey(key.ed25519PrivateKeyPem);
    if (privateKey.asymmetricKeyType !== 'ed25519') {
      throw new InvalidKeyRingError(`key ${key.kid} is not an Ed25519 key`);
    }
    if (Buffer.from(key.hmacSecret, 'base64url').length !== 32) {
      throw new InvalidKeyRingError(`key ${key.kid} HMAC secret is not 32 bytes`);
    }
  }
}
