const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The browser origins allowed to call the API with cookies and open the event stream.
 * PUBLIC_URL's own origin; and when that is a loopback name (the embedded default is
 * http://localhost:PORT), its loopback aliases on the same port, because people type
 * 127.0.0.1 as often as localhost and both reach only this machine.
 */
export const allowedOrigins = (publicUrl: string): string[] => {
  const url = new URL(publicUrl);
  if (!LOOPBACK_HOSTS.includes(url.hostname)) return [url.origin];
  return LOOPBACK_HOSTS.map((host) => {
    const alias = new URL(url.origin);
    alias.hostname = host;
    return alias.origin;
  });
};

/** Sent under https only: over plain http it would send the browser to https for every asset. */
export const servesHttps = (publicUrl: string) => new URL(publicUrl).protocol === 'https:';

/** What to do when the page is open at an address the server was not told about. */
export const originMismatchMessage = (origin: string, publicUrl: string) => {
  const expected = new URL(publicUrl).origin;
  return (
    `This page is open at ${origin}, but this server accepts requests only from ${expected}. ` +
    `Open ${expected} instead, or ask whoever runs it to set PUBLIC_URL to the address you use.`
  );
};
