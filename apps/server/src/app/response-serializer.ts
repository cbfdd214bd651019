import type { FastifySerializerCompiler } from 'fastify';
import fastJson from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/** Checks that only validate: serialisation writes the value whatever they say. */
const VALIDATION_ONLY = new Set([
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
]);

const SCALAR_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null']);

const isScalarBranch = (branch: unknown): branch is { type: string } =>
  typeof branch === 'object' &&
  branch !== null &&
  Object.keys(branch).every((key) => key === 'type') &&
  SCALAR_TYPES.has(String((branch as { type: unknown }).type));

/**
 * Drops what only validates (patterns, bounds, formats other than date-time, closed objects), then turns an
 * `anyOf` of plain scalar types (`uuid | null`) into one type list: fast-json-stringify writes a
 * type list directly, while for an `anyOf` it validates each value against every branch first.
 */
const forSerialising = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(forSerialising);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (VALIDATION_ONLY.has(key)) continue;
    // Undeclared properties are never written either way; `false` would only make a union's
    // branch refuse a value that carries more than the branch declares.
    if (key === 'additionalProperties' && value === false) continue;
    if (key === 'format' && value !== 'date-time') continue;
    // Property names are data, not keywords: only their schemas are walked.
    out[key] =
      key === 'properties' || key === 'definitions'
        ? Object.fromEntries(
            Object.entries(value as JsonSchema).map(([name, child]) => [
              name,
              forSerialising(child),
            ]),
          )
        : forSerialising(value);
  }
  const anyOf = out.anyOf;
  if (Array.isArray(anyOf) && anyOf.every(isScalarBranch)) {
    delete out.anyOf;
    out.type = [...new Set(anyOf.map((branch) => branch.type))];
  }
  return out;
};

/**
 * Response bodies are written by fast-json-stringify, compiled once per route from the route's
 * zod schema, rather than zod-checking every answer and then `JSON.stringify`-ing it: the
 * listing's 50 rows cost a fraction. As with zod, only the declared properties are written
 * (a row's other columns never leak) and a missing required one is an error (a 500). A schema
 * JSON Schema cannot express (a `z.date()`, a bigint) keeps zod's serializer.
 */
export const responseSerializerCompiler: FastifySerializerCompiler<z.ZodType> = (routeSchema) => {
  const { schema } = routeSchema;
  let jsonSchema: JsonSchema;
  try {
    jsonSchema = z.toJSONSchema(schema, {
      io: 'output',
      target: 'draft-7',
      unrepresentable: 'throw',
    });
  } catch {
    return zodSerializerCompiler(routeSchema);
  }
  return fastJson(forSerialising(jsonSchema) as Parameters<typeof fastJson>[0]);
};
