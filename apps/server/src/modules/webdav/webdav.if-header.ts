import { invalidRequest } from '../../app/app-error.js';

/** One condition of an If header list: a state token (a lock token) or an entity tag. */
export type IfCondition = { not: boolean } & (
  { kind: 'token'; token: string } | { kind: 'etag'; etag: string }
);

/** One parenthesised list; `resource` is its tag (an absolute URL or path), else the request URI. */
export type IfList = { resource: string | undefined; conditions: IfCondition[] };

const malformed = () => invalidRequest('The If header is malformed (RFC 4918 §10.4).', 'If');

/**
 * The If header of RFC 4918 §10.4: untagged lists `(<token> ["etag"])`, or tagged ones
 * `<url> (…) (…)`, each condition optionally negated with `Not`. Returned in order.
 */
export const parseIfHeader = (value: string): IfList[] => {
  const lists: IfList[] = [];
  let resource: string | undefined;
  let at = 0;
  const skipSpace = () => {
    while (at < value.length && /\s/.test(value[at] ?? '')) at++;
  };
  const readUntil = (close: string) => {
    const end = value.indexOf(close, at + 1);
    if (end < 0) throw malformed();
    const text = value.slice(at + 1, end);
    at = end + 1;
    return text;
  };
  for (skipSpace(); at < value.length; skipSpace()) {
    const char = value[at];
    if (char === '<') {
      resource = readUntil('>');
      continue;
    }
    if (char !== '(') throw malformed();
    at++;
    const conditions: IfCondition[] = [];
    for (skipSpace(); value[at] !== ')'; skipSpace()) {
      if (at >= value.length) throw malformed();
      let not = false;
      if (value.slice(at, at + 3).toLowerCase() === 'not') {
        not = true;
        at += 3;
        skipSpace();
      }
      if (value[at] === '<') conditions.push({ not, kind: 'token', token: readUntil('>') });
      else if (value[at] === '[') conditions.push({ not, kind: 'etag', etag: readUntil(']') });
      else throw malformed();
    }
    at++;
    if (conditions.length === 0) throw malformed();
    lists.push({ resource, conditions });
  }
  if (lists.length === 0) throw malformed();
  return lists;
};

/** What a list's conditions are judged against: the resource's ETag and the tokens of the locks on it. */
export type IfResourceState = { etag: string | undefined; lockTokens: ReadonlySet<string> };

const sameEtag = (a: string, b: string) => a.replace(/^W\//, '') === b.replace(/^W\//, '');

/**
 * True when at least one list holds: every condition in it true for its resource (RFC 4918
 * §10.4.3). `DAV:no-lock` names no lock, so it never matches.
 */
export const evaluateIf = (
  lists: readonly IfList[],
  stateOf: (resource: string | undefined) => IfResourceState,
) =>
  lists.some((list) => {
    const state = stateOf(list.resource);
    return list.conditions.every((condition) => {
      const holds =
        condition.kind === 'token'
          ? state.lockTokens.has(condition.token)
          : state.etag !== undefined && sameEtag(state.etag, condition.etag);
      return holds !== condition.not;
    });
  });

/** The lock tokens a request submits: every token its If header names (not negated). */
export const submittedTokens = (lists: readonly IfList[]) =>
  new Set(
    lists.flatMap((list) =>
      list.conditions.flatMap((condition) =>
        condition.kind === 'token' && !condition.not ? [condition.token] : [],
      ),
    ),
  );
