/**
 * Trimmed, domain lower-cased (domains are case-insensitive; the local part technically is not,
 * so it is kept as typed, and uniqueness is enforced on the lower-cased whole).
 */
export const normalizeEmail = (raw: string) => {
  const trimmed = raw.trim().normalize('NFC');
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return trimmed;
  return `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
};

/** The key per-account counters use: the same for a known and an unknown address. */
export const emailKey = (email: string) => normalizeEmail(email).toLowerCase();
