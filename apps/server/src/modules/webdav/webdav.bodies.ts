import type { Readable } from 'node:stream';
import { invalidRequest } from '../../app/app-error.js';
import { davError } from './webdav.errors.js';
import type { DeadProperty, PropRequest } from './webdav.properties.js';
import type { DavLockScope } from './webdav.tables.js';
import {
  childElements,
  findDavChild,
  isDav,
  parseXml,
  qnameOf,
  xmldom,
  type QName,
} from './webdav.xml.js';

/** PROPFIND, PROPPATCH and LOCK bodies are small XML documents; more is refused unread. */
const MAX_XML_BODY_BYTES = 1024 * 1024;

/** The whole (small) request body as text; '' when there is none. */
export const readXmlBody = async (body: Readable): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_XML_BODY_BYTES) {
      throw davError(413, 'too_large', 'The XML body is larger than 1 MiB.');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

/** An empty body means allprop (RFC 4918 §9.1). */
export const parsePropfind = (text: string): PropRequest => {
  if (text.trim() === '') return { kind: 'allprop', include: [] };
  const root = parseXml(text);
  if (!isDav(root, 'propfind')) throw invalidRequest('Expected a DAV:propfind element.');
  const prop = findDavChild(root, 'prop');
  if (prop) return { kind: 'prop', names: childElements(prop).map(qnameOf) };
  if (findDavChild(root, 'propname')) return { kind: 'propname' };
  if (findDavChild(root, 'allprop')) {
    const include = findDavChild(root, 'include');
    return { kind: 'allprop', include: include ? childElements(include).map(qnameOf) : [] };
  }
  throw invalidRequest('A propfind names prop, propname or allprop.');
};

/** One instruction of a PROPPATCH, in document order. */
export type PropPatchOperation =
  { kind: 'set'; property: DeadProperty } | { kind: 'remove'; name: QName };

export const parseProppatch = (text: string): PropPatchOperation[] => {
  const root = parseXml(text);
  if (!isDav(root, 'propertyupdate'))
    throw invalidRequest('Expected a DAV:propertyupdate element.');
  const serializer = new (xmldom().XMLSerializer)();
  const operations: PropPatchOperation[] = [];
  for (const instruction of childElements(root)) {
    const set = isDav(instruction, 'set');
    if (!set && !isDav(instruction, 'remove')) continue;
    const prop = findDavChild(instruction, 'prop');
    for (const element of prop ? childElements(prop) : []) {
      const name = qnameOf(element);
      operations.push(
        set
          ? // The serializer declares every namespace the element uses: the stored text stands alone.
            { kind: 'set', property: { ...name, xml: serializer.serializeToString(element) } }
          : { kind: 'remove', name },
      );
    }
  }
  if (operations.length === 0) throw invalidRequest('The propertyupdate sets or removes nothing.');
  return operations;
};

/** What a LOCK body asks for (RFC 4918 §14.11): the scope, and the client's owner note. */
export type LockInfo = { scope: DavLockScope; ownerXml: string };

export const parseLockinfo = (text: string): LockInfo => {
  const root = parseXml(text);
  if (!isDav(root, 'lockinfo')) throw invalidRequest('Expected a DAV:lockinfo element.');
  const scopeElement = findDavChild(root, 'lockscope');
  const scope = scopeElement && childElements(scopeElement)[0];
  if (!scope || !(isDav(scope, 'exclusive') || isDav(scope, 'shared'))) {
    throw invalidRequest('A lockinfo names an exclusive or shared lockscope.');
  }
  const typeElement = findDavChild(root, 'locktype');
  const type = typeElement && childElements(typeElement)[0];
  if (!type || !isDav(type, 'write')) throw invalidRequest('Only write locks exist.');
  const owner = findDavChild(root, 'owner');
  const serializer = new (xmldom().XMLSerializer)();
  let ownerXml = '';
  for (let child = owner?.firstChild; child; child = child.nextSibling) {
    ownerXml += serializer.serializeToString(child);
  }
  return { scope: isDav(scope, 'exclusive') ? 'exclusive' : 'shared', ownerXml };
};
