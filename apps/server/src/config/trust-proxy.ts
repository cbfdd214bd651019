import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Which X-Forwarded-For hops the app believes. `false`: none (the socket's peer is the
 * client). `hops`: that many proxies stand in front, counted from the socket, and nothing
 * else can reach the app. `addresses`: any hop from one of these addresses or CIDR ranges is
 * a proxy of ours. The client is the first hop from the right that is not trusted, so a
 * client writing its own X-Forwarded-For only adds entries left of the ones we believe.
 */
export type TrustProxy = false | { hops: number } | { addresses: string[] };

/** proxy-addr's names for the loopback, link-local and private (RFC 1918, fc00::/7) ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

const MAX_HOPS = 10;

const isAddressOrRange = (entry: string): boolean => {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
};

const WHAT_IT_TAKES =
  'must be false, the number of proxies in front of the app (2 for CloudFront → ALB), or a comma-separated list of their addresses or CIDR ranges';

export const trustProxyFromEnv = z
  .string()
  .trim()
  .transform((value, context): TrustProxy => {
    if (['false', 'no', '0'].includes(value.toLowerCase())) return false;
    if (['true', 'yes'].includes(value.toLowerCase())) {
      context.addIssue({
        code: 'custom',
        message: `no longer takes true, which believed every X-Forwarded-For entry a client writes; it ${WHAT_IT_TAKES}`,
      });
      return z.NEVER;
    }
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops <= MAX_HOPS) return { hops };
      context.addIssue({ code: 'custom', message: `counts at most ${MAX_HOPS} proxies` });
      return z.NEVER;
    }
    const addresses = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    const bad = addresses.find((entry) => !isAddressOrRange(entry));
    if (addresses.length === 0 || bad !== undefined) {
      context.addIssue({
        code: 'custom',
        message: `${WHAT_IT_TAKES}${bad === undefined ? '' : `; "${bad}" is none of these`}`,
      });
      return z.NEVER;
    }
    return { addresses };
  });

/**
 * Fastify's `trustProxy` option. A hop count becomes a function of the hop's index because
 * Fastify 5.12 reads a bare number as "trust nothing" (a count cannot check the peer; here the
 * network does: only the load balancer reaches the tasks).
 */
export const fastifyTrustProxy = (
  trust: TrustProxy,
): false | string[] | ((address: string, hop: number) => boolean) => {
  if (trust === false) return false;
  if ('hops' in trust) {
    const { hops } = trust;
    return (_address, hop) => hop < hops;
  }
  return trust.addresses;
};
