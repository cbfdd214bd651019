import type { DomainEvent, LinkEvent } from '@myfile/contract';
import type { Watchers } from '../sharing/watchers.repository.js';

export const linkChannel = (linkId: string) => `events:link:${linkId}`;

/** A message on a link's channel: an event for its visitors, or the end of the link. */
export type LinkChannelMessage = { type: 'event'; event: LinkEvent } | { type: 'ended' };

const nodeOf = (event: DomainEvent) =>
  'file' in event
    ? { kind: 'file' as const, node: event.file }
    : 'folder' in event
      ? { kind: 'folder' as const, node: event.folder }
      : undefined;

const removing = new Set(['file.trashed', 'file.deleted', 'folder.trashed', 'folder.deleted']);
const adding = new Set(['file.created', 'file.restored', 'folder.created', 'folder.restored']);

/**
 * The working viewer links that see a node event, each with the event as its visitors may see
 * it. Resolved at fan-out, like the sharees' audience: a revoked, expired or used-up link is no
 * longer found, so its visitors hear nothing more, on every instance. A move is seen from both
 * sides: into a link's subtree it is an addition, out of it a removal, and the place outside is
 * never named. The walk starts at the node (and, for a node already gone, at its parent) and
 * goes up by primary key: O(depth) lookups.
 */
const linkAudienceOf =
  (watchers: (event: DomainEvent) => Promise<Watchers>) =>
  async (event: DomainEvent): Promise<{ linkId: string; event: LinkEvent }[]> => {
    const subject = nodeOf(event);
    if (!subject) return [];
    const { kind, node } = subject;
    const { linksNow: now, linksBefore: before } = await watchers(event);
    const previousParentId =
      'previousParentId' in event && typeof event.previousParentId === 'string'
        ? event.previousParentId
        : undefined;
    const inside = new Set(now.map((link) => link.id));
    const wasInside = new Set(before.map((link) => link.id));
    const links = new Map([...before, ...now].map((link) => [link.id, link.node_id]));
    return [...links].map(([linkId, linkNodeId]) => {
      const type: LinkEvent['type'] = !inside.has(linkId)
        ? 'node.removed'
        : removing.has(event.type)
          ? 'node.removed'
          : adding.has(event.type) || (previousParentId !== undefined && !wasInside.has(linkId))
            ? 'node.added'
            : 'node.changed';
      // Moved out: it left from its old folder, which is inside; nothing says where it went.
      const parentId = inside.has(linkId) ? node.parentId : (previousParentId ?? null);
      return {
        linkId,
        event: {
          type,
          at: event.at,
          kind,
          node: { ...node, parentId: node.id === linkNodeId ? null : parentId },
        },
      };
    });
  };

/** The same, as messages for the fan-out to publish on each link's channel. */
export const linkChannelsOf = (watchers: (event: DomainEvent) => Promise<Watchers>) => {
  const audience = linkAudienceOf(watchers);
  return async (event: DomainEvent) =>
    (await audience(event)).map(({ linkId, event: linkEvent }) => ({
      channel: linkChannel(linkId),
      message: JSON.stringify({ type: 'event', event: linkEvent } satisfies LinkChannelMessage),
    }));
};
