import sharp from 'sharp';
import type { App } from '../../app/server.js';
import type { TestApp } from '../../test-support/test-app.js';
import type { TestUser } from '../nodes/nodes.test-utils.js';

/** A solid-colour image; solid colour compresses, so even a pixel flood stays a small file. */
export const solidImage = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 200 } } });

export const getThumbnail = (
  app: App,
  user: Pick<TestUser, 'headers'> | null,
  id: string,
  headers: Record<string, string> = {},
) =>
  app.inject({
    method: 'GET',
    url: `/api/files/${id}/thumbnail`,
    headers: { ...(user?.headers ?? {}), ...headers },
  });

export const fileRow = (testApp: TestApp, id: string) =>
  testApp.context.database.db
    .selectFrom('nodes')
    .select(['blob_key', 'thumbnail_state'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

/** A one-page PDF (`width` × `height` pt) with two filled rectangles, with a correct xref. */
export const minimalPdf = (width = 200, height = 100) => {
  const content = `1 0 0 rg 20 20 ${width - 40} ${height - 40} re f`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Contents 4 0 R /Resources << >> >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
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
