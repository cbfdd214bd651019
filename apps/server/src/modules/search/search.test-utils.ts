import type { SearchPage } from '@myfile/contract';
import { afterAll, beforeAll, expect } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

/** What every search test file starts from: an app, a searching user and a stranger. */
export type SearchTestContext = {
  testApp: TestApp;
  fixtures: Fixtures;
  user: FixtureUser;
  stranger: FixtureUser;
};

/**
 * Registers the suite's setup and teardown and hands back the context (filled once `beforeAll`
 * ran) with `search` (GET /api/search as `who`, the user by default, expecting 200) and `names`.
 */
export const useSearchTestApp = () => {
  const context = {} as SearchTestContext;
  beforeAll(async () => {
    context.testApp = await createTestApp();
    context.fixtures = fixturesOf(context.testApp.context);
    context.user = await context.fixtures.newUser();
    context.stranger = await context.fixtures.newUser();
  }, 60_000);
  afterAll(() => context.testApp.close());

  const search = async (query: string, who: FixtureUser = context.user) => {
    const response = await context.testApp.app.inject({
      method: 'GET',
      url: `/api/search?${query}`,
      headers: who.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<SearchPage>();
  };
  const names = async (query: string, who?: FixtureUser) =>
    (await search(query, who)).items.map((item) => item.name);
  return { context, search, names };
};

/** A one-page PDF whose page shows `lines` in Helvetica, with a correct xref. */
export const textPdf = (lines: string[]) => {
  const escape = (text: string) => text.replace(/[\\()]/g, (c) => `\\${c}`);
  const content = [
    'BT /F1 12 Tf 14 TL 40 760 Td',
    ...lines.map((line) => `(${escape(line)}) Tj T*`),
    'ET',
  ].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(out.length);
    out += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
};
