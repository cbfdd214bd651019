import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();
const b64url = (data: Uint8Array | string) =>
  isoBase64URL.fromBuffer(new Uint8Array(typeof data === 'string' ? Buffer.from(data) : data));

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

/**
 * A software authenticator (ES256, "none" attestation) for server tests: it answers a server's
 * options as a browser with a real authenticator would, and can be told to answer wrongly.
 */
export const createSoftAuthenticator = ({ origin, rpID }: { origin: string; rpID: string }) => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const credentialId = randomBytes(16);
  let counter = 0;
  const coseKey = isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, isoBase64URL.toBuffer(jwk.x ?? '')],
      [-3, isoBase64URL.toBuffer(jwk.y ?? '')],
    ]),
  );
  const header = (flags: number) => {
    counter += 1;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpID), Buffer.from([flags]), count]);
  };
  const clientData = (type: string, challenge: string) =>
    b64url(JSON.stringify({ type, challenge, origin, crossOrigin: false }));

  return {
    id: b64url(credentialId),
    /** What `startRegistration()` answers for registration options `{ challenge }`. */
    register: ({ challenge }: { challenge: string }) => {
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(credentialId.length);
      const authData = Buffer.concat([
        header(UP | UV | AT),
        Buffer.alloc(16),
        idLength,
        credentialId,
        coseKey,
      ]);
      const attestation = new Map<string, string | Map<string, string> | Uint8Array>();
      attestation.set('fmt', 'none');
      attestation.set('attStmt', new Map<string, string>());
      attestation.set('authData', new Uint8Array(authData));
      const attestationObject = isoCBOR.encode(attestation);
      return {
        id: b64url(credentialId),
        rawId: b64url(credentialId),
        type: 'public-key' as const,
        response: {
          clientDataJSON: clientData('webauthn.create', challenge),
          attestationObject: b64url(attestationObject),
          transports: ['internal' as const],
        },
        clientExtensionResults: {},
      };
    },
    /** What `startAuthentication()` answers, signing over `challenge`. */
    assert: ({ challenge }: { challenge: string }) => {
      const authData = header(UP | UV);
      const clientDataJSON = clientData('webauthn.get', challenge);
      const signature = sign(
        'sha256',
        Buffer.concat([authData, sha256(isoBase64URL.toBuffer(clientDataJSON))]),
        privateKey,
      );
      return {
        id: b64url(credentialId),
        rawId: b64url(credentialId),
        type: 'public-key' as const,
        response: {
          clientDataJSON,
          authenticatorData: b64url(authData),
          signature: b64url(signature),
        },
        clientExtensionResults: {},
      };
    },
  };
};
