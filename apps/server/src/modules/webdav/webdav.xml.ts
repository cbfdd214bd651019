import { createRequire } from 'node:module';
import type * as Xmldom from '@xmldom/xmldom';
import type { Element } from '@xmldom/xmldom';
import { invalidRequest } from '../../app/app-error.js';

const require = createRequire(import.meta.url);

/** The XML parser loads with the first WebDAV body that needs it: most servers serve no WebDAV. */
export const xmldom = () => require('@xmldom/xmldom') as typeof Xmldom;

export const DAV_NS = 'DAV:';

/** A property or element name: its namespace URI ('' for none) and local name. */
export type QName = { ns: string; name: string };

export const sameName = (a: QName, b: QName) => a.ns === b.ns && a.name === b.name;

const NEEDS_ESCAPE = /[<>&"']/;

// A PROPFIND of a large folder escapes several strings per entry, nearly all of them clean: the
// test is several times cheaper than a replace with a callback.
export const escapeXml = (text: string) =>
  NEEDS_ESCAPE.test(text)
    ? text.replace(/[<>&"']/g, (c) =>
        c === '<'
          ? '&lt;'
          : c === '>'
            ? '&gt;'
            : c === '&'
              ? '&amp;'
              : c === '"'
                ? '&quot;'
                : '&apos;',
      )
    : text;

/**
 * Request bodies are parsed with namespaces resolved, since DAV names are (namespace, name)
 * pairs whatever prefix a client chose. A DOCTYPE is refused outright: no client needs one and
 * it is how entity-expansion attacks start.
 */
export const parseXml = (text: string): Element => {
  if (/<!DOCTYPE/i.test(text)) throw invalidRequest('XML bodies may not contain a DOCTYPE.');
  const { DOMParser, onWarningStopParsing } = xmldom();
  let document;
  try {
    document = new DOMParser({ onError: onWarningStopParsing }).parseFromString(
      text,
      'application/xml',
    );
  } catch {
    throw invalidRequest('The request body is not well-formed XML.');
  }
  const root = document.documentElement;
  if (!root) throw invalidRequest('The request body is not well-formed XML.');
  return root;
};

export const qnameOf = (element: Element): QName => ({
  ns: element.namespaceURI ?? '',
  name: element.localName ?? element.nodeName,
});

export const isDav = (element: Element, name: string) =>
  element.namespaceURI === DAV_NS && element.localName === name;

export const childElements = (element: Element): Element[] => {
  const out: Element[] = [];
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === child.ELEMENT_NODE) out.push(child as Element);
  }
  return out;
};

export const findDavChild = (element: Element, name: string) =>
  childElements(element).find((child) => isDav(child, name));

/**
 * An element named by a QName, with its own namespace declaration so no prefix map is needed:
 * `DAV:` names use the `D:` prefix the multistatus root declares.
 */
export const openTag = ({ ns, name }: QName, attributes = '') => {
  if (ns === DAV_NS) return `<D:${name}${attributes}>`;
  return `<${name} xmlns="${escapeXml(ns)}"${attributes}>`;
};

export const closeTag = ({ ns, name }: QName) => (ns === DAV_NS ? `</D:${name}>` : `</${name}>`);

export const emptyTag = ({ ns, name }: QName) =>
  ns === DAV_NS ? `<D:${name}/>` : `<${name} xmlns="${escapeXml(ns)}"/>`;

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

export const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  423: 'Locked',
  424: 'Failed Dependency',
};

export const statusLine = (status: number) =>
  `<D:status>HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? ''}</D:status>`;
