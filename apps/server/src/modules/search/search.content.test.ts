import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import { uploadFiles } from '../nodes/nodes.test-utils.js';
import { textPdf, useSearchTestApp } from './search.test-utils.js';

const { context, search } = useSearchTestApp();

describe('content search', () => {
  test('finds a phrase inside a PDF and a text file, with a highlighted snippet', async () => {
    const { testApp, fixtures, user, stranger } = context;
    await fixtures.newTree(user, {
      Docs: {
        'q3.pdf': textPdf(['Quarterly results', 'The aurora borealis lit the harbour.']),
        'notes.txt': 'Shopping list.\nRemember the <b>aurora</b> borealis tour & the ferry.\n',
        // Not text: its bytes are never read for words.
        'photo.png': Buffer.concat([
          Buffer.from('89504e470d0a1a0a', 'hex'),
          Buffer.from('aurora borealis'),
        ]),
      },
    });
    await fixtures.newFile(stranger, { name: 'theirs.txt', content: 'aurora borealis too' });
    await runQueuedJobs(testApp.context);

    const page = await search(`q=${encodeURIComponent('"aurora borealis"')}`);
    expect(page.items.map((item) => item.name).sort()).toEqual(['notes.txt', 'q3.pdf']);
    for (const item of page.items) {
      expect(item.matchedBy).toBe('content');
      const matched = item.snippet?.filter((part) => part.match).map((part) => part.text);
      expect(matched, item.name).toEqual(['aurora', 'borealis']);
      expect(item.path.map((crumb) => crumb.name)).toEqual(['Docs']);
    }
    const notes = page.items.find((item) => item.name === 'notes.txt');
    // Snippets are plain text parts (the client renders them as text, never as HTML).
    expect(notes?.snippet?.map((part) => part.text).join('')).toContain('tour & the ferry');
    // Words apart from the phrase do not match it.
    expect((await search(`q=${encodeURIComponent('"borealis aurora"')}`)).items).toEqual([]);
    expect((await search('q=harbour')).items.map((item) => item.name)).toEqual(['q3.pdf']);
    expect((await search('q=borealis', stranger)).items.map((item) => item.name)).toEqual([
      'theirs.txt',
    ]);
  });

  test('a name match outranks a content match; replaced content is indexed again', async () => {
    const { testApp, fixtures, user } = context;
    const file = await fixtures.newFile(user, { name: 'ferry timetable.txt', content: 'boats' });
    await fixtures.newFile(user, { name: 'misc.txt', content: 'the ferry leaves at noon' });
    await runQueuedJobs(testApp.context);
    const page = await search('q=ferry');
    expect(page.items.map((item) => [item.name, item.matchedBy])).toEqual([
      ['ferry timetable.txt', 'name'],
      ['misc.txt', 'content'],
      ['notes.txt', 'content'],
    ]);
    const replaced = await uploadFiles(testApp.app, user, {
      files: [{ name: file.name, content: 'trains only' }],
      onConflict: 'replace',
    });
    expect(replaced.statusCode, replaced.body).toBe(201);
    expect((await search('q=boats')).items).toEqual([]);
    await runQueuedJobs(testApp.context);
    expect((await search('q=trains')).items.map((item) => item.name)).toEqual([
      'ferry timetable.txt',
    ]);
  });

  test('archived files stay findable by content, marked archived', async () => {
    const { testApp, fixtures, user } = context;
    const folder = await fixtures.newFolder(user, { name: 'Cold' });
    await fixtures.newFile(user, {
      name: 'old.txt',
      content: 'glacier memo',
      folderId: folder.id,
    });
    await runQueuedJobs(testApp.context);
    await sql`update nodes set storage_state = 'archived' where id in (select id from nodes where parent_id = ${folder.id}) or id = ${folder.id}`.execute(
      testApp.context.database.db,
    );
    const page = await search('q=glacier');
    expect(page.items.map((item) => [item.name, item.storageState])).toEqual([
      ['old.txt', 'archived'],
    ]);
  });
});

describe('the search indexes', () => {
  test('take new rows in at once: no pending list for every search to read first', async () => {
    const { testApp } = context;
    const result = await sql<{ relname: string; reloptions: string[] | null }>`
      select relname, reloptions from pg_class
      where relname in ('nodes_search_key_trgm_idx', 'node_texts_tsv_idx') order by relname
    `.execute(testApp.context.database.db);
    expect(result.rows).toEqual([
      { relname: 'node_texts_tsv_idx', reloptions: ['fastupdate=off'] },
      { relname: 'nodes_search_key_trgm_idx', reloptions: ['fastupdate=off'] },
    ]);
  });
});
