/**
 * Errors and form checks shown to people: sentences for the API's error codes (the server's
 * own text is English only), for failures with no answer, and for fields checked in the page.
 */
export const errorsEn = {
  rateLimitedWait: 'Too many attempts. Please wait {{wait}} and try again.',
  seconds_one: '{{count, number}} second',
  seconds_other: '{{count, number}} seconds',
  minutes_one: '{{count, number}} minute',
  minutes_other: '{{count, number}} minutes',
  notAccepted: 'Something in this request was not accepted. Check what you entered and try again.',
  generic: 'Something went wrong. Please try again.',
  httpStatus: 'The request failed (HTTP {{status}}).',
  code: {
    network: 'Could not reach the server. Check your connection and try again.',
    unavailable: 'The server is unavailable right now. Please try again in a moment.',
    internal: 'Something went wrong on our side. Please try again.',
    email_not_verified: 'Confirm your email address with the link we sent, then sign in.',
    account_disabled: 'This account has been disabled by an administrator.',
    email_taken: 'An account with this email already exists.',
    link_invalid: 'This link is invalid, expired or already used. Ask for a new one.',
    link_expired: 'This link has expired or was turned off by its owner.',
    link_not_copyable:
      'This link was made before links could be copied again, so its address is not kept. It still works for whoever has it; to share it anew, make a new link (and revoke this one if you like).',
    password_required: 'This link is protected by a password; enter it to continue.',
    password_sign_in_disabled: 'Password sign-in is turned off here: use a sign-in provider.',
    reauth_required: 'Confirm it is you (password, authenticator code or passkey) to do this.',
    insufficient_storage:
      'The server has no room left to store this; delete or empty the trash, or try later.',
    folder_archived: 'This folder is archived (or being archived or restored) and is read-only.',
    file_archived: 'This file is archived; restore its folder before downloading it.',
    precondition_failed: 'It changed since you last loaded it; reload and try again.',
    rate_limited: 'Too many requests. Please try again later.',
    // The codes below are said by the server in English, naming the item or the address to use;
    // other languages get these general sentences.
    csrf_invalid:
      'This page could not be verified. Reload it; if that does not help, open it at the address this server was set up with.',
    invalid_request:
      'Something in this request was not accepted. Check what you entered and try again.',
    unauthenticated: 'You are signed out. Sign in again to continue.',
    invalid_credentials: 'The email or password is incorrect.',
    password_rejected: 'Choose another password: this one is too short or too common.',
    sso_failed: 'Signing in with the provider did not work. Please try again.',
    sso_not_linked:
      'No account here is linked to that sign-in. Sign in another way and link it from your account page.',
    sso_unavailable: 'That sign-in provider is not available right now.',
    forbidden: 'You are not allowed to do this.',
    not_found: 'This item does not exist (any more), or you cannot see it.',
    name_conflict: 'An item with this name already exists here.',
    folder_not_empty: 'This folder is not empty.',
    conflict: 'This clashes with a change made at the same time. Reload and try again.',
    idempotency_key_reused: 'This request was already sent with different content.',
    too_large: 'This is larger than allowed.',
    checksum_mismatch:
      'The file arrived damaged (its checksum does not match). Please upload it again.',
    quota_exceeded: 'There is not enough free space in this storage for this.',
    unsupported_media_type: 'This kind of content is not accepted here.',
    range_not_satisfiable: 'The requested part of the file does not exist.',
    thumbnail_not_ready: 'The preview picture is not ready yet.',
    locked: 'This item is locked by another program right now.',
    method_not_allowed: 'This cannot be done with this item.',
  },
  field: {
    emailMissing: 'Enter your email address.',
    emailShape: 'Enter an email address like name@example.com.',
    choosePassword: 'Choose a password.',
    passwordTooShort_one: 'Use at least {{min}} characters ({{count, number}} so far).',
    passwordTooShort_other: 'Use at least {{min}} characters ({{count, number}} so far).',
    passwordsDiffer: 'The passwords do not match.',
    passwordMin: 'Use at least {{min}} characters.',
    currentPassword: 'Enter your current password.',
    name: 'Enter a name of 1 to 255 characters.',
    notAccepted: 'This value is not accepted.',
  },
};
