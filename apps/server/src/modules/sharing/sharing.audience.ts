import type { DomainEvent } from '@myfile/contract';
import type { Watchers } from './watchers.repository.js';

/**
 * The sharees who see a node event: everyone with a share on the node or one of its ancestors
 * (before and after a move), resolved when the event is fanned out. A revoked share is gone from
 * the table, so its grantee's sockets stop getting the subtree's events at once, on every
 * instance, without any socket having to be found and told.
 */
export const shareAudienceOf =
  (watchers: (event: DomainEvent) => Promise<Watchers>) =>
  async (event: DomainEvent): Promise<string[]> =>
    (await watchers(event)).grantees.filter((userId) => userId !== event.userId);
