import { accountSchema, childrenPageSchema } from '@myfile/contract';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { responseSerializerCompiler } from './response-serializer.js';

const compile = (schema: z.ZodType) =>
  responseSerializerCompiler({ schema, method: 'GET', url: '/test', httpStatus: '200' });
const compileWithZod = (schema: z.ZodType) =>
  zodSerializerCompiler({ schema, method: 'GET', url: '/test', httpStatus: '200' });

const node = {
  id: '0190f1e4-7c1a-7a3b-8c2d-123456789abc',
  kind: 'file',
  parentId: null,
  name: 'a "quoted" \\ name\n.txt',
  size: 1024,
  contentType: 'text/plain',
  sha256: null,
  storageState: 'hot',
  archiveError: null,
  thumbnailUrl: null,
  createdAt: '2026-12-05T10:00:00.123Z',
  updatedAt: '2026-12-05T10:00:01.000Z',
};

describe('responseSerializerCompiler', () => {
  // The same JSON; only the keys' order may differ (required ones come first).
  const same = (schema: z.ZodType, value: unknown) =>
    expect(JSON.parse(compile(schema)(value))).toStrictEqual(
      JSON.parse(compileWithZod(schema)(value)),
    );

  it('writes what the zod serializer writes for an account and a folder page', () => {
    const account = {
      id: node.id,
      email: 'ada@example.com',
      emailVerified: true,
      createdAt: node.createdAt,
      isAdmin: false,
    };
    same(accountSchema, account);
    const page = {
      items: [node, { ...node, kind: 'folder', parentId: node.id, shared: true }],
      nextCursor: 'abc',
    };
    same(childrenPageSchema, page);
    same(childrenPageSchema, { items: [], nextCursor: null });
  });

  it('writes only the declared properties, so a row’s other columns never leak', () => {
    const row = {
      id: node.id,
      email: 'ada@example.com',
      emailVerified: false,
      createdAt: node.createdAt,
      isAdmin: false,
      password_hash: '$argon2id$secret',
    };
    const body = compile(accountSchema)(row);
    expect(body).not.toContain('argon2');
    expect(JSON.parse(body)).toEqual({
      id: node.id,
      email: 'ada@example.com',
      emailVerified: false,
      createdAt: node.createdAt,
      isAdmin: false,
    });
  });

  it('refuses an answer without a required property (the route answers 500)', () => {
    expect(() => compile(accountSchema)({ id: node.id, emailVerified: true })).toThrow(/email/);
  });

  it('keeps zod for a schema JSON Schema cannot express', () => {
    const dated = z.object({ at: z.date() });
    const at = new Date('2026-12-05T10:00:00.123Z');
    expect(compile(dated)({ at })).toBe('{"at":"2026-12-05T10:00:00.123Z"}');
  });

  it('writes a union of objects by its matching branch', () => {
    const union = z.union([
      z.object({ status: z.literal('a'), x: z.number() }),
      z.object({ status: z.literal('b'), y: z.string() }),
    ]);
    expect(compile(union)({ status: 'b', y: 'why', x: 1 })).toBe('{"status":"b","y":"why"}');
  });
});
