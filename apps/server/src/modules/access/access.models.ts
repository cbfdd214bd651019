/**
 * Who is asking. A signed-in user (browser session or personal token: the same person), or a
 * visitor holding a share link, who is nobody but the link's grant on one subtree.
 */
export type Actor =
  | { kind: 'user'; userId: string }
  | { kind: 'link'; linkId: string; nodeId: string; role: LinkRole };

export type ShareRole = 'viewer' | 'editor';
export type LinkRole = 'viewer' | 'uploader';
export type Role = 'owner' | ShareRole | LinkRole;

/**
 * What a request wants to do with a node.
 * - `read`: see it, list it, download it;
 * - `upload`: add a new file into a folder (a drop box can do only this);
 * - `write`: create folders, rename, move and delete inside the subtree;
 * - `manage`: what stays the owner's — sharing, archiving and restoring, moving out of the tree.
 */
export type Action = 'read' | 'upload' | 'write' | 'manage';

const allowed: Record<Role, ReadonlySet<Action>> = {
  owner: new Set(['read', 'upload', 'write', 'manage']),
  editor: new Set(['read', 'upload', 'write']),
  viewer: new Set(['read']),
  uploader: new Set(['upload']),
};

export const roleAllows = (role: Role, action: Action): boolean => allowed[role].has(action);

export const userActor = (userId: string): Actor => ({ kind: 'user', userId });

/** The user behind an actor, for what only a signed-in person has (their own root, trash…). */
export const actorUserId = (actor: Actor): string | null =>
  actor.kind === 'user' ? actor.userId : null;

/**
 * What lands in a folder is charged to the folder's owner: `yours` when that is the actor,
 * `owner` for a sharee or a link visitor, whose own free space would not help.
 */
export const quotaHolderOf = (actor: Actor, folderOwnerId: string): 'yours' | 'owner' =>
  actor.kind === 'user' && actor.userId === folderOwnerId ? 'yours' : 'owner';
