import type { ActivityEntry, ActivityKind } from '@myfile/contract';
import { activityKinds } from '@myfile/contract';
import type { Db } from '../../db/database.js';
import { actorUserId, type Actor } from '../access/access.models.js';
import { authorizeNode } from '../access/access.usecases.js';
import { pageByTime } from '../nodes/time-cursor.js';
import { listNodeActivity, type ActivityRow } from './activity.repository.js';

/** What only the owner sees: who the item is shared with, its links, where a move went. */
const ownerOnlyKinds: readonly ActivityKind[] = [
  'shared',
  'share_changed',
  'unshared',
  'link_created',
  'link_revoked',
];

const isKind = (kind: string): kind is ActivityKind =>
  (activityKinds as readonly string[]).includes(kind);

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

const toEntry = (row: ActivityRow, viewerId: string | null, isOwner: boolean): ActivityEntry => {
  const detail = row.detail;
  const size = typeof detail.size === 'number' ? detail.size : undefined;
  const picked = {
    name: text(detail.name),
    previousName: text(detail.previousName),
    ...(isOwner
      ? {
          from: text(detail.from),
          to: text(detail.to),
          email: text(detail.email),
          role: text(detail.role),
        }
      : {}),
    size,
  };
  return {
    id: row.id,
    kind: isKind(row.kind) ? row.kind : 'renamed',
    at: row.created_at.toISOString(),
    actor:
      row.actor_user_id && row.actor_email
        ? { email: row.actor_email, you: row.actor_user_id === viewerId }
        : null,
    detail: Object.fromEntries(Object.entries(picked).filter(([, value]) => value !== undefined)),
  };
};

/**
 * An item's history, newest first, for anyone who can open it (owner or sharee); anything else
 * is 404. The last page ends with the item's creation.
 */
export const getNodeActivity = async ({
  db,
  actor,
  id,
  cursor,
  limit,
}: {
  db: Db;
  actor: Actor;
  id: string;
  cursor?: string | undefined;
  limit: number;
}) => {
  const { node } = await authorizeNode({ db, actor, id, action: 'read' });
  const viewerId = actorUserId(actor);
  const isOwner = viewerId === node.owner_id;
  const page = await pageByTime({
    cursor,
    limit,
    fetch: (after, count) =>
      listNodeActivity(db, {
        nodeId: node.id,
        after,
        limit: count,
        hiddenKinds: isOwner ? [] : ownerOnlyKinds,
      }),
    positionOf: (row) => ({ at: row.created_at.toISOString(), id: row.id }),
  });
  const items = page.items.map((row) => toEntry(row, viewerId, isOwner));
  if (page.nextCursor === null) {
    items.push({
      id: null,
      kind: 'created',
      at: node.created_at.toISOString(),
      actor: null,
      detail: {},
    });
  }
  return { items, nextCursor: page.nextCursor };
};
