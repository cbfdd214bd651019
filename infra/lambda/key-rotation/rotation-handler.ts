import {
  toKeyRing,
  rotateKeyRingDocument,
  generateKeyEntry,
  parseKeyRingDocument,
  type KeyEntry,
} from '../../../apps/server/src/keys/key-ring.models.js';
import {
  createRotationHandler as createProtocolHandler,
  type RotationSecretsClient,
} from '../rotation/rotation-protocol.js';

export { RotationError, type RotationEvent } from '../rotation/rotation-protocol.js';
export type { RotationSecretsClient };

export interface KeyRingRotationDependencies {
  client: RotationSecretsClient;
  now?: () => Date;
  generateKey?: (now: Date) => KeyEntry;
  log?: (message: string) => void;
}

/**
 * The signing key ring: each rotation adds a key and retires expired ones. Nothing
 * downstream holds a copy (the app re-reads the ring from the secret), so setting and
 * finishing need no outside call.
 */
export function createRotationHandler(deps: KeyRingRotationDependencies) {
  const now = deps.now ?? (() => new Date());
  const generateKey = deps.generateKey ?? generateKeyEntry;
  return createProtocolHandler({
    client: deps.client,
    ...(deps.log === undefined ? {} : { log: deps.log }),
    steps: {
      createValue: (current) =>
        JSON.stringify(rotateKeyRingDocument(parseKeyRingDocument(current), now(), generateKey)),
      setSecret: async () => {},
      testSecret: async ({ pending }) => {
        toKeyRing(parseKeyRingDocument(pending), now());
      },
      afterFinish: async () => {},
    },
  });
}
