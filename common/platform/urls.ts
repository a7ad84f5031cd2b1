/**
 * Which base URLs the Experience Platform client may talk to. The client sends a client secret
 * to one of them and a bearer token to the other, so a typo such as `http://` or a pasted URL
 * with `?…` must stop the run before anything leaves the machine, not after.
 *
 * PlatformError lives here, at the bottom of common/platform, so that credentials.ts and
 * platformClient.ts can both throw it without importing each other in a cycle;
 * platformClient.ts re-exports it, and that is where callers import it from.
 */

/**
 * Everything the Platform client throws. The message is one line, names the endpoint and says
 * what to do; it never contains the client secret or the access token (the client replaces
 * them with `***`, even when a server echoes them back).
 */
export class PlatformError extends Error {
  constructor(
    message: string,
    /** The HTTP status of the answer, when there was one. */
    readonly status?: number,
    /** `METHOD url` without a query, when a request was involved. */
    readonly endpoint?: string,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

/**
 * Loopback hosts as the WHATWG URL parser spells them: it already turns `127.1`, `0x7f.1` and
 * `[0:0:0:0:0:0:0:1]` into these canonical forms, so matching strings here is enough.
 */
function isLoopbackHost(hostname: string): boolean {
  // Not `*.localhost`: the system resolver need not map those to loopback.
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost') return true;
  if (host === '[::1]') return true;
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets[1] === '127';
}

/** The URL as it may be shown in a message: any user:password part is masked. */
function displayable(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}

/**
 * Checks a base URL (the IMS or the Platform one) and returns it without a trailing slash,
 * ready for `${base}/path`. `name` is the setting or environment variable the URL came from,
 * so the message tells the user what to change.
 *
 * Plain http is allowed only to loopback addresses, which is what tests and local fakes use;
 * anything else would put the secret and the token on the wire in clear.
 */
export function checkBaseUrl(url: string, name: string): string {
  const shown = displayable(url.trim());
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new PlatformError(
      `${name} '${shown}' is not a URL: give an absolute https:// address such as https://platform.adobe.io`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new PlatformError(
      `${name} '${shown}' contains credentials (user:password@): remove them; the client authenticates with its own token`,
    );
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new PlatformError(
      `${name} '${shown}' has a query or fragment: give only the base address, such as https://platform.adobe.io`,
    );
  }
  if (parsed.protocol === 'http:') {
    if (!isLoopbackHost(parsed.hostname)) {
      throw new PlatformError(
        `${name} '${shown}' is not HTTPS: only loopback addresses may use http`,
      );
    }
  } else if (parsed.protocol !== 'https:') {
    throw new PlatformError(`${name} '${shown}' is not HTTPS: use an https:// address`);
  }
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
}

/**
 * How messages and logs name a request: the method and the URL without its query, so a
 * parameter (were one ever added) cannot carry anything sensitive into a log.
 */
export function endpointOf(method: string, url: string): string {
  try {
    const parsed = new URL(url);
    return `${method} ${parsed.origin}${parsed.pathname}`;
  } catch {
    return `${method} ${url.replace(/[?#].*$/, '')}`;
  }
}

/** `https://platform.adobe.io` for a full URL: what timeouts and unreachable hosts name. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
