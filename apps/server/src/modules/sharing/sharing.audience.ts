import type { DomainEvent } from '@myfile/contract';
import type { Db } from '../../db/database.js';
import { listGranteesAbove } from './sharing.repository.js';

/**
 * The sharees who see a node event: everyone with a share on the node or one of its ancestors
 * (before and after a move), resolved when the event is fanned out. A revoked share is gone from
 * the table, so its grantee's sockets stop getting the subtree's events at once, on every
 * instance, without any socket having to be found and told.
 */
export const shareAudienceOf =
  (db: Db) =>
  async (event: DomainEvent): Promise<string[]> => {
    const node = 'file' in event ? event.file : 'folder' in event ? event.folder : undefined;
    if (!node) return [];
    const from = [node.id];
    if ('previousParentId' in event && typeof event.previousParentId === 'string') {
      from.push(event.previousParentId);
    }
    const grantees = await listGranteesAbove(db, { nodeIds: from });
    return grantees.filter((userId) => userId !== event.userId);
  };
