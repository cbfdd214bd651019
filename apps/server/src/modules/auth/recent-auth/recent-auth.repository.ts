import type { Db } from '../../../db/database.js';

export const markSessionReauthenticated = (db: Db, { sessionId }: { sessionId: string }) =>
  db
    .updateTable('sessions')
    .set({ reauthenticated_at: new Date() })
    .where('id', '=', sessionId)
    .execute();
