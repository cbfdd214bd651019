import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits: far beyond guessing, and only its hash is ever stored. */
export const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** One-shot `hash`: no Hash object per call (every Bearer request hashes its token). */
export const sha256Hex = (value: string) => hash('sha256', value, 'hex');

export const hmac = (secret: Buffer, message: string) =>
  createHmac('sha256', secret).update(message).digest('base64url');

/** Constant-time: a byte-by-byte early exit would leak how much of a guess was right. */
export const safeEqual = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};
