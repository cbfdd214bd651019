/**
 * Wrong second-factor codes per account, wherever typed (sign-in, reauthentication, turning
 * it off). Three six-digit codes are valid at any moment (drift of one step either way), so
 * 10 guesses an hour give an attacker who already has the password about 0.07 % a day.
 */
export const SECOND_FACTOR_FAILURES = { max: 10, windowSeconds: 3600 } as const;
