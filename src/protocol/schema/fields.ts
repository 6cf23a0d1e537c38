import type { RecordsData } from '../primitives/writer.js';
import { NO_VERSIONS, parseVersions, type VersionRange } from './versions.js';

/**
 * The schema language: one builder call per field, carrying what Kafka's message definitions carry
 * (versions, nullable versions, tag and tagged versions, default, a per-field flexible override).
 * Field names are Kafka's, in camelCase (`TransactionalId` → `transactionalId`).
 *
 * Each builder also carries two phantom types: the value a decoder produces (every field present) and
 * the value an encoder accepts (every field optional; a missing field is written as its default, as a
 * Kafka message object starts from its defaults).
 */
export type PrimitiveType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'uuid'
  | 'string'
  | 'bytes'
  | 'records';

export interface PrimitiveValues {
  bool: boolean;
  int8: number;
  int16: number;
  uint16: number;
  int32: number;
  uint32: number;
  int64: number;
  float64: number;
  uuid: string;
  string: string;
  bytes: Buffer;
  records: RecordsData;
}

/** A tagged field this declaration does not know, kept as raw bytes so it survives re-encoding. */
export interface RawTaggedField {
  readonly tag: number;
  readonly data: Buffer;
}

export interface FieldOptions {
  /** nullableVersions */
  readonly nullable?: string;
  /** The tag, for a field that is tagged in `tagged` versions. */
  readonly tag?: number;
  /** taggedVersions */
  readonly tagged?: string;
  /** The value when absent from a version or omitted by an encoder's caller. */
  readonly default?: unknown;
  /** A per-field flexibleVersions override (only the request header's ClientId uses it: "none"). */
  readonly flexible?: string;
}

export interface Field<N extends string = string, T = unknown, I = unknown> {
  readonly name: N;
  readonly kind: 'primitive' | 'array' | 'struct';
  /** The primitive type, or the element type of a primitive array; null for structs. */
  readonly type: PrimitiveType | null;
  /** The fields of a struct or of a struct array's elements. */
  readonly fields: readonly AnyField[] | null;
  readonly versions: VersionRange;
  readonly nullableVersions: VersionRange;
  readonly taggedVersions: VersionRange;
  readonly tag: number;
  readonly defaultValue: unknown;
  readonly flexibleVersions: VersionRange | null;
  readonly __decoded?: T;
  readonly __input?: I;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widest field, for containers
export type AnyField = Field<string, any, any>;

/** The decoded form of a struct: every field present. */
export type StructOf<F extends readonly AnyField[]> = {
  [K in F[number] as K['name']]: K extends Field<string, infer T, unknown> ? T : never;
} & { _unknownTaggedFields?: readonly RawTaggedField[] | null };

/** What an encoder accepts for a struct: any field may be left out and is written as its default. */
export type InputOf<F extends readonly AnyField[]> = {
  [K in F[number] as K['name']]?: K extends Field<string, unknown, infer I> ? I : never;
} & { _unknownTaggedFields?: readonly RawTaggedField[] | null };

type Nullable<T, O> = O extends { nullable: string } ? T | null : T;

function field<N extends string, T, I>(
  name: N,
  kind: Field['kind'],
  type: PrimitiveType | null,
  fields: readonly AnyField[] | null,
  versions: string,
  opts: FieldOptions | undefined,
): Field<N, T, I> {
  const tagged = opts?.tagged !== undefined ? parseVersions(opts.tagged) : NO_VERSIONS;
  if ((opts?.tag === undefined) !== (opts?.tagged === undefined)) {
    throw new Error(`field ${name}: "tag" and "tagged" go together`);
  }
  return Object.freeze({
    name,
    kind,
    type,
    fields,
    versions: parseVersions(versions),
    nullableVersions: opts?.nullable !== undefined ? parseVersions(opts.nullable) : NO_VERSIONS,
    taggedVersions: tagged,
    tag: opts?.tag ?? -1,
    defaultValue: opts?.default,
    flexibleVersions: opts?.flexible !== undefined ? parseVersions(opts.flexible) : null,
  });
}

function primitive<P extends PrimitiveType>(type: P) {
  return <N extends string, O extends FieldOptions = object>(
    name: N,
    versions: string,
    opts?: O,
  ): Field<N, Nullable<PrimitiveValues[P], O>, Nullable<PrimitiveValues[P], O>> =>
    field(name, 'primitive', type, null, versions, opts);
}

export const bool = primitive('bool');
export const int8 = primitive('int8');
export const int16 = primitive('int16');
export const uint16 = primitive('uint16');
export const int32 = primitive('int32');
export const uint32 = primitive('uint32');
export const int64 = primitive('int64');
export const float64 = primitive('float64');
export const uuid = primitive('uuid');
export const string = primitive('string');
export const bytes = primitive('bytes');
export const records = primitive('records');

/**
 * An array of primitives (`[]int32`) or of structs (`[]SomeStruct`, given by its fields). An encoder
 * only reads its input, so a primitive array may be given as a readonly array (shared, not copied).
 */
export function array<N extends string, P extends PrimitiveType, O extends FieldOptions = object>(
  name: N,
  versions: string,
  element: P,
  opts?: O,
): Field<N, Nullable<PrimitiveValues[P][], O>, Nullable<readonly PrimitiveValues[P][], O>>;
export function array<N extends string, const F extends readonly AnyField[], O extends FieldOptions = object>(
  name: N,
  versions: string,
  fields: F,
  opts?: O,
): Field<N, Nullable<StructOf<F>[], O>, Nullable<InputOf<F>[], O>>;
export function array(
  name: string,
  versions: string,
  element: PrimitiveType | readonly AnyField[],
  opts?: FieldOptions,
): AnyField {
  return typeof element === 'string'
    ? field(name, 'array', element, null, versions, opts)
    : field(name, 'array', null, element, versions, opts);
}

/** A single nested struct. Nullable structs carry an int8 presence marker (-1 null, 1 present). */
export function struct<N extends string, const F extends readonly AnyField[], O extends FieldOptions = object>(
  name: N,
  versions: string,
  fields: F,
  opts?: O,
): Field<N, Nullable<StructOf<F>, O>, Nullable<InputOf<F>, O>> {
  return field(name, 'struct', null, fields, versions, opts);
}
