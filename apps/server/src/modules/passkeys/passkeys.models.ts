/**
 * The relying party is the configured public address: its host name is the RP ID passkeys are
 * bound to, and its origin the only one whose ceremonies are accepted. A passkey made for
 * files.example.com is never offered to, nor accepted from, another site.
 */
export const relyingPartyOf = (publicUrl: string) => {
  const url = new URL(publicUrl);
  return { rpID: url.hostname, origin: url.origin, rpName: 'My File' };
};

/** A name the user will recognise in the list until they rename it. */
export const defaultPasskeyName = (device: string, count: number) =>
  `${device || 'Passkey'}${count ? ` (${count + 1})` : ''}`.slice(0, 100);
