import type { FolderWithBreadcrumb } from '@myfile/contract';

export type Role = NonNullable<FolderWithBreadcrumb['role']>;

/** Mirrors the server's rule, to hide what would be refused; the server still decides. */
export const canWrite = (role: Role) => role === 'owner' || role === 'editor';
export const canManage = (role: Role) => role === 'owner';
