/**
 * Wrong link passwords, counted like failed sign-ins (fixed windows in the shared rate counter).
 * Per link: a guesser spread over many addresses still stops; per address: one guesser trying
 * many links stops too. Right answers are taken back, so a visitor who types it right is never
 * locked out by someone else's failures for longer than the window.
 */
export const LINK_UNLOCK_LIMITS = {
  perLink: { max: 20, windowSeconds: 900 },
  perIp: { max: 60, windowSeconds: 3600 },
} as const;
