import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { oneEditPatterns, toSearchKey } from '../modules/search/search.models.js';
import { searchPageSql } from '../modules/search/search.repository.js';

/** Distinct words in names: each appears in files / WORDS names. */
const WORDS = 5000;

/** `files` files of one user, named "report <word> <i>.pdf", written by generate_series. */
export const fillSearchNames = async (
  db: Db,
  { ownerId, rootId, files }: { ownerId: string; rootId: string; files: number },
) => {
  await sql`
    insert into nodes (id, owner_id, parent_id, is_folder, name, name_key, sort_key, size,
                       content_type, blob_key, created_at, updated_at)
    select gen_random_uuid(), ${ownerId}, ${rootId}, false, n, n, n, i, 'application/pdf',
           'bench/' || i, now(), now()
    from (select i, 'report ' || substr(md5((i % ${WORDS})::text), 1, 8) || ' ' || i || '.pdf' as n
          from generate_series(1, ${files}) as i) named
  `.execute(db);
  await sql`analyze nodes`.execute(db);
};

/** `texts` indexed text files of 200 words each from a vocabulary of 3,000. */
export const fillSearchTexts = async (
  db: Db,
  { ownerId, rootId, texts }: { ownerId: string; rootId: string; texts: number },
) => {
  await sql`
    with files as (
      insert into nodes (id, owner_id, parent_id, is_folder, name, name_key, sort_key, size,
                         content_type, blob_key, created_at, updated_at)
      select gen_random_uuid(), ${ownerId}, ${rootId}, false, 'note ' || i || '.txt',
             'note ' || i || '.txt', 'note ' || i || '.txt', 1200, 'text/plain', 'text/' || i, now(), now()
      from generate_series(1, ${texts}) as i
      returning id, blob_key, size
    ), bodies as (
      select f.id, f.blob_key,
             (select string_agg(substr(md5(((f.size + j * 7919 + length(f.blob_key) * j + hashtext(f.blob_key)) % 3000)::text), 1, 6), ' ')
              from generate_series(1, 200) as j) as body
      from files f
    )
    insert into node_texts (node_id, owner_id, blob_key, body, tsv)
    select id, ${ownerId}, blob_key, body, to_tsvector('simple', body) from bodies
  `.execute(db);
  await sql`analyze node_texts`.execute(db);
};

/** Two words that occur in names, and one of the text vocabulary. */
export const searchBenchWords = async (db: Db) => {
  const result = await sql<{ w: string }>`
    select substr(md5((17 % ${WORDS})::text), 1, 8) as w
    union all select substr(md5((4242 % ${WORDS})::text), 1, 8)
    union all select substr(md5('1234'), 1, 6)
  `.execute(db);
  const [first = '', second = '', text = ''] = result.rows.map((row) => row.w);
  return { names: [first, second], text };
};

export const lookupNodeById = (db: Db, id: string) =>
  sql`select * from nodes where id = ${id}`.execute(db);

/** EXPLAIN ANALYZE of the whole search statement (first page of 50) for `q`. */
export const explainSearch = async (
  db: Db,
  { ownerId, q, language }: { ownerId: string; q: string; language: string },
) => {
  const key = toSearchKey(q);
  const statement = searchPageSql({
    ownerId,
    key,
    typoPatterns: oneEditPatterns(key),
    text: q,
    language,
    filters: { includeTrash: false },
    after: null,
    limit: 51,
  });
  const plan = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) ${statement}`.execute(
    db,
  );
  return plan.rows.map((row) => row['QUERY PLAN']);
};
