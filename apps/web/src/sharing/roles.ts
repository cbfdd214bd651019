import type { FolderWithBreadcrumb } from '@myfile/contract';

export type Role = NonNullable<FolderWithBreadcrumb['role']>;

/** Mirrors the server's rule, to hide what would be refused; the server still decides. */
export const canWrite = (role: Role) => role === 'owner' || role === 'editor';
export const canManage = (role: Role) => role === 'owner';

/**
 * How often a sharee's folder page asks for its listing again: live events reach only the
 * owner of a tree, so without this a sharee would not see the owner's changes until reload.
 */
export const SHARED_REFRESH_MS = 5_000;
