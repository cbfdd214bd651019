import { etagOf } from '../files/files.models.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import {
  closeTag,
  DAV_NS,
  emptyTag,
  escapeXml,
  openTag,
  sameName,
  statusLine,
  type QName,
} from './webdav.xml.js';

/** What a PROPFIND asks for (RFC 4918 §9.1). */
export type PropRequest =
  { kind: 'allprop'; include: QName[] } | { kind: 'propname' } | { kind: 'prop'; names: QName[] };

/** A property a client set with PROPPATCH: its name and its whole element, as XML text. */
export type DeadProperty = QName & { xml: string };

export type Quota = { usedBytes: number; availableBytes: number };

/** What one node's properties are rendered from, besides the node. */
export type PropContext = {
  quota: Quota | undefined;
  dead: readonly DeadProperty[];
  /** The `<D:activelock>` elements of the locks that cover the node. */
  lockDiscovery: string;
};

/** The columns a node's properties are rendered from. */
export type DavNode = Pick<
  NodeRow,
  'id' | 'name' | 'is_folder' | 'size' | 'content_type' | 'sha256' | 'created_at' | 'updated_at'
>;

export const davEtagOf = (node: DavNode) => etagOf(node.sha256, node.id, node.updated_at);

const dav = (name: string): QName => ({ ns: DAV_NS, name });

const SUPPORTED_LOCK =
  '<D:lockentry><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>' +
  '<D:lockentry><D:lockscope><D:shared/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>';

/** Live properties: each renders its value, or undefined where the node has none. */
const LIVE: Record<string, (node: DavNode, context: PropContext) => string | undefined> = {
  creationdate: (node) => node.created_at.toISOString(),
  displayname: (node) => escapeXml(node.name),
  getcontentlength: (node) => (node.is_folder ? undefined : String(node.size)),
  getcontenttype: (node) => (node.is_folder ? undefined : escapeXml(node.content_type)),
  getetag: (node) => escapeXml(davEtagOf(node)),
  getlastmodified: (node) => node.updated_at.toUTCString(),
  resourcetype: (node) => (node.is_folder ? '<D:collection/>' : ''),
  supportedlock: () => SUPPORTED_LOCK,
  lockdiscovery: (_node, context) => context.lockDiscovery,
  // RFC 4331: on folders only, and never part of allprop (they can be costly elsewhere).
  'quota-available-bytes': (node, context) =>
    node.is_folder && context.quota ? String(context.quota.availableBytes) : undefined,
  'quota-used-bytes': (node, context) =>
    node.is_folder && context.quota ? String(context.quota.usedBytes) : undefined,
};

/** Live properties are computed from the node: a client cannot set or remove them. */
export const isLiveProperty = (name: QName) => name.ns === DAV_NS && name.name in LIVE;

const NOT_IN_ALLPROP = new Set(['quota-available-bytes', 'quota-used-bytes']);

/** allprop's live properties, in order, with their tags made once rather than per node. */
const ALLPROP_LIVE = Object.entries(LIVE)
  .filter(([name]) => !NOT_IN_ALLPROP.has(name))
  .map(([name, render]) => ({
    name: dav(name),
    open: `<D:${name}>`,
    close: `</D:${name}>`,
    render,
  }));

/** True when answering `request` needs the nodes' dead properties. */
export const needsDeadProperties = (request: PropRequest) =>
  request.kind !== 'prop' || request.names.some((name) => !isLiveProperty(name));

/** True when answering `request` needs the locks on the nodes. */
export const needsLockDiscovery = (request: PropRequest) =>
  request.kind === 'allprop' ||
  (request.kind === 'prop' &&
    request.names.some((name) => name.ns === DAV_NS && name.name === 'lockdiscovery'));

/** True when answering `request` needs the owner's usage. */
export const needsQuota = (request: PropRequest) =>
  request.kind === 'prop' &&
  request.names.some((name) => name.ns === DAV_NS && NOT_IN_ALLPROP.has(name.name));

const element = (name: QName, value: string) =>
  value === '' ? emptyTag(name) : `${openTag(name)}${value}${closeTag(name)}`;

export const propstat = (props: string[], status: number) =>
  props.length === 0
    ? ''
    : `<D:propstat><D:prop>${props.join('')}</D:prop>${statusLine(status)}</D:propstat>`;

/** One `<D:response>` of a multistatus. */
export const renderResponse = (
  href: string,
  node: DavNode,
  request: PropRequest,
  context: PropContext,
) => {
  const found: string[] = [];
  const missing: string[] = [];
  const live = (name: string) => LIVE[name]?.(node, context);
  if (request.kind === 'propname') {
    for (const name of Object.keys(LIVE)) {
      if (live(name) !== undefined) found.push(emptyTag(dav(name)));
    }
    for (const property of context.dead) found.push(emptyTag(property));
  } else if (request.kind === 'allprop') {
    for (const property of ALLPROP_LIVE) {
      const value = property.render(node, context);
      if (value === '') found.push(emptyTag(property.name));
      else if (value !== undefined) found.push(property.open + value + property.close);
    }
    for (const property of context.dead) found.push(property.xml);
    for (const name of request.include) {
      const value = name.ns === DAV_NS ? live(name.name) : undefined;
      if (value !== undefined && NOT_IN_ALLPROP.has(name.name)) {
        found.push(element(name, value));
      }
    }
  } else {
    for (const name of request.names) {
      const value = name.ns === DAV_NS ? live(name.name) : undefined;
      const dead = context.dead.find((property) => sameName(property, name));
      if (value !== undefined) found.push(element(name, value));
      else if (dead) found.push(dead.xml);
      else missing.push(emptyTag(name));
    }
  }
  return `<D:response><D:href>${escapeXml(href)}</D:href>${propstat(found, 200)}${propstat(missing, 404)}</D:response>`;
};
