/**
 * Per-IP limits are @fastify/rate-limit route limits; per-account ones use the RateCounter.
 * Windows are in seconds. The failed-sign-in limit is the one the owner must survive: see
 * docs/security.md "Lock-out".
 */
export const PER_IP = {
  login: { max: 20, timeWindow: 60_000 },
  register: { max: 20, timeWindow: 3_600_000 },
  refresh: { max: 120, timeWindow: 60_000 },
  forgot: { max: 10, timeWindow: 3_600_000 },
  reset: { max: 20, timeWindow: 3_600_000 },
  verify: { max: 30, timeWindow: 3_600_000 },
} as const;

export const PER_ACCOUNT = {
  failedLogins: { max: 100, windowSeconds: 3600 },
  /** A recognised device has its own, smaller budget: the attacker's failures never touch it. */
  failedLoginsOnKnownDevice: { max: 20, windowSeconds: 3600 },
  register: { max: 5, windowSeconds: 3600 },
  forgot: { max: 5, windowSeconds: 3600 },
  reset: { max: 10, windowSeconds: 3600 },
  verify: { max: 10, windowSeconds: 3600 },
  refresh: { max: 60, windowSeconds: 60 },
  /** Wrong current passwords (change password, token creation) per account. */
  passwordConfirm: { max: 10, windowSeconds: 3600 },
} as const;
