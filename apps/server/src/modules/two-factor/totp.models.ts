import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app reads it: SHA-1, six digits, 30-second steps. */
const PERIOD_SECONDS = 30;

const totpFor = ({ secret, label, issuer }: { secret: string; label: string; issuer: string }) =>
  new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });

/** 160 bits, the size RFC 4226 recommends for the HMAC-SHA-1 key. */
export const newTotpSecret = () => new Secret({ size: 20 }).base32;

export const totpUri = (args: { secret: string; label: string; issuer: string }) =>
  totpFor(args).toString();

/** The enrolment QR code as an inline SVG image: drawn here, no third-party service sees it. */
export const qrCodeDataUrl = async (text: string) => {
  // Loaded by the first enrolment, not at start: it draws one picture per account, ever.
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
};

export const isTotpCodeShaped = (code: string) => /^\d{6}$/.test(code);

/**
 * The 30-second step a code belongs to, within one step of `now` either way (clock drift), or
 * undefined when it matches none. The caller refuses a step not newer than the last one used.
 */
export const matchingTotpStep = ({
  secret,
  code,
  now = Date.now(),
}: {
  secret: string;
  code: string;
  now?: number;
}): number | undefined => {
  if (!isTotpCodeShaped(code)) return undefined;
  const totp = totpFor({ secret, label: 'check', issuer: 'check' });
  const delta = totp.validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? undefined : totp.counter({ timestamp: now }) + delta;
};

/** For tests and for nothing else: the code an authenticator would show at `timestamp`. */
export const totpCodeAt = ({ secret, timestamp }: { secret: string; timestamp: number }) =>
  totpFor({ secret, label: 'check', issuer: 'check' }).generate({ timestamp });
