export const onConflictModes = ['rename', 'fail', 'replace'] as const;
export type OnConflict = (typeof onConflictModes)[number];
